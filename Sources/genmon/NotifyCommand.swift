import ArgumentParser
import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import Monitor
import Notify
import Store

/// `genmon notify`: the notification channels from the command line.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Check how genmon tells people (e-mail, SMS, Pushover, Slack, ntfy, Discord, Telegram, webhook, syslog).",
        subcommands: [Test.self]
    )

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message now and say what the service answered.",
            discussion: """
                Uses the same settings as `genmon run --config`: mymail.conf, gensms.conf, genpushover.conf and \
                genslack.conf from the directory of genmon.conf (genloader.conf's enable flags honoured), and genmon.conf's \
                [ntfy], [discord], [telegram], [webhook] and [syslog] sections. Channels: email, sms, pushover, slack, ntfy, \
                discord, telegram, webhook, syslog. Without --to the test goes to every recipient of the channel; e-mail \
                with no recipients only signs in to the server. The attempt is recorded in the outbox (web page).
                """)

        @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).") var config: String?
        @Option(help: "genmon's data directory (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
        @Option(help: "The channel to test: email, sms, pushover, slack, ntfy, discord, telegram, webhook or syslog.") var channel = "email"
        @Option(help: "Send to this recipient only (an address, a number, a user key, a topic, a chat id).") var to: String?

        func run() async throws {
            GenmonLogHandler.level = .warning
            let path = config ?? (FileManager.default.fileExists(atPath: "/etc/genmon/genmon.conf") ? "/etc/genmon/genmon.conf" : nil)
            var configuration = GenmonConfiguration()
            if let path {
                do { configuration = try GenmonConfiguration(file: try IniFile(contentsOf: path)) } catch { throw failure("\(error)") }
            }
            if let dataDir { configuration.dataDirectory = dataDir }
            let loaded = NotifyConfiguration.load(configPath: path)
            for problem in loaded.problems { print("problem: \(problem)") }
            var channels: [any NotificationChannel] = []
            if let email = EmailChannel(mail: loaded.mail, notify: loaded.notify) { channels.append(email) }
            let http = ChannelHTTPClient(caFile: loaded.notify.caFile)
            let catalog = ChannelCatalog(loaded.channels, http: http, version: MonitorStatus.currentVersion)
            channels += catalog.channels
            let database: GenmonDatabase
            do { database = try MonitorHost.openDatabase(in: configuration.dataDirectory) } catch {
                print("note: the test is not recorded in the outbox (\(error))")
                database = try GenmonDatabase.inMemory()
            }
            var table = catalog.recipients
            table["email"] = loaded.mail.recipients.map { ChannelRecipient(id: $0.address.description, categories: $0.categories) }
            let routing = NotificationRouting(table)
            let composer = MessageComposer(reportContext: ReportContext(siteName: configuration.siteName), siteName: configuration.siteName)
            let desk = NotificationDesk(
                engine: nil, database: database, routing: routing, channels: channels, composer: composer, siteName: configuration.siteName,
                settings: loaded.notify, emailOffReason: channels.isEmpty ? (loaded.mail.sendingOffReason ?? "not configured") : nil,
                emailDetail: channels.first.flatMap { ($0 as? EmailChannel).map { NotifyParts.describe($0.server) } } ?? "",
                mailFile: nil, problems: loaded.problems.map(\.description), channelsOff: catalog.off)
            if channel == "email", let email = channels.first as? EmailChannel { print("e-mail through \(NotifyParts.describe(email.server))") }
            if let tested = channels.first(where: { $0.name == channel }), channel != "email" { print("\(channel): \(tested.detail)") }
            let report = await desk.sendTest(channel: channel, to: to)
            await http.shutdown()
            print(report.summary)
            guard report.succeeded else { throw ExitCode.failure }
        }
    }
}

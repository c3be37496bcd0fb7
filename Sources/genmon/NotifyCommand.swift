import ArgumentParser
import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import Notify
import Store

/// `genmon notify`: the notification channels from the command line.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Check how genmon tells people (e-mail from mymail.conf beside genmon.conf).",
        subcommands: [Test.self]
    )

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message now and say what the server answered.",
            discussion: """
                Uses the same settings as `genmon run --config`: mymail.conf from the directory of genmon.conf, \
                ssl_ca_file and tls_verify from genmon.conf. Without --to the test goes to every configured recipient; \
                with no recipients it only signs in to the server. The attempt is recorded in the outbox (web page).
                """)

        @Option(name: .shortAndLong, help: "Configuration file (default /etc/genmon/genmon.conf if it exists).") var config: String?
        @Option(help: "genmon's data directory (default /var/lib/genmon, or datadirectory in genmon.conf).") var dataDir: String?
        @Option(help: "The channel to test.") var channel = "email"
        @Option(help: "Send to this address only.") var to: String?

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
            let database: GenmonDatabase
            do { database = try MonitorHost.openDatabase(in: configuration.dataDirectory) } catch {
                print("note: the test is not recorded in the outbox (\(error))")
                database = try GenmonDatabase.inMemory()
            }
            let routing = NotificationRouting(["email": loaded.mail.recipients.map {
                ChannelRecipient(id: $0.address.description, categories: $0.categories)
            }])
            let composer = MessageComposer(reportContext: ReportContext(siteName: configuration.siteName), siteName: configuration.siteName)
            let desk = NotificationDesk(
                engine: nil, database: database, routing: routing, channels: channels, composer: composer, siteName: configuration.siteName,
                settings: loaded.notify, emailOffReason: channels.isEmpty ? (loaded.mail.sendingOffReason ?? "not configured") : nil,
                emailDetail: channels.first.flatMap { ($0 as? EmailChannel).map { NotifyParts.describe($0.server) } } ?? "",
                mailFile: nil, problems: loaded.problems.map(\.description))
            if let email = channels.first as? EmailChannel { print("e-mail through \(NotifyParts.describe(email.server))") }
            let report = await desk.sendTest(channel: channel, to: to)
            print(report.summary)
            guard report.succeeded else { throw ExitCode.failure }
        }
    }
}

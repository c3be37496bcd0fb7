import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import MailProtocol
import MailTransport
import Monitor
import Notify
import Store

/// The notification parts of `genmon run` and `genmon demo`: settings from genmon.conf, the
/// mymail.conf beside it and the original's add-on files (gensms.conf, genpushover.conf,
/// genslack.conf), the channels, the engine, the delivery worker and the desk the web app and the
/// socket use.
struct NotifyParts {
    let engine: NotificationEngine
    let worker: DeliveryWorker
    let desk: NotificationDesk
    /// The HTTP client all channels share; a service that shuts it down when genmon stops.
    let http: ChannelHTTPClient
    /// Wakes the worker when something was queued outside the engine (replies to e-mail commands).
    let signal: DeliverySignal
    /// The e-mail channel's From, when e-mail can be sent.
    let emailSender: Mailbox?

    /// Reads the settings (a bad value is logged with file, line and key, and only that setting is
    /// left out: genmon monitors whatever e-mail can do), and builds the parts.
    static func make(configPath: String?, siteName: String, service: any GeneratorService, database: GenmonDatabase,
                     reportContext: ReportContext, clock: any GenmonClock, keepsFiles: Bool, announceStartup: Bool = true,
                     onAttempt: (@Sendable (_ channel: String, _ delivered: Bool) -> Void)? = nil) -> NotifyParts {
        let logger = Logger(label: "genmon.notify")
        let loaded = NotifyConfiguration.load(configPath: configPath)
        for problem in loaded.problems { logger.error("\(problem)") }
        let mail = loaded.mail, settings = loaded.notify
        var channels: [any NotificationChannel] = []
        var emailDetail = ""
        if let email = EmailChannel(mail: mail, notify: settings, timeZone: reportContext.timeZone,
                                    logger: Logger(label: "genmon.notify.email")) {
            channels.append(email)
            emailDetail = describe(email.server)
            if !settings.verifyTLS, email.server.tls.mode != .none {
                logger.warning("tls_verify = False: the mail server's certificate is NOT checked; anyone on the way can read the mail and the password")
            }
            logger.info("e-mail through \(emailDetail) to \(mail.recipients.count) recipient(s)")
        } else if let reason = mail.sendingOffReason, mail.path != nil {
            logger.notice("e-mail is off: \(reason)")
        }
        let http = ChannelHTTPClient(caFile: settings.caFile)
        let catalog = ChannelCatalog(loaded.channels, http: http, timeZone: reportContext.timeZone, version: MonitorStatus.currentVersion)
        channels += catalog.channels
        for line in catalog.summaryLines { logger.info("\(line)") }
        for (name, reason) in catalog.off.sorted(by: { $0.key < $1.key }) { logger.notice("\(name) is off: \(reason)") }
        var table = catalog.recipients
        table["email"] = mail.recipients.map { ChannelRecipient(id: $0.address.description, categories: $0.categories) }
        let routing = NotificationRouting(table)
        let composer = MessageComposer(reportContext: reportContext, siteName: siteName)
        let signal = DeliverySignal()
        let engine = NotificationEngine(
            service: service, database: database,
            planner: NotificationPlanner.Settings(
                siteName: siteName, timeZone: reportContext.timeZone, settle: .seconds(double: settings.settleSeconds),
                repeatInterval: .seconds(double: settings.repeatMinutes * 60),
                recurringOutageInterval: settings.outageNoticeIntervalMinutes > 0 ? .seconds(double: settings.outageNoticeIntervalMinutes * 60) : nil,
                userURL: settings.userURL, rules: settings.rules, hostAddress: HostAddress.first()),
            composer: composer, routing: routing, channels: channels, signal: signal, clock: clock, announceStartup: announceStartup)
        let worker = DeliveryWorker(database: database, channels: channels, signal: signal, clock: clock,
                                    // Eight at a time: a service that stalls (20 s timeout) leaves room for the other channels.
                                    policy: DeliveryWorker.Policy(maximumConcurrent: 8, maximumAge: .seconds(double: settings.expireHours * 3600)),
                                    onAttempt: onAttempt)
        let mailFile = keepsFiles ? configPath.map { NotifyConfiguration.mailPath(besides: $0) } : nil
        let desk = NotificationDesk(
            engine: engine, database: database, routing: routing, channels: channels, composer: composer, siteName: siteName,
            settings: settings, emailOffReason: channels.contains { $0.name == "email" } ? nil : (mail.sendingOffReason ?? "not configured"),
            emailDetail: emailDetail, mailFile: mailFile, problems: loaded.problems.map(\.description), channelsOff: catalog.off, clock: clock)
        let sender = channels.compactMap { $0 as? EmailChannel }.first?.sender
        return NotifyParts(engine: engine, worker: worker, desk: desk, http: http, signal: signal, emailSender: sender)
    }

    /// `smtp.example.org:587, STARTTLS, certificate checked, signed in as alice`.
    static func describe(_ server: SMTPServer) -> String {
        var parts = [server.endpoint]
        switch server.tls.mode {
        case .implicit: parts.append("TLS")
        case .startTLS: parts.append("STARTTLS")
        case .none: parts.append("no encryption")
        }
        if server.tls.mode != .none { parts.append(server.tls.verifyCertificates ? "certificate checked" : "certificate NOT checked") }
        if let credentials = server.credentials { parts.append("signed in as \(credentials.username)") }
        return parts.joined(separator: ", ")
    }
}

/// Where the notification settings come from, read once at start.
enum NotifyConfiguration {
    /// mymail.conf in the directory of genmon.conf.
    static func mailPath(besides configPath: String) -> String {
        ((configPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("mymail.conf")
    }

    static func load(configPath: String?) -> (notify: NotifySettings, mail: MailSettings, channels: ChannelConfiguration, problems: [ConfigError]) {
        guard let configPath else { return (NotifySettings(), MailSettings(), ChannelConfiguration(), []) }
        var problems: [ConfigError] = []
        var notify = NotifySettings()
        do { notify = NotifySettings(file: try IniFile(contentsOf: configPath), problems: &problems) } catch { problems.append(error) }
        let (mail, mailProblems) = MailSettings.load(path: mailPath(besides: configPath))
        let (channels, channelProblems) = ChannelConfiguration.load(configPath: configPath, userURL: notify.userURL)
        return (notify, mail, channels, problems + mailProblems + channelProblems)
    }
}

/// The host's first non-loopback IPv4 address, for the start-up notice (the original's `<ip>`).
enum HostAddress {
    static func first() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }
}

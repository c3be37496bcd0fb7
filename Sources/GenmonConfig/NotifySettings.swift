import Foundation

/// The notification settings genmon reads from genmon.conf `[GenMon]`: the original's
/// `outage_notice_interval` and `user_url`, and genmon's own keys for TLS trust, noise control,
/// the outbox and threshold rules (docs/compatibility.md#notifications).
///
/// Like `MailSettings`, reading never throws: a bad value is reported with file, line and key,
/// and that one setting (or rule) is left out.
public struct NotifySettings: Sendable, Equatable {
    /// `ssl_ca_file`: a PEM file of extra CAs trusted for the mail servers (SMTP and IMAP).
    public var caFile: String?
    /// `tls_verify`: False turns certificate checks off (logged as a warning at start).
    public var verifyTLS = true
    /// `outage_notice_interval`: minutes between "Recurring Outage Notice"s during an outage; 0 = none.
    public var outageNoticeIntervalMinutes: Double = 0
    /// `user_url`: a link included in state-change messages.
    public var userURL: String?
    /// `notify_settle_seconds`: changes this close together are told in one message; 0 = at once.
    public var settleSeconds: Double = 3
    /// `notify_repeat_minutes`: a message with the same subject goes to a recipient at most this often.
    public var repeatMinutes: Double = 5
    /// `notify_expire_hours`: undelivered messages older than this are dropped (with a log line).
    public var expireHours: Double = 72
    /// `threshold_<name>` lines, in file order.
    public var rules: [ThresholdRuleSpec] = []
    /// `readonlyemailcommands`: e-mail may read, never change the generator.
    public var readOnlyEmailCommands = false
    /// `incoming_mail_folder`: the IMAP folder e-mail commands arrive in.
    public var incomingMailFolder = "Generator"
    /// `processed_mail_folder`: where handled command e-mails are moved.
    public var processedMailFolder = "Generator/Processed"

    public init() {}

    /// Reads the keys from `file` (genmon.conf), appending what is wrong to `problems`.
    public init(file: IniFile, problems: inout [ConfigError]) {
        let section = IniSection(file, "GenMon")
        if let path = section.string("ssl_ca_file") {
            if FileManager.default.isReadableFile(atPath: path) { caFile = path } else {
                problems.append(section.error("ssl_ca_file", "cannot read \(path); the mail servers are checked against the system's CAs only"))
            }
        }
        verifyTLS = section.lenientBool("tls_verify", default: true, problems: &problems)
        func number(_ key: String, _ range: ClosedRange<Double>, _ value: inout Double) {
            do { if let read = try section.double(key, in: range) { value = read } } catch { problems.append(error) }
        }
        number("outage_notice_interval", 0...10_080, &outageNoticeIntervalMinutes)
        number("notify_settle_seconds", 0...300, &settleSeconds)
        number("notify_repeat_minutes", 0...1440, &repeatMinutes)
        number("notify_expire_hours", 1...720, &expireHours)
        if let url = section.string("user_url") { userURL = url }
        readOnlyEmailCommands = section.lenientBool("readonlyemailcommands", default: false, problems: &problems)
        if let folder = section.string("incoming_mail_folder") { incomingMailFolder = folder }
        if let folder = section.string("processed_mail_folder") { processedMailFolder = folder }
        let lines = file.sections.first { $0.key.lowercased() == "genmon" }?.value ?? [:]
        for (key, entry) in lines.sorted(by: { $0.value.line < $1.value.line }) where key.hasPrefix(ThresholdRuleSpec.keyPrefix) {
            let name = String(key.dropFirst(ThresholdRuleSpec.keyPrefix.count))
            do {
                rules.append(try ThresholdRuleSpec(name: name, text: entry.value))
            } catch {
                problems.append(ConfigError(path: file.path, line: entry.line, message: "\(key): \(error)"))
            }
        }
    }
}

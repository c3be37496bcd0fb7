import Foundation
import MailProtocol

/// mymail.conf (`[MyMail]`): the original's e-mail settings, every key of its file, read so that an
/// existing installation's file works unchanged (docs/compatibility.md#mymailconf).
///
/// Reading never throws: a bad value is reported as a `ConfigError` (file, line, key) and the setting
/// it belongs to is left out, so genmon keeps monitoring with whatever e-mail can still do.
public struct MailSettings: Sendable, Equatable {
    /// One address of `email_recipient` and the categories its own line asks for.
    public struct Recipient: Sendable, Equatable {
        public var address: EmailAddress
        /// nil: no line for this address, so every category (the original's rule).
        public var categories: Set<NotificationCategory>?

        public init(address: EmailAddress, categories: Set<NotificationCategory>? = nil) {
            self.address = address
            self.categories = categories
        }

        /// Whether messages of `category` go to this address.
        public func wants(_ category: NotificationCategory) -> Bool { categories?.contains(category) ?? true }
    }

    public var disableEmail = false
    public var disableIMAP = false
    public var disableSMTP = false
    /// `email_account`: the sign-in name for SMTP and IMAP.
    public var account: String?
    /// `email_pw`; empty means no sign-in.
    public var password = ""
    public var recipients: [Recipient] = []
    /// `sender_account`, else `email_account`: the envelope sender and the From address.
    public var sender: EmailAddress?
    public var senderName: String?
    public var smtpServer: String?
    public var imapServer: String?
    public var smtpPort = 587
    /// Implicit TLS (SMTPS, usually port 465).
    public var sslEnabled = false
    /// No STARTTLS (plain SMTP), when not `sslEnabled`.
    public var tlsDisable = false
    /// No SMTP AUTH and no IMAP login.
    public var smtpAuthDisable = false
    public var useBcc = false
    public var useHTML = false
    /// `extend_wait`: seconds added to every retry delay.
    public var extendWait: Double = 0
    public var debug = false
    /// `imap_port` (ours): nil means 993 with implicit TLS, 143 with `imap_starttls`.
    public var imapPort: Int?
    /// `imap_starttls` (ours): plain connection upgraded with STARTTLS (port 143) instead of implicit TLS.
    public var imapStartTLS = false
    /// `imap_poll_seconds` (ours): seconds between looks at the folder when the server has no IDLE.
    public var imapPollSeconds: Double = 60
    /// `email_command_senders` (ours): the addresses whose e-mail commands are obeyed; empty: nobody's.
    public var commandSenders: [EmailAddress] = []
    /// `email_require_authenticated_sender` (ours): true demands an Authentication-Results pass for the
    /// sender's domain, false never looks; nil (not set) demands it when the message carries the header.
    public var requireAuthenticatedSender: Bool?
    /// The file the settings came from, when there was one.
    public var path: String?
    /// The file still holds the original's shipped example account (`mysender@gmail.com` /
    /// `mypassword`): genmon does not try to sign in to Gmail with it.
    public var isShippedExample = false

    public init() {}

    /// True when genmon should send mail: a server, a sender, and nothing switching it off.
    public var sendingEnabled: Bool {
        smtpServer != nil && sender != nil && !disableSMTP && !disableEmail && !isShippedExample
    }

    /// Why sending is off, in plain words; nil when it is on.
    public var sendingOffReason: String? {
        if path == nil { return "there is no mymail.conf" }
        if disableEmail { return "disableemail = True in mymail.conf" }
        if disableSMTP { return "disablesmtp = True in mymail.conf" }
        if isShippedExample { return "mymail.conf still holds the shipped example account (mysender@gmail.com)" }
        if smtpServer == nil { return "smtp_server is empty in mymail.conf" }
        if sender == nil { return "neither sender_account nor email_account is a usable address" }
        return nil
    }

    /// Reads the file at `path`. A missing file is no error (e-mail is simply off); an unreadable or
    /// malformed one is reported.
    public static func load(path: String) -> (settings: MailSettings, problems: [ConfigError]) {
        guard FileManager.default.fileExists(atPath: path) else { return (MailSettings(), []) }
        do {
            let file = try IniFile(contentsOf: path)
            var problems: [ConfigError] = []
            let settings = MailSettings(file: file, problems: &problems)
            return (settings, problems)
        } catch {
            var settings = MailSettings()
            settings.path = path
            return (settings, [error])
        }
    }

    /// Reads `[MyMail]` from `file`, appending what is wrong to `problems`.
    public init(file: IniFile, problems: inout [ConfigError]) {
        path = file.path
        guard file.sections.keys.contains(where: { $0.lowercased() == "mymail" }) else {
            problems.append(ConfigError(path: file.path, line: nil, message: "no [MyMail] section"))
            return
        }
        let section = IniSection(file, "MyMail")
        disableEmail = section.lenientBool("disableemail", default: false, problems: &problems)
        disableIMAP = section.lenientBool("disableimap", default: false, problems: &problems)
        disableSMTP = section.lenientBool("disablesmtp", default: false, problems: &problems)
        sslEnabled = section.lenientBool("ssl_enabled", default: false, problems: &problems)
        tlsDisable = section.lenientBool("tls_disable", default: false, problems: &problems)
        smtpAuthDisable = section.lenientBool("smtpauth_disable", default: false, problems: &problems)
        useBcc = section.lenientBool("usebcc", default: false, problems: &problems)
        useHTML = section.lenientBool("use_html", default: false, problems: &problems)
        debug = section.lenientBool("debug", default: false, problems: &problems)
        do { smtpPort = try section.int("smtp_port", in: 1...65535) ?? 587 } catch { problems.append(error) }
        do { extendWait = try section.double("extend_wait", in: 0...3600) ?? 0 } catch { problems.append(error) }
        account = section.string("email_account")
        password = file.value("email_pw", in: "MyMail")?.value ?? ""
        senderName = section.string("sender_name")
        smtpServer = section.string("smtp_server")
        imapServer = section.string("imap_server")
        if let server = smtpServer, server.contains(where: { $0.isWhitespace || $0 == "/" }) {
            problems.append(section.error("smtp_server", "'\(server)' is not a host name or address"))
            smtpServer = nil
        }
        isShippedExample = account?.lowercased() == "mysender@gmail.com" && password == "mypassword"
        readSender(section, problems: &problems)
        readRecipients(file, section, problems: &problems)
        readCommandIntake(section, problems: &problems)
    }

    private mutating func readSender(_ section: IniSection, problems: inout [ConfigError]) {
        let key = section.string("sender_account") != nil ? "sender_account" : "email_account"
        guard let text = section.string(key) else { return }
        do { sender = try EmailAddress(text) } catch {
            problems.append(section.error(key, "'\(text)' is not an e-mail address: \(error)"))
        }
    }

    /// `email_recipient` (comma-separated, blanks trimmed: the original kept a blank after a comma,
    /// which hid that address's category line) and the per-address category lines.
    private mutating func readRecipients(_ file: IniFile, _ section: IniSection, problems: inout [ConfigError]) {
        var seen = Set<String>()
        if let list = section.string("email_recipient") {
            for part in list.split(separator: ",") {
                let text = part.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                let address: EmailAddress
                do { address = try EmailAddress(text) } catch {
                    problems.append(section.error("email_recipient", "'\(text)' is not an e-mail address: \(error)"))
                    continue
                }
                guard seen.insert(address.normalized).inserted else { continue }
                var recipient = Recipient(address: address)
                if let entry = file.value(address.normalized, in: "MyMail") ?? file.value(text, in: "MyMail") {
                    let (categories, unknown) = NotificationCategory.parseList(entry.value)
                    if !unknown.isEmpty {
                        problems.append(ConfigError(path: file.path, line: entry.line, message:
                            "\(text): unknown categor\(unknown.count == 1 ? "y" : "ies") \(unknown.joined(separator: ", ")) (use outage, error, warn, info)"))
                    }
                    // An empty list would silently drop every message for this address: take it as all.
                    recipient.categories = categories.isEmpty && unknown.isEmpty ? nil : categories
                }
                recipients.append(recipient)
            }
        }
        // A category line for an address that is not a recipient is most likely a typo.
        let lines = file.sections.first { $0.key.lowercased() == "mymail" }?.value ?? [:]
        for (key, entry) in lines.sorted(by: { $0.value.line < $1.value.line }) where key.contains("@") && !seen.contains(key) {
            problems.append(ConfigError(path: file.path, line: entry.line, message: "\(key): not in email_recipient, so this category line has no effect"))
        }
    }
}

extension IniSection {
    /// A boolean that, when malformed, is reported and replaced by `default` instead of throwing.
    func lenientBool(_ key: String, default value: Bool, problems: inout [ConfigError]) -> Bool {
        do { return try bool(key) ?? value } catch {
            problems.append(error)
            return value
        }
    }
}

import Foundation
@testable import GenmonConfig
import MailProtocol
import Testing

/// mymail.conf as the original writes it, genmon.conf's notification keys, and the file editor
/// behind `setnotifications`.
@Suite("mymail.conf and notification settings")
struct MailConfigTests {
    static func read(_ text: String) -> (MailSettings, [ConfigError]) {
        var problems: [ConfigError] = []
        do {
            let settings = MailSettings(file: try IniFile(path: "/etc/genmon/mymail.conf", text: text), problems: &problems)
            return (settings, problems)
        } catch {
            return (MailSettings(), [error])
        }
    }

    @Test("every key of the original's mymail.conf is read, with per-recipient category lines named after the address")
    func everyKey() throws {
        let (settings, problems) = Self.read("""
            [MyMail]
            disableemail = False
            disableimap = True
            disablesmtp = false
            email_pw = s3cret
            email_account = monitor@example.org
            email_recipient = alice@example.org, Bob@Example.org,carol@example.org
            sender_account = no-reply@example.org
            sender_name = Genmon
            smtp_server = smtp.example.org
            imap_server = imap.example.org
            smtp_port = 465
            ssl_enabled = true
            tls_disable = false
            smtpauth_disable = false
            usebcc = True
            use_html = yes
            extend_wait = 30
            debug = on
            alice@example.org = outage,error
            bob@example.org = info
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(settings.sendingEnabled && settings.sendingOffReason == nil)
        #expect(settings.disableIMAP && !settings.disableEmail && !settings.disableSMTP)
        #expect(settings.account == "monitor@example.org" && settings.password == "s3cret")
        #expect(settings.sender?.description == "no-reply@example.org" && settings.senderName == "Genmon")
        #expect(settings.smtpServer == "smtp.example.org" && settings.imapServer == "imap.example.org" && settings.smtpPort == 465)
        #expect(settings.sslEnabled && !settings.tlsDisable && !settings.smtpAuthDisable && settings.useBcc && settings.useHTML && settings.debug)
        #expect(settings.extendWait == 30)
        #expect(settings.recipients.map(\.address.description) == ["alice@example.org", "Bob@example.org", "carol@example.org"])
        #expect(settings.recipients[0].categories == [.outage, .error])
        #expect(settings.recipients[1].categories == [.info], "the blank after the comma no longer hides the address's line")
        #expect(settings.recipients[2].categories == nil && settings.recipients[2].wants(.warn))
        #expect(!settings.recipients[0].wants(.info))
    }

    @Test("defaults: port 587, STARTTLS, sender = account; no file means e-mail is simply off")
    func defaults() throws {
        let (settings, problems) = Self.read("[MyMail]\nemail_account = me@example.org\nemail_recipient = me@example.org\nsmtp_server = mail\n")
        #expect(problems.isEmpty)
        #expect(settings.smtpPort == 587 && !settings.sslEnabled && !settings.tlsDisable)
        #expect(settings.sender?.description == "me@example.org")
        let missing = MailSettings.load(path: "/nonexistent/mymail.conf")
        #expect(missing.problems.isEmpty && !missing.settings.sendingEnabled)
        #expect(missing.settings.sendingOffReason == "there is no mymail.conf")
    }

    @Test("the shipped example account is not used to sign in to Gmail")
    func shippedExample() {
        let (settings, _) = Self.read("""
            [MyMail]
            email_pw = mypassword
            email_account = mysender@gmail.com
            email_recipient = myrecipent@gmail.com
            smtp_server = smtp.gmail.com
            """)
        #expect(!settings.sendingEnabled)
        #expect(settings.sendingOffReason?.contains("shipped example") == true)
    }

    @Test("bad values are reported with file, line and key, and only the bad setting is left out")
    func problemsNamed() throws {
        let (settings, problems) = Self.read("""
            [MyMail]
            smtp_port = 99999
            ssl_enabled = maybe
            email_account = not an address
            email_recipient = alice@example.org,bob(at)example.org
            extend_wait = -1
            alice@example.org = outage,loud
            dave@example.org = info
            smtp_server = smtp.example.org
            """)
        let texts = problems.map(\.description)
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:2: smtp_port:") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:3: ssl_enabled:") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:4: email_account:") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:5: email_recipient:") && $0.contains("bob(at)example.org") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:6: extend_wait:") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:7: alice@example.org:") && $0.contains("loud") })
        #expect(texts.contains { $0.hasPrefix("/etc/genmon/mymail.conf:8: dave@example.org:") && $0.contains("not in email_recipient") })
        #expect(settings.smtpPort == 587 && !settings.sslEnabled)
        #expect(settings.recipients.map(\.address.description) == ["alice@example.org"])
        #expect(settings.recipients[0].categories == [.outage])
        #expect(settings.sender == nil && !settings.sendingEnabled)
        let malformed = Self.read("[MyMail]\nthis line has no separator\n")
        #expect(malformed.1.first?.description == "/etc/genmon/mymail.conf:2: expected `key = value`, found 'this line has no separator'")
    }

    @Test("genmon.conf: ssl_ca_file, tls_verify, outage_notice_interval, user_url, noise settings and threshold rules")
    func notifySettings() throws {
        let ca = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-ca-\(UUID().uuidString).pem").path
        FileManager.default.createFile(atPath: ca, contents: Data("-----BEGIN CERTIFICATE-----\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: ca) }
        var problems: [ConfigError] = []
        let settings = NotifySettings(file: try IniFile(path: "genmon.conf", text: """
            [GenMon]
            ssl_ca_file = \(ca)
            tls_verify = False
            outage_notice_interval = 30
            user_url = https://generator.example.org
            notify_settle_seconds = 5
            notify_repeat_minutes = 10
            notify_expire_hours = 24
            threshold_battery = battery below 12.2 V for 5 min
            threshold_mains = utility < 200 V for 30 s hysteresis 10
            threshold_broken = battery sideways 3
            """), problems: &problems)
        #expect(settings.caFile == ca && !settings.verifyTLS)
        #expect(settings.outageNoticeIntervalMinutes == 30 && settings.userURL == "https://generator.example.org")
        #expect(settings.settleSeconds == 5 && settings.repeatMinutes == 10 && settings.expireHours == 24)
        #expect(settings.rules.map(\.name) == ["battery", "mains"])
        #expect(settings.rules[1].clearLevel == 210)
        #expect(problems.map(\.description) == ["genmon.conf:11: threshold_broken: expected 'below' or 'above' after battery, found 'sideways'"])
        var more: [ConfigError] = []
        _ = NotifySettings(file: try IniFile(path: "g", text: "[GenMon]\nssl_ca_file = /nonexistent.pem\nnotify_settle_seconds = lots\n"), problems: &more)
        #expect(more.map(\.description).contains { $0.hasPrefix("g:2: ssl_ca_file: cannot read /nonexistent.pem") })
        #expect(more.map(\.description).contains { $0.hasPrefix("g:3: notify_settle_seconds:") })
    }

    @Test("the editor changes one section's keys and keeps every other line, comment and section as written")
    func iniEditor() {
        let original = """
            # mymail.conf
            [MyMail]
            ; recipients
            email_recipient = a@example.org
            A@example.org = outage
            smtp_server = mail

            [Other]
            email_recipient = untouched
            """
        let edited = IniEditor.update(original, section: "mymail", changes: [
            ("email_recipient", "b@example.org,c@example.org"), ("a@example.org", nil), ("b@example.org", "info,warn"),
        ])
        #expect(edited == """
            # mymail.conf
            [MyMail]
            ; recipients
            email_recipient = b@example.org,c@example.org
            smtp_server = mail
            b@example.org = info,warn

            [Other]
            email_recipient = untouched

            """)
        #expect(IniEditor.update("", section: "MyMail", changes: [("email_recipient", "x@example.org")]) == "[MyMail]\nemail_recipient = x@example.org\n")
    }
}

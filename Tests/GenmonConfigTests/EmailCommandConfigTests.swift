import Foundation
@testable import GenmonConfig
import MailProtocol
import Testing

/// genmon's own mymail.conf keys for e-mail commands, and the original's genmon.conf keys for them.
@Suite("E-mail command settings")
struct EmailCommandConfigTests {
    @Test("imap_port, imap_starttls, imap_poll_seconds, email_command_senders and email_require_authenticated_sender are read")
    func keys() {
        let (settings, problems) = MailConfigTests.read("""
            [MyMail]
            email_account = monitor@example.org
            email_pw = pw
            imap_server = imap.example.org
            imap_port = 1143
            imap_starttls = True
            imap_poll_seconds = 15
            email_command_senders = Alice@Example.org, bob@example.org,alice@example.org
            email_require_authenticated_sender = False
            """)
        #expect(problems.isEmpty, "\(problems)")
        #expect(settings.imapPort == 1143 && settings.effectiveIMAPPort == 1143 && settings.imapStartTLS)
        #expect(settings.imapPollSeconds == 15)
        #expect(settings.commandSenders.map(\.normalized) == ["alice@example.org", "bob@example.org"])
        #expect(settings.isCommandSender("ALICE@example.org") && !settings.isCommandSender("mallory@example.org"))
        #expect(settings.requireAuthenticatedSender == false)
        #expect(settings.commandIntakeEnabled && settings.commandIntakeOffReason == nil)
    }

    @Test("defaults: 993 with implicit TLS (143 with STARTTLS), 60 s polls, nobody allowed, authentication when the header is there")
    func defaults() {
        let (settings, problems) = MailConfigTests.read("[MyMail]\nimap_server = imap.example.org\n")
        #expect(problems.isEmpty)
        #expect(settings.effectiveIMAPPort == 993 && !settings.imapStartTLS && settings.imapPollSeconds == 60)
        #expect(settings.commandSenders.isEmpty && settings.requireAuthenticatedSender == nil)
        var startTLS = settings
        startTLS.imapStartTLS = true
        #expect(startTLS.effectiveIMAPPort == 143)
        #expect(MailConfigTests.read("[MyMail]\nimap_server = imap.example.org\ndisableimap = True\n").0.commandIntakeOffReason?.contains("disableimap") == true)
        #expect(!MailConfigTests.read("[MyMail]\nimap_server = imap.example.org\ndisableemail = True\n").0.commandIntakeEnabled)
        #expect(MailConfigTests.read("[MyMail]\n").0.commandIntakeOffReason == "imap_server is empty in mymail.conf")
    }

    @Test("bad values are reported with file, line and key, and left out")
    func badValues() {
        let (settings, problems) = MailConfigTests.read("""
            [MyMail]
            imap_server = imap example
            imap_port = 99999
            imap_starttls = maybe
            imap_poll_seconds = 0
            email_command_senders = alice@example.org, not an address
            email_require_authenticated_sender = sometimes
            """)
        let text = problems.map(\.description)
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:2: imap_server:") })
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:3: imap_port:") })
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:4: imap_starttls:") })
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:5: imap_poll_seconds:") })
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:6: email_command_senders: 'not an address'") })
        #expect(text.contains { $0.hasPrefix("/etc/genmon/mymail.conf:7: email_require_authenticated_sender:") })
        #expect(settings.imapServer == nil && settings.imapPort == nil && !settings.imapStartTLS && settings.imapPollSeconds == 60)
        #expect(settings.commandSenders.map(\.normalized) == ["alice@example.org"])
        #expect(settings.requireAuthenticatedSender == nil)
    }

    @Test("genmon.conf: readonlyemailcommands and the two mail folders, with the original's defaults")
    func genmonKeys() throws {
        var problems: [ConfigError] = []
        let defaults = NotifySettings(file: try IniFile(path: "/etc/genmon/genmon.conf", text: "[GenMon]\n"), problems: &problems)
        #expect(!defaults.readOnlyEmailCommands && defaults.incomingMailFolder == "Generator" && defaults.processedMailFolder == "Generator/Processed")
        let set = NotifySettings(file: try IniFile(path: "/etc/genmon/genmon.conf", text: """
            [GenMon]
            readonlyemailcommands = True
            incoming_mail_folder = Genmon
            processed_mail_folder = Genmon/Done
            """), problems: &problems)
        #expect(problems.isEmpty)
        #expect(set.readOnlyEmailCommands && set.incomingMailFolder == "Genmon" && set.processedMailFolder == "Genmon/Done")
    }
}

import Foundation
import GenmonBasics
import GenmonConfig
import LegacyProtocol
import Logging
import MailCommands
import MailProtocol
import MailTransport
import Monitor
import OneTimeCode
import Store

/// The e-mail command intake of `genmon run`, from mymail.conf (server, account, who may command)
/// and genmon.conf (folders, `readonlyemailcommands`, `ssl_ca_file`, `tls_verify`); nil when it is
/// off. A bad setting is logged and the intake stays off; genmon monitors on.
enum EmailCommandsHost {
    static func service(configPath: String?, dataDirectory: String, dispatcher: LegacyDispatcher, database: GenmonDatabase,
                        notify: NotifyParts, timeZone: TimeZone, clock: any GenmonClock) -> NamedService? {
        let logger = Logger(label: "genmon.email-commands")
        guard let configPath else { return nil }
        let loaded = NotifyConfiguration.load(configPath: configPath)
        let mail = loaded.mail, settings = loaded.notify
        guard mail.commandIntakeEnabled, let host = mail.imapServer else {
            if mail.imapServer != nil, let reason = mail.commandIntakeOffReason { logger.notice("e-mail commands are off: \(reason)") }
            return nil
        }
        let incoming: IMAPMailbox, processed: IMAPMailbox
        do {
            incoming = try IMAPMailbox(settings.incomingMailFolder)
            processed = try IMAPMailbox(settings.processedMailFolder)
        } catch {
            logger.error("e-mail commands are off: the mail folder names in genmon.conf cannot be used: \(error)")
            return nil
        }
        if mail.commandSenders.isEmpty {
            logger.warning("e-mail commands: email_command_senders is empty in mymail.conf, so every command e-mail is ignored")
        }
        let secretPath = CommandSecret.path(in: dataDirectory)
        var totp: TOTP?
        do {
            if let secret = try CommandSecret.load(from: secretPath) { totp = try TOTP(secret: secret) } else {
                logger.notice("e-mail commands: no one-time code is enrolled, so commands that change the generator are refused (genmon email-commands enroll)")
            }
        } catch {
            logger.error("e-mail commands: \(error); commands that change the generator are refused")
        }
        let tls = MailTLSConfiguration(mode: mail.imapStartTLS ? .startTLS : .implicit, verifyCertificates: settings.verifyTLS,
                                       additionalCAFile: settings.caFile)
        if !settings.verifyTLS { logger.warning("tls_verify = False: the IMAP server's certificate is NOT checked") }
        var credentials: IMAPClientConfiguration.Credentials?
        if !mail.smtpAuthDisable, let account = mail.account, !mail.password.isEmpty {
            credentials = .init(username: account, password: mail.password)
        }
        let client = IMAPClientConfiguration(host: host, port: mail.effectiveIMAPPort, tls: tls, credentials: credentials)
        // IDLE is renewed (with a fresh search) every 2 minutes: a push the server or a middlebox lost
        // delays a command by that much at most, and NAT mappings stay alive.
        let intake = IMAPIntakeConfiguration(client: client, incoming: incoming, processed: processed,
                                             pollInterval: .seconds(double: mail.imapPollSeconds), idleRenewal: .seconds(120))
        let own = [mail.sender?.normalized, mail.account?.lowercased()].compactMap { $0 }
        let policy = EmailCommandPolicy(
            allowedSenders: mail.commandSenders.map(\.normalized), authentication: SenderAuthenticationRule(configured: mail.requireAuthenticatedSender),
            readOnly: settings.readOnlyEmailCommands, codes: OneTimeCodeChecker(totp: totp), ownAddresses: own)
        let replies = notify.emailSender.map { CommandReplyOutbox(sender: $0, database: database, signal: notify.signal, timeZone: timeZone) }
        if replies == nil { logger.warning("e-mail commands: sending e-mail is off, so commands are obeyed but not answered") }
        logger.info("e-mail commands from \(mail.commandSenders.count) sender(s) via \(host):\(mail.effectiveIMAPPort), folder \(incoming.name)")
        let service = EmailCommandService(intake: intake, policy: policy, dispatcher: dispatcher, database: database, replies: replies,
                                          clock: clock, logger: logger)
        return NamedService(name: "e-mail commands", service: service)
    }
}

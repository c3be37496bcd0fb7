import Foundation
import MailProtocol

/// genmon's own mymail.conf keys for e-mail commands (IMAP intake): the port and TLS mode, the poll
/// interval without IDLE, who may command, and whether the sender's domain must be authenticated.
extension MailSettings {
    /// True when genmon should read e-mail commands: a server, and nothing switching it off.
    public var commandIntakeEnabled: Bool {
        imapServer != nil && !disableIMAP && !disableEmail && !isShippedExample
    }

    /// Why the intake is off, in plain words; nil when it is on.
    public var commandIntakeOffReason: String? {
        if path == nil { return "there is no mymail.conf" }
        if disableEmail { return "disableemail = True in mymail.conf" }
        if disableIMAP { return "disableimap = True in mymail.conf" }
        if isShippedExample { return "mymail.conf still holds the shipped example account (mysender@gmail.com)" }
        if imapServer == nil { return "imap_server is empty in mymail.conf" }
        return nil
    }

    /// The IMAP port in effect: `imap_port`, else 143 with STARTTLS and 993 with implicit TLS.
    public var effectiveIMAPPort: Int { imapPort ?? (imapStartTLS ? 143 : 993) }

    /// Whether `address` is in `email_command_senders` (compared as the address's normalised form).
    public func isCommandSender(_ address: String) -> Bool {
        let wanted = address.lowercased()
        return commandSenders.contains { $0.normalized == wanted }
    }

    mutating func readCommandIntake(_ section: IniSection, problems: inout [ConfigError]) {
        if let server = imapServer, server.contains(where: { $0.isWhitespace || $0 == "/" }) {
            problems.append(section.error("imap_server", "'\(server)' is not a host name or address"))
            imapServer = nil
        }
        do { imapPort = try section.int("imap_port", in: 1...65535) } catch { problems.append(error) }
        imapStartTLS = section.lenientBool("imap_starttls", default: false, problems: &problems)
        do { imapPollSeconds = try section.double("imap_poll_seconds", in: 1...86_400) ?? 60 } catch { problems.append(error) }
        do { requireAuthenticatedSender = try section.bool("email_require_authenticated_sender") } catch { problems.append(error) }
        var seen = Set<String>()
        for part in (section.string("email_command_senders") ?? "").split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            do {
                let address = try EmailAddress(text)
                if seen.insert(address.normalized).inserted { commandSenders.append(address) }
            } catch {
                problems.append(section.error("email_command_senders", "'\(text)' is not an e-mail address: \(error)"))
            }
        }
    }
}

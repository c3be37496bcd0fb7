import Foundation
import MailProtocol

/// The answer to a command e-mail: to its sender only, threaded to the request (In-Reply-To and
/// References), `Re: <subject>`, the commands' output or a plain reason.
public enum CommandReply {
    /// Subjects longer than this are shortened in the reply's `Re:` line.
    public static let maximumSubjectLength = 200

    /// The reply's subject: `Re: <original subject>` (not doubled), shortened, `Re: generator` when there was none.
    public static func subject(for mail: CommandMail) -> String {
        let original = (mail.subject ?? "").trimmingCharacters(in: .whitespaces)
        let shortened = original.count > maximumSubjectLength ? String(original.prefix(maximumSubjectLength)) + "…" : original
        if shortened.isEmpty { return "Re: generator" }
        return shortened.lowercased().hasPrefix("re:") ? shortened : "Re: " + shortened
    }

    /// The reply's text: the reason a command was not done (when one was not), then the output of
    /// what ran (the original's e-mail layout: a blank line, each output followed by a line end).
    public static func body(refusal: String?, output: String?) -> String {
        var text = ""
        if let refusal { text += "\nNot done: \(refusal).\n" }
        if let output, !output.isEmpty { text += output }
        return text.isEmpty ? "\n" + "No valid command recognized.\n" : text
    }

    /// The message to queue: from genmon's sender to `recipient`, threaded to `mail`.
    public static func message(to recipient: EmailAddress, from sender: Mailbox, answering mail: CommandMail, body: String) -> MailMessage {
        var references = mail.references
        if let id = mail.messageID, references.last != id { references.append(id) }
        return MailMessage(from: sender, recipients: [recipient], subject: subject(for: mail), textBody: body,
                           inReplyTo: mail.messageID, references: Array(references.suffix(CommandMail.maximumReferences)))
    }
}

/// What the original's notification commands need from the notification engine: `notify_message`
/// (queue a message), `notifications` and `setnotifications` (the e-mail recipients and the
/// categories each receives, as the original's web page edits them). The engine implements it;
/// without one the commands answer as the original does with e-mail switched off.
public protocol LegacyNotifications: Sendable {
    /// Queues a message with subject `<site>: <title>`. Unknown categories are dropped, as the
    /// original drops them; the once-filters apply.
    func notifyMessage(title: String, body: String, category: String, onlyOnce: Bool, onceDaily: Bool) async
    /// The e-mail recipients in order, each with its category list when it has its own line.
    func emailRecipients() async -> [(address: String, categories: String?)]
    /// Replaces the recipients and their category lines (and mymail.conf when genmon has one).
    /// Returns nil when done, else what is wrong.
    func setEmailRecipients(_ recipients: [(address: String, categories: String)]) async -> String?
}

extension LegacyDispatcher {
    /// `notifications`: `{"<address>": [<row>], "<address>": [<row>, "outage,info"]}`, rows counted from 1.
    func notificationsReply() async -> String {
        guard let notifications = configuration.notifications else { return "{}" }
        let recipients = await notifications.emailRecipients()
        let pairs: [(String, ReportValue)] = recipients.enumerated().map { index, recipient in
            var row: [ReportValue] = [.int(index + 1)]
            if let categories = recipient.categories { row.append(.string(categories)) }
            return (recipient.address, .list(row))
        }
        return JSON.encode(.object(pairs))
    }

    /// `setnotifications=<address>=<categories>&<address>=<categories>...` (the original web page's
    /// form; parts may be percent-encoded). Empty categories mean every category.
    func setNotificationsReply(commandString: String) async -> String {
        guard let argument = Self.jsonArgument("setnotifications", in: commandString) else {
            return "Invalid command syntax for command setnotifications"
        }
        guard let notifications = configuration.notifications else { return "Send Email is not enabled." }
        var recipients: [(address: String, categories: String)] = []
        for part in argument.split(separator: "&") where !part.isEmpty {
            let fields = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { field in
                (String(field).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(field))
                    .trimmingCharacters(in: .whitespaces)
            }
            guard let address = fields.first, !address.isEmpty else { continue }
            recipients.append((address, fields.count > 1 ? fields[1] : ""))
            if recipients.count > 100 { return "Invalid command syntax for command setnotifications: more than 100 recipients" }
        }
        if let problem = await notifications.setEmailRecipients(recipients) { return problem }
        return "OK"
    }

    /// `notify_message={"title": …, "body": …, "type": …, "onlyonce": …, "oncedaily": …}`.
    func notifyMessageReply(commandString: String) async -> String {
        guard let argument = Self.soleArgument("notify_message", in: commandString) ?? Self.jsonArgument("notify_message", in: commandString),
              case let .object(pairs)? = try? JSONParser.parse(argument) else { return "Error in SendMessage" }
        guard let notifications = configuration.notifications else { return "OK" }
        func text(_ key: String) -> String? {
            pairs.last { $0.0 == key }.flatMap { value -> String? in
                if case let .string(text) = value.1 { return text }
                return nil
            }
        }
        func flag(_ key: String) -> Bool {
            guard let value = pairs.last(where: { $0.0 == key })?.1 else { return false }
            switch value {
            case let .bool(flag): return flag
            case let .string(text): return ["true", "1", "yes"].contains(text.lowercased())
            case let .int(number): return number != 0
            default: return false
            }
        }
        await notifications.notifyMessage(title: String((text("title") ?? "").prefix(200)), body: String((text("body") ?? "").prefix(16_384)),
                                          category: text("type") ?? "info", onlyOnce: flag("onlyonce"), onceDaily: flag("oncedaily"))
        return "OK"
    }
}

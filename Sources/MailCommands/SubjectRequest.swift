/// A command e-mail's subject, taken apart: the request for the command parser (the socket's, one
/// place for both) and the one-time code, which is not part of the original's syntax and so is taken
/// out before the parser sees the request (`generator: setremote=start code=123456`).
public struct SubjectRequest: Sendable, Equatable {
    /// `generator: <commands>` without the code.
    public var request: String
    /// The text after `code=`, when the subject has one.
    public var code: String?

    /// Longer subjects are refused: no command of the original needs more, and each token costs work.
    public static let maximumLength = 2000

    public init(request: String, code: String?) {
        self.request = request
        self.code = code
    }

    /// Why a subject is not a request.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case noPrefix
        case tooLong(Int)
        case severalCodes

        public var description: String {
            switch self {
            case .missing: "the message has no subject; write the command there, e.g. \"generator: status\""
            case .noPrefix: "the subject must start with \"generator:\" followed by commands, e.g. \"generator: status\""
            case let .tooLong(length): "the subject is \(length) characters long; commands fit in \(maximumLength)"
            case .severalCodes: "the subject holds more than one code=; write one"
            }
        }
    }

    /// Takes a (cleaned) subject apart. Blanks before `generator:` are allowed; the prefix is matched
    /// without case, as on the socket.
    public static func parse(_ subject: String?) -> Result<SubjectRequest, Problem> {
        guard let subject, !subject.allSatisfy({ $0 == " " }) else { return .failure(.missing) }
        let length = subject.count
        guard length <= maximumLength else { return .failure(.tooLong(length)) }
        let trimmed = subject.drop { $0 == " " }
        guard trimmed.lowercased().hasPrefix("generator:") else { return .failure(.noPrefix) }
        var kept: [Substring] = []
        var codes: [String] = []
        for token in trimmed.dropFirst("generator:".count).split(separator: " ") {
            let name = token.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            if name.lowercased() == "code" {
                codes.append(String(token.dropFirst(name.count + 1)))
            } else {
                kept.append(token)
            }
        }
        guard codes.count <= 1 else { return .failure(.severalCodes) }
        return .success(SubjectRequest(request: "generator: " + kept.joined(separator: " "), code: codes.first))
    }
}

/// Argument rules of the command-line tools that must behave like the original's scripts.
public enum ToolArguments {
    public struct NagiosOptions: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public static let nagiosUsage = "usage: genmon check -H <host> [-p <port>]"

    /// `-H <host>` (required), `-p`/`--port <port>`. `-h`/`--help` or a missing host: usage, exit 1;
    /// anything unknown: usage, exit 2 (the original plugin's codes).
    public static func nagios(_ arguments: [String]) -> Result<NagiosOptions, NagiosUsageError> {
        var host: String?
        var port = 9082
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            func value() -> String? {
                index += 1
                return index < arguments.count ? arguments[index] : nil
            }
            switch argument {
            case "-h", "--help": return .failure(NagiosUsageError(exitCode: 1))
            case "-H", "--host":
                guard let text = value(), !text.isEmpty else { return .failure(NagiosUsageError(exitCode: 2)) }
                host = text
            case "-p", "--port":
                guard let text = value(), let number = Int(text), (1...65535).contains(number) else {
                    return .failure(NagiosUsageError(exitCode: 2))
                }
                port = number
            default:
                if argument.hasPrefix("-H"), argument.count > 2 {
                    host = String(argument.dropFirst(2))
                } else {
                    return .failure(NagiosUsageError(exitCode: 2))
                }
            }
            index += 1
        }
        guard let host else { return .failure(NagiosUsageError(exitCode: 1)) }
        return .success(NagiosOptions(host: host, port: port))
    }

    public struct NagiosUsageError: Error, Equatable {
        public var exitCode: Int32
    }

    /// `genmon client [host] [command…]`: the first word is the host unless it reads as a command
    /// (`status`, `setremote=start`, `generator: …`).
    public static func client(_ positionals: [String]) -> (host: String?, command: String?) {
        guard let first = positionals.first else { return (nil, nil) }
        if looksLikeCommand(first) { return (nil, positionals.joined(separator: " ")) }
        let rest = positionals.dropFirst()
        return (first, rest.isEmpty ? nil : rest.joined(separator: " "))
    }

    static func looksLikeCommand(_ word: String) -> Bool {
        let lowered = word.lowercased()
        if lowered.hasPrefix("generator:") { return true }
        let name = lowered.split(separator: "=", maxSplits: 1).first.map(String.init) ?? lowered
        return LegacyCommand(rawValue: name) != nil || lowered == "exit"
    }
}

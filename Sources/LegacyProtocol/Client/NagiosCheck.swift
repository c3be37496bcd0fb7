/// The Nagios plugin (docs/compatibility.md#genmon-check): connect, read the greeting, print it, and exit 0 (OK),
/// 1 (WARNING) or 2 (CRITICAL).
public enum NagiosCheck {
    public struct Result: Sendable, Equatable {
        public var output: String
        public var exitCode: Int32
    }

    public static let notRunning = Result(output: "CRITICAL: Monitor Program not running", exitCode: 2)
    public static let noData = Result(output: "CRITICAL: No Data", exitCode: 2)

    /// Connects to `host:port`, waits up to `timeout` for the greeting (at most 1024 bytes are used).
    public static func run(host: String, port: Int = 9082, timeout: Duration = .seconds(8)) async -> Result {
        let client: LegacyClient
        do {
            client = try await LegacyClient.connect(host: host, port: port, connectTimeout: timeout, greetingTimeout: timeout)
        } catch .connectionFailed {
            return notRunning
        } catch {
            return noData
        }
        let greeting = client.greeting
        await client.close()
        return classify(greeting)
    }

    /// The status line and its exit code. The original tests for the substring "OK" first, so an
    /// alarm whose name contains "OK" read as healthy; we classify by the greeting's leading word and
    /// only fall back to substrings for text that has none.
    public static func classify(_ greeting: String) -> Result {
        let bytes = Array(greeting.utf8.prefix(1024))
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 < 0x80 }) else { return noData }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("CRITICAL") { return Result(output: text, exitCode: 2) }
        if text.hasPrefix("WARNING") { return Result(output: text, exitCode: 1) }
        if text.hasPrefix("OK") { return Result(output: text, exitCode: 0) }
        if text.contains("OK") { return Result(output: text, exitCode: 0) }
        if text.contains("CRITICAL") { return Result(output: text, exitCode: 2) }
        return Result(output: text, exitCode: 1)
    }
}

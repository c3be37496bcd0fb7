import GenmonBasics
import Logging
import Synchronization
import Testing

@Suite("Log lines")
struct LogHandlerTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
        func append(_ line: String) { value.withLock { $0.append(line) } }
        var all: [String] { value.withLock { $0 } }
    }

    func logger(_ style: GenmonLogHandler.Style, level: Logger.Level = .info) -> (Logger, Lines) {
        let lines = Lines()
        let handler = GenmonLogHandler(label: "genmon.monitor", level: level, style: style) { lines.append($0) }
        return (Logger(label: "genmon.monitor") { _ in handler }, lines)
    }

    @Test("under systemd a line starts with its syslog priority and carries no timestamp of ours")
    func journalLines() {
        var (log, lines) = logger(.journal)
        log[metadataKey: "site"] = "Cabin"
        log.warning("controller silent", metadata: ["link": "/dev/serial0"])
        log.error("disk full")
        log.notice("answers again")
        log.info("detected")
        #expect(lines.all == [
            "<4>genmon.monitor: controller silent link=/dev/serial0 site=Cabin\n",
            "<3>genmon.monitor: disk full site=Cabin\n",
            "<5>genmon.monitor: answers again site=Cabin\n",
            "<6>genmon.monitor: detected site=Cabin\n",
        ])
    }

    @Test("at a terminal a line starts with the local time and the level")
    func terminalLines() throws {
        let (log, lines) = logger(.terminal)
        log.warning("controller silent")
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(" warning genmon.monitor: controller silent\n"))
        // "2026-12-05 06:10:00 " — nineteen characters of date and time.
        #expect(line.prefix(19).filter(\.isNumber).count == 14)
    }

    @Test("a message with line breaks stays one line")
    func oneLinePerRecord() {
        let (log, lines) = logger(.journal)
        log.error("first\nsecond\r\nthird", metadata: ["reason": "a\nb"])
        #expect(lines.all == ["<3>genmon.monitor: first\\nsecond\\r\\nthird reason=a\\nb\n"])
    }

    @Test("records below the level are not written")
    func levels() {
        let (log, lines) = logger(.journal, level: .warning)
        log.info("routine")
        log.debug("detail")
        log.warning("worth saying")
        #expect(lines.all == ["<4>genmon.monitor: worth saying\n"])
    }

    @Test("JOURNAL_STREAM chooses journal lines")
    func styleFromEnvironment() {
        #expect(GenmonLogHandler.detectedStyle(environment: ["JOURNAL_STREAM": "8:12345"]) == .journal)
        #expect(GenmonLogHandler.detectedStyle(environment: [:]) == .terminal)
        #expect(GenmonLogHandler.detectedStyle(environment: ["JOURNAL_STREAM": ""]) == .terminal)
    }

    @Test("log_level values parse as the configuration writes them")
    func levelNames() {
        #expect(Logger.Level(configurationValue: "Warning") == .warning)
        #expect(Logger.Level(configurationValue: " warn ") == .warning)
        #expect(Logger.Level(configurationValue: "DEBUG") == .debug)
        #expect(Logger.Level(configurationValue: "loud") == nil)
        #expect(Logger.Level(configurationValue: "") == nil)
    }
}

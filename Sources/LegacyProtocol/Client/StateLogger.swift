import Foundation

/// The CSV state log of the original's genlog add-on (docs/compatibility.md#genmon-log): every few seconds ask the
/// monitor for `getbase`; when the answer changes, append `<spreadsheet time>,<state>` to a file
/// that starts with the header `Time,Event`.
public struct StateLogFile: Sendable {
    public static let header = "Time,Event"
    public let path: String
    public let timeZone: TimeZone

    public init(path: String, timeZone: TimeZone = .current) {
        self.path = path
        self.timeZone = timeZone
    }

    /// One row: local time as a spreadsheet serial number (Python's shortest float form), the state.
    public func row(time: Date, state: String) -> String {
        PythonFormat.repr(PythonFormat.excelSerial(time, zone: timeZone)) + "," + state
    }

    /// Appends a row, writing the header first when the file is missing or empty.
    public func append(time: Date, state: String) throws {
        let manager = FileManager.default
        let size = (try? manager.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        var text = ""
        if size == 0 { text += Self.header + "\n" }
        text += row(time: time, state: state) + "\n"
        try handle.write(contentsOf: Data(text.utf8))
    }
}

/// Polls the monitor and writes state changes; reconnects when the monitor restarts.
public struct StateLogger: Sendable {
    public var host: String
    public var port: Int
    public var file: StateLogFile
    public var interval: Duration
    public var clock: @Sendable () -> Date
    /// Told about connection trouble and recoveries (a person reads these).
    public var report: @Sendable (String) -> Void

    public init(host: String = "127.0.0.1", port: Int = 9082, file: StateLogFile, interval: Duration = .seconds(3),
                clock: @escaping @Sendable () -> Date = { Date() }, report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.host = host
        self.port = port
        self.file = file
        self.interval = interval
        self.clock = clock
        self.report = report
    }

    /// Runs until the task is cancelled (or `maximumPolls` answers have been taken, for tests).
    public func run(maximumPolls: Int? = nil) async {
        var last = ""
        var polls = 0
        var client: LegacyClient?
        var failing = false
        while !Task.isCancelled {
            if let maximumPolls, polls >= maximumPolls { break }
            if client == nil {
                do {
                    client = try await LegacyClient.connect(host: host, port: port)
                    if failing { report("connected to the generator monitor at \(host):\(port) again") }
                    failing = false
                } catch {
                    if !failing { report("\(error); retrying every \(interval)") }
                    failing = true
                }
            }
            if let connected = client {
                do {
                    let state = try await connected.command("getbase", timeout: .seconds(30)).trimmingCharacters(in: .whitespacesAndNewlines)
                    polls += 1
                    if !state.isEmpty, state != LegacyText.initializing, state != last {
                        do {
                            try file.append(time: clock(), state: state)
                            last = state
                        } catch {
                            report("cannot write \(file.path): \(error)")
                        }
                    }
                } catch {
                    report("lost the connection to the generator monitor (\(error)); reconnecting")
                    failing = true
                    await connected.close()
                    client = nil
                    continue
                }
            }
            try? await Task.sleep(for: interval)
        }
        await client?.close()
    }
}

import ArgumentParser
import Foundation
import LegacyProtocol

/// `genmon log -f FILE`: the original's genlog add-on. Appends a CSV row whenever the generator's
/// one-word state changes; survives monitor restarts.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Append generator state changes (READY, RUNNING, ALARM...) to a CSV file.",
        discussion: "Rows are '<spreadsheet date>,<state>' under the header 'Time,Event'; open the file in a spreadsheet and format the first column as a date."
    )

    @Option(name: .customShort("f"), help: "CSV file to append to (created with a header when missing).")
    var file: String

    @Option(name: .customShort("a"), help: "Monitor host.")
    var address = "127.0.0.1"

    @Option(name: [.short, .long], help: "Command socket port.")
    var port = 9082

    @Option(name: .long, help: "Seconds between polls.")
    var interval: Double = 3

    func validate() throws {
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("interval must be between 0.1 and 3600 seconds") }
    }

    func run() async throws {
        let logger = StateLogger(host: address, port: port, file: StateLogFile(path: file), interval: .milliseconds(Int(interval * 1000)),
                                 report: { FileHandle.standardError.write(Data(("genmon log: " + $0 + "\n").utf8)) })
        await logger.run()
    }
}

import ArgumentParser
import Foundation
import LegacyProtocol

/// `genmon check -H <host>`: the Nagios plugin. Prints the monitor's status line and exits
/// 0 (OK), 1 (WARNING) or 2 (CRITICAL), as monitoring systems expect.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Nagios/Icinga check: print the monitor's status line, exit 0 OK, 1 WARNING, 2 CRITICAL.",
        discussion: "Usage: genmon check -H <host> [-p <port>] (port 9082 by default).",
        helpNames: []
    )

    @Argument(parsing: .captureForPassthrough)
    var arguments: [String] = []

    func run() async throws {
        switch ToolArguments.nagios(arguments) {
        case let .failure(usage):
            print(ToolArguments.nagiosUsage)
            throw ExitCode(usage.exitCode)
        case let .success(options):
            let result = await NagiosCheck.run(host: options.host, port: options.port)
            print(result.output)
            if result.exitCode != 0 { throw ExitCode(result.exitCode) }
        }
    }
}

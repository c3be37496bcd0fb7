import ArgumentParser
import Foundation
import GenmonBasics

/// The one genmon executable; every tool is a subcommand.
@main
struct Genmon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genmon",
        abstract: "Local, private monitoring and control of Generac Evolution and Nexus standby generators.",
        version: GenmonVersion.current,
        subcommands: [RunCommand.self, DemoCommand.self, SimulateCommand.self, SimctlCommand.self, ModbusCommand.self,
                      ClientCommand.self, CheckCommand.self, LogCommand.self, SerialTestCommand.self, StoreTortureCommand.self,
                      UserCommand.self, TokenCommand.self, GPIOCommand.self, NotifyCommand.self, EmailCommandsCommand.self,
                      InstallCommand.self, UninstallCommand.self, DoctorCommand.self, SupportBundleCommand.self]
    )

    /// Log lines go to standard error, one per record, filed by level under systemd; each command
    /// sets the level (`--log-level`, `log_level`) before it makes its loggers.
    static func main() async {
        GenmonLogHandler.bootstrap(environment: ProcessInfo.processInfo.environment)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

enum GenmonVersion {
    static let current = "0.1.0"
}

import ArgumentParser

/// The one genmon executable; every tool is a subcommand.
@main
struct Genmon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genmon",
        abstract: "Local, private monitoring and control of Generac Evolution and Nexus standby generators.",
        version: GenmonVersion.current,
        subcommands: [RunCommand.self, DemoCommand.self, SimulateCommand.self, SimctlCommand.self, ModbusCommand.self,
                      ClientCommand.self, CheckCommand.self, LogCommand.self, SerialTestCommand.self, StoreTortureCommand.self,
                      UserCommand.self, TokenCommand.self]
    )
}

enum GenmonVersion {
    static let current = "0.1.0"
}

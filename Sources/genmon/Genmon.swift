import ArgumentParser

/// The one genmon executable; every tool is a subcommand.
@main
struct Genmon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genmon",
        abstract: "Local, private monitoring and control of Generac Evolution and Nexus standby generators.",
        version: GenmonVersion.current,
        subcommands: [SimulateCommand.self, SimctlCommand.self, ModbusCommand.self, StoreTortureCommand.self]
    )
}

enum GenmonVersion {
    static let current = "0.1.0"
}

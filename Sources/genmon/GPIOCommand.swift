import ArgumentParser
import Foundation
import Generac
import GenmonConfig
import GPIO
import LegacyProtocol

/// `genmon gpio`: check the wiring before trusting it.
struct GPIOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpio",
        abstract: "GPIO: list chips and lines, show what genmon would drive, run a test pattern, read the inputs.",
        subcommands: [List.self, Show.self, Test.self, Read.self],
        defaultSubcommand: List.self)

    /// The configuration folder (`--config` names genmon.conf; its folder holds gengpio.conf and gengpioin.conf).
    struct Files: ParsableArguments {
        @Option(name: .shortAndLong, help: "genmon.conf (default /etc/genmon/genmon.conf); gengpio.conf and gengpioin.conf are read beside it.")
        var config: String?

        var directory: String {
            ((config ?? "/etc/genmon/genmon.conf") as NSString).deletingLastPathComponent
        }

        /// Both files, switched on for this command whatever genloader.conf says (the user asked).
        func configurations() throws -> (outputs: OutputConfiguration, inputs: InputConfiguration) {
            let wanted: (outputs: OutputConfiguration?, inputs: InputConfiguration?)
            do { wanted = try GPIOSetup.configurations(directory: directory, switches: .absent) } catch { throw failure("\(error)") }
            // With no file the original's defaults apply, as when the add-on is first switched on.
            return (wanted.outputs ?? .defaults, wanted.inputs ?? .defaults)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List GPIO chips and their lines, with the program holding each.")
        @Flag(help: "Only lines that are named or in use.") var used = false

        func run() async throws {
            let model = BoardModel.detect()
            let inventory = GPIOInventory.collect(provider: CharacterDeviceProvider(), model: model)
            print(inventory.render(usedOnly: used), terminator: "")
            if inventory.chips.isEmpty { throw ExitCode.failure }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the pin maps, and the output levels for the generator's state now (from a running genmon).")
        @OptionGroup var files: Files
        @Option(help: "Command socket of the running genmon.") var host = "127.0.0.1"
        @Option(help: "Its port.") var port = 9082

        func run() async throws {
            let (outputs, inputs) = try files.configurations()
            let rules = OutputRules(configuration: outputs)
            var facts = GeneratorFacts()
            if let client = try? await LegacyClient.connect(host: host, port: port, connectTimeout: .seconds(3)) {
                let base = (try? await client.command("getbase", timeout: .seconds(10)))?.trimmingCharacters(in: .whitespacesAndNewlines)
                let health = (try? await client.command("gethealth", timeout: .seconds(10)))?.trimmingCharacters(in: .whitespacesAndNewlines)
                await client.close()
                facts.baseState = base.flatMap(BaseStatus.init(rawValue:))
                facts.monitorHealthy = health == "OK"
                facts.communicationLost = health?.contains("Not receiving data") ?? false
                print("genmon at \(host):\(port) says \(base ?? "?"), health \(health ?? "?"); the outputs would be:")
            } else {
                print("no genmon answers at \(host):\(port); the outputs before the first complete status:")
            }
            print(GPIOReport.outputs(rules.drive(for: facts)), terminator: "")
            print("\ninputs (gengpioin.conf):")
            print(GPIOReport.inputs(inputs, levels: [:]), terminator: "")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Step through the outputs: all off, each on alone, all on, all off (stop genmon first: it holds the lines).")
        @OptionGroup var files: Files
        @Option(help: "Seconds per step.") var seconds: Double = 1

        func run() async throws {
            let (outputs, _) = try files.configurations()
            let model = BoardModel.detect()
            let provider = CharacterDeviceProvider()
            let driver: GPIOOutputs
            do {
                let chip = try HeaderChip.find(model: model, provider: provider).open(with: provider)
                driver = try GPIOOutputs(chip: chip, model: model, rules: OutputRules(configuration: outputs), consumer: "genmon gpio test")
            } catch {
                throw failure("\(error)")
            }
            defer { driver.shutdown() }
            for step in OutputTestPattern.steps(pins: outputs.pins.map(\.pin)) {
                do { try driver.set(step) } catch { throw failure("\(error)") }
                let on = step.filter(\.value).keys.sorted().map { RaspberryPiHeader.describe(pin: $0) }
                print(on.isEmpty ? "all off" : "on: " + on.joined(separator: ", "))
                try await Task.sleep(for: .seconds(max(seconds, 0.05)))
            }
        }
    }

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read the input pins once, or print each press with --watch.")
        @OptionGroup var files: Files
        @Flag(help: "Keep reading and print each debounced press until Ctrl-C.") var watch = false

        func run() async throws {
            let (_, inputs) = try files.configurations()
            let model = BoardModel.detect()
            let provider = CharacterDeviceProvider()
            let reader: GPIOInputs
            do {
                let chip = try HeaderChip.find(model: model, provider: provider).open(with: provider)
                reader = try GPIOInputs(chip: chip, model: model, configuration: inputs, consumer: "genmon gpio read")
            } catch {
                throw failure("\(error)")
            }
            defer { reader.close() }
            let levels: [Int: Bool]
            do { levels = try reader.levels() } catch { throw failure("\(error)") }
            print(GPIOReport.inputs(inputs, levels: levels), terminator: "")
            guard watch else { return }
            print("watching; each press is what genmon would send (nothing is sent):")
            for await press in reader.presses {
                print("\(RaspberryPiHeader.describe(pin: press.binding.pin)) \(press.binding.role.key): \(press.binding.commandText)")
            }
        }
    }
}

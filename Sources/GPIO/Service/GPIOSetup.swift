import Foundation
import GenmonConfig
import Logging

/// Opens what `gengpio.conf` and `gengpioin.conf` (beside genmon.conf) ask for, when genloader.conf
/// switches them on. Problems are reported, never thrown: monitoring goes on without the pins.
public struct GPIOSetup: Sendable {
    public var outputs: GPIOOutputs?
    public var inputs: GPIOInputs?
    /// What could not be done, in words a person can act on (logged at start, shown by `genmon gpio`).
    public var problems: [String] = []
    /// Non-fatal remarks (unknown keys).
    public var warnings: [String] = []

    public var isEmpty: Bool { outputs == nil && inputs == nil }

    /// The two files as genmon reads them (defaults when a file is missing but its add-on is on).
    public static func configurations(directory: String, switches: AddonSwitches) throws(ConfigError)
        -> (outputs: OutputConfiguration?, inputs: InputConfiguration?) {
        let outputPath = (directory as NSString).appendingPathComponent("gengpio.conf")
        let inputPath = (directory as NSString).appendingPathComponent("gengpioin.conf")
        let fileManager = FileManager.default
        var outputs: OutputConfiguration?
        var inputs: InputConfiguration?
        if switches.isEnabled("gengpio", configurationExists: fileManager.fileExists(atPath: outputPath)) {
            outputs = fileManager.fileExists(atPath: outputPath) ? try OutputConfiguration(contentsOf: outputPath) : .defaults
        }
        if switches.isEnabled("gengpioin", configurationExists: fileManager.fileExists(atPath: inputPath)) {
            inputs = fileManager.fileExists(atPath: inputPath) ? try InputConfiguration(contentsOf: inputPath) : .defaults
        }
        if let outputs, let inputs { try inputs.checkNoSharedPins(with: outputs, inputPath: inputPath) }
        return (outputs, inputs)
    }

    /// Reads the configuration and requests the lines on the Pi's header chip.
    public static func open(directory: String, switches: AddonSwitches, metric: Bool = false,
                            provider: any GPIOChipProvider = CharacterDeviceProvider(),
                            model: BoardModel = .detect()) -> GPIOSetup {
        var setup = GPIOSetup()
        let wanted: (outputs: OutputConfiguration?, inputs: InputConfiguration?)
        do {
            wanted = try configurations(directory: directory, switches: switches)
        } catch {
            setup.problems.append("GPIO is off: \(error)")
            return setup
        }
        guard wanted.outputs != nil || wanted.inputs != nil else { return setup }
        setup.warnings = ((wanted.outputs?.warnings ?? []) + (wanted.inputs?.warnings ?? [])).map(\.description)
        let chip: any GPIOChip
        do {
            chip = try HeaderChip.find(model: model, provider: provider).open(with: provider)
        } catch {
            setup.problems.append("GPIO is off: \(error)")
            return setup
        }
        if let configuration = wanted.outputs {
            do {
                setup.outputs = try GPIOOutputs(chip: chip, model: model, rules: OutputRules(configuration: configuration, metric: metric))
            } catch {
                setup.problems.append("output pins are off: \(error)")
            }
        }
        if let configuration = wanted.inputs {
            do {
                setup.inputs = try GPIOInputs(chip: chip, model: model, configuration: configuration)
            } catch {
                setup.problems.append("input pins are off: \(error)")
            }
        }
        if setup.isEmpty { chip.close() }
        return setup
    }
}

/// One chip and its lines, for `genmon gpio list`.
public struct ChipListing: Sendable, Equatable {
    public var info: GPIOChipInfo
    public var lines: [LineInfo]
    public var isHeaderChip: Bool

    public init(info: GPIOChipInfo, lines: [LineInfo], isHeaderChip: Bool) {
        self.info = info
        self.lines = lines
        self.isHeaderChip = isHeaderChip
    }
}

/// Every chip, every line with its consumer, and which chip carries the header: what a user looks at
/// to see who holds a pin before wiring anything.
public struct GPIOInventory: Sendable, Equatable {
    public var model: BoardModel
    public var header: HeaderChip?
    public var chips: [ChipListing]
    /// Why the header chip was not found, or chips that could not be opened or read.
    public var problems: [GPIOError]

    /// Reads every chip `provider` has. Never throws: what fails is listed in `problems`.
    public static func collect(provider: any GPIOChipProvider, model: BoardModel) -> GPIOInventory {
        var inventory = GPIOInventory(model: model, header: nil, chips: [], problems: [])
        do { inventory.header = try HeaderChip.find(model: model, provider: provider) } catch { inventory.problems.append(error) }
        let paths: [String]
        do { paths = try provider.chipPaths() } catch {
            if !inventory.problems.contains(error) { inventory.problems.append(error) }
            return inventory
        }
        for path in paths {
            do {
                let chip = try provider.openChip(path)
                defer { chip.close() }
                inventory.chips.append(ChipListing(info: chip.info, lines: try chip.allLineInfo(), isHeaderChip: chip.info.path == inventory.header?.info.path))
            } catch {
                if !inventory.problems.contains(error) { inventory.problems.append(error) }
            }
        }
        return inventory
    }

    /// The inventory as text: the board, then each chip with one row per line
    /// (offset, header pin, name, flags, consumer).
    public func render(usedOnly: Bool = false) -> String {
        var out = "Board: \(model.displayName)\n"
        if let header {
            out += "Header pins: \(header.info.path) [\(header.info.label)] (\(header.choice.rawValue))\n"
        }
        for chip in chips {
            out += "\n\(chip.info.path)  \(chip.info.name)  [\(chip.info.label)]  \(chip.info.lineCount) lines"
                + (chip.isHeaderChip ? "  <- header" : "") + "\n"
            out += "  line  pin  name              flags                             consumer\n"
            for line in chip.lines where !usedOnly || line.used {
                let pin = chip.isHeaderChip ? model.pin(forLine: line.offset).map(String.init) ?? "-" : "-"
                let consumer = line.used ? (line.consumer.isEmpty ? "(used, unnamed)" : "\"\(line.consumer)\"") : "unused"
                out += "  " + pad(String(line.offset), 4, right: true) + "  " + pad(pin, 3, right: true) + "  "
                    + pad(line.name.isEmpty ? "-" : line.name, 16) + "  " + pad(line.flagsDescription, 32) + "  " + consumer + "\n"
            }
        }
        for problem in problems { out += "\n" + problem.description + "\n" }
        return out
    }
}

/// Plain-text tables for `genmon gpio` (show what would be driven, read inputs).
public enum GPIOReport {
    /// One row per output: pin, role, on/off, electrical level, meaning.
    public static func outputs(_ drives: [OutputDrive]) -> String {
        drives.map { drive in
            pad(RaspberryPiHeader.describe(pin: drive.pin), 15) + "  " + pad(drive.role.key, 20) + "  " + pad(drive.active ? "on" : "off", 3)
                + "  " + pad(drive.level ? "high" : "low", 4) + (drive.activeLow ? " (active-low)" : "             ") + "  " + drive.role.meaning
        }.joined(separator: "\n") + "\n"
    }

    /// One row per input: pin, role, level, command, and whether the command door will accept it.
    public static func inputs(_ configuration: InputConfiguration, levels: [Int: Bool]) -> String {
        configuration.bindings.map { binding in
            let level = levels[binding.pin].map { $0 ? "high" : "low" } ?? "?"
            let door = binding.mayControl ? "allowed" : "refused until listed in control_inputs"
            return pad(RaspberryPiHeader.describe(pin: binding.pin), 15) + "  " + pad(binding.role.key, 20) + "  " + pad(level, 4)
                + "  " + pad(binding.commandText, 26) + "  " + door
        }.joined(separator: "\n") + "\n"
    }
}

/// A wiring check for outputs: all off, each pin on alone in turn, all on, all off again.
public enum OutputTestPattern {
    /// The steps for `pins` (BOARD numbers), each a full assignment of active states.
    public static func steps(pins: [Int]) -> [[Int: Bool]] {
        let off = Dictionary(uniqueKeysWithValues: pins.map { ($0, false) })
        guard !pins.isEmpty else { return [] }
        var steps = [off]
        for pin in pins {
            var step = off
            step[pin] = true
            steps.append(step)
        }
        steps.append(Dictionary(uniqueKeysWithValues: pins.map { ($0, true) }))
        steps.append(off)
        return steps
    }
}

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(width - text.count, 0))
    return right ? padding + text : text + padding
}

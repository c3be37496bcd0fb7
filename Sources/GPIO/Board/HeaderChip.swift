/// The chip carrying the header's GPIOs, and how it was found.
public struct HeaderChip: Sendable, Equatable {
    public enum Choice: String, Sendable, Equatable {
        /// The chip's label is the one this model's header chip has.
        case modelLabel = "label expected for this model"
        /// The label is a known Raspberry Pi header chip's, though not this model's.
        case knownLabel = "label of a Raspberry Pi header chip"
        /// No label matched; `gpiochip0` was taken as the original's library would.
        case fallback = "no label matched; gpiochip0 assumed"
    }

    public var model: BoardModel
    public var info: GPIOChipInfo
    public var choice: Choice

    public init(model: BoardModel, info: GPIOChipInfo, choice: Choice) {
        self.model = model
        self.info = info
        self.choice = choice
    }

    /// Known header chip labels, newest board first.
    public static let knownLabels = ["pinctrl-rp1", "pinctrl-bcm2711", "pinctrl-bcm2835"]

    /// Finds the header chip among `provider`'s chips: by the label `model` expects, then by any
    /// Raspberry Pi header label, then `gpiochip0`. Chips that cannot be opened are skipped, but if
    /// none can, the first failure is reported (a permission problem, say).
    public static func find(model: BoardModel, provider: any GPIOChipProvider) throws(GPIOError) -> HeaderChip {
        let paths = try provider.chipPaths()
        guard !paths.isEmpty else { throw .noChips(directory: provider.directory) }
        var chips: [GPIOChipInfo] = []
        var firstFailure: GPIOError?
        for path in paths {
            do {
                let chip = try provider.openChip(path)
                chips.append(chip.info)
                chip.close()
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        for label in model.headerChipLabels {
            if let info = chips.first(where: { $0.label == label }) { return HeaderChip(model: model, info: info, choice: .modelLabel) }
        }
        for label in knownLabels {
            if let info = chips.first(where: { $0.label == label }) { return HeaderChip(model: model, info: info, choice: .knownLabel) }
        }
        if let info = chips.first(where: { $0.name == "gpiochip0" || $0.path.hasSuffix("/gpiochip0") }) {
            return HeaderChip(model: model, info: info, choice: .fallback)
        }
        if let firstFailure { throw firstFailure }
        throw .noChips(directory: provider.directory)
    }

    /// Opens the header chip through `provider`.
    public func open(with provider: any GPIOChipProvider) throws(GPIOError) -> any GPIOChip {
        try provider.openChip(info.path)
    }
}

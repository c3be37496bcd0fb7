/// Outcome of upstream's register-cache validation (docs/registers.md#validation).
public enum RegisterValidation: Sendable, Equatable, Hashable {
    case accepted
    /// Not a polled register, not in a log range valid for this family: "Unexpected Register".
    case unknownRegister
    /// Known register, but the read returned a different number of words.
    case wrongLength(expectedWords: Int, receivedWords: Int)
}

/// The register map as data: what the monitor polls, in which order, and what it accepts.
public enum RegisterMap {
    /// Every polled single or multi-word register (prime, base, serial, PZ200 identity) by address.
    public static let specsByAddress: [RegisterAddress: RegisterSpec] = {
        var specs: [RegisterAddress: RegisterSpec] = [:]
        for spec in prime + base + [serialNumber, pz200Identity] { specs[spec.address] = spec }
        return specs
    }()

    public static func spec(for address: RegisterAddress) -> RegisterSpec? { specsByAddress[address] }

    /// Label for a register-label view; log slots are named by their log.
    public static func label(for address: RegisterAddress) -> String? {
        if let spec = spec(for: address) { return spec.label }
        for range in [LogRange.run, .evolutionAlarm, .evolutionService, .nexusAlarm] {
            if let index = range.entryIndex(startingAt: address) {
                let owner = range == .nexusAlarm ? "Nexus " : (range == .run ? "" : "Evolution ")
                return owner + range.kind.title + " entry \(index + 1)"
            }
        }
        return nil
    }

    /// One steady-state polling cycle in upstream's order: the 9 prime registers before base
    /// registers 0, 6, 12, … 120, so 121 + 21 × 9 = 310 reads.
    public static let pollingCycle: [RegisterSpec] = {
        var cycle: [RegisterSpec] = []
        for (index, spec) in base.enumerated() {
            if index % 6 == 0 { cycle += prime }
            cycle.append(spec)
        }
        return cycle
    }()

    /// Registers a variant decodes (the rest are polled for listing only).
    public static func registersUsed(by variant: ControllerVariant) -> [RegisterSpec] {
        (prime + base + [serialNumber, pz200Identity]).filter { $0.isUsed(by: variant) }
    }

    /// The log ranges whose registers upstream accepts: run always; Evolution alarm and service
    /// only on Evolution; the Nexus alarm log whenever the controller is not (yet) known as Evolution.
    public static func acceptedLogRanges(identity: ControllerIdentity?) -> [LogRange] {
        if identity?.isEvolution == true { return [.run, .evolutionAlarm, .evolutionService] }
        return [.run, .nexusAlarm]
    }

    /// Upstream's acceptance test for one completed read. `identity` is nil before detection.
    public static func validate(start: RegisterAddress, receivedWords: Int, identity: ControllerIdentity?) -> RegisterValidation {
        func check(_ expected: Int) -> RegisterValidation {
            receivedWords == expected ? .accepted : .wrongLength(expectedWords: expected, receivedWords: receivedWords)
        }
        // Polled registers, the serial number and the PZ200 identity block (on any controller).
        if let spec = spec(for: start) { return check(spec.words) }
        for range in acceptedLogRanges(identity: identity) where start >= range.start && start <= range.lastEntryAddress {
            return check(range.wordsPerEntry)
        }
        if identity?.isPZ200 == true {
            let warnings = PZ200Flags.warningStart..<(PZ200Flags.warningStart + RegisterAddress(PZ200Flags.warningLabels.count))
            let alarms = PZ200Flags.alarmStart..<(PZ200Flags.alarmStart + RegisterAddress(PZ200Flags.alarmLabels.count))
            if warnings.contains(start) || alarms.contains(start) { return check(1) }
        }
        return .unknownRegister
    }
}

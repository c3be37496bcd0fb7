/// Fuel as upstream names it (the raw value is the exact text it prints and stores).
public enum FuelType: String, Sendable, Equatable, Hashable, CaseIterable {
    case propane = "Propane"
    case naturalGas = "Natural Gas"
    case diesel = "Diesel"
    case gasoline = "Gasoline"
    case unknown = "Unknown"

    /// Liquid-cooled `020c`: 0 Propane, 1 Natural Gas, 2 Diesel; nil for anything else.
    public init?(liquidCooledCode code: UInt16) {
        switch code {
        case 0: self = .propane
        case 1: self = .naturalGas
        case 2: self = .diesel
        default: return nil
        }
    }
}

/// Serial number, run hours and other identity-like values (docs/registers.md#status-and-identity).
public enum IdentityDecoders {
    /// What upstream reports when the serial block starts with 0xFF and no replacement is configured.
    public static let replacedControllerText = "None - Controller has been replaced"

    /// `01f4`×5: ASCII up to the first NUL. 0xFF first → the controller was replaced. PreNexus has
    /// no serial register: the configured replacement or "Unknown".
    public static func serialNumber(_ image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings) -> String {
        let replacement = settings.serialNumberIfMissing.flatMap(validReplacementSerial)
        if identity.isPreNexus { return replacement ?? "Unknown" }
        if image.highByte(Register.serialNumber) == 0xFF { return replacement ?? replacedControllerText }
        return image.ascii(from: Register.serialNumber, words: 5)
    }

    /// `serialnumberifmissing` is only used when it is exactly ten digits.
    static func validReplacementSerial(_ text: String) -> String? {
        text.count == 10 && text.allSatisfy { $0.isASCII && $0.isNumber } ? text : nil
    }

    /// Total run hours: EvoLC and PZ200 count minutes in `005e`/`005f`, others hours in
    /// `000b`/`000c`; `additionalrunhours` is added.
    public static func runHours(_ image: RegisterImage, identity: ControllerIdentity, settings: GeneracSettings) -> Double {
        let base = identity.isEvolutionLC || identity.isPZ200
            ? Double(image.pair(at: Register.runMinutes)) / 60
            : Double(image.pair(at: Register.runHours))
        return base + settings.additionalRunHours
    }

    /// "Time Since Activation" text for `0054`: `N h`, or `Y years, D days, H hours` (365-day years).
    public static func hoursSinceActivationText(_ hours: Int, showHours: Bool) -> String {
        if showHours { return "\(hours) h" }
        let years = hours / (365 * 24), days = hours % (365 * 24) / 24, rest = hours % 24
        return "\(years) years, \(days) days, \(rest) hours"
    }

    /// EvoLC experimental ambient temperature from the raw thermistor value in `05ed`.
    public static func experimentalAmbientCelsius(raw: UInt16) -> Double {
        let s = Double(raw >> 1)
        return -0.2081 * s * s + 10.928 * s - 129.02
    }
}

/// An ambient temperature reading with its unit ("F" or "C").
public struct AmbientTemperature: Sendable, Equatable, Hashable {
    public let value: Double
    public let unit: String

    public init(value: Double, unit: String) {
        self.value = value
        self.unit = unit
    }

    /// Evo2 `05ed` is whole °F; converted to °C when the monitor is metric.
    public static func evolution2(raw: UInt16, metric: Bool) -> AmbientTemperature {
        let fahrenheit = Double(raw)
        return metric ? AmbientTemperature(value: (fahrenheit - 32) * 5 / 9, unit: "C")
                      : AmbientTemperature(value: fahrenheit, unit: "F")
    }
}

import Foundation
@testable import Generac

/// Builds small register images for one variant.
func image(_ variant: ControllerVariant, _ words: [RegisterAddress: UInt16] = [:]) -> RegisterImage {
    var image = RegisterImage(words: words)
    image[0x0000] = variant.canonicalProductCode
    return image
}

func decode(_ image: RegisterImage, settings: GeneracSettings = .defaults, timeZone: TimeZone = .gmt) -> GeneratorReadings {
    GeneracDecoder.decode(image: image, settings: settings, timeZone: timeZone)
}

/// Deterministic PRNG (SplitMix64) so the robustness tests replay exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

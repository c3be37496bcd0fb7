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


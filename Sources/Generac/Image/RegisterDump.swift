import Foundation

/// The fixtures' register dump (`genmon-register-dump/1`): what a support bundle carries so that a
/// controller's exact state can be served again by `genmon simulate --dump`.
public struct RegisterDump: Sendable, Equatable {
    public static let format = "genmon-register-dump/1"

    public var image: RegisterImage
    /// The values as read: start address → hex of every word read there (multi-word values whole).
    public var rawRegisters: [RegisterAddress: String]
    public var controller: String
    public var model: String
    public var source: String
    public var captured: String
    public var notes: String
    /// False when some registers were never read (a controller still being read at start-up).
    public var complete: Bool

    public init(image: RegisterImage, rawRegisters: [RegisterAddress: String] = [:], controller: String = "", model: String = "",
                source: String = "", captured: String = "", notes: String = "", complete: Bool = true) {
        self.image = image
        self.rawRegisters = rawRegisters
        self.controller = controller
        self.model = model
        self.source = source
        self.captured = captured
        self.notes = notes
        self.complete = complete
    }

    /// Reads the original's `allregs_json` answer (holding registers as `{"0001": "00000000"}`,
    /// log slots as `"0064:0000…"`), which genmon's command socket gives too.
    public init(allRegistersJSON data: Data) throws(RegisterImageError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch { throw .malformedJSON("not JSON") }
        guard let root = object as? [String: Any], let registers = root["Registers"] as? [String: Any],
              let holding = registers["Holding"] as? [Any] else {
            throw .malformedJSON("no Registers.Holding list")
        }
        var image = RegisterImage()
        var raw: [RegisterAddress: String] = [:]
        func store(_ key: String, _ hex: String) throws(RegisterImageError) {
            guard let start = Hex.parse(Substring(key), maxDigits: 4) else { throw .invalidAddress(key) }
            try image.store(hex: hex, at: RegisterAddress(start))
            raw[RegisterAddress(start)] = hex
        }
        for item in holding {
            guard let pair = item as? [String: Any] else { throw .malformedJSON("a Holding item is not an object") }
            for (key, value) in pair {
                guard let hex = value as? String else { throw .invalidWord(address: key, value: "\(value)") }
                try store(key, hex)
            }
        }
        if let logRegisters = registers["Log Registers"] as? [String: Any], let logs = logRegisters["Logs"] as? [String: Any] {
            for (_, entries) in logs {
                for entry in entries as? [Any] ?? [] {
                    guard let text = entry as? String, let colon = text.firstIndex(of: ":") else { throw .malformedJSON("a log slot is not ADDR:HEX") }
                    try store(String(text[..<colon]), String(text[text.index(after: colon)...]))
                }
            }
        }
        self.init(image: image, rawRegisters: raw)
    }

    /// The dump as the fixtures write it: sorted keys, 4 lowercase hex digits per address and word.
    public var json: String {
        func quoted(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        func object(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty ? "{}" : "{\n" + pairs.map { "  " + quoted($0.0) + ": " + quoted($0.1) }.joined(separator: ",\n") + "\n }"
        }
        let words = image.words.sorted { $0.key < $1.key }.map { (Hex.word($0.key), Hex.word($0.value)) }
        let raw = rawRegisters.sorted { $0.key < $1.key }.map { (Hex.word($0.key), $0.value) }
        return """
            {
             "format": \(quoted(Self.format)),
             "source": \(quoted(source)),
             "controller": \(quoted(controller)),
             "model": \(quoted(model)),
             "captured": \(quoted(captured)),
             "notes": \(quoted(notes)),
             "complete": \(complete),
             "registers": \(object(words)),
             "raw_registers": \(object(raw))
            }

            """
    }
}

import ModbusCore

/// Parses "9D 03 00 00" style hex into bytes (the worked frames of docs/wire.md are written that way).
func bytes(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}

import GenmonBasics
import MQTTProtocol
import Testing

/// Parses "10 0C 00 04" style hex into bytes.
func bytes(_ text: String) -> [UInt8] {
    text.split(separator: " ").map { UInt8($0, radix: 16)! }
}


/// The protocol error a throwing call threw, or nil when it did not throw.
func protocolError(_ body: () throws -> Void) -> MQTTProtocolError? {
    do {
        try body()
        return nil
    } catch let error as MQTTProtocolError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Named valid packets as bytes, for each version; every one decodes and re-encodes to itself.
enum Vectors {
    static let v3: [(String, [UInt8])] = [
        ("CONNECT minimal", bytes("10 12 00 04 4D 51 54 54 04 02 00 3C 00 06 67 65 6E 6D 6F 6E")),
        ("CONNECT will, user, password", bytes("10 19 00 04 4D 51 54 54 04 EE 00 0A 00 01 63 00 01 77 00 01 78 00 01 75 00 01 70")),
        ("CONNECT spec flags CE", bytes("10 18 00 04 4D 51 54 54 04 CE 00 0A 00 01 63 00 01 77 00 00 00 01 75 00 01 70")),
        ("CONNACK accepted", bytes("20 02 00 00")),
        ("CONNACK session present", bytes("20 02 01 00")),
        ("CONNACK bad credentials", bytes("20 02 00 04")),
        ("CONNACK not authorised", bytes("20 02 00 05")),
        ("PUBLISH QoS 0", bytes("30 07 00 03 61 2F 62 68 69")),
        ("PUBLISH QoS 0 empty payload retained", bytes("31 05 00 03 61 2F 62")),
        ("PUBLISH QoS 1 DUP retain", bytes("3B 09 00 03 61 2F 62 00 0A 68 69")),
        ("PUBLISH QoS 2", bytes("34 06 00 01 61 FF FF 7A")),
        ("PUBACK", bytes("40 02 00 0A")),
        ("PUBREC", bytes("50 02 00 0A")),
        ("PUBREL", bytes("62 02 00 0A")),
        ("PUBCOMP", bytes("70 02 00 0A")),
        ("SUBSCRIBE", bytes("82 0C 00 01 00 03 61 2F 2B 01 00 01 23 00")),
        ("SUBACK", bytes("90 04 00 01 01 80")),
        ("UNSUBSCRIBE", bytes("A2 05 00 03 00 01 61")),
        ("UNSUBACK", bytes("B0 02 00 03")),
        ("PINGREQ", bytes("C0 00")),
        ("PINGRESP", bytes("D0 00")),
        ("DISCONNECT", bytes("E0 00")),
    ]

    static let v5: [(String, [UInt8])] = [
        ("CONNECT with properties", bytes("10 16 00 04 4D 51 54 54 05 02 00 1E 08 11 00 00 00 78 21 00 14 00 01 63")),
        ("CONNECT will with delay", bytes("10 1A 00 04 4D 51 54 54 05 04 00 00 00 00 01 63 05 18 00 00 00 05 00 01 77 00 01 78")),
        ("CONNECT password without user", bytes("10 12 00 04 4D 51 54 54 05 40 00 3C 00 00 01 63 00 02 70 77")),
        ("CONNACK accepted", bytes("20 03 00 00 00")),
        ("CONNACK with properties", bytes("20 0D 01 00 0A 21 00 0A 24 00 12 00 02 61 62")),
        ("CONNACK refused", bytes("20 03 00 86 00")),
        ("PUBLISH QoS 0", bytes("30 08 00 03 61 2F 62 00 68 69")),
        ("PUBLISH QoS 1 all properties", bytes("32 24 00 01 74 00 01 1D 01 01 02 00 00 00 3C 03 00 01 74 08 00 01 72 09 00 01 01 26 00 01 6B 00 01 76 23 00 03 78")),
        ("PUBLISH alias only", bytes("30 06 00 00 03 23 00 03")),
        ("PUBLISH two subscription identifiers", bytes("30 0A 00 01 61 04 0B 01 0B 02 7A 7A")),
        ("PUBACK short", bytes("40 02 00 0A")),
        ("PUBACK reason only", bytes("40 03 00 0A 10")),
        ("PUBACK success with empty properties", bytes("40 04 00 0A 00 00")),
        ("PUBACK success reason only", bytes("40 03 00 0A 00")),
        ("PUBACK with reason string", bytes("40 08 00 0A 87 04 1F 00 01 78")),
        ("PUBREC", bytes("50 03 00 0A 97")),
        ("PUBREL not found", bytes("62 03 00 0A 92")),
        ("PUBCOMP", bytes("70 02 00 0A")),
        ("SUBSCRIBE with options and identifier", bytes("82 09 00 02 02 0B 05 00 01 61 2D")),
        ("SUBSCRIBE shared", bytes("82 12 00 02 00 00 0C 24 73 68 61 72 65 2F 67 2F 61 2F 23 01")),
        ("SUBACK", bytes("90 05 00 01 00 02 97")),
        ("UNSUBSCRIBE", bytes("A2 06 00 03 00 00 01 61")),
        ("UNSUBACK", bytes("B0 05 00 03 00 00 11")),
        ("PINGREQ", bytes("C0 00")),
        ("PINGRESP", bytes("D0 00")),
        ("DISCONNECT short", bytes("E0 00")),
        ("DISCONNECT with will", bytes("E0 01 04")),
        ("DISCONNECT normal reason only", bytes("E0 01 00")),
        ("DISCONNECT server shutting down", bytes("E0 06 8B 04 1F 00 01 78")),
        ("DISCONNECT session expiry", bytes("E0 07 00 05 11 00 00 00 00")),
        ("AUTH short", bytes("F0 00")),
        ("AUTH continue", bytes("F0 0E 18 0C 15 00 05 50 4C 41 49 4E 16 00 01 41")),
    ]
}

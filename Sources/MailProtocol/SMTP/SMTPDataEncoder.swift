/// Turns message bytes into the DATA payload (RFC 5321 section 4.5.2).
public enum SMTPDataEncoder {
    /// Line ends normalised to CRLF (bare CR and bare LF become CRLF), a '.' doubled at the start of
    /// every line, a final CRLF added when missing, and the `.` CRLF terminator appended.
    ///
    /// Lines are not re-wrapped: the MIME writer keeps them within 998 bytes, as SMTP requires.
    public static func payload(for message: some Collection<UInt8>) -> [UInt8] { encode(message).payload }

    /// The payload and the message size RFC 1870 declares: octets with CRLF line ends, without the
    /// doubled dots and the terminator.
    public static func encode(_ message: some Collection<UInt8>) -> (payload: [UInt8], messageSize: Int) {
        var stuffedDots = 0
        var output: [UInt8] = []
        output.reserveCapacity(message.count + message.count / 40 + 8)
        var atLineStart = true
        var previousWasCR = false
        for byte in message {
            if byte == ASCII.lf {
                if !previousWasCR { output.append(contentsOf: [ASCII.cr, ASCII.lf]) }
                atLineStart = true
                previousWasCR = false
                continue
            }
            previousWasCR = false
            if byte == ASCII.cr {
                output.append(contentsOf: [ASCII.cr, ASCII.lf])
                previousWasCR = true
                atLineStart = true
                continue
            }
            if atLineStart, byte == UInt8(ascii: ".") {
                output.append(UInt8(ascii: "."))
                stuffedDots += 1
            }
            output.append(byte)
            atLineStart = false
        }
        if !atLineStart { output.append(contentsOf: [ASCII.cr, ASCII.lf]) }
        let messageSize = output.count - stuffedDots
        output.append(contentsOf: [UInt8(ascii: "."), ASCII.cr, ASCII.lf])
        return (output, messageSize)
    }

    /// True when the message has a byte above 0x7F (then BODY=8BITMIME is declared when offered).
    public static func isEightBit(_ message: some Collection<UInt8>) -> Bool { message.contains { $0 >= 0x80 } }
}

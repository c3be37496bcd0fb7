import ArgumentParser
import Foundation
import Generac
import ModbusTransport

/// Raw register access, for checking wiring and settings before anything else.
struct ModbusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modbus",
        abstract: "Read or write controller registers directly (wiring and settings checks).",
        subcommands: [Read.self, Write.self]
    )

    struct Read: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Read holding registers and print them in hex.")
        @OptionGroup var link: LinkOptions
        @Argument(help: "First register, in hex (e.g. 0000).") var register: String
        @Argument(help: "Number of registers (1-125).") var count = 1

        func run() async throws {
            guard let address = UInt16(register, radix: 16) else { throw ValidationError("register must be hex") }
            guard (1...125).contains(count) else { throw ValidationError("count must be 1 to 125") }
            let client = try link.makeClient()
            defer { client.stream.close() }
            do {
                let words = try await client.readHoldingRegisters(address: address, count: UInt16(count))
                for (offset, word) in words.enumerated() {
                    print(Hex.word(address &+ UInt16(offset)) + ": " + Hex.word(word))
                }
            } catch {
                throw failure("\(error)")
            }
        }
    }

    struct Write: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write registers (FC 0x10). This can change how the generator behaves: know what you write."
        )
        @OptionGroup var link: LinkOptions
        @Argument(help: "First register, in hex.") var register: String
        @Argument(help: "Values in hex, one per register.") var values: [String]

        func run() async throws {
            guard let address = UInt16(register, radix: 16) else { throw ValidationError("register must be hex") }
            let words = try values.map { text -> UInt16 in
                guard let word = UInt16(text, radix: 16) else { throw ValidationError("'\(text)' is not a 16-bit hex value") }
                return word
            }
            guard (1...123).contains(words.count) else { throw ValidationError("give 1 to 123 values") }
            let client = try link.makeClient()
            defer { client.stream.close() }
            do {
                try await client.writeRegisters(address: address, values: words)
                print("wrote \(words.count) register(s) at \(Hex.word(address))")
            } catch {
                throw failure("\(error)")
            }
        }
    }
}

/// Prints `message` to standard error and returns the exit code to throw: errors must not exit 0.
func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    return ExitCode.failure
}

import ModbusCore
@testable import ModbusTransport
import Synchronization

/// A register bank answering reads and writes, as a minimal in-test controller.
final class RegisterSlave: ModbusSlave {
    let registers = Mutex([UInt16](repeating: 0, count: 0x1000))

    init(_ initial: [UInt16: UInt16] = [:]) {
        registers.withLock { bank in for (address, value) in initial { bank[Int(address)] = value } }
    }

    func respond(to request: ModbusRequest) async -> ModbusResponse? {
        registers.withLock { bank in
            switch request {
            case let .readHoldingRegisters(address, count), let .readInputRegisters(address, count):
                let end = Int(address) + Int(count)
                guard end <= bank.count else { return .exception(function: request.functionCode.rawValue, code: .illegalDataAddress) }
                return .registers(Array(bank[Int(address)..<end]))
            case let .writeSingleRegister(address, value):
                bank[Int(address) % bank.count] = value
                return .success(for: request)
            case let .writeMultipleRegisters(address, values):
                for (offset, value) in values.enumerated() { bank[(Int(address) + offset) % bank.count] = value }
                return .success(for: request)
            case .readFileRecord:
                return .exception(function: request.functionCode.rawValue, code: .illegalFunction)
            }
        }
    }
}

/// Misbehaviour to apply to the next replies, in order; after the list is used up replies are normal.
final class ScriptedShaper: ReplyShaper {
    enum Fault: Sendable {
        case late(Duration)
        case garbleCRC
        case silent
        case truncate(keep: Int)
        case prefixNoise([UInt8])
        case replaceWith([UInt8])
    }

    private let script: Mutex<[Fault]>
    init(_ faults: [Fault] = []) { script = Mutex(faults) }

    func push(_ faults: Fault...) { script.withLock { $0.append(contentsOf: faults) } }

    func shape(reply: [UInt8], to request: ModbusRequest) async -> ReplyPlan {
        let fault = script.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        switch fault {
        case nil: return .immediately(reply)
        case let .late(delay)?: return ReplyPlan([.init(delay: delay, bytes: reply)])
        case .garbleCRC?:
            var garbled = reply
            garbled[garbled.count - 1] ^= 0x5A
            return .immediately(garbled)
        case .silent?: return .silence
        case let .truncate(keep)?: return .immediately(Array(reply.prefix(keep)))
        case let .prefixNoise(noise)?: return .immediately(noise + reply)
        case let .replaceWith(bytes)?: return .immediately(bytes)
        }
    }
}

/// A pseudo-terminal with a served slave on its master end and a client on its slave path,
/// opened through the real serial-port code (termios, raw mode, exclusive lock).
struct PTYLink {
    let terminal: PseudoTerminal
    let server: ModbusServer
    let serverTask: Task<Void, Never>
    let client: ModbusClient
    let slave: RegisterSlave
    let shaper: ScriptedShaper

    static let fastConfiguration = ModbusClientConfiguration(responseAllowance: .milliseconds(400), quietGap: .milliseconds(40))

    init(slave: RegisterSlave = RegisterSlave(), shaper: ScriptedShaper = ScriptedShaper(),
         configuration: ModbusClientConfiguration = PTYLink.fastConfiguration) throws {
        terminal = try PseudoTerminal()
        let master = try terminal.masterStream()
        server = ModbusServer(stream: master, framing: .rtu(address: 0x9D), slave: slave, shaper: shaper)
        let server = self.server
        serverTask = Task { await server.run() }
        let port = try SerialPort.stream(path: terminal.path)
        client = ModbusClient(stream: port, configuration: configuration)
        self.slave = slave
        self.shaper = shaper
    }

    func close() async {
        client.stream.close()
        server.stream.close()
        serverTask.cancel()
        await serverTask.value
    }
}

extension ModbusStatistics {
    /// Every transaction ends in exactly one outcome.
    var outcomesAddUp: Bool {
        requestsSent == successes + exceptions + crcErrors + timeouts + truncatedFrames + validationErrors
    }
}

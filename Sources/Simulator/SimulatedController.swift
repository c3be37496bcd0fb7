import Foundation
import GenmonBasics
import Logging
import ModbusCore
import ModbusTransport

/// A simulated controller as a Modbus slave: every request first brings the simulation up to
/// the clock's "now", then reads or writes its registers.
public actor SimulatedController: ModbusSlave {
    private var simulation: Simulation
    public nonisolated let clock: any GenmonClock
    public nonisolated let faults: FaultInjector
    nonisolated let logger: Logger

    public init(simulation: Simulation, clock: any GenmonClock, faults: FaultInjector = FaultInjector(pacing: .off),
                logger: Logger = Logger(label: "genmon.simulator")) {
        self.simulation = simulation
        self.clock = clock
        self.faults = faults
        self.logger = logger
    }

    public func respond(to request: ModbusRequest) async -> ModbusResponse? {
        catchUp()
        switch request {
        case let .readHoldingRegisters(address, count), let .readInputRegisters(address, count):
            return .registers(simulation.modelRead(address: address, count: Int(count)))
        case let .writeSingleRegister(address, value):
            return simulation.modelWrite(address: address, values: [value]) == .accepted
                ? .success(for: request) : .exception(function: request.functionCode.rawValue, code: .illegalDataValue)
        case let .writeMultipleRegisters(address, values):
            return simulation.modelWrite(address: address, values: values) == .accepted
                ? .success(for: request) : .exception(function: request.functionCode.rawValue, code: .illegalDataValue)
        case .readFileRecord:
            // Evolution and Nexus controllers do not implement file records.
            return .exception(function: request.functionCode.rawValue, code: .illegalFunction)
        }
    }

    /// Runs one control-channel or scenario command line and returns the reply text.
    public func perform(line: String) -> String {
        catchUp()
        do {
            let command = try SimulatorCommand.parse(line)
            let (reply, effects) = simulation.perform(command)
            apply(effects)
            return reply
        } catch {
            return "error: \(error)"
        }
    }

    /// The simulation as it stands now (tests, status pages).
    public func snapshot() -> Simulation {
        catchUp()
        return simulation
    }

    private func catchUp() {
        apply(simulation.advance(to: clock.date))
    }

    private func apply(_ effects: [HostEffect]) {
        for effect in effects {
            switch effect {
            case let .speed(factor): (clock as? ScaledClock)?.setSpeed(factor)
            case let .faults(rates):
                faults.update(faults.settings.applying(rates))
            case let .silence(seconds): faults.silence(for: .milliseconds(Int64(seconds * 1000)))
            case let .pacing(on):
                var pacing = faults.pacing
                pacing.enabled = on
                faults.setPacing(pacing)
            case let .stepFailed(line, reason):
                logger.warning("scenario line \(line) not carried out: \(reason)")
            }
        }
    }
}

extension Simulation {
    mutating func modelRead(address: UInt16, count: Int) -> [UInt16] {
        withModel { $0.read(address: address, count: count) }
    }

    mutating func modelWrite(address: UInt16, values: [UInt16]) -> GeneratorModel.WriteResult {
        withModel { $0.write(address: address, values: values) }
    }
}

/// Serves a register dump exactly as captured: reads return it, absent registers read 0000,
/// writes are acknowledged and ignored (as the original's file-based simulation does).
public struct DumpSlave: ModbusSlave {
    public let registers: [UInt16: UInt16]

    public init(registers: [UInt16: UInt16]) { self.registers = registers }

    public func respond(to request: ModbusRequest) async -> ModbusResponse? {
        switch request {
        case let .readHoldingRegisters(address, count), let .readInputRegisters(address, count):
            .registers((0..<Int(count)).map { registers[address &+ UInt16($0)] ?? 0 })
        case .writeSingleRegister, .writeMultipleRegisters:
            .success(for: request)
        case .readFileRecord:
            .exception(function: request.functionCode.rawValue, code: .illegalFunction)
        }
    }
}

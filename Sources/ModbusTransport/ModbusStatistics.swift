import GenmonBasics
import ModbusCore

/// The Modbus client's counters (docs/wire.md#statistics): genmon's one statistics type.
public typealias ModbusStatistics = CommunicationStatistics

extension Dictionary where Key == UInt8, Value == Int {
    /// Exceptions counted under one code.
    public subscript(_ code: ExceptionCode) -> Int? { self[code.rawValue] }
}

// ModbusCore

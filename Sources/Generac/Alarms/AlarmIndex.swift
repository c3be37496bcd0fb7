/// The alarm / warning index a controller puts in `0002` while something is active (docs/registers.md#status-pair).
public enum AlarmIndex {
    /// Index → upstream's text.
    public static let names: [UInt16: String] = [
        0x01: "Low Battery",
        0x02: "High Temperature",
        0x03: "Controller Fault",
        0x05: "Low Fuel Pressure",
        0x08: "Low Coolant",
        0x0A: "Low Oil Pressure",
        0x0B: "Overcrank",
        0x0C: "Overspeed",
        0x0D: "RPM Sense Loss",
        0x0F: "Change Oil & Filter",
        0x10: "Inspect Air Filter",
        0x11: "Change Air Filter",
        0x12: "Check Spark Plugs",
        0x13: "Change Spark Plugs",
        0x14: "Check Battery",
        0x15: "Underspeed",
        0x16: "Change Coolant",
        0x18: "Wiring Error",
        0x19: "Check Engine",
        0x1A: "Missing Cam Pulse",
        0x1B: "Missing Crank Pulse",
        0x1C: "Throttle Failure",
        0x1D: "Over Voltage",
        0x1E: "Under Voltage",
        0x1F: "Service A Due",
        0x20: "Service B Due",
        0x22: "CANbus Error",
        0x23: "Ignition Fault",
        0x24: "Overload",
        0x27: "Firmware Error-25",
        0x28: "Fuse Problem",
        0x29: "Battery Problem",
        0x2A: "Charger Warning",
        0x2B: "Charger Missing AC",
        0x2D: "Overload Cooldown",
        0x30: "Ruptured Tank",
        0x31: "Low Fuel Level",
        0x32: "Low Fuel Pressure",
        0x34: "Emergency Stop",
        0x38: "Very Low Battery",
        0x46: "ECU Faulted",
        0x47: "Engine Throttle Valve 1 Position 1",
        0x48: "Engine Fuel Delivery Pressure",
        0x49: "Engine Oil Pressure",
        0x4A: "Engine Intake Manifold #1 Pressure",
        0x4B: "Engine Intake Manifold 1 Temperature",
        0x4C: "Engine Air Filter 1 Differential Pressure",
        0x4D: "Engine Coolant Temperature",
        0x4E: "Battery Potential / Power Input 1",
        0x4F: "Engine Oil Temperature 1",
        0x50: "Engine Fuel Shutoff 1 Control",
        0x72: "No Rotation Warning",
    ]

    /// The text for an index, nil when upstream does not know it.
    public static func name(_ index: UInt16) -> String? { names[index] }

    /// The index for a text (simulators raise alarms by name). First index wins for repeated texts.
    public static func index(named name: String) -> UInt16? {
        names.filter { $0.value == name }.keys.min()
    }
}

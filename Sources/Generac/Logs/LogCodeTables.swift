/// Code → text tables of the controller logs (docs/registers.md#log-texts). Trailing spaces are upstream's
/// and printed verbatim ("Service Schedule A " on EvoAC, "Loss of Serial Link ").
enum LogCodeTables {
    static let run: [UInt8: String] = [
        0x28: "Switched Off",
        0x29: "Running - Manual",
        0x2A: "Stopped - Auto",
        0x2B: "Running - Utility Loss",
        0x2C: "Running - 2 Wire Start",
        0x2D: "Running - Remote Start",
        0x2E: "Running - Exercise",
        0x2F: "Stopped - Alarm",
        0x7F: "Ran with Outage",
        0x80: "Ran with Remote Transfer",
        0x81: "Enter Service Mode",
        0x82: "Exit Service Mode",
    ]

    static let liquidCooledService: [UInt8: String] = [
        0x16: "Service Schedule B",
        0x17: "Service Schedule A",
        0x18: "Inspect Battery",
        0x3C: "Schedule B Serviced",
        0x3D: "Schedule A Serviced",
        0x3E: "Battery Maintained",
        0x3F: "Maintenance Reset",
    ]

    static let evolutionLCAlarm: [UInt8: String] = [
        0x00: "High Temperature", 0x01: "Low Oil Pressure", 0x02: "Overcrank", 0x03: "Overspeed",
        0x04: "RPM Sense Loss", 0x05: "Underspeed", 0x06: "Low Coolant Level", 0x08: "Wiring Error",
        0x09: "Over Voltage", 0x0A: "Under Voltage", 0x0B: "Overload", 0x0C: "Undervoltage Overload",
        0x0D: "Stepper Overcurrent", 0x0E: "Fuse Problem", 0x0F: "VSCF_COMM_GONE", 0x10: "VSCF_ENABLE_MISMATCH",
        0x11: "VSCF_PWM_SPEED_GONE", 0x12: "Very Low Battery", 0x13: "VSCF_SPECIAL_NO_TRANSLATION",
        0x14: "Low Battery", 0x15: "Exercise Set Error", 0x16: "Service Schedule B", 0x17: "Service Schedule A",
        0x18: "Inspect Battery", 0x19: "Service Schedule C", 0x1C: "Stopping", 0x1D: "Software Error 9",
        0x1E: "Fuel Pressure", 0x1F: "Battery Problem", 0x20: "Charger Warning", 0x21: "Charger missing AC",
        0x22: "Overload warning", 0x23: "Check Engine", 0x24: "DTC Warning", 0x25: "VSCF Warning",
        0x26: "USB Warning", 0x27: "Modbus Comms Failure Warning", 0x28: "Switched Off", 0x29: "Running-Manual",
        0x2A: "Stopped-Auto", 0x2B: "Running-Utility Lost", 0x2C: "Running-2 Wire Start",
        0x2D: "Running-Radio Start", 0x2E: "Running-Exercise", 0x2F: "Stopped-Alarm", 0x30: "WIRING ERROR",
        0x31: "Over Voltage", 0x32: "Under Voltage", 0x33: "Overload Remove Load", 0x34: "Low Volts Remove Load",
        0x35: "Stepper Over Current", 0x36: "Fuse Problem", 0x37: "Ready to Run",
        0x38: "Internal Exercise Cycle Skipped", 0x39: "Loss of Speed Signal", 0x3A: "Loss of Serial Link ",
        0x3B: "VSCF Alarm", 0x3C: "Service B performed", 0x3D: "Service A performed", 0x3E: "Battery Inspected",
        0x3F: "Reset Maintenance", 0x40: "Internal Fault", 0x41: "Ignition Fault", 0x42: "CANbus Error",
        0x43: "Missing Cam Pulse", 0x44: "Missing Crank Pulse", 0x45: "Governor Fault", 0x46: "Ruptured Tank",
        0x47: "Low Fuel", 0x48: "E-Stop", 0x49: "Hall Calibration Error", 0x4A: "SEEProm Abuse",
        0x4B: "Download Failure", 0x4C: "Service C Performed", 0xAA: "ECU Fault",
        0xAB: "Engine Throttle Valve 1 Position 1", 0xAC: "Engine Fuel Delivery Pressure",
        0xAD: "Engine Oil Pressure", 0xAE: "Engine Intake Manifold #1 Pressure",
        0xAF: "Engine Intake Manifold 1 Temperature", 0xB0: "Engine Air Filter 1 Differential Pressure",
        0xB1: "Engine Coolant Temperature", 0xB2: "Battery Potential / Power Input 1",
        0xB3: "Engine Oil Temperature 1", 0xB4: "Engine Fuel Shutoff 1 Control", 0xB5: "Engine Position Sensor",
        0xB6: "Engine Timing Sensor", 0xB7: "O2 Sensor", 0xB8: "Engine Knock 1", 0xB9: "Engine Ignition Coil #1",
        0xBA: "Engine Ignition Coil #2", 0xBB: "Engine Ignition Coil #3", 0xBC: "Engine Ignition Coil #4",
        0xBD: "Engine Fuel Valve 1 Position", 0xBE: "Engine Charge Air Cooler 1 Bypass", 0xBF: "Engine Speed",
    ]

    static let evolutionACAlarm: [UInt8: String] = [
        0x08: "WIRING ERROR", 0x13: "FIRMWARE ERROR-25", 0x14: "Low Battery", 0x15: "Exercise Set Error",
        0x16: "Service Schedule B", 0x17: "Service Schedule A ", 0x18: "Inspect Battery", 0x19: "SEEPROM ABUSE",
        0x1C: "Stopping", 0x1D: "FIRMWARE ERROR-9", 0x1E: "Fuel Pressure", 0x1F: "Battery Problem",
        0x20: "Charger Warning", 0x21: "Charger Missing AC", 0x22: "Overload Warning", 0x23: "Overload Cooldown",
        0x25: "VSCF Warning", 0x26: "USB Warning", 0x27: "Download Failure", 0x28: "High Engine Temp",
        0x29: "Low Oil Pressure", 0x2A: "Overcrank", 0x2B: "Overspeed", 0x2C: "RPM Sense Loss",
        0x2D: "Underspeed", 0x2E: "Controller Fault", 0x2F: "FIRMWARE ERROR-7", 0x30: "WIRING ERROR",
        0x31: "Over Voltage", 0x32: "Under Voltage", 0x33: "Overload Remove Load", 0x34: "Low Volts Remove Load",
        0x35: "Stepper Over Current", 0x36: "Fuse Problem", 0x39: "Loss of Speed Signal",
        0x3A: "Loss of Serial Link ", 0x3B: "VSCF Alarm", 0x3C: "Schedule B Serviced", 0x3D: "Schedule A Serviced",
        0x3E: "Battery Maintained", 0x3F: "Maintenance Reset", 0x78: "No Wi-Fi Module",
    ]

    static let nexusLCAlarm: [UInt8: String] = [
        0x00: "High Engine Temperature", 0x01: "Low Oil Pressure", 0x02: "Overcrank", 0x03: "Overspeed",
        0x04: "RPM Sense Loss", 0x05: "Underspeed", 0x08: "WIRING ERROR", 0x09: "Over Voltage",
        0x0A: "Under Voltage", 0x0B: "Low Cooling Fluid", 0x0C: "Canbus Error", 0x0D: "Missing Cam Pulse",
        0x0E: "Missing Crank Pulse", 0x0F: "Govenor Fault", 0x10: "Ignition Fault", 0x14: "Low Battery",
        0x16: "Change Oil & Filter", 0x17: "Inspect Air Filter", 0x18: "Change Air Filter",
        0x19: "Inspect Spark Plugs", 0x1B: "Inspect Battery", 0x1E: "Low Fuel Pressure",
        0x21: "Service Schedule A", 0x22: "Service Schedule B", 0x23: "Check Engine",
    ]

    static let nexusACAlarm: [UInt8: String] = [
        0x00: "High Temperature", 0x01: "Low Oil Pressure", 0x02: "Overcrank", 0x03: "Overspeed",
        0x04: "RPM Sense Loss", 0x05: "Underspeed", 0x06: "Internal Fault", 0x07: "Software Error 7",
        0x08: "Wiring Error", 0x09: "Over Voltage", 0x0A: "Under Voltage", 0x14: "Low Battery",
        0x15: "Exercise Set Error", 0x16: "Change Oil & Filter", 0x17: "Inspect Air Filter",
        0x18: "Change Air Filter", 0x19: "Inspect Spark Plugs", 0x1A: "Change Spark Plugs",
        0x1B: "Inspect Battery", 0x1C: "Stopping", 0x1D: "Software Error 9",
        0x27: "Modbus Comms Failure Warning", 0x28: "Switched Off", 0x29: "Running-manual",
        0x2A: "Stopped-auto", 0x2B: "Running-Utility Lost", 0x2C: "Running-2 wire start",
        0x2D: "Running-radio start", 0x2E: "Running-exercise",
    ]
}

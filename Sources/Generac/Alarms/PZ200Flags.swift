/// Power Zone 200 alarm and warning flag registers (docs/registers.md#power-zone-200-flags): one register per condition,
/// non-zero = active. Labels are upstream's (protocol constants).
public enum PZ200Flags {
    /// First warning flag register (`2198`…`21ac`, 21 registers).
    public static let warningStart: RegisterAddress = Register.pz200WarningFlags
    /// First alarm flag register (`21ca`…`21f1`, 40 registers).
    public static let alarmStart: RegisterAddress = Register.pz200AlarmFlags

    public static let warningLabels: [String] = [
        "BATTERY VOLT LOW", "BATTERY PROBLEM", "BATTERY CHARGER PROBLEM", "BATTERY CHARGER AC MISSING",
        "LID OPEN", "SPI FLASH ABUSE", "WIFI NO COMMS", "EEPROM ABUSE", "RUPTURED BASIN", "LOW FUEL LEVEL",
        "HIGH COOLANT TEMP", "LOW COOLANT TEMP", "LOW OIL PRESSURE WARNING", "CRC MISMATCH", "HIGH FUEL LEVEL",
        "EXTERNAL CHARGER FAILURE", "BATTERY SYSTEM CONFIG ERROR", "EXTERNAL WARNING 1", "EXTERNAL WARNING 2",
        "FLUID BASIN OVERFILL", "FLUID BASIN MISSING",
    ]

    public static let alarmLabels: [String] = [
        "INTERNAL FAULT", "EMERGENCY STOP", "CAN ERROR", "UNDERSPEED", "UNDERVOLTAGE", "OVERVOLTAGE",
        "OVERSPEED", "OVERCRANK", "NO CRANK", "OVERLOAD", "HIGH COOLANT TEMP", "HIGH OIL TEMP",
        "LOW OIL PRESSURE", "LOW COOLANT LEVEL", "LOW OIL LEVEL", "BOSCH ACTUATOR POSITION",
        "XFER SWITCH POSITION ERROR", "MISWIRE", "TRANSFER CIRCUIT FAILED", "3 WIRE SWITCH POSITION ERROR",
        "KEYPAD MISSING", "DUALITY RUNNING RPM SENSOR LOSS", "LOW FUEL LEVEL", "BATTERY VOLT VERY LOW",
        "INVALID VCODE CONFIG", "MISSING CONFIG VCODE", "MISSING CONFIG PARAM", "MISSING CONFIG EXERCISE",
        "MISSING CONFIG FUEL TYPE", "DUIO EXTERNAL ALARM 1", "DUIO EXTERNAL ALARM 2", "DUIO EXTERNAL ALARM 3",
        "GROUND FAULT", "OVERLOAD FIELD CURRENT", "OVERLOAD 300 PERCENT", "DUIO 1 LOSS OF COMM",
        "DUIO 2 LOSS OF COMM", "DUIO 3 LOSS OF COMM", "DUIO 4 LOSS OF COMM", "Auxiliary Shutdown",
    ]

    /// Texts of the active flags: alarms first ("Alarm - …"), then warnings ("Warning - …").
    public static func activeTexts(in image: RegisterImage) -> [String] {
        var texts: [String] = []
        for (offset, label) in alarmLabels.enumerated() where image[alarmStart &+ RegisterAddress(offset)] != 0 {
            texts.append("Alarm - " + label)
        }
        for (offset, label) in warningLabels.enumerated() where image[warningStart &+ RegisterAddress(offset)] != 0 {
            texts.append("Warning - " + label)
        }
        return texts
    }
}

import Foundation
import Generac
@testable import GenmonConfig
import Testing

@Suite("genmon.conf: data keys and what the monitor detected")
struct DataConfigTests {
    @Test("the original's power, fuel and sensor keys, and genmon's own, with their defaults")
    func dataKeys() throws {
        let defaults = try GenmonConfiguration(file: IniFile(text: "[GenMon]\n")).data
        #expect(defaults == DataKeys())
        #expect(defaults.powerLogEnabled && defaults.maximumPowerLogEntries == 8000 && defaults.externalDataTimeout == 3600)
        let file = try IniFile(text: """
            [GenMon]
            kwlog =
            kwlogmax = 20
            max_powerlog_entries = 500
            tanksize = 250
            subtractfuel = 12.5
            estimated_load = 1.7
            enable_fuel_log = True
            fuel_log_freq = 30
            disablesensorlog = yes
            external_data_timeout = 900
            health_warning_seconds = 8
            """)
        let keys = try GenmonConfiguration(file: file).data
        #expect(!keys.powerLogEnabled && keys.powerLogMaximumMegabytes == 20 && keys.maximumPowerLogEntries == 500)
        #expect(keys.tankSize == 250 && keys.subtractFuel == 12.5 && keys.estimatedLoad == 1)
        #expect(keys.fuelLogEnabled && keys.fuelLogMinutes == 30 && keys.fuelLogConfigured && keys.sensorLogDisabled)
        #expect(keys.externalDataTimeout == 900 && keys.healthWarningSeconds == 8)
        #expect(try GenmonConfiguration(file: IniFile(text: "[GenMon]\nkwlog = /etc/genmon/kwlog.txt\nfuel_log = \n")).data.powerLogEnabled)
        #expect(try !GenmonConfiguration(file: IniFile(text: "[GenMon]\nfuel_log =\n")).data.fuelLogConfigured)
    }

    @Test("bad data values name their key and line", arguments: [
        ("tanksize = -3", "tanksize"), ("max_powerlog_entries = many", "max_powerlog_entries"),
        ("external_data_timeout = 1", "external_data_timeout"), ("health_warning_seconds = 0.5", "health_warning_seconds"),
        ("enable_fuel_log = perhaps", "enable_fuel_log"),
    ])
    func badValues(line: String, key: String) throws {
        do {
            _ = try GenmonConfiguration(file: IniFile(path: "genmon.conf", text: "[GenMon]\n" + line + "\n"))
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.line == 2 && error.message.hasPrefix(key + ":"), "\(error)")
        }
    }

    /// A liquid-cooled Evolution with parameter group 15, voltage code 24 and fuel code 1: 27 kW natural gas.
    static func readings() -> GeneratorReadings {
        var image = RegisterImage()
        _ = image.store([0x000C], at: Register.productCode)
        _ = image.store([0x000F], at: Register.parameterGroup)
        _ = image.store([0x0018], at: Register.voltageCode)
        _ = image.store([0x0001], at: Register.fuelTypeCode)
        return GeneracDecoder.decode(image: image, settings: .defaults, timeZone: TimeZone(identifier: "UTC")!)
    }

    @Test("the detected fuel, rating, speed and frequency are the values written")
    func detectedValues() {
        let values = DetectedSettings.values(for: Self.readings())
        #expect(values.map(\.key) == ["fueltype", "nominalkw", "nominalrpm", "nominalfrequency"])
        #expect(values.map(\.value) == ["Natural Gas", "27", "1800", "60"])
    }

    @Test("values are written in place: existing lines keep their spelling and place, new ones follow the section's last setting")
    func writingInPlace() throws {
        let original = """
            # genmon.conf
            [GenMon]
            sitename = Cabin
            nominalKW = 22
            # fuel, as the installer chose it
            fueltype = Natural Gas

            [Other]
            key = value
            """
        let values = [(key: "fueltype", value: "Natural Gas"), (key: "nominalkw", value: "27"), (key: "nominalrpm", value: "1800")]
        let updated = try #require(DetectedSettings.updating(original, section: "GenMon", with: values))
        #expect(updated == """
            # genmon.conf
            [GenMon]
            sitename = Cabin
            nominalKW = 27
            # fuel, as the installer chose it
            fueltype = Natural Gas
            nominalrpm = 1800

            [Other]
            key = value
            """)
        // Unchanged values: nothing to write.
        #expect(DetectedSettings.updating(updated, section: "genmon", with: values) == nil)
        // The result reads back with the new values.
        let file = try IniFile(text: updated)
        #expect(file.value("nominalkw", in: "GenMon")?.value == "27" && file.value("key", in: "Other")?.value == "value")
        // No [GenMon] section yet: one is added.
        let added = try #require(DetectedSettings.updating("[Other]\nkey = 1\n", section: "GenMon", with: [(key: "nominalkw", value: "27")]))
        #expect(try IniFile(text: added).value("nominalkw", in: "GenMon")?.value == "27")
    }

    @Test("recording rewrites the file whole, keeps its permissions, and reports what it wrote")
    func recording() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("genmon.conf").path
        try "[GenMon]\nsitename = Cabin\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let written = try DetectedSettings.record(Self.readings(), inFileAt: path)
        #expect(written == ["fueltype", "nominalkw", "nominalrpm", "nominalfrequency"])
        let configuration = try GenmonConfiguration(file: IniFile(contentsOf: path))
        #expect(configuration.siteName == "Cabin" && configuration.settings.nominalKW == 27 && configuration.settings.fuelType == .naturalGas)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
        #expect(try DetectedSettings.record(Self.readings(), inFileAt: path) == [])
        #expect(throws: (any Error).self) { try DetectedSettings.record(Self.readings(), inFileAt: directory.appendingPathComponent("none").path) }
    }
}

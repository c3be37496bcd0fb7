import Foundation
import GenmonBasics
@testable import Monitor
import Testing

@Suite("Add-on data: validation, merging, staleness, limits")
struct ExternalDataTests {
    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("sensor values merge by name, keep their first place, and split into number and units")
    func sensors() throws {
        var data = ExternalData()
        try data.apply(.sensors([ExternalSensorValue(label: "Shed Temp", text: "65 F")]), at: Self.t0)
        try data.apply(.sensors([ExternalSensorValue(label: "Door", text: "Open"), ExternalSensorValue(label: "Shed Temp", text: "66.5 F")]),
                       at: Self.t0.addingTimeInterval(5))
        #expect(data.readings.map(\.label) == ["Shed Temp", "Door"])
        let shed = try #require(data.reading("Shed Temp"))
        #expect(shed.value == 66.5 && shed.units == "F" && shed.text == "66.5 F" && shed.receivedAt == Self.t0.addingTimeInterval(5))
        #expect(data.reading("Door")?.value == nil)
        #expect(ExternalData.split("-3.5") .0 == -3.5)
        #expect(ExternalData.split("57.0 %") .1 == "%")
        #expect(ExternalData.split("1.5 cubic feet") .1 == "cubic feet")
        #expect(ExternalData.split("nan F").0 == nil)
    }

    @Test("values not refreshed within the timeout are marked stale, and fresh again when they come")
    func staleness() throws {
        var data = ExternalData()
        try data.apply(.sensors([ExternalSensorValue(label: "A", text: "1 V")]), at: Self.t0)
        try data.apply(.tank(ExternalTankInput(name: "Main", percentages: [57])), at: Self.t0)
        try data.apply(.power(ExternalPowerInput(power: 3)), at: Self.t0.addingTimeInterval(50))
        var changed = data.refreshStaleness(at: Self.t0.addingTimeInterval(60), timeout: 60)
        #expect(!changed)
        changed = data.refreshStaleness(at: Self.t0.addingTimeInterval(61), timeout: 60)
        #expect(changed)
        #expect(data.reading("A")?.stale == true && data.tank?.stale == true && data.power?.stale == false)
        #expect(data.usablePower(engineRunning: true) == ExternalPowerInput(power: 3))
        changed = data.refreshStaleness(at: Self.t0.addingTimeInterval(111), timeout: 60)
        #expect(changed)
        #expect(data.usablePower(engineRunning: true) == nil)
        try data.apply(.sensors([ExternalSensorValue(label: "A", text: "2 V")]), at: Self.t0.addingTimeInterval(120))
        #expect(data.reading("A")?.stale == false)
        changed = data.refreshStaleness(at: Self.t0.addingTimeInterval(120), timeout: 60)
        #expect(!changed)
    }

    @Test("strict power data counts only while the engine runs")
    func strict() throws {
        var data = ExternalData()
        try data.apply(.power(ExternalPowerInput(current: 20, strict: true)), at: Self.t0)
        #expect(data.usablePower(engineRunning: false) == nil)
        #expect(data.usablePower(engineRunning: true)?.current == 20)
        #expect(data.hasPowerData)
    }

    @Test("a refused message changes nothing", arguments: [
        ExternalDataUpdate.sensors([]),
        .sensors([ExternalSensorValue(label: "ok", text: "1"), ExternalSensorValue(label: "", text: "2")]),
        .sensors([ExternalSensorValue(label: String(repeating: "x", count: 65), text: "1")]),
        .sensors([ExternalSensorValue(label: "bell", text: "ring\u{7}")]),
        .tank(ExternalTankInput(name: "Main", percentages: [101])),
        .tank(ExternalTankInput(name: "Main", percentages: [])),
        .tank(ExternalTankInput(name: "Main", percentages: [1, 2, 3, 4, 5])),
        .power(ExternalPowerInput(current: .infinity)),
        .power(ExternalPowerInput(legCurrents: [1, 2, 3, 4])),
        .power(ExternalPowerInput(powerFactor: 3)),
        .gauges([ExternalGauge(title: "T", kind: .temperature, units: "F", nominal: .nan, maximum: 100)]),
        .gauges(Array(repeating: ExternalGauge(title: "T", kind: .fuel, units: "%", nominal: 100, maximum: 100), count: 33)),
    ])
    func refused(update: ExternalDataUpdate) throws {
        var data = ExternalData()
        try data.apply(.sensors([ExternalSensorValue(label: "Shed Temp", text: "65 F")]), at: Self.t0)
        let before = data
        #expect(throws: ExternalDataError.self) { try data.apply(update, at: Self.t0.addingTimeInterval(1)) }
        #expect(data == before)
    }

    @Test("at most 32 sensors: the 33rd name is refused, known names still update")
    func sensorLimit() throws {
        var data = ExternalData()
        for index in 0..<32 { try data.apply(.sensors([ExternalSensorValue(label: "s\(index)", text: "\(index)")]), at: Self.t0) }
        #expect(throws: ExternalDataError.tooMany("sensors", limit: 32)) {
            try data.apply(.sensors([ExternalSensorValue(label: "s99", text: "1")]), at: Self.t0)
        }
        try data.apply(.sensors([ExternalSensorValue(label: "s3", text: "33")]), at: Self.t0)
        #expect(data.readings.count == 32 && data.reading("s3")?.value == 33)
    }

    @Test("gauges are replaced by title, others kept; genmqttin's ct and leg types map to current, power and voltage")
    func gauges() throws {
        var data = ExternalData()
        try data.apply(.gauges([ExternalGauge(title: "A", kind: .temperature, units: "F", nominal: 70, maximum: 120),
                                ExternalGauge(title: "B", kind: .fuel, units: "%", nominal: 100, maximum: 100)]), at: Self.t0)
        try data.apply(.gauges([ExternalGauge(title: "A", kind: .pressure, units: "psi", nominal: 10, maximum: 20)]), at: Self.t0)
        #expect(data.gauges.map(\.title) == ["A", "B"] && data.gauges[0].kind == .pressure)
        #expect(ExternalSensorKind(name: "CT1") == .current && ExternalSensorKind(name: "ctpower2") == .power)
        #expect(ExternalSensorKind(name: "voltageleg2") == .voltage && ExternalSensorKind(name: "banana") == nil)
    }

    @Test("a seeded random run of messages: nothing traps, limits hold, refused ones change nothing")
    func randomMessages() async throws {
        var random = SeededGenerator(seed: 12)
        var data = ExternalData()
        let texts = ["65 F", "", " ", "1e309 V", "-0 %", "Open", String(repeating: "y", count: 70), "12.5", "\u{0}", "nan", "0x1p3 W"]
        for step in 0..<100_000 {
            // Share the cooperative threads with the clocked tests running beside this one.
            if step % 1000 == 0 { await Task.yield() }
            let now = Self.t0.addingTimeInterval(Double(step))
            let update: ExternalDataUpdate
            switch random.next() % 4 {
            case 0:
                update = .sensors((0..<Int(random.next() % 4)).map { _ in
                    ExternalSensorValue(label: "s\(random.next() % 40)", text: texts[Int(random.next() % UInt64(texts.count))])
                })
            case 1:
                update = .tank(ExternalTankInput(name: nil, percentages: (0..<Int(random.next() % 6)).map { _ in Double(Int(random.next() % 240)) - 70 }))
            case 2:
                update = .power(ExternalPowerInput(current: Double(Int(random.next() % 400)) - 100, legCurrents: (0..<Int(random.next() % 5)).map { Double($0) },
                                                   powerFactor: Double(Int(random.next() % 5)) - 2))
            default:
                update = .gauges((0..<Int(random.next() % 3)).map { _ in
                    ExternalGauge(title: "g\(random.next() % 40)", kind: ExternalSensorKind.allCases[Int(random.next() % 8)], units: "u",
                                  nominal: Double(Int(random.next() % 200)), maximum: random.next() % 9 == 0 ? .infinity : 100)
                })
            }
            let before = data
            do {
                try data.apply(update, at: now)
            } catch {
                #expect(data == before, "step \(step)")
            }
            data.refreshStaleness(at: now, timeout: 500)
            #expect(data.readings.count <= ExternalData.maximumSensors && data.gauges.count <= ExternalData.maximumGauges)
        }
    }
}

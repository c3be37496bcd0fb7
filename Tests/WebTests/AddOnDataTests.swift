import Foundation
import Generac
import GenmonTesting
import HTTPTypes
import Hummingbird
import LegacyProtocol
import Logging
import Monitor
import NIOCore
import NIOEmbedded
import Store
import Testing
@testable import Web

/// The web app in front of a real monitor (on a manual clock), answered in-process.
struct MonitorWeb {
    let responder: any HTTPResponder<WebContext>
    let token: String

    init(monitor: GeneratorMonitor, database: GenmonDatabase, legacy: LegacyDispatcher, clock: @escaping @Sendable () -> Date) async throws {
        let utc = TimeZone(identifier: "UTC")!
        let accounts = try AccountStore.inMemory()
        token = try await accounts.createToken(name: "viewer", role: .viewer, createdBy: "test").secret
        let app = WebApp(service: monitor, database: database, accounts: accounts, legacy: legacy, views: ViewBuilder(timeZone: utc),
                         clock: clock)
        responder = app.makeRouter().router.buildResponder()
    }

    func get(_ path: String) async throws -> TestResponse {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer " + token
        let head = HTTPRequest(method: .get, scheme: "http", authority: WebHarness.host, path: path, headerFields: fields)
        let channel = NIOAsyncTestingChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: "192.0.2.10", port: 40000)
        var logger = Logger(label: "web-test")
        logger.logLevel = .critical
        let response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer())),
                                                   context: WebContext(source: ApplicationRequestContextSource(channel: channel, logger: logger)))
        let collector = BodyCollector()
        try await response.body.write(collector)
        return TestResponse(status: response.status, headers: response.headers, body: collector.bytes)
    }
}

extension WebTestSuite {
    /// genmqttin's messages, sent over the command socket as genmqttin sends them, to a monitor that
    /// keeps its logs in a database file; then genmon restarts on the same file.
    @Suite(.timeLimit(.minutes(2))) struct AddOnDataTests {
        static let utc = TimeZone(identifier: "UTC")!
        static let gauges = #"generator: set_external_gauge_data=[{"title": "Shed Temp", "type": "temperature", "units": "F", "#
            + #""nominal": 70, "max": 120, "exclude_gauge": false, "from": "genmqttin", "strict": false}, {"title": "Propane", "#
            + #""type": "fuel", "units": "%", "nominal": 100, "max": 100, "exclude_gauge": false, "from": "genmqttin", "strict": false}]"#

        struct Running {
            let rig: ClockedMonitorRig
            let database: GenmonDatabase
            let server: LegacyCommandServer
            let client: LegacyClient
            let web: MonitorWeb

            static func start(path: String, at start: Date) async throws -> Running {
                var configuration = MonitorConfiguration(siteName: "Test", timeZone: AddOnDataTests.utc, clockDriftThreshold: 1e9)
                configuration.data.externalDataTimeout = 300
                let database = try GenmonDatabase(path: path)
                let rig = ClockedMonitorRig(configuration: configuration, start: start, dataLogs: database)
                let legacy = LegacyDispatcher(service: rig.monitor, configuration: .init(
                    context: ReportContext(timeZone: AddOnDataTests.utc), clock: { rig.clock.date }, networkProbe: { "OK" }))
                let server = try await LegacyCommandServer.start(dispatcher: legacy, configuration: .init(port: 0))
                _ = try #require(await rig.run(until: .seconds(90)) { $0.isInitialized })
                let client = try await LegacyClient.connect(host: "127.0.0.1", port: server.port)
                let web = try await MonitorWeb(monitor: rig.monitor, database: database, legacy: legacy, clock: { rig.clock.date })
                return Running(rig: rig, database: database, server: server, client: client, web: web)
            }

            func ask(_ command: String) async throws -> String { try await client.request(LegacyClient.prefixed(command), timeout: .seconds(5)) }

            func stop() async throws {
                await client.close()
                await server.close()
                await rig.stop()
                try database.close()
            }
        }

        @Test func genmqttinsMessagesShowEverywhereSurviveARestartAsHistoryAndGoStale() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-addon-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("genmon.sqlite").path

            let first = try await Running.start(path: path, at: ClockedMonitorRig.start)
            // genmqttin asks for start_info_json, defines its gauges, then sends each value as it comes.
            #expect((try? JSONParser.parse(try await first.ask("start_info_json"))) != nil)
            #expect(try await first.ask(Self.gauges) == "OK")
            #expect(try await first.ask(#"set_sensor_data=[{"Shed Temp": "65 F"}]"#) == "OK")
            let firstValueAt = first.rig.clock.date
            #expect(try await first.ask(#"set_sensor_data=[{"Propane": "57.0 %"}]"#) == "OK")
            #expect(try await first.ask(#"set_tank_data={"Tank Name": "Propane", "Percentage": 57.0}"#) == "OK")

            let status = try await first.ask("status")
            #expect(status.contains("\n    External Sensors : \n        Shed Temp : 65 F\n        Propane : 57.0 %\n"))
            let json = try JSONParser.parse(try await first.ask("status_json"))
            #expect(json["Status"]?["External Sensors"]?["Shed Temp"] == .string("65 F"))
            let gui = try JSONParser.parse(try await first.ask("gui_status_json"))
            guard case let .list(tiles)? = gui["tiles"] else { Issue.record("no tiles"); return }
            #expect(tiles.contains { $0["title"] == .string("Shed Temp") && $0["value"] == .string("65") && $0["subtype"] == .string("temperature") })
            #expect(tiles.contains { $0["title"] == .string("Propane") && $0["value"] == .string("57") && $0["subtype"] == .string("fuel") })
            #expect(try await first.ask("sensor_names_json") == #"["Propane", "Shed Temp"]"#)
            let stamp = PythonFormat.logStamp(firstValueAt, zone: Self.utc)
            #expect(try await first.ask("sensor_log_json=60&sensor=Shed Temp") == #"[[""# + stamp + #"", "65.0"]]"#)
            let maint = try JSONParser.parse(try await first.ask("maint_json"))
            #expect(maint["Maintenance"]?["Fuel Level Sensor"] == .string("57 %"))

            // Our API and page, as openapi.json describes them.
            let spec = try SchemaValidator(EmbeddedAssets.openAPI)
            for path in ["/api/v1/status", "/api/v1/sensors/history"] {
                let response = try await first.web.get(path == "/api/v1/status" ? path : path + "?name=Shed%20Temp")
                let (documented, schema) = spec.responseSchema(path, "GET", status: Int(response.status.code))
                #expect(documented && schema != nil, "\(path)")
                let value = try JSONSerialization.jsonObject(with: Data(response.body))
                #expect(spec.validate(value, schema ?? [:]).isEmpty, "\(path): \(spec.validate(value, schema ?? [:]))")
            }
            let api = try await first.web.get("/api/v1/status").decode(StatusView.self)
            #expect(api.externalSensors.map(\.name) == ["Shed Temp", "Propane"])
            #expect(api.externalSensors.first?.value == Quantity(65.0, "F") && api.externalSensors.first?.stale == false)
            #expect(api.externalSensors.first?.kind == "temperature")
            #expect(api.externalTank?.levels == [Quantity(57.0, "%")!])
            #expect(api.power?.metered == true)
            let history = try await first.web.get("/api/v1/sensors/history?name=shed%20temp&range=1h").decode(SensorHistoryView.self)
            #expect(history.name == "Shed Temp" && history.unit == "F" && history.points.map(\.value) == [65])
            #expect(try await first.web.get("/api/v1/sensors/history?name=Nothing").status == .notFound)

            // A new value a minute later is logged too.
            await first.rig.run(for: .seconds(60))
            #expect(try await first.ask(#"set_sensor_data=[{"Shed Temp": "66 F"}]"#) == "OK")
            // Bad payloads: the original's Error, nothing changes.
            let before = await first.rig.monitor.snapshot().external
            for bad in [#"set_sensor_data={"Shed Temp": "70 F"}"#, #"set_tank_data={"Tank Name": "Propane", "Percentage": "full"}"#,
                        #"set_external_gauge_data=[{"title": "Shed Temp", "type": "weather"}]"#] {
                #expect(try await first.ask(bad) == "Error", "\(bad)")
            }
            #expect(await first.rig.monitor.snapshot().external == before)

            // No word from the add-on for longer than external_data_timeout (300 s): stale.
            await first.rig.run(for: .seconds(301))
            #expect(try await first.ask("status").contains("        Shed Temp : 66 F (stale)\n"))
            let stale = try await first.web.get("/api/v1/status").decode(StatusView.self)
            #expect(stale.externalSensors.allSatisfy(\.stale) && stale.externalTank?.stale == true)
            let stoppedAt = first.rig.clock.date
            try await first.stop()

            // genmon restarts on the same database: the values are history now.
            let second = try await Running.start(path: path, at: stoppedAt.addingTimeInterval(60))
            #expect(try await second.ask("sensor_names_json") == #"["Propane", "Shed Temp"]"#)
            guard case let .list(lines) = try JSONParser.parse(try await second.ask("sensor_log_json=1440&sensor=Shed Temp")) else {
                Issue.record("not a list")
                return
            }
            #expect(lines.map { $0.listItem(1) } == [.string("66.0"), .string("65.0")])
            #expect(!(try await second.ask("status")).contains("External Sensors"))
            let restored = try await second.web.get("/api/v1/sensors/history?name=Shed%20Temp&range=24h").decode(SensorHistoryView.self)
            #expect(restored.points.map(\.value) == [65, 66])
            try await second.stop()
        }
    }
}

extension ReportValue {
    func listItem(_ index: Int) -> ReportValue {
        if case let .list(items) = self, items.indices.contains(index) { return items[index] }
        return .null
    }
}

import Foundation
import Generac
import GenmonBasics
import GenmonConfig
import GenmonTesting
import HTTPTypes
import Hummingbird
import LegacyProtocol
import Logging
import ModbusCore
import Monitor
import NIOCore
import NIOEmbedded
import Simulator
import Store
import Web

/// `genmon-bench fuzz [--inputs N] [--seed S]`: a seeded run of random and mutated inputs through
/// what faces the outside: the Modbus frame decoders, the socket request framer and dispatcher's
/// parser, the config reader, and the web app's routes (in-process, through the real router and
/// middleware). Nothing may trap or hang; what the Modbus decoders accept must re-encode exactly.
/// Prints the count and throughput of each. Run it optimised (`swift build -c release`).
enum FuzzRun {
    struct Target {
        let name: String
        let share: Double
        let run: (inout SeededGenerator, Int) async throws -> Void
    }

    static func run(inputs: Int, seed: UInt64) async throws {
        print("\n== Fuzz: \(inputs) seeded inputs (seed \(seed)) through the decoders, the framer, the config reader and the routes")
        let web = try await WebFuzz()
        let targets = [
            Target(name: "Modbus frame decoders", share: 0.45, run: modbus),
            Target(name: "socket request framer", share: 0.30, run: framer),
            Target(name: "config reader", share: 0.17, run: config),
            Target(name: "HTTP routes", share: 0.08, run: { generator, index in try await web.request(&generator, index) }),
        ]
        var total = 0
        let started = ContinuousClock.now
        for (offset, target) in targets.enumerated() {
            let count = offset == targets.count - 1 ? inputs - total : Int(Double(inputs) * target.share)
            var generator = SeededGenerator(seed: seed &+ UInt64(offset))
            let begin = ContinuousClock.now
            for index in 0..<count { try await target.run(&generator, index) }
            let took = begin.duration(to: .now).seconds
            total += count
            print(String(format: "%-24@ %10d inputs in %7.1f s: %10.0f inputs/s", target.name as NSString, count, took, Double(count) / took))
        }
        let took = started.duration(to: .now).seconds
        print(String(format: "total                    %10d inputs in %7.1f s: %10.0f inputs/s; no crash, no hang", total, took, Double(total) / took))
    }

    // MARK: - Modbus

    static let requests: [ModbusRequest] = [
        .readHoldingRegisters(address: 0, count: 1), .readHoldingRegisters(address: 1, count: 2),
        .readHoldingRegisters(address: 0x01F4, count: 5), .readHoldingRegisters(address: 0x012C, count: 4),
        .writeMultipleRegisters(address: 3, values: [1]), .writeSingleRegister(address: 4, value: 0x012C),
        .readFileRecord(file: 1, record: 0, count: 4),
    ]

    static let validResponses: [[UInt8]] = requests.map { request in
        let words = (0..<8).map { UInt16($0 * 0x0101) }
        let response: ModbusResponse = switch request {
        case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count), let .readFileRecord(_, _, count):
            .success(for: request, registers: Array(words.prefix(Int(count))))
        default: .success(for: request)
        }
        return (try? RTUFrame.encode(slave: 0x9D, pdu: response.encode(for: request.functionCode))) ?? []
    }

    struct Mismatch: Error, CustomStringConvertible {
        let description: String
    }

    static func modbus(_ generator: inout SeededGenerator, _ index: Int) throws {
        let which = generator.int(in: 0...(requests.count - 1))
        let request = requests[which]
        var frame: [UInt8]
        switch index % 4 {
        case 0: frame = generator.bytes(generator.int(in: 0...300))
        case 1:
            frame = validResponses[which]
            for _ in 0..<generator.int(in: 1...3) { frame[generator.int(in: 0...(frame.count - 1))] = generator.byte() }
        case 2:
            frame = validResponses[which]
            frame = generator.bool() ? Array(frame.prefix(generator.int(in: 0...(frame.count - 1)))) : frame + generator.bytes(generator.int(in: 1...8))
        default:
            frame = CRC16.appending(to: [0x9D, request.functionCode.rawValue | (generator.bool() ? 0x80 : 0)] + generator.bytes(generator.int(in: 0...12)))
        }
        if let response = try? RTUFrame.decodeResponse(frame, slave: 0x9D, answering: request) {
            guard try RTUFrame.encode(slave: 0x9D, pdu: response.encode(for: request.functionCode)) == frame else {
                throw Mismatch(description: "accepted \(frame) does not re-encode")
            }
        }
        _ = FrameScanner.rtuResponse(frame, expecting: request.functionCode)
        _ = FrameScanner.rtuRequest(frame)
        _ = FrameScanner.mbap(frame)
        if let pdu = try? RTUFrame.decode(frame).pdu, let decoded = try? ModbusRequest.decode(pdu) {
            guard try RTUFrame.encode(decoded, slave: frame[0]) == frame else { throw Mismatch(description: "request \(frame) does not re-encode") }
        }
        if let (_, pdu) = try? MBAPFrame.decode(frame) { _ = try? ModbusRequest.decode(pdu) }
        var assembler = ResponseAssembler(request: request, framing: .rtu, slave: 0x9D)
        _ = assembler.append(frame)
    }

    // MARK: - Socket framer

    static let words = ["generator:", "generator: ", "status", "status_json", "setremote=", "start", "outage", "gethealth", "getbase",
                        "set_button_command=", "[", "]", "{", "}", "\"", "\\", "\n", "\r\n", " ", "=", ",", "add_maint_log=", "writeregvalue=0003,0001"]

    static func framer(_ generator: inout SeededGenerator, _ index: Int) throws {
        var framer = RequestFramer(maximumBytes: 4096)
        for _ in 0..<generator.int(in: 1...6) {
            let chunk: [UInt8] = generator.bool()
                ? generator.bytes(generator.int(in: 0...200))
                : Array((0..<generator.int(in: 1...8)).map { _ in words[generator.int(in: 0...(words.count - 1))] }.joined().utf8)
            framer.append(chunk)
            var guardCount = 0
            loop: while guardCount < 64 {
                guardCount += 1
                switch framer.next() {
                case let .request(text): _ = LegacyDispatcher.commands(in: text); _ = RequestFramer.looksComplete(text)
                case .needMore, .overflow: break loop
                }
            }
            if guardCount >= 64 { throw Mismatch(description: "framer kept yielding requests") }
        }
        if let rest = framer.flush() { _ = LegacyDispatcher.commands(in: rest) }
    }

    // MARK: - Config reader

    static let configLines = ["[GenMon]", "[genmon]", "[Other]", "port = /dev/ttyUSB0", "serial_rate = 9600", "serial_rate = fast",
                              "address = 9d", "address = zz", "socket_control_allow = 192.168.1.0/24, fd00::/8", "socket_control_allow = 10.0.0/8",
                              "http_host_names = generator.example.org, 192.0.2.7", "http_host_names = bad name", "use_serial_tcp = yes",
                              "serial_tcp_address = 10.0.0.5", "http_max_connections = 3", "socket_idle_timeout = -1", "; comment", "# comment",
                              "key: value", "=", "[", "]", "nominalfrequency = 60", "outage_notice_delay = 1e308", "sitename = Cabin"]

    static func config(_ generator: inout SeededGenerator, _ index: Int) throws {
        var text: String
        if index % 3 == 0 {
            text = String(decoding: generator.bytes(generator.int(in: 0...400)), as: UTF8.self)
        } else {
            let ends = ["\n", "\r\n", "\r"]
            let end = ends[generator.int(in: 0...2)]
            text = (generator.bool() ? "\u{FEFF}" : "") + "[GenMon]" + end
            for _ in 0..<generator.int(in: 0...12) {
                var line = configLines[generator.int(in: 0...(configLines.count - 1))]
                if generator.chance(0.2), !line.isEmpty {
                    var bytes = Array(line.utf8)
                    bytes[generator.int(in: 0...(bytes.count - 1))] = generator.byte()
                    line = String(decoding: bytes, as: UTF8.self)
                }
                text += line + end
            }
        }
        if let file = try? IniFile(path: "fuzz.conf", text: text) { _ = try? GenmonConfiguration(file: file) }
    }
}

/// The web app in-process with a fixed generator, an in-memory store and accounts: requests go
/// through the real router and middleware, no socket.
final class WebFuzz: Sendable {
    let responder: any HTTPResponder<WebContext>
    let token: String
    let channel: NIOAsyncTestingChannel
    static let paths = ["/", "/healthz", "/api/v1/status", "/api/v1/session", "/api/v1/commands", "/api/v1/events", "/api/v1/outages",
                        "/api/v1/history", "/api/v1/audit", "/api/v1/users", "/api/v1/tokens", "/api/v1/logs", "/api/v1/maintenance",
                        "/api/v1/communication", "/api/v1/openapi.json", "/cmd/status", "/cmd/setremote", "/cmd/status_json", "/api/v1/setup",
                        "/api/v1/session/password", "/api/v1/users/alice", "/api/v1/tokens/x", "/assets/app.js", "/%00", "/api/v1/history?range=",
                        "/api/v1/events?limit=-1&before=zz", "/api/v1/outages?limit=99999999999999999999"]
    static let queries = ["", "?range=24h&series=utilityVolts,powerKW&points=50", "?limit=3&severity=info", "?before=AAAA", "?command=setremote=start",
                          "?%ff=%00", "?range=9999999999d"]
    static let bodies: [String] = [#"{"username":"alice","password":"x"}"#, #"{"command":"start"}"#, #"{"command":"setExercise","time":"25:99"}"#,
                                   #"{"name":"bob","role":"root"}"#, "{", "[]", "null", #"{"command":"setTime"}"#, String(repeating: "{", count: 300)]

    init() async throws {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let model = GeneratorModel(profile: .standard(.evolutionLiquidCooled, start: start), start: start, timeZone: TimeZone(identifier: "UTC")!)
        let service = FixedGeneratorService(snapshot: GeneratorSnapshot.fromImage(model.image, now: start))
        let database = try GenmonDatabase.inMemory()
        let accounts = try AccountStore.inMemory(hasher: PasswordHasher(cost: 4))
        try await accounts.addUser(name: "alice", role: .admin, password: "alice-password-1")
        token = try await accounts.createToken(name: "fuzz", role: .admin, createdBy: "fuzz").secret
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let app = WebApp(service: service, database: database, accounts: accounts, legacy: LegacyDispatcher(service: service),
                         configuration: WebAppConfiguration(hosts: HostPolicy(names: ["genmon.test"])), logger: logger)
        responder = app.makeRouter().router.buildResponder()
        channel = NIOAsyncTestingChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: "192.0.2.10", port: 40000)
    }

    func request(_ generator: inout SeededGenerator, _ index: Int) async throws {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .head, .options, .patch]
        let method = methods[generator.int(in: 0...(methods.count - 1))]
        var path = Self.paths[generator.int(in: 0...(Self.paths.count - 1))] + Self.queries[generator.int(in: 0...(Self.queries.count - 1))]
        if generator.chance(0.3) { path += String(decoding: generator.bytes(generator.int(in: 1...16)).map { 0x21 + $0 % 0x5E }, as: UTF8.self) }
        var fields = HTTPFields()
        if generator.bool() { fields[.authorization] = "Bearer " + (generator.chance(0.5) ? token : "gmt_" + String(index)) }
        if generator.chance(0.2) { fields[.cookie] = "genmon_session=" + String(decoding: generator.bytes(20).map { 0x41 + $0 % 26 }, as: UTF8.self) }
        if generator.chance(0.3) { fields[.origin] = generator.bool() ? "http://genmon.test" : "http://evil.example" }
        var body = generator.bool() ? Array(Self.bodies[generator.int(in: 0...(Self.bodies.count - 1))].utf8) : generator.bytes(generator.int(in: 0...64))
        if generator.chance(0.05) { body = [] }
        fields[.contentType] = "application/json"
        let authority = generator.chance(0.9) ? "genmon.test:8000" : "evil.example"
        let head = HTTPRequest(method: method, scheme: "http", authority: authority, path: path, headerFields: fields)
        var logger = Logger(label: "fuzz")
        logger.logLevel = .critical
        let context = WebContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
        let response = try await responder.respond(to: Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: body))), context: context)
        guard response.status.code < 500 else { throw FuzzRun.Mismatch(description: "\(method) \(path) answered \(response.status)") }
        try await response.body.write(Discarding())
    }

    struct Discarding: ResponseBodyWriter {
        mutating func write(_ buffer: ByteBuffer) async throws {}
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

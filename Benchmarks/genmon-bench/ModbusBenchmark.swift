import Foundation
import ModbusCore
import ModbusTransport
import Synchronization

/// Codec throughput, and round trips through a real pseudo-terminal and TCP loopback.
enum ModbusBenchmark {
    static func run() async {
        print("\n== Modbus codecs (frames per second, one core)")
        let read = ModbusRequest.readHoldingRegisters(address: 0x0001, count: 2)
        let answer = try! RTUFrame.encode(slave: 0x9D, pdu: ModbusResponse.registers([3, 0]).encode(for: .readHoldingRegisters))
        let logAnswer = try! RTUFrame.encode(slave: 0x9D, pdu: ModbusResponse.registers([0x2E01, 0x1E0E, 0x0B05, 0x1819, 0x0640]).encode(for: .readHoldingRegisters))
        let logRead = ModbusRequest.readHoldingRegisters(address: 0x03E8, count: 5)
        var sink = 0

        let encodeRate = rate { sink &+= try! RTUFrame.encode(read, slave: 0x9D).count }
        let decodeRate = rate { if case let .registers(words) = try! RTUFrame.decodeResponse(answer, slave: 0x9D, answering: read) { sink &+= Int(words[0]) } }
        let decodeLogRate = rate { if case let .registers(words) = try! RTUFrame.decodeResponse(logAnswer, slave: 0x9D, answering: logRead) { sink &+= words.count } }
        let assembleRate = rate {
            var assembler = ResponseAssembler(request: read, framing: .rtu, slave: 0x9D)
            if assembler.append(answer) != nil { sink &+= 1 }
        }
        let crcRate = rate { sink &+= Int(CRC16.modbus(logAnswer)) }
        print("encode RTU read request          \(format(encodeRate)) frames/s")
        print("decode 2-register RTU response   \(format(decodeRate)) frames/s")
        print("decode 5-register log entry      \(format(decodeLogRate)) frames/s")
        print("assemble response from stream   \(format(assembleRate)) frames/s")
        print("CRC-16 of a 15-byte frame        \(format(crcRate)) frames/s")

        print("\n== Round trips (client -> server -> client, unpaced)")
        await ptyRoundTrips()
        await tcpRoundTrips()
        if sink == 42 { print("") }
    }

    /// A slave that answers every read with zeros and accepts every write.
    struct ZeroSlave: ModbusSlave {
        func respond(to request: ModbusRequest) async -> ModbusResponse? {
            switch request {
            case let .readHoldingRegisters(_, count), let .readInputRegisters(_, count):
                .registers([UInt16](repeating: 0, count: Int(count)))
            default: .success(for: request)
            }
        }
    }

    static func ptyRoundTrips() async {
        do {
            let terminal = try PseudoTerminal()
            let server = ModbusServer(stream: try terminal.masterStream(), framing: .rtu(address: 0x9D), slave: ZeroSlave())
            let serving = Task { await server.run() }
            let client = ModbusClient(stream: try SerialPort.stream(path: terminal.path))
            let samples = try await measure(client: client, count: 5000)
            report("pseudo-terminal (RTU, 9600-baud settings, no pacing)", samples)
            client.stream.close()
            server.stream.close()
            serving.cancel()
        } catch {
            print("pseudo-terminal round trips failed: \(error)")
        }
    }

    static func tcpRoundTrips() async {
        do {
            let listener = try TCPListener()
            let serving = Task {
                for await connection in listener.connections {
                    await ModbusServer(stream: connection, framing: .tcp, slave: ZeroSlave()).run()
                }
            }
            let stream = try TCPConnection.stream(host: "127.0.0.1", port: listener.port, failFast: true)
            let client = ModbusClient(stream: stream, configuration: .init(framing: .tcp, serial: nil))
            let samples = try await measure(client: client, count: 5000)
            report("TCP loopback (Modbus TCP)", samples)
            stream.close()
            listener.close()
            serving.cancel()
        } catch {
            print("TCP round trips failed: \(error)")
        }
    }

    static func measure(client: ModbusClient, count: Int) async throws -> [Duration] {
        var samples: [Duration] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            let start = ContinuousClock.now
            _ = try await client.readHoldingRegisters(address: UInt16(index % 0x600), count: 1)
            samples.append(start.duration(to: .now))
        }
        return samples
    }

    static func report(_ title: String, _ samples: [Duration]) {
        let total = samples.reduce(Duration.zero, +)
        let sorted = samples.sorted()
        print("\(title): \(format(Double(samples.count) / total.seconds)) round trips/s, "
            + "p50 \(format(percentile(sorted, 0.5))), p99 \(format(percentile(sorted, 0.99))), max \(format(sorted.last ?? .zero))")
    }
}

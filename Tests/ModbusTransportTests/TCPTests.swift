import Foundation
import GenmonTesting
import ModbusCore
@testable import ModbusTransport
import Testing

@Suite("Modbus over TCP", .timingSensitive, .timeLimit(.minutes(1)))
struct TCPTests {
    /// Serves every connection the listener accepts until the test ends.
    static func serve(_ listener: TCPListener, framing: ModbusServer.Framing, slave: RegisterSlave) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for await connection in listener.connections {
                    group.addTask { await ModbusServer(stream: connection, framing: framing, slave: slave).run() }
                }
            }
        }
    }

    @Test("RTU frames through a serial-to-TCP bridge")
    func rtuOverTCP() async throws {
        let listener = try TCPListener()
        let slave = RegisterSlave([0x0009: 240])
        let serving = Self.serve(listener, framing: .rtu(address: 0x9D), slave: slave)
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: listener.port, failFast: true)
        let client = ModbusClient(stream: stream, configuration: .init(framing: .rtu, responseAllowance: .milliseconds(500), serial: nil))
        #expect(try await client.readHoldingRegisters(address: 9, count: 1) == [240])
        try await client.writeRegisters(address: 3, values: [1])
        #expect(slave.registers.withLock { $0[3] } == 1)
        #expect(stream.kind == .tcp)
        stream.close()
        listener.close()
        serving.cancel()
    }

    @Test("the slave skips noise before a request and answers it")
    func slaveResyncsPastNoise() async throws {
        let listener = try TCPListener()
        let serving = Self.serve(listener, framing: .rtu(address: 0x9D), slave: RegisterSlave([0x0009: 240]))
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: listener.port, failFast: true)
        let request = try RTUFrame.encode(slave: 0x9D, pdu: [0x03, 0x00, 0x09, 0x00, 0x01])
        try await stream.write([0x00, 0xFF, 0x9D] + request)
        var reply: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while reply.count < 7, let bytes = try? await stream.read(until: deadline), !bytes.isEmpty { reply += bytes }
        #expect(reply == (try RTUFrame.encode(slave: 0x9D, pdu: [0x03, 0x02, 0x00, 0xF0])))
        stream.close()
        listener.close()
        serving.cancel()
    }

    @Test("Modbus TCP framing with transaction identifiers, writes included")
    func modbusTCP() async throws {
        let listener = try TCPListener()
        let slave = RegisterSlave([0x0001: 3])
        let serving = Self.serve(listener, framing: .tcp, slave: slave)
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: listener.port, failFast: true)
        let client = ModbusClient(stream: stream, configuration: .init(framing: .tcp, responseAllowance: .milliseconds(500), serial: nil))
        for _ in 0..<5 {
            #expect(try await client.readHoldingRegisters(address: 1, count: 2) == [3, 0])
        }
        // Upstream times out on every Modbus TCP write (it waits for 8 bytes); this must not.
        try await client.writeRegisters(address: 0x002F, values: [1])
        let stats = await client.statistics
        #expect(stats.successes == 6 && stats.timeouts == 0)
        stream.close()
        listener.close()
        serving.cancel()
    }

    @Test("a stale Modbus TCP answer with another transaction id is skipped")
    func staleTransactionSkipped() async throws {
        let request = ModbusRequest.readHoldingRegisters(address: 1, count: 1)
        var assembler = ResponseAssembler(request: request, framing: .tcp(transaction: 7), slave: 0x9D)
        let stale = try MBAPFrame.encode(transaction: 6, unit: 0x9D, pdu: ModbusResponse.registers([1]).encode(for: .readHoldingRegisters))
        let current = try MBAPFrame.encode(transaction: 7, unit: 0x9D, pdu: ModbusResponse.registers([2]).encode(for: .readHoldingRegisters))
        #expect(assembler.append(stale) == nil)
        #expect(assembler.append(current) == .registers([2]))
        #expect(assembler.discardedBytes == stale.count)
    }

    @Test("the stream reconnects by itself after the peer goes away, and counts the restart")
    func reconnectsAfterPeerCloses() async throws {
        let listener = try TCPListener()
        let slave = RegisterSlave([0: 9])
        let stream = try TCPConnection.stream(host: "127.0.0.1", port: listener.port, maximumReconnectDelay: .milliseconds(200), failFast: true)
        let client = ModbusClient(stream: stream, configuration: .init(framing: .rtu, responseAllowance: .milliseconds(300), serial: nil))
        var connections = listener.connections.makeAsyncIterator()

        let first = try #require(await connections.next())
        let firstServer = Task { await ModbusServer(stream: first, framing: .rtu(address: 0x9D), slave: slave).run() }
        #expect(try await client.readHoldingRegisters(address: 0, count: 1) == [9])

        first.close()  // the bridge drops the connection
        await firstServer.value
        let second = try #require(await connections.next())
        let secondServer = Task { await ModbusServer(stream: second, framing: .rtu(address: 0x9D), slave: slave).run() }
        var value: [UInt16]?
        for _ in 0..<20 where value == nil {
            value = try? await client.readHoldingRegisters(address: 0, count: 1)
            if value == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(value == [9])
        #expect(await client.statistics.commRestarts == 1)
        stream.close()
        second.close()
        await secondServer.value
        listener.close()
    }

    @Test("connecting to a port nobody listens on fails with a clear reason")
    func connectionRefused() async throws {
        let listener = try TCPListener()
        let port = listener.port
        listener.close()
        try await Task.sleep(for: .milliseconds(50))
        // Connecting and resolving block: on a thread of their own, not the cooperative pool's.
        await #expect(throws: TransportError.self) {
            try await onDedicatedThread { _ = try TCPConnection.stream(host: "127.0.0.1", port: port, failFast: true) }
        }
        await #expect(throws: TransportError.self) {
            try await onDedicatedThread { _ = try TCPConnection.stream(host: "no-such-host.invalid", port: 502, failFast: true) }
        }
    }
}

import Foundation
import ModbusCore
import ModbusTransport

/// Where a simulated controller is served.
public enum SimulatorEndpoint: Sendable, Equatable {
    /// A new pseudo-terminal; point a monitor at its path.
    case pseudoTerminal
    /// A real serial device (e.g. a USB adapter looped to another machine).
    case serialDevice(path: String, settings: SerialSettings)
    /// Raw RTU frames over TCP, like a serial-to-TCP bridge.
    case rtuOverTCP(host: String, port: Int)
    /// Modbus TCP (MBAP framing).
    case modbusTCP(host: String, port: Int)
}

/// A simulator being served: where to point a monitor, and how to stop it.
public final class RunningSimulator: Sendable {
    /// Device path or host:port.
    public let address: String
    public let endpoint: SimulatorEndpoint
    private let stop: @Sendable () -> Void
    private let task: Task<Void, Never>
    // Kept alive for the pseudo-terminal's lifetime.
    private let terminal: PseudoTerminal?

    init(address: String, endpoint: SimulatorEndpoint, terminal: PseudoTerminal?, task: Task<Void, Never>, stop: @escaping @Sendable () -> Void) {
        self.address = address
        self.endpoint = endpoint
        self.terminal = terminal
        self.task = task
        self.stop = stop
    }

    /// Stops serving and waits until the server has finished.
    public func shutdown() async {
        stop()
        task.cancel()
        await task.value
    }

    /// Waits until the server stops by itself (its stream closed).
    public func wait() async { await task.value }
}

/// Serves a Modbus slave on an endpoint.
public enum SimulatorHost {
    /// Runs `handle` for each connection the listener accepts until it closes. Finished
    /// connections are let go at once (a plain task group would keep each one's result).
    static func serveEach(_ listener: TCPListener, _ handle: @escaping @Sendable (DescriptorStream) async -> Void) async {
        await withDiscardingTaskGroup { group in
            for await connection in listener.connections {
                group.addTask { await handle(connection) }
            }
        }
    }

    /// - Parameter lineSpeed: on a pseudo-terminal, answer only while the monitor's side is set to
    ///   this speed, as a real controller answers only at its own (nil answers at any speed).
    public static func serve(_ slave: any ModbusSlave, on endpoint: SimulatorEndpoint, shaper: (any ReplyShaper)? = nil,
                             address: UInt8 = 0x9D, lineSpeed: Int? = nil) throws(TransportError) -> RunningSimulator {
        switch endpoint {
        case .pseudoTerminal:
            let terminal = try PseudoTerminal()
            let stream = try terminal.masterStream()
            let gated: (any ReplyShaper)? = lineSpeed.map { LineSpeedGate(inner: shaper, terminal: terminal, speed: $0) } ?? shaper
            let server = ModbusServer(stream: stream, framing: .rtu(address: address), slave: slave, shaper: gated)
            let task = Task { await server.run() }
            return RunningSimulator(address: terminal.path, endpoint: endpoint, terminal: terminal, task: task) { stream.close() }
        case let .serialDevice(path, settings):
            let stream = try SerialPort.stream(path: path, settings: settings)
            let server = ModbusServer(stream: stream, framing: .rtu(address: address), slave: slave, shaper: shaper)
            let task = Task { await server.run() }
            return RunningSimulator(address: path, endpoint: endpoint, terminal: nil, task: task) { stream.close() }
        case let .rtuOverTCP(host, port), let .modbusTCP(host, port):
            let listener = try TCPListener(host: host, port: port)
            let framing: ModbusServer.Framing = if case .modbusTCP = endpoint { .tcp } else { .rtu(address: address) }
            let task = Task {
                await serveEach(listener) { connection in
                    await withTaskCancellationHandler {
                        await ModbusServer(stream: connection, framing: framing, slave: slave, shaper: shaper).run()
                    } onCancel: {
                        connection.close()
                    }
                }
            }
            return RunningSimulator(address: "\(host):\(listener.port)", endpoint: endpoint, terminal: nil, task: task) { listener.close() }
        }
    }
}

/// A line-based control channel on TCP: each line is a `SimulatorCommand`, each reply one line.
/// It listens on 127.0.0.1 only: it can raise alarms and cut the utility.
public enum ControlChannel {
    static let maximumLineLength = 1024

    public static func serve(_ controller: SimulatedController, port: Int, host: String = "127.0.0.1") throws(TransportError) -> RunningSimulator {
        let listener = try TCPListener(host: host, port: port)
        let task = Task {
            await SimulatorHost.serveEach(listener) { connection in await session(connection, controller: controller) }
        }
        return RunningSimulator(address: "\(host):\(listener.port)", endpoint: .rtuOverTCP(host: host, port: listener.port),
                                terminal: nil, task: task) { listener.close() }
    }

    static func session(_ connection: DescriptorStream, controller: SimulatedController) async {
        defer { connection.close() }
        var pending: [UInt8] = []
        while !Task.isCancelled {
            guard let bytes = try? await connection.read(until: .now + .seconds(3600)) else { return }
            pending += bytes
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                if newline > maximumLineLength {
                    try? await connection.write(Array("error: line too long\n".utf8))
                    return
                }
                let line = String(decoding: pending[..<newline], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                pending.removeSubrange(...newline)
                if line.isEmpty { continue }
                if line == "quit" || line == "exit" { return }
                let reply = await controller.perform(line: line)
                do { try await connection.write(Array((reply + "\n").utf8)) } catch { return }
            }
            if pending.count > maximumLineLength {
                try? await connection.write(Array("error: line too long\n".utf8))
                return
            }
        }
    }
}

/// A controller set to one speed hears only noise from a monitor at another and stays silent:
/// the pseudo-terminal carries bytes whatever the speed, so this gate does what the wire would.
struct LineSpeedGate: ReplyShaper {
    let inner: (any ReplyShaper)?
    let terminal: PseudoTerminal
    let speed: Int

    func shape(reply: [UInt8], to request: ModbusRequest) async -> ReplyPlan {
        if let current = terminal.lineBaudRate(), current != speed { return .silence }
        return await inner?.shape(reply: reply, to: request) ?? .immediately(reply)
    }
}

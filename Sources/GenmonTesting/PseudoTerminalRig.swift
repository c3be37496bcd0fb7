import Foundation
import GenmonBasics
import ModbusTransport
import Monitor
import Simulator

/// The slow tier's end-to-end rig: a simulated controller served on a pseudo-terminal and a real
/// monitor reading it through genmon's own serial and Modbus code. The simulator's model follows
/// `simulatorClock` (manual, or real time sped up); the monitor runs on real time.
public final class PseudoTerminalRig: Sendable {
    public let controller: SimulatedController
    public let simulator: RunningSimulator
    public let client: ModbusClient
    public let monitor: GeneratorMonitor
    private let monitoring: Task<Void, Never>

    /// Monitor settings that suit a fast pseudo-terminal: short cycles and a quick loss verdict.
    public static func fastConfiguration(lossAfter: Duration = .seconds(30)) -> MonitorConfiguration {
        var configuration = MonitorConfiguration(siteName: "Test", timeZone: TimeZone(identifier: "UTC")!,
                                                 hotInterval: .milliseconds(100), liveInterval: .milliseconds(500),
                                                 settingsInterval: .seconds(2), communicationLossAfter: lossAfter,
                                                 clockDriftThreshold: 1e9)
        configuration.alignSetTimeToMinute = false
        return configuration
    }

    public init(family: ControllerProfile.Family, start: Date, simulatorClock: any GenmonClock,
                faults: FaultSettings = FaultSettings(), timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                configuration: MonitorConfiguration, persistence: (any MonitorPersistence)?,
                responseAllowance: Duration = .milliseconds(600)) throws {
        let profile = ControllerProfile.standard(family, start: start)
        let model = GeneratorModel(profile: profile, start: start, timeZone: timeZone)
        controller = SimulatedController(simulation: Simulation(model: model), clock: simulatorClock,
                                         faults: FaultInjector(settings: faults, pacing: .off))
        simulator = try SimulatorHost.serve(controller, on: .pseudoTerminal, shaper: controller.faults)
        client = ModbusClient(stream: try SerialPort.stream(path: simulator.address),
                              configuration: .init(responseAllowance: responseAllowance, quietGap: .milliseconds(40)))
        monitor = GeneratorMonitor(link: client, configuration: configuration, persistence: persistence)
        let monitor = self.monitor
        monitoring = Task { await monitor.run() }
    }

    /// Stops the monitor (its queued records written), the link and the simulator.
    public func stop() async {
        monitoring.cancel()
        await monitoring.value
        client.close()
        await simulator.shutdown()
    }

    /// Acts on the simulator as `genmon simctl` would.
    @discardableResult
    public func sim(_ line: String) async -> String { await controller.perform(line: line) }

    /// Waits until a published snapshot satisfies `condition`; nil after `timeout`.
    public func waitFor(timeout: Duration, _ condition: @Sendable @escaping (GeneratorSnapshot) -> Bool) async -> GeneratorSnapshot? {
        let stream = monitor.snapshots()
        return await withTaskGroup(of: GeneratorSnapshot?.self) { group in
            group.addTask {
                for await snapshot in stream where condition(snapshot) { return snapshot }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

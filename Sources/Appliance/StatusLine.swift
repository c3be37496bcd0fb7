import Foundation
import Generac
import Monitor

/// The one line `systemctl status genmon` shows: `Off - Ready · Auto · link ok 26 tx/s`.
public struct ServiceStatusLine: Sendable, Equatable {
    /// What the generator and the link do: a change here is sent at once.
    public let state: String
    /// The whole line, with the transaction rate.
    public let text: String

    public init(snapshot: GeneratorSnapshot) {
        let communication = communication(snapshot)
        let rate = Int(snapshot.communication.statistics.packetsPerSecond.rounded())
        let link = communication.isEmpty ? "link ok \(rate) tx/s" : communication
        guard let readings = snapshot.readings, snapshot.isInitialized else {
            let step = snapshot.readings == nil ? "detecting the controller" : "reading the controller"
            state = "starting · " + step + (communication.isEmpty ? "" : " · " + communication)
            text = "starting · " + step + " · " + link
            return
        }
        var parts = [readings.status.engineState.description, readings.status.switchState.rawValue]
        if readings.status.isInAlarm { parts.append("ALARM " + readings.status.alarm.text) }
        if snapshot.outage.inOutage { parts.append("utility outage") }
        state = (parts + [communication]).joined(separator: " · ")
        text = (parts + [link]).joined(separator: " · ")
    }
}

/// How the link is, or empty while it works.
private func communication(_ snapshot: GeneratorSnapshot) -> String {
    guard !snapshot.communication.isReceiving else { return "" }
    return "no answer from the controller at " + snapshot.communication.endpoint
}

/// Sends a status when the state changes, and the same state with a new rate at most once per
/// `refresh`, so the journal of a quiet generator stays quiet.
public struct StatusThrottle: Sendable {
    public let refresh: Duration
    private var lastState: String?
    private var lastText: String?
    private var lastSentAt: ContinuousClock.Instant?

    public init(refresh: Duration = .seconds(30)) { self.refresh = refresh }

    /// The text to send now, or nil.
    public mutating func offer(_ line: ServiceStatusLine, now: ContinuousClock.Instant) -> String? {
        let due = lastSentAt.map { $0.duration(to: now) >= refresh } ?? true
        guard line.state != lastState || (due && line.text != lastText) else { return nil }
        lastState = line.state
        lastText = line.text
        lastSentAt = now
        return line.text
    }
}

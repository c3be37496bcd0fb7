import Foundation
import Generac

/// How the monitor polls and what it considers noteworthy. Defaults suit a 9600-baud controller.
public struct MonitorConfiguration: Sendable, Equatable {
    public var siteName: String
    /// Decoder settings (the original's genmon.conf keys that change decoding).
    public var settings: GeneracSettings
    public var timeZone: TimeZone
    /// Status, alarm and utility registers are read this often while anything goes on (the engine
    /// turns, the utility is low, an alarm or a command).
    public var hotInterval: Duration
    /// ... and this often while the generator stands ready with the utility present, as the original does.
    public var standingHotInterval: Duration = .milliseconds(500)
    /// The alarm code and relays, when the status has not moved (they are read with it when it does).
    public var statusFollowerInterval: Duration = .seconds(2)
    /// The controller's clock (it shows minutes) and its hours-since-activation counter.
    public var clockInterval: Duration = .seconds(10)
    /// What stays put while the engine stands (its own values, battery, charger, temperature, fuel),
    /// read this often then.
    public var slowWhileStandingInterval: Duration = .seconds(10)
    /// Subscribers (web live view, MQTT, notifications) get a snapshot at once when anything in it
    /// changes, and one at least this often for the counters; `snapshot()` is always current.
    public var quietRepublishInterval: Duration = .seconds(10)
    /// Engine values (rpm, volts, battery, currents, clock).
    public var liveInterval: Duration
    /// Settings and maintenance counters.
    public var settingsInterval: Duration
    /// Identity, calibration and registers only listed, never decoded.
    public var identityInterval: Duration
    /// A register that answers with an exception is tried again this rarely.
    public var unsupportedRetryInterval: Duration
    /// Check the newest log entries this often even without a state change (service entries).
    public var logCheckInterval: Duration
    /// No answer for this long means communication is lost.
    public var communicationLossAfter: Duration
    /// Report the controller clock when it is off by more than this.
    public var clockDriftThreshold: TimeInterval
    /// Utility below threshold must last this long before an outage is declared (the original's
    /// `outage_notice_delay`).
    public var outageNoticeDelay: TimeInterval
    /// Don't track outages at all (`disableoutagecheck`).
    public var outageCheckDisabled: Bool
    /// A history sample every this often, written in batches every `sampleFlushInterval`.
    public var sampleInterval: Duration
    public var sampleFlushInterval: Duration
    /// Write the clock at second 0 of a minute, as the original does (tests turn it off).
    public var alignSetTimeToMinute = true
    /// No answer for this long turns monitor health to a warning at once ("Not receiving data"),
    /// while the communication-lost event waits for `communicationLossAfter`.
    public var healthWarningAfter: Duration = .seconds(5)
    /// Power, fuel and add-on data.
    public var data = DataSettings()

    public init(
        siteName: String = "Home", settings: GeneracSettings = .defaults, timeZone: TimeZone = .current,
        hotInterval: Duration = .milliseconds(250), liveInterval: Duration = .seconds(2),
        settingsInterval: Duration = .seconds(60), identityInterval: Duration = .seconds(600),
        unsupportedRetryInterval: Duration = .seconds(600), logCheckInterval: Duration = .seconds(300),
        communicationLossAfter: Duration = .seconds(30), clockDriftThreshold: TimeInterval = 180,
        outageNoticeDelay: TimeInterval = 0, outageCheckDisabled: Bool = false,
        sampleInterval: Duration = .seconds(10), sampleFlushInterval: Duration = .seconds(60)
    ) {
        self.siteName = siteName
        self.settings = settings
        self.timeZone = timeZone
        self.hotInterval = hotInterval
        self.liveInterval = liveInterval
        self.settingsInterval = settingsInterval
        self.identityInterval = identityInterval
        self.unsupportedRetryInterval = unsupportedRetryInterval
        self.logCheckInterval = logCheckInterval
        self.communicationLossAfter = communicationLossAfter
        self.clockDriftThreshold = clockDriftThreshold
        self.outageNoticeDelay = outageNoticeDelay
        self.outageCheckDisabled = outageCheckDisabled
        self.sampleInterval = sampleInterval
        self.sampleFlushInterval = sampleFlushInterval
    }

    func interval(for group: RegisterGroup) -> Duration {
        switch group {
        case .hot, .live: liveInterval
        case .settings, .service: settingsInterval
        case .identity, .undecoded: identityInterval
        }
    }
}

import Foundation
import Testing

/// The slow tiers of the suite. `swift test` runs everything; the fast tier alone (pure code, manual
/// clocks, in-process servers) is `swift test --skip-tag pseudoTerminal ...` — see README.
extension Tag {
    /// Real time over a pseudo-terminal: the simulator served as a serial device, the monitor reading it.
    @Tag public static var pseudoTerminal: Self
    /// A real Chromium driving the web page.
    @Tag public static var browser: Self
    /// The built `genmon` executable or a real peer started as a child process.
    @Tag public static var process: Self
}

/// Which tiers a run includes: `GENMON_TESTS=fast swift test` leaves out the slow ones (tagged
/// `.pseudoTerminal`, `.browser`, `.process`); plain `swift test` runs everything.
public enum TestTier {
    public static let slowTiersRun = ProcessInfo.processInfo.environment["GENMON_TESTS"]?.lowercased() != "fast"
}

extension Trait where Self == ConditionTrait {
    /// Marks a suite as part of a slow tier: skipped when `GENMON_TESTS=fast`.
    public static var slowTier: Self { .enabled(if: TestTier.slowTiersRun, "GENMON_TESTS=fast leaves out the slow tiers") }
}

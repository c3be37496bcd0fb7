import Testing

/// Every web suite is nested in this one and runs one test at a time. Side by side they would take
/// both cores at the start of a run (accounts, stores, a simulator and a monitor, headless
/// Chromium) and starve the timing-sensitive serial-port and pseudo-terminal tests of other modules
/// running at the same time.
@Suite(.serialized) enum WebTestSuite {}

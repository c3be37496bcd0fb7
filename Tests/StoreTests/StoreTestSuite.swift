import Testing

/// Every Store suite is nested in this one and runs one test at a time. Together they are heavy on
/// I/O and CPU (synced writes, a child process killed mid-write, a week of samples), and on a
/// two-core machine running them side by side starves the timing-sensitive serial-port and
/// pseudo-terminal tests of other modules running at the same time.
@Suite(.serialized) enum StoreTestSuite {}

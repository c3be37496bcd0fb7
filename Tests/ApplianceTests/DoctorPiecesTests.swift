import Appliance
import Testing

@Suite("genmon doctor's verdicts")
struct DoctorPiecesTests {
    @Test("the kernel console on the controller's UART is found under each of its names")
    func console() {
        let pi = "coherent_pool=1M 8250.nr_uarts=1 console=serial0,115200 console=tty1 root=PARTUUID=1 rootwait"
        #expect(SerialPortRivals.consoleOnPort(cmdline: pi, device: "/dev/serial0", deviceTarget: "/dev/ttyS0") == "console=serial0,115200")
        #expect(SerialPortRivals.consoleOnPort(cmdline: pi, device: "/dev/ttyAMA0", deviceTarget: nil) == "console=serial0,115200")
        #expect(SerialPortRivals.consoleOnPort(cmdline: pi, device: "/dev/ttyUSB0", deviceTarget: nil) == nil)
        #expect(SerialPortRivals.consoleOnPort(cmdline: "console=ttyUSB0,9600", device: "/dev/ttyUSB0", deviceTarget: nil) == "console=ttyUSB0,9600")
        #expect(SerialPortRivals.consoleOnPort(cmdline: "console=tty1 quiet", device: "/dev/serial0", deviceTarget: "/dev/ttyAMA0") == nil)
        #expect(SerialPortRivals.consoleOnPort(cmdline: "", device: "/dev/serial0", deviceTarget: nil) == nil)
    }

    @Test("CRC and timeout rates: counts between two readings, verdicts with a fix")
    func rates() {
        let before = CommunicationRates(requests: 1000, crcErrors: 2, timeouts: 1)
        let clean = CommunicationRates.between(before, CommunicationRates(requests: 1500, crcErrors: 3, timeouts: 1))
        #expect(clean == CommunicationRates(requests: 500, crcErrors: 1, timeouts: 0))
        #expect(clean.finding(over: 20).verdict == .pass)
        let noisy = CommunicationRates(requests: 100, crcErrors: 5, timeouts: 0).finding(over: 20)
        #expect(noisy.verdict == .fail && noisy.fix.contains("noise"))
        let lossy = CommunicationRates(requests: 100, crcErrors: 0, timeouts: 10).finding(over: 20)
        #expect(lossy.verdict == .fail && lossy.fix.contains("connector"))
        #expect(CommunicationRates(requests: 0, crcErrors: 0, timeouts: 0).finding(over: 20).verdict == .fail)
        // A restart between the readings: the later counts alone.
        #expect(CommunicationRates.between(before, CommunicationRates(requests: 10, crcErrors: 0, timeouts: 0)).requests == 10)
    }

    @Test("the report passes only when nothing failed; each failure shows its fix")
    func report() {
        var report = DoctorReport(findings: [.pass("clock", "synchronised"), .notApplicable("MQTT", "not configured")])
        #expect(report.passed && report.exitStatus == 0)
        #expect(report.text.hasSuffix("all checks passed"))
        report.findings.append(.fail("port 8000 (web app)", "held by python3 (pid 4)", fix: "stop it"))
        #expect(!report.passed && report.exitStatus == 1)
        #expect(report.text.contains("[FAIL] port 8000 (web app): held by python3 (pid 4)\n       fix: stop it"))
        #expect(report.text.hasSuffix("1 check(s) failed: port 8000 (web app)"))
    }
}

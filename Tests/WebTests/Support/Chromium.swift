import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A JSON object from the DevTools protocol (only read on the task that received it).
struct CDPObject: @unchecked Sendable {
    let value: [String: Any]
    subscript(key: String) -> Any? { value[key] }
}

enum CDPError: Error, CustomStringConvertible {
    case notInstalled
    case spawnFailed(Int32)
    case closed
    case protocolError(String)
    case timeout(String)

    var description: String {
        switch self {
        case .notInstalled: "chromium is not installed"
        case let .spawnFailed(code): "cannot start chromium (error \(code))"
        case .closed: "chromium closed the DevTools pipe"
        case let .protocolError(message): "DevTools: \(message)"
        case let .timeout(what): "timed out: \(what)"
        }
    }
}

/// Headless Chromium driven over its DevTools protocol on a pipe (`--remote-debugging-pipe`:
/// JSON messages separated by NUL bytes on file descriptors 3 and 4), so no WebSocket client is
/// needed and no debugging port is opened.
final class Chromium: Sendable {
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: String
    private let state = Mutex(State())
    private let readerDone = Mutex(false)

    private struct State {
        var nextID = 1
        var waiting: [Int: CheckedContinuation<CDPObject, any Error>] = [:]
        var events: [CDPObject] = []
        var closed = false
    }

    init() throws {
        guard let path = Self.executable else { throw CDPError.notInstalled }
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("genmon-chromium-\(UUID().uuidString)").path
        var commandPipe: [Int32] = [0, 0], eventPipe: [Int32] = [0, 0]
        guard pipe(&commandPipe) == 0, pipe(&eventPipe) == 0 else { throw CDPError.spawnFailed(errno) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commandPipe[0], 3)
        posix_spawn_file_actions_adddup2(&actions, eventPipe[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for fd in [commandPipe[1], eventPipe[0]] { posix_spawn_file_actions_addclose(&actions, fd) }
        // At the lowest priority (`nice -n 19`, inherited by every process Chromium starts), so the
        // other test suites' timing checks, running at the same time on two cores, keep their CPU.
        let nice = FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") ? ["/usr/bin/nice", "-n", "19"] : []
        let arguments = nice + [
            path, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update", "--mute-audio",
            "--hide-scrollbars", "--force-color-profile=srgb", "--lang=en-US", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, arguments[0], &actions, nil, &argv, environ)
        close(commandPipe[0])
        close(eventPipe[1])
        guard result == 0 else {
            close(commandPipe[1])
            close(eventPipe[0])
            throw CDPError.spawnFailed(result)
        }
        pid = child
        toBrowser = commandPipe[1]
        fromBrowser = eventPipe[0]
        let thread = Thread { [self] in readLoop() }
        thread.start()
    }

    /// Reads NUL-separated messages until the pipe closes (a plain thread: it blocks in read).
    private func readLoop() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            pending += buffer[0..<count]
            while let end = pending.firstIndex(of: 0) {
                let message = Array(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] else { continue }
                deliver(CDPObject(value: object))
            }
        }
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.waiting.removeAll() }
            return Array(state.waiting.values)
        }
        for continuation in waiting { continuation.resume(throwing: CDPError.closed) }
        readerDone.withLock { $0 = true }
    }

    private func deliver(_ message: CDPObject) {
        if let id = message["id"] as? Int {
            let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
            if let error = message["error"] as? [String: Any] {
                continuation?.resume(throwing: CDPError.protocolError("\(error["message"] ?? error)"))
            } else {
                continuation?.resume(returning: CDPObject(value: message["result"] as? [String: Any] ?? [:]))
            }
        } else {
            state.withLock { $0.events.append(message) }
        }
    }

    /// Sends a command and waits for its result.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: Duration = .seconds(30)) async throws -> CDPObject {
        var message: [String: Any] = ["method": method, "params": params]
        if let session { message["sessionId"] = session }
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        message["id"] = id
        guard let data = try? JSONSerialization.data(withJSONObject: message) else { throw CDPError.protocolError("unencodable \(method)") }
        let bytes = Array(data) + [0]
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.state.withLock { $0.waiting.removeValue(forKey: id) }?.resume(throwing: CDPError.timeout(method))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let open = state.withLock { state in
                guard !state.closed else { return false }
                state.waiting[id] = continuation
                return true
            }
            guard open else { return continuation.resume(throwing: CDPError.closed) }
            let written = bytes.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            if written != bytes.count, let waiting = state.withLock({ $0.waiting.removeValue(forKey: id) }) {
                waiting.resume(throwing: CDPError.closed)
            }
        }
    }

    /// Every event received so far.
    var events: [CDPObject] { state.withLock { $0.events } }

    /// Ends the browser and removes its profile.
    func quit() async {
        _ = try? await send("Browser.close", timeout: .seconds(5))
        close(toBrowser)
        let deadline = ContinuousClock.now + .seconds(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        close(fromBrowser)
        try? FileManager.default.removeItem(atPath: profile)
    }
}

/// One tab, attached with a flat session.
struct BrowserPage: Sendable {
    let browser: Chromium
    let session: String

    static func open(in browser: Chromium) async throws -> BrowserPage {
        let target = try await browser.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw CDPError.protocolError("no target id") }
        let attached = try await browser.send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw CDPError.protocolError("no session id") }
        let page = BrowserPage(browser: browser, session: session)
        for domain in ["Runtime.enable", "Log.enable", "Page.enable"] { try await page.send(domain) }
        return page
    }

    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:]) async throws -> CDPObject {
        try await browser.send(method, params, session: session)
    }

    /// Sets the viewport (CSS pixels); `mobile` also makes the page see a touch phone.
    func viewport(width: Int, height: Int, mobile: Bool) async throws {
        try await send("Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile])
        try await send("Emulation.setTouchEmulationEnabled", ["enabled": mobile])
    }

    func navigate(_ url: String) async throws {
        try await send("Page.navigate", ["url": url])
        try await waitUntil("page loaded", "document.readyState === 'complete'")
    }

    /// Evaluates JavaScript in the page and returns its value.
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw CDPError.protocolError("script failed: \(exception["text"] ?? "")")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func text(_ selector: String) async throws -> String {
        try await evaluate("(document.querySelector(\(jsString(selector))) || {}).textContent || ''") as? String ?? ""
    }

    /// Waits (checking every 100 ms) until `condition`, a JavaScript expression, is true.
    func waitUntil(_ what: String, _ condition: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await evaluate("Boolean(\(condition))")) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        let body = (try? await evaluate("document.body.innerText.slice(0, 600)")) as? String ?? ""
        throw CDPError.timeout("\(what); the page shows: \(body)")
    }

    func click(_ selector: String) async throws {
        let found = try await evaluate("(() => { const el = document.querySelector(\(jsString(selector))); if (!el) return false; el.click(); return true; })()")
        guard found as? Bool == true else { throw CDPError.protocolError("nothing matches \(selector)") }
    }

    /// Types into the focused element, as a keyboard would.
    func type(_ text: String) async throws { try await send("Input.insertText", ["text": text]) }

    func press(_ key: String, code: Int) async throws {
        for type in ["keyDown", "keyUp"] {
            var params: [String: Any] = ["type": type, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code]
            if type == "keyDown", key == "Enter" { params["text"] = "\r" }
            try await send("Input.dispatchKeyEvent", params)
        }
    }

    /// A PNG of the whole page at the current width.
    func screenshot(to url: URL) async throws {
        let metrics = try await send("Page.getLayoutMetrics")
        let size = metrics["cssContentSize"] as? [String: Any] ?? [:]
        let width = size["width"] as? Double ?? 1280, height = min(size["height"] as? Double ?? 900, 6000)
        let shot = try await send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": width, "height": height, "scale": 1],
        ])
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else { throw CDPError.protocolError("no screenshot") }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// JavaScript errors, failed console assertions and error-level log entries of this page.
    func errors() -> [String] {
        browser.events.compactMap { event -> String? in
            guard event["sessionId"] as? String == session, let method = event["method"] as? String,
                  let params = event["params"] as? [String: Any] else { return nil }
            switch method {
            case "Runtime.exceptionThrown":
                let details = params["exceptionDetails"] as? [String: Any]
                let exception = details?["exception"] as? [String: Any]
                return "exception: \(exception?["description"] ?? details?["text"] ?? "?")"
            case "Runtime.consoleAPICalled":
                guard let type = params["type"] as? String, type == "error" || type == "assert" else { return nil }
                let args = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "")" }
                return "console.\(type): " + args.joined(separator: " ")
            case "Log.entryAdded":
                guard let entry = params["entry"] as? [String: Any], entry["level"] as? String == "error" else { return nil }
                return "log: \(entry["text"] ?? "") \(entry["url"] ?? "")"
            default:
                return nil
            }
        }
    }
}

/// A JavaScript string literal.
func jsString(_ text: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [text])
    let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
    return String(array.dropFirst().dropLast())
}

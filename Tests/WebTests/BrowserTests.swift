import Foundation
import GenmonTesting
import Monitor
import Store
import Testing
@testable import Web

extension WebTestSuite {
    /// The page in a real browser (headless Chromium from Debian's package) against a monitor polling
    /// the simulator: sign in, watch the utility fail live, start and stop the generator through the
    /// page, screenshots at phone and desktop widths, and no JavaScript error anywhere.
    @Suite(.serialized, .tags(.browser), .slowTier, .timingSensitive) struct BrowserTests {
        /// Screenshots go to `.build-screenshots/` (git-ignored), or to $GENMON_SCREENSHOTS.
        static let screenshots: URL = {
            if let path = ProcessInfo.processInfo.environment["GENMON_SCREENSHOTS"] { return URL(fileURLWithPath: path) }
            return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build-screenshots")
        }()

        @Test(.enabled(if: Chromium.executable != nil, "chromium is not installed (apt-get install chromium); the browser test is skipped"),
              .timeLimit(.minutes(6)))
        func aPersonSignsInSeesTheUtilityFailLiveAndStartsAndStopsTheGenerator() async throws {
            try await withBrowser(on: try await LiveRig(), drive)
        }

        /// Runs `body` with a browser against `rig`, and stops both whether it succeeds or throws.
        func withBrowser(on rig: LiveRig, _ body: (LiveRig, Chromium) async throws -> Void) async throws {
            let browser: Chromium
            do { browser = try Chromium() } catch {
                await rig.stop()
                throw error
            }
            do {
                try await body(rig, browser)
            } catch {
                await browser.quit()
                await rig.stop()
                throw error
            }
            await browser.quit()
            await rig.stop()
        }

        func drive(_ rig: LiveRig, _ browser: Chromium) async throws {
            try await rig.waitFor("the first complete status") { $0.isInitialized }
            let page = try await BrowserPage.open(in: browser)
            try await page.viewport(width: 1280, height: 900, mobile: false)
            try await page.navigate(rig.baseURL + "/")

            // Sign in with the keyboard.
            try await page.waitUntil("the sign-in form", "document.querySelector('#login-user')")
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-sign-in.png"))
            _ = try await page.evaluate("document.querySelector('#login-user').focus()")
            try await page.type(LiveRig.adminName)
            _ = try await page.evaluate("document.querySelector('#login-password').focus()")
            try await page.type(LiveRig.adminPassword)
            try await page.press("Enter", code: 13)
            try await page.waitUntil("the status page, live", """
                document.querySelector('#hero-state') && document.body.dataset.state === 'ready' && document.body.dataset.live === 'up'
                """, timeout: .seconds(60))
            #expect(try await page.text("#state-text").hasPrefix("Ready"))
            #expect(try await page.text("#alerts").contains("None"))
            try await page.waitUntil("the controls", "document.querySelector('[data-command=start]')")
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-status-ready.png"))
            // Everything from here on must arrive without reloading the page.
            _ = try await page.evaluate("window.__sameDocument = 42")

            // Start through the page: confirmation, then the controller's confirmed result.
            try await page.click("[data-command=start]")
            try await page.waitUntil("the confirmation dialog", "document.querySelector('#confirm').open")
            #expect(try await page.text("#confirm-message").contains("Start the engine now?"))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-confirm-start.png"))
            try await page.click("#confirm-ok")
            try await page.waitUntil("the confirmed start", "document.querySelector('#confirm-result').textContent.includes('confirmed by the controller')",
                                     timeout: .seconds(90))
            try await page.waitUntil("the running state, live", "document.body.dataset.state === 'running' || document.body.dataset.state === 'runningManual'",
                                     timeout: .seconds(60))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-started.png"))
            try await page.click("#confirm-cancel")
            try await page.waitUntil("the dialog closed", "!document.querySelector('#confirm').open")

            // Stop the same way.
            try await page.click("[data-command=stop]")
            try await page.waitUntil("the confirmation dialog", "document.querySelector('#confirm').open")
            try await page.click("#confirm-ok")
            try await page.waitUntil("the confirmed stop", "document.querySelector('#confirm-result').textContent.startsWith('Done')", timeout: .seconds(90))
            try await page.click("#confirm-cancel")
            try await page.waitUntil("the ready state again, live", "document.body.dataset.state === 'ready'", timeout: .seconds(60))

            // The utility fails at the simulator: the page shows it by itself.
            #expect(try await rig.simctl("utility off").contains("utility"))
            try await page.waitUntil("the outage, live", """
                document.querySelector('#banner-outage') && document.querySelector('#hero-utility').textContent === 'Out'
                """, timeout: .seconds(60))
            #expect(try await page.text("#alerts").contains("Utility power is out"))
            try await page.waitUntil("the generator taking over, live", "document.body.dataset.state === 'running'", timeout: .seconds(90))
            #expect(try await page.evaluate("window.__sameDocument") as? Int == 42, "the page was never reloaded")
            // An add-on's sensor arrives through the monitor's door, and the power card shows the output.
            let addOn = CommandOrigin(interface: .socket, principal: "127.0.0.1", mayControl: true)
            _ = await rig.monitor.submitExternalData(.sensors([ExternalSensorValue(label: "Shed Temp", text: "65 F")]), origin: addOn)
            try await page.waitUntil("the add-on sensor, live", "document.querySelector('#sensors') && document.querySelector('#sensors').textContent.includes('65 F')")
            try await page.waitUntil("the power card with its chart", """
                !document.querySelector('#power-card').hidden && document.querySelector('#power').textContent.includes('kWh')
                && document.querySelector('#power-chart svg.chart, #power-chart .empty')
                """, timeout: .seconds(30))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-outage-running.png"))

            // A phone, light and dark.
            try await page.viewport(width: 390, height: 844, mobile: true)
            try await Task.sleep(for: .milliseconds(300))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("phone-outage-running.png"))
            try await page.send("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": "dark"]]])
            try await Task.sleep(for: .milliseconds(300))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("phone-outage-running-dark.png"))
            try await page.send("Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": "light"]]])

            // The maintenance controls: a new exercise schedule and the controller's clock, each
            // confirmed, then read back from the controller.
            _ = try await page.evaluate("location.hash = '#/maintenance'")
            try await page.waitUntil("the maintenance page", "document.querySelector('#edit-exercise')")
            try await page.click("#edit-exercise")
            try await page.waitUntil("the exercise form", "document.querySelector('#confirm').open && document.querySelector('#ex-weekday')")
            _ = try await page.evaluate("""
                (() => { const set = (id, v) => { const el = document.querySelector(id); el.value = v; el.dispatchEvent(new Event('change')); };
                  set('#ex-frequency', 'weekly'); set('#ex-weekday', 'Wednesday'); set('#ex-time', '10:45'); })()
                """)
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("phone-exercise-dialog.png"))
            try await page.click("#confirm-ok")
            try await page.waitUntil("the schedule confirmed", "document.querySelector('#confirm-result').textContent.startsWith('Done')",
                                     timeout: .seconds(60))
            try await page.click("#confirm-cancel")
            try await page.waitUntil("the new schedule shown", "document.querySelector('#exercise-text').textContent.includes('Wednesday at 10:45')",
                                     timeout: .seconds(60))
            try await page.click("#set-time")
            try await page.click("#confirm-ok")
            // The controller's clock is set at the next whole minute, then read back: up to about 70 s.
            try await page.waitUntil("the clock set", "document.querySelector('#confirm-result').textContent.startsWith('Done')", timeout: .seconds(150))
            try await page.click("#confirm-cancel")

            // The other pages render (phone width) without errors.
            for (hash, ready) in [("maintenance", "#exercise-text"), ("history", "#charts .card, #charts .empty"), ("outages", "main h1"),
                                  ("logs", "main h1"), ("monitor", "main dl")] {
                _ = try await page.evaluate("location.hash = '#/\(hash)'")
                try await page.waitUntil("the \(hash) page", "document.querySelector(\(jsString(ready)))", timeout: .seconds(30))
                try await page.screenshot(to: Self.screenshots.appendingPathComponent("phone-\(hash).png"))
            }
            try await page.viewport(width: 1280, height: 900, mobile: false)
            _ = try await page.evaluate("location.hash = '#/admin'")
            try await page.waitUntil("the admin page", "document.querySelector('#users-title')")
            #expect(try await page.text("main").contains("setremote=start"), "the audit log shows the start")
            try await page.waitUntil("the notifications section", "document.querySelector('#notify-title') && document.querySelector('#notify-test')")
            #expect(try await page.text("main").contains("Outage Notice at Browser Test"), "the outbox lists the queued outage notice")
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-admin.png"))
            _ = try await page.evaluate("location.hash = '#/history'")
            try await page.waitUntil("the charts", "document.querySelectorAll('#charts svg.chart').length === 3")
            try await page.waitUntil("the add-on sensor's chart", "document.querySelectorAll('#sensor-charts svg.chart').length === 1")
            let points = try await page.evaluate("document.querySelector('#charts polyline.line').getAttribute('points').split(' ').length") as? Int ?? 0
            #expect(points > 100, "a day of history is drawn: \(points) points")
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-history.png"))

            // The utility comes back: the banner goes by itself.
            _ = try await page.evaluate("location.hash = '#/status'")
            try await rig.simctl("utility on")
            try await page.waitUntil("the end of the outage, live", "!document.querySelector('#banner-outage')", timeout: .seconds(60))

            // The controller falls silent: the page says so, by itself, and recovers when it answers again.
            try await rig.simctl("silence 8")
            try await page.waitUntil("the controller-silent banner", "document.querySelector('#banner-controller')", timeout: .seconds(60))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-controller-silent.png"))
            try await page.waitUntil("the controller answering again", "!document.querySelector('#banner-controller')", timeout: .seconds(60))

            // Who did what is audited with the user's name.
            let audit = try await rig.database.audits()
            #expect(audit.contains { $0.record.origin == CommandOrigin(interface: .web, principal: "alice", mayControl: true)
                && $0.record.command == "setremote=start" && $0.record.result == .confirmed })
            #expect(audit.contains { $0.record.origin.principal == "alice" && $0.record.command == "setremote=stop" })

            let errors = page.errors()
            #expect(errors.isEmpty, "the page reported errors: \(errors)")

            // genmon goes away: the page says it cannot reach it (a failed reconnection is the browser's
            // own log line, not a page error, so it is checked after the error count).
            await rig.server.close()
            try await page.waitUntil("the unreachable banner", "document.querySelector('#banner-unreachable') && document.body.dataset.live === 'down'",
                                     timeout: .seconds(60))
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("desktop-genmon-unreachable.png"))
        }

        @Test(.enabled(if: Chromium.executable != nil, "chromium is not installed (apt-get install chromium); the browser test is skipped"),
              .timeLimit(.minutes(4)))
        func theFirstVisitorCreatesTheAdminWithTheSetupCodeThenChangesThePassword() async throws {
            try await withBrowser(on: try await LiveRig(withAdmin: false, setupCode: SetupCode("ABCD-EFGH-JKMN-PQRS")), setUp)
        }

        func setUp(_ rig: LiveRig, _ browser: Chromium) async throws {
            let page = try await BrowserPage.open(in: browser)
            try await page.viewport(width: 390, height: 844, mobile: true)
            try await page.navigate(rig.baseURL + "/")
            try await page.waitUntil("the setup form", "document.querySelector('#setup-code')")
            for (field, value) in [("#setup-code", "abcd-efgh-jkmn-pqrs"), ("#setup-user", "root"),
                                   ("#setup-password", "root-password-1"), ("#setup-again", "root-password-1")] {
                _ = try await page.evaluate("document.querySelector(\(jsString(field))).focus()")
                try await page.type(value)
            }
            try await page.screenshot(to: Self.screenshots.appendingPathComponent("phone-setup.png"))
            try await page.press("Enter", code: 13)
            try await page.waitUntil("the status page as the new admin", """
                document.querySelector('#hero-state') && document.querySelector('#user-name').textContent === 'root (admin)'
                """, timeout: .seconds(60))
            #expect(try await rig.accounts.users().map(\.name) == ["root"])

            // Change the password on the account page, sign out, sign in with the new one.
            _ = try await page.evaluate("location.hash = '#/account'")
            try await page.waitUntil("the account page", "document.querySelector('#pw-current')")
            for (field, value) in [("#pw-current", "root-password-1"), ("#pw-new", "root-password-2"), ("#pw-again", "root-password-2")] {
                _ = try await page.evaluate("document.querySelector(\(jsString(field))).focus()")
                try await page.type(value)
            }
            try await page.press("Enter", code: 13)
            try await page.waitUntil("the change confirmed", "document.querySelector('main .result.ok')")
            try await page.click("#sign-out")
            try await page.waitUntil("the sign-in form", "document.querySelector('#login-user')")
            _ = try await page.evaluate("document.querySelector('#login-user').focus()")
            try await page.type("root")
            _ = try await page.evaluate("document.querySelector('#login-password').focus()")
            try await page.type("root-password-2")
            try await page.press("Enter", code: 13)
            try await page.waitUntil("signed in again", "document.querySelector('#hero-state') && document.body.dataset.live === 'up'",
                                     timeout: .seconds(60))
            let errors = page.errors()
            #expect(errors.isEmpty, "the page reported errors: \(errors)")
        }
    }
}

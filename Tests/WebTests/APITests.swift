import Foundation
import Generac
import GenmonBasics
import HTTPTypes
import LegacyProtocol
import Monitor
import Store
import Testing
@testable import Web

extension WebTestSuite {
    /// What the JSON API says about the generator, and what its controls do.
    @Suite struct StatusAPITests {
        @Test func theStatusGivesNumbersWithUnitsAndTheStateTheColourFollows() async throws {
            let web = try await WebHarness()
            let status = try await web.get("/api/v1/status", token: try await web.token(.viewer)).decode(StatusView.self)
            #expect(status.state == .ready)
            #expect(status.switchState == "Auto")
            #expect(status.engineState == "Off - Ready")
            #expect(status.summary == "Auto, Off - Ready")
            #expect(status.controller?.name == "Evolution, Liquid Cooled")
            #expect(status.engine?.batteryVoltage?.unit == "V")
            #expect((10...16).contains(status.engine?.batteryVoltage?.value ?? 0))
            #expect(status.utility?.voltage?.unit == "V")
            #expect(status.alerts.isEmpty)
            #expect(status.controllerAnswering)
        }

        @Test func anAlarmComesWithWhatItMeansAndWhatToCheck() async throws {
            let web = try await WebHarness()
            await web.service.update { snapshot in
                snapshot.readings?.status.alarm = AlarmState(text: "Overcrank", source: .index(0x0B))
                snapshot.readings?.status.switchState = .systemInAlarm
                snapshot.readings?.status.engineState = .stoppedInAlarm
                snapshot.readings?.status.baseStatus = .alarm
                snapshot.readings?.status.lastAlarmCode = 1100
            }
            let status = try await web.get("/api/v1/status", as: try await web.viewer()).decode(StatusView.self)
            #expect(status.state == .alarm)
            let alarm = try #require(status.alerts.first)
            #expect(alarm.severity == "alarm")
            #expect(alarm.title == "Overcrank")
            #expect(alarm.code == 1100)
            #expect(alarm.description == AlarmCatalog.entry(forCode: 1100)?.description)
            #expect(alarm.whatToCheck.contains("fuel"))
        }

        @Test func aSilentControllerAndAnOutageAreSaidPlainly() async throws {
            let web = try await WebHarness()
            let since = web.clock.now.addingTimeInterval(-120)
            await web.service.update { snapshot in
                snapshot.communication.isReceiving = false
                snapshot.outage = OutageStatus(inOutage: true, currentStart: since)
            }
            let status = try await web.get("/api/v1/status", as: try await web.viewer()).decode(StatusView.self)
            #expect(!status.controllerAnswering)
            #expect(status.outage.inOutage)
            #expect(status.outage.since == since)
            #expect(status.alerts.map(\.title) == ["Controller not answering", "Utility power is out"])
            #expect(status.alerts[1].since == since)
        }

        @Test func beforeTheFirstCompleteReadTheStateIsStarting() async throws {
            let snapshot = GeneratorSnapshot(communication: CommunicationStatus(statistics: CommunicationStatistics(since: .now), transport: .tcp, endpoint: "sim"),
                                             monitor: MonitorStatus(siteName: "Cabin", version: "0.1.0", startedAt: Date()), updatedAt: Date())
            let web = try await WebHarness(snapshot: snapshot)
            let status = try await web.get("/api/v1/status", as: try await web.viewer()).decode(StatusView.self)
            #expect(status.state == .starting)
            #expect(status.engine == nil)
            #expect(status.alerts.first?.title == "Starting up")
            #expect(try await web.get("/cmd/getbase", as: try await web.viewer()).text == "\"Retry, System Initializing\"\n")
        }

        @Test func maintenanceShowsScheduleServiceVersionsAndTheControlsOffered() async throws {
            let web = try await WebHarness()
            let maintenance = try await web.get("/api/v1/maintenance", as: try await web.viewer()).decode(MaintenanceView.self)
            #expect(maintenance.serialNumber?.isEmpty == false)
            #expect(maintenance.firmwareVersion?.hasPrefix("V") == true)
            #expect(maintenance.runHours?.unit == "h")
            let exercise = try #require(maintenance.exercise)
            #expect(exercise.frequency == "weekly")
            #expect(exercise.time.count == 5)
            #expect(!maintenance.service.isEmpty)
            let offered = Dictionary(uniqueKeysWithValues: maintenance.commands.map { ($0.command, $0.available) })
            #expect(offered["start"] == true && offered["setQuietMode"] == true && offered["auto"] == true)
            #expect(maintenance.commands.allSatisfy { !$0.confirmation.isEmpty })
        }

        @Test func aNexusOffersNoQuietModeAndItIsRefused() async throws {
            let web = try await WebHarness(snapshot: try WebHarness.simulatedSnapshot(.nexusAirCooled))
            let admin = try await web.admin()
            let offered = try await web.get("/api/v1/commands", as: admin).decode([CommandCapabilityView].self)
            #expect(offered.first { $0.command == "setQuietMode" }?.available == false)
            let refused = try await web.send(.post, "/api/v1/commands", json: ["command": "setQuietMode", "on": true], as: admin)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "unsupported")
            #expect(await web.service.commands.isEmpty)
        }

        @Test func theControllersLogsAreListedWithTimesAndMeanings() async throws {
            let web = try await WebHarness()
            let logs = try await web.get("/api/v1/logs", as: try await web.viewer()).decode(LogsView.self)
            #expect(logs.logs.map(\.kind) == ["alarm", "service", "run"])
            for log in logs.logs { for entry in log.entries { #expect(!entry.text.isEmpty) } }
        }

        @Test func outagesAndEventsArePagedNewestFirst() async throws {
            let web = try await WebHarness()
            try await StoreFill.fill(web.database, now: web.clock.now)
            let viewer = try await web.viewer()
            let first = try await web.get("/api/v1/outages?limit=2", as: viewer).decode(OutagesView.self)
            #expect(first.outages.count == 2)
            #expect(first.outages[0].start > first.outages[1].start)
            #expect(first.outages[0].duration == Quantity(3600, "s"))
            let cursor = try #require(first.nextCursor)
            let second = try await web.get("/api/v1/outages?limit=2&before=\(cursor)", as: viewer).decode(OutagesView.self)
            #expect(second.outages.count == 1)
            #expect(second.nextCursor == nil)
            #expect(try await web.get("/api/v1/outages?before=garbage", as: viewer).status == .badRequest)

            let warnings = try await web.get("/api/v1/events?severity=warning", as: viewer).decode(EventsView.self)
            #expect(Set(warnings.events.map(\.name)) == ["alarm_raised", "outage_started"])
            let events = try await web.get("/api/v1/events?limit=4", as: viewer).decode(EventsView.self)
            #expect(events.events.first?.name == "command_completed")
            #expect(events.events.allSatisfy { $0.id != nil })
            #expect(events.nextCursor != nil)
        }

        @Test func historyGivesMinAverageAndMaximumPerSeriesFromTheStore() async throws {
            let web = try await WebHarness()
            try await StoreFill.fill(web.database, now: web.clock.now)
            let viewer = try await web.viewer()
            let history = try await web.get("/api/v1/history?range=6h&series=utilityVolts,powerKW&points=30", as: viewer).decode(HistoryView.self)
            #expect(history.series.map(\.name) == ["utilityVolts", "powerKW"])
            #expect(history.series[0].unit == "V")
            let points = history.series[0].points
            #expect(!points.isEmpty && points.count <= 30)
            #expect(points.allSatisfy { $0.min <= $0.avg && $0.avg <= $0.max && (240...244).contains($0.avg) })
            #expect(history.to.timeIntervalSince(history.from) == 6 * 3600)
            #expect(try await web.get("/api/v1/history?series=nope", as: viewer).status == .badRequest)
            #expect(try await web.get("/api/v1/history?points=1", as: viewer).status == .badRequest)
            #expect(try await web.get("/api/v1/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", as: viewer).status == .badRequest)
            #expect(try await web.get("/api/v1/history?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", as: viewer).status == .badRequest)
        }

        @Test func theCommunicationPageCountsTheLinkAndTheLiveClients() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.viewer)
            let stream = try await LiveStream.open(web, token: token)
            _ = try await stream.next(1)
            let view = try await web.get("/api/v1/communication", token: token).decode(CommunicationView.self)
            #expect(view.controllerAnswering)
            #expect(view.transport.hasPrefix("serial"))
            #expect(view.monitor.liveClients == 1)
            #expect(view.monitor.health == "OK")
            await stream.close()
        }
    }

    @Suite struct CommandAPITests {
        @Test func anAdminsStartGoesToTheMonitorWithTheirNameAndComesBackConfirmed() async throws {
            let web = try await WebHarness()
            let response = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: try await web.admin())
            #expect(response.status == .ok)
            let result = try response.decode(CommandResultView.self)
            #expect(result.result == "confirmed")
            #expect(result.succeeded)
            #expect(result.command == "setremote=start")
            let (command, origin) = try #require(await web.service.commands.first)
            #expect(command == .generac(.setRemote(.start)))
            #expect(origin == CommandOrigin(interface: .web, principal: "alice", mayControl: true))
        }

        @Test func everyControlMapsToTheMonitorsCommand() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let cases: [([String: Any], MonitorCommand)] = [
                (["command": "stop"], .generac(.setRemote(.stop))),
                (["command": "startTransfer"], .generac(.setRemote(.startTransfer))),
                (["command": "startExercise"], .generac(.setRemote(.startExercise))),
                (["command": "resetAlarm"], .generac(.setRemote(.resetAlarm))),
                (["command": "auto"], .generac(.setRemote(.auto))),
                (["command": "manual"], .generac(.setRemote(.manual))),
                (["command": "off"], .generac(.setRemote(.off))),
                (["command": "setTime"], .generac(.setTime)),
                (["command": "setQuietMode", "on": false], .generac(.setQuiet(on: false))),
                (["command": "setExercise", "weekday": "tuesday", "time": "07:05"],
                 .generac(.setExercise(try ExerciseRequest(weekday: .tuesday, hour: 7, minute: 5)))),
                (["command": "setExercise", "frequency": "monthly", "dayOfMonth": 15, "time": "13:30"],
                 .generac(.setExercise(try ExerciseRequest(frequency: .monthly, day: .dayOfMonth(15), hour: 13, minute: 30)))),
            ]
            for (body, expected) in cases {
                let response = try await web.send(.post, "/api/v1/commands", json: body, as: admin)
                #expect(response.status == .ok, "\(body): \(response.text)")
                #expect(await web.service.commands.last?.0 == expected)
            }
        }

        @Test func aMalformedControlIsRefusedBeforeReachingTheMonitor() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            for body: [String: Any] in [["command": "launch"], ["command": "setExercise", "weekday": "Monday", "time": "24:00"],
                                        ["command": "setExercise", "weekday": "Someday", "time": "10:00"],
                                        ["command": "setExercise", "frequency": "monthly", "time": "10:00"],
                                        ["command": "setExercise", "frequency": "monthly", "dayOfMonth": 30, "time": "10:00"],
                                        ["command": "setExercise", "frequency": "daily", "weekday": "Monday", "time": "10:00"],
                                        ["command": "setQuietMode"], [:]] {
                let response = try await web.send(.post, "/api/v1/commands", json: body, as: admin)
                #expect(response.status == .badRequest, "\(body) answered \(response.status)")
            }
            #expect(try await web.request(.post, "/api/v1/commands", headers: [.authorization: "Bearer " + (try await web.token(.admin)), .contentType: "application/json"],
                                          body: Array("not json".utf8)).status == .badRequest)
            let notAnObject = try await web.request(.post, "/api/v1/commands", headers: [.authorization: "Bearer " + (try await web.token(.admin)), .contentType: "application/json"],
                                                    body: Array("[\"start\"]".utf8))
            #expect(notAnObject.status == .badRequest)
            #expect(notAnObject.text.contains("The body must be a JSON object."))
            #expect(await web.service.commands.isEmpty)
        }

        @Test func theOutcomeIsReportedAsTheMonitorGivesIt() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.admin)
            await web.service.setOutcome(CommandOutcome(result: .unconfirmed, message: "not seen within 20 s", legacyReply: "x"))
            let unconfirmed = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], token: token)
            #expect(unconfirmed.status == .ok)
            #expect(try unconfirmed.decode(CommandResultView.self).succeeded == false)
            await web.service.setOutcome(CommandOutcome(result: .failed, message: "not connected", legacyReply: "x"))
            let failed = try await web.send(.post, "/api/v1/commands", json: ["command": "start"], token: token)
            #expect(failed.status == .unprocessableContent)
            #expect(try failed.decode(CommandResultView.self).message == "not connected")
        }

        @Test func aHugeBodyIsRefused() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.admin)
            let body = Array(#"{"command":"start","time":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 100_000) + Array(#""}"#.utf8)
            let response = try await web.request(.post, "/api/v1/commands", headers: [.authorization: "Bearer " + token, .contentType: "application/json"], body: body)
            #expect(response.status == .contentTooLarge)
        }
    }

    @Suite struct AccountAPITests {
        @Test func anAdminAddsAUserWhoGetsAPasswordShownOnce() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let created = try await web.send(.post, "/api/v1/users", json: ["name": "carol", "role": "viewer"], as: admin)
            #expect(created.status == .created)
            let password = try #require(try created.json()["password"] as? String)
            #expect(password.count == 18)
            #expect(try await web.signIn("carol", password).cookie.isEmpty == false)
            let list = try await web.get("/api/v1/users", as: admin)
            #expect(!list.text.contains(password))
            #expect(try list.decode([UserView].self).map(\.name) == ["alice", "carol", "victor"])
            let audit = try await web.database.audits()
            #expect(audit.contains { $0.record.command == "user add carol viewer" && $0.record.origin.principal == "alice" })
        }

        @Test func roleChangesAndRemovalsApplyAtOnceButNeverLeaveNoAdmin() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let victor = try await web.viewer()
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: victor).status == .forbidden)
            #expect(try await web.send(.put, "/api/v1/users/victor", json: ["role": "admin"], as: admin).status == .ok)
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], as: victor).status == .ok)
            #expect(try await web.send(.put, "/api/v1/users/victor", json: ["role": "viewer"], as: admin).status == .ok)
            let last = try await web.send(.delete, "/api/v1/users/alice", as: admin)
            #expect(last.status == .conflict)
            #expect(last.errorCode == "last_admin")
            #expect(try await web.send(.delete, "/api/v1/users/victor", as: admin).status == .noContent)
            #expect(try await web.get("/api/v1/status", as: victor).status == .unauthorized)
            #expect(try await web.send(.delete, "/api/v1/users/victor", as: admin).status == .notFound)
        }

        @Test func aResetPasswordSignsTheUserOutEverywhere() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let victor = try await web.viewer()
            let reset = try await web.send(.put, "/api/v1/users/victor", json: ["generatePassword": true], as: admin)
            let password = try #require(try reset.json()["password"] as? String)
            #expect(try await web.get("/api/v1/status", as: victor).status == .unauthorized)
            #expect(try await web.signIn("victor", password).cookie.isEmpty == false)
            #expect(try await web.send(.put, "/api/v1/users/victor", json: ["password": "short"], as: admin).status == .badRequest)
        }

        @Test func anAdminResettingTheirOwnPasswordStaysSignedInToSeeIt() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let reset = try await web.send(.put, "/api/v1/users/alice", json: ["generatePassword": true], as: admin)
            let password = try #require(try reset.json()["password"] as? String)
            #expect(try await web.get("/api/v1/users", as: admin).status == .ok)
            #expect(try await web.signIn("alice", password).cookie.isEmpty == false)
        }

        @Test func aTokenIsShownOnceWorksWithItsRoleAndDiesWhenRevoked() async throws {
            let web = try await WebHarness()
            let admin = try await web.admin()
            let created = try await web.send(.post, "/api/v1/tokens", json: ["name": "home-assistant", "role": "viewer"], as: admin)
            #expect(created.status == .created)
            let secret = try #require(try created.json()["secret"] as? String)
            #expect(try await web.get("/api/v1/status", token: secret).status == .ok)
            #expect(try await web.send(.post, "/api/v1/commands", json: ["command": "start"], token: secret).status == .forbidden)
            let list = try await web.get("/api/v1/tokens", as: admin)
            #expect(!list.text.contains(secret))
            #expect(try list.decode([TokenView].self).first?.createdBy == "alice")
            #expect(try await web.send(.post, "/api/v1/tokens", json: ["name": "home-assistant", "role": "admin"], as: admin).status == .conflict)
            #expect(try await web.send(.delete, "/api/v1/tokens/home-assistant", as: admin).status == .noContent)
            #expect(try await web.get("/api/v1/status", token: secret).status == .unauthorized)
        }
    }

    /// `/cmd/<command>`: the original web server's answers.
    @Suite struct LegacyRouteTests {
        @Test func oneWordAnswersComeAsJSONStringsWithANewline() async throws {
            let web = try await WebHarness()
            let viewer = try await web.viewer()
            let base = try await web.get("/cmd/getbase", as: viewer)
            #expect(base.status == .ok)
            #expect(base.headers[.contentType] == "application/json")
            #expect(base.text == "\"READY\"\n")
            #expect(try await web.get("/cmd/getsitename", as: viewer).text == "\"Test\"\n")
        }

        func withoutMonitorTime(_ text: String) -> String {
            text.replacingOccurrences(of: #""Monitor Time": "[^"]*""#, with: #""Monitor Time": """#, options: .regularExpression)
        }

        @Test func textReportsAreWrappedAndJSONReportsPassThroughUnchanged() async throws {
            let web = try await WebHarness()
            let viewer = try await web.viewer()
            let dispatcher = web.app.legacy
            let origin = CommandOrigin(interface: .web, principal: "victor", mayControl: false)
            for name in ["status_json", "maint_json", "outage_json", "logs_json", "monitor_json", "gui_status_json", "status_num_json", "registers_json"] {
                var expected = await dispatcher.reply(to: "generator: \(name)", origin: origin)
                expected.removeLast(LegacyDispatcher.endOfMessage.count)
                let response = try await web.get("/cmd/\(name)", as: viewer)
                #expect(response.headers[.contentType] == "application/json", "\(name)")
                if name == "monitor_json" || name == "gui_status_json" {
                    // These carry the time and platform figures of the moment they are made.
                    #expect(response.text.hasPrefix(String(expected.prefix(12))), "\(name)")
                } else {
                    // status_json carries the monitor's clock, which may tick between the two answers.
                    #expect(withoutMonitorTime(response.text) == withoutMonitorTime(expected),
                            "\(name) is not passed through byte for byte")
                }
            }
            let status = try await web.get("/cmd/status", as: viewer)
            let text = try JSONSerialization.jsonObject(with: Data(status.body), options: .fragmentsAllowed) as? String
            #expect(text?.contains("Switch State : Auto") == true)
            #expect(status.text.hasSuffix("\"\n"))
        }

        @Test func startInfoTellsTheOriginalPageWhoMayWrite() async throws {
            let web = try await WebHarness()
            let viewerInfo = try await web.get("/cmd/start_info_json", as: try await web.viewer()).json()
            #expect(viewerInfo["write_access"] as? Bool == false)
            #expect(viewerInfo["LoginActive"] as? Bool == true)
            #expect((viewerInfo["pages"] as? [String: Any])?["settings"] as? Bool == false)
            let adminInfo = try await web.get("/cmd/start_info_json", token: try await web.token(.admin))
            #expect(try adminInfo.json()["write_access"] as? Bool == true)
            #expect(adminInfo.text.hasSuffix("}\n"))
            #expect(!adminInfo.text.contains(": "), "compact, as the original's web server writes it")
        }

        @Test func writesTakeTheirArgumentFromTheParameterNamedLikeTheCommand() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.admin, name: "script")
            #expect(try await web.get("/cmd/setremote?setremote=stop", token: token).text == "\"Remote command sent successfully\"\n")
            _ = try await web.get("/cmd/setexercise?setexercise=Monday,13:30,Weekly", token: token)
            _ = try await web.get("/cmd/settime?settime=%20", token: token)
            _ = try await web.get("/cmd/setquiet?setquiet=on", token: token)
            let commands = await web.service.commands
            #expect(commands.map(\.0) == [.generac(.setRemote(.stop)), .generac(.setExercise(try ExerciseRequest(weekday: .monday, hour: 13, minute: 30))),
                                          .generac(.setTime), .generac(.setQuiet(on: true))])
            #expect(commands.allSatisfy { $0.1 == CommandOrigin(interface: .api, principal: "token:script", mayControl: true) })
            #expect(try await web.get("/cmd/setremote?setremote=launch", token: token).text == "\"Invalid command syntax for command setremote (3)\"\n")
        }

        @Test func aViewerGetsReadOnlyModeForEveryWriteCommand() async throws {
            let web = try await WebHarness()
            let token = try await web.token(.viewer)
            for name in ["setremote", "setexercise", "setquiet", "settime", "add_maint_log", "clear_maint_log", "delete_row_maint_log",
                         "edit_row_maint_log", "power_log_clear", "set_button_command", "sendregisters", "notify_message", "setnotifications"] {
                let response = try await web.get("/cmd/\(name)?\(name)=x", token: token)
                #expect(response.status == .forbidden, "\(name)")
                #expect(response.text == "\"Read Only Mode\"\n", "\(name)")
            }
            #expect(await web.service.commands.isEmpty)
        }

        @Test func unknownAndUnofferedCommandsAreNotFoundAndStrangersAreNotLetIn() async throws {
            let web = try await WebHarness()
            let viewer = try await web.viewer()
            for name in ["restart", "updatesoftware", "settings", "setsettings", "backup", "writeregvalue", "nonsense"] {
                #expect(try await web.get("/cmd/\(name)", as: viewer).status == .notFound, "\(name)")
            }
            #expect(try await web.get("/cmd/getbase").status == .unauthorized)
            #expect(try await web.get("/cmd/getfavicon", as: viewer).text == "\"\"\n")
        }

        @Test func flaskStringsEscapeLikePython() {
            #expect(FlaskJSON.string("a\"b\\c\nd\u{1}é😀") == "\"a\\\"b\\\\c\\nd\\u0001\\u00e9\\ud83d\\ude00\"\n")
            // DEL is outside Python's printable range too: json.dumps("\x7f") == '"\\u007f"'.
            #expect(FlaskJSON.string("~\u{7F}") == "\"~\\u007f\"\n")
            #expect(FlaskJSON.document(.object([("b", .int(1)), ("a", .list([.double(13.7), .bool(true), .null]))])) == "{\"a\":[13.7,true,null],\"b\":1}\n")
        }
    }

    @Suite struct LiveStreamTests {
        @Test func theStreamSendsTheStatusAtOnceThenChangesAndEventsAsTheyHappen() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(heartbeat: .seconds(60)))
            let stream = try await LiveStream.open(web, token: try await web.token(.viewer))
            let first = try await stream.next(1)
            #expect(first.map(\.name) == ["status"])
            #expect(try JSONDecoder.web.decode(StatusView.self, from: Data(first[0].data.utf8)).state == .ready)

            // Only the clocks moved: not news.
            await web.service.update { $0.updatedAt = $0.updatedAt.addingTimeInterval(1) }
            await web.service.publish(MonitorEvent(time: web.clock.now, kind: .outageStarted(utilityVolts: 0)))
            let start = web.clock.now
            await web.service.update { $0.outage = OutageStatus(inOutage: true, currentStart: start) }
            let messages = try await stream.next(3) { messages in
                messages.contains { $0.name == "status" && $0.data.contains("\"inOutage\":true") } && messages.contains { $0.name == "event" }
            }
            // The event and the new status come from separate publications: either may come first.
            #expect(messages.map(\.name).sorted() == ["event", "status", "status"], "\(messages.map(\.name))")
            let event = try JSONDecoder.web.decode(EventView.self, from: Data(try #require(messages.first { $0.name == "event" }).data.utf8))
            #expect(event.name == "outage_started")
            #expect(event.severity == "warning")
            await stream.close()
        }

        @Test func aQuietStreamStillPingsSoThePageKnowsItIsAlive() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(heartbeat: .milliseconds(50)))
            let stream = try await LiveStream.open(web, token: try await web.token(.viewer))
            let messages = try await stream.next(3) { $0.filter { $0.name == "ping" }.count >= 2 }
            #expect(messages.first?.name == "status")
            await stream.close()
        }

        @Test func stoppingTheServerEndsEveryStream() async throws {
            let web = try await WebHarness()
            let response = try await web.start(.get, "/api/v1/stream", headers: [.authorization: "Bearer " + (try await web.token(.viewer))])
            let collector = BodyCollector()
            let writing = Task { try await response.body.write(collector) }
            while web.app.live.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
            web.app.live.closeAll()
            try await writing.value
            #expect(web.app.live.count == 0)
            #expect(String(decoding: collector.bytes, as: UTF8.self).hasPrefix("retry: 3000"))
            #expect(try await web.get("/api/v1/stream", token: try await web.token(.viewer)).status == .serviceUnavailable)
        }

        @Test func aStreamEndsOnceItsSessionOrTokenIsNoLongerValid() async throws {
            let web = try await WebHarness(configuration: WebAppConfiguration(heartbeat: .milliseconds(50)),
                                           timing: AccountStore.Timing(cacheLifetime: 0))
            let token = try await web.token(.viewer, name: "dashboard")
            let response = try await web.start(.get, "/api/v1/stream", headers: [.authorization: "Bearer " + token])
            let collector = BodyCollector()
            let writing = Task { try await response.body.write(collector) }
            let deadline = ContinuousClock.now + .seconds(20)
            while !String(decoding: collector.bytes, as: UTF8.self).contains("event: ping"), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(String(decoding: collector.bytes, as: UTF8.self).contains("event: ping"), "the stream is alive")
            try await web.accounts.revokeToken(name: "dashboard")
            try await writing.value  // ends by itself, at the next heartbeat
            #expect(web.app.live.count == 0)
        }

        @Test func strangersGetNoStream() async throws {
            let web = try await WebHarness()
            #expect(try await web.get("/api/v1/stream").status == .unauthorized)
        }
    }

    @Suite struct AssetTests {
        @Test func thePageNamesItsFilesWithVersionsAndLoadsNothingFromElsewhere() async throws {
            let web = try await WebHarness()
            let page = try await web.get("/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let version = try #require(EmbeddedAssets.all["app.js"]?.version)
            #expect(page.text.contains("/assets/app.js?v=\(version)\""))
            for name in ["index.html", "app.js", "app.css", "icon.svg", "manifest.webmanifest"] {
                // The SVG namespace is a name, not an address anything is loaded from.
                let text = String(decoding: EmbeddedAssets.all[name]?.bytes ?? [], as: UTF8.self)
                    .replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                for pattern in ["http://", "https://", "//cdn", "@import", "<script>", " style=", " on"+"click="] {
                    #expect(!text.contains(pattern), "\(name) contains \(pattern)")
                }
            }
        }

        @Test func versionedFilesAreKeptForGoodAndOthersRevalidated() async throws {
            let web = try await WebHarness()
            let asset = try #require(EmbeddedAssets.all["app.js"])
            let versioned = try await web.get("/assets/app.js?v=\(asset.version)")
            #expect(versioned.headers[.cacheControl] == "public, max-age=31536000, immutable")
            let plain = try await web.get("/assets/app.js")
            #expect(plain.headers[.cacheControl] == "no-cache")
            let etag = try #require(plain.headers[.eTag])
            let again = try await web.request(.get, "/assets/app.js", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.isEmpty)
            #expect(try await web.get("/assets/nothing.js").status == .notFound)
            #expect(try await web.get("/assets/index.html").status == .notFound)
        }

        @Test func browsersThatAcceptGzipGetItSmaller() async throws {
            let web = try await WebHarness()
            let zipped = try await web.request(.get, "/assets/app.js", headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.body.count < (EmbeddedAssets.all["app.js"]?.bytes.count ?? 0) / 2)
            #expect(Array(zipped.body.prefix(2)) == [0x1F, 0x8B])
        }

        @Test func theLivenessProbeAnswersAnyone() async throws {
            let web = try await WebHarness()
            let probe = try await web.get("/healthz")
            #expect(probe.status == .ok)
            #expect(probe.text == "ok\n")
        }
    }
}

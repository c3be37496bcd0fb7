import Testing
@testable import Generac

@Suite("Command syntax")
struct CommandParserTests {
    @Test("Valid setexercise forms", arguments: [
        ("setexercise=Monday,13:30,Weekly", ExerciseFrequency.weekly, ExerciseDay.weekday(1), 13, 30),
        ("setexercise=Monday,13:30", .weekly, .weekday(1), 13, 30),
        ("setexercise=Monday,13:30,BiWeekly", .biweekly, .weekday(1), 13, 30),
        ("setexercise=15,13:30,Monthly", .monthly, .dayOfMonth(15), 13, 30),
        ("SETEXERCISE=sunday, 7:05 ,WEEKLY", .weekly, .weekday(0), 7, 5),
        ("setexercise=Saturday,0:0", .weekly, .weekday(6), 0, 0),
    ])
    func validExercise(text: String, frequency: ExerciseFrequency, day: ExerciseDay, hour: Int, minute: Int) throws {
        let expected = try ExerciseRequest(frequency: frequency, day: day, hour: hour, minute: minute)
        #expect(try CommandParser.parse(text).get() == .setExercise(expected))
    }

    @Test("Invalid setexercise forms all give the original's error text", arguments: [
        "setexercise=Funday,13:30", "setexercise=Monday,25:00", "setexercise=Monday,13:60", "setexercise=Monday,1330",
        "setexercise=Monday", "setexercise=Monday,13:30,Weekly,x", "setexercise=29,13:30,Monthly",
        "setexercise=0,13:30,Monthly", "setexercise=Monday,13:30,Monthly", "setexercise=15,13:30,Weekly",
        "setexercise==Monday,13:30", "setexercise=Monday,13:30,daily", "setexercise", "setexercise=Monday,13:30:00",
        "setexercise=Monday,:30", "setexercise=Monday,-1:30",
    ])
    func invalidExercise(text: String) {
        #expect(CommandParser.parse(text) == .failure(.setExercise))
        #expect(CommandParseError.setExercise.message == "Invalid command syntax for command setexercise")
    }

    @Test("setremote accepts the ten words and reports (1)/(3) errors")
    func setRemote() {
        for command in RemoteCommand.allCases {
            #expect(CommandParser.parse("setremote=" + command.rawValue) == .success(.setRemote(command)))
        }
        #expect(CommandParser.parse("setremote = START ") == .success(.setRemote(.start)))
        #expect(CommandParser.parse("setremote=fly") == .failure(.setRemoteUnknown))
        #expect(CommandParser.parse("setremote") == .failure(.setRemoteFormat))
        #expect(CommandParser.parse("setremote=start=now") == .failure(.setRemoteFormat))
        #expect(CommandParseError.setRemoteUnknown.message == "Invalid command syntax for command setremote (3)")
        #expect(CommandParseError.setRemoteFormat.message == "Invalid command syntax for command setremote (1)")
    }

    @Test("setquiet looks for on/off in the value", arguments: [
        ("setquiet=on", Result<GeneracCommand, CommandParseError>.success(.setQuiet(on: true))),
        ("setquiet=OFF", .success(.setQuiet(on: false))),
        ("setquiet=quiet on", .success(.setQuiet(on: true))),
        ("setquiet=yes", .failure(.setQuiet)),
        ("setquiet", .failure(.setQuiet)),
    ])
    func setQuiet(text: String, expected: Result<GeneracCommand, CommandParseError>) {
        #expect(CommandParser.parse(text) == expected)
    }

    @Test("settime, testcommand and unknown commands")
    func others() {
        #expect(CommandParser.parse(" SetTime ") == .success(.setTime))
        #expect(CommandParser.parse("testcommand=5") == .success(.testCommand(5)))
        #expect(CommandParser.parse("testcommand=17") == .failure(.testCommandRange))
        #expect(CommandParser.parse("testcommand=x") == .failure(.testCommandFormat))
        #expect(CommandParser.parse("reboot=now") == .failure(.unknownCommand))
    }
}

/// `setquiet=on|off` (docs/registers.md#set-quiet-mode): `002f` lo byte, Evolution LC and Evolution 2.0 only.
public enum QuietModeCommand {
    public static let reply = "Set Quiet Mode Command sent"

    public static func plan(on: Bool, identity: ControllerIdentity) throws(GeneracCommandError) -> CommandPlan {
        guard identity.supportsQuietModeWrite else { throw .notSupportedOnThisController }
        // The write goes to 002f; the controller reports the setting back in 0006 lo byte.
        return CommandPlan(writes: [RegisterWrite(Register.quietModeWrite, on ? 0x0001 : 0x0000)],
                           confirmation: Confirmation(.quietMode(on: on), readBack: [RegisterSpan(Register.exerciseDayAndQuietMode)], timeoutSeconds: 30),
                           reply: reply)
    }
}

/// Every command name the original's socket knows (docs/compatibility.md#the-command-table). Matching is case-insensitive.
public enum LegacyCommand: String, Sendable, CaseIterable {
    case status, status_json, status_num_json
    case maint, maint_json, maint_num_json
    case outage, outage_json, outage_num_json
    case monitor, monitor_json, monitor_num_json
    case logs, logs_json
    case registers, registers_json, allregs, allregs_json
    case help
    case weather_json, start_info_json, gui_status_json, support_data_json
    case getbase, getsitename, gethealth, getdebug, network_status
    case settime, setexercise, setquiet, setremote, testcommand
    case getregvalue, readregvalue, writeregvalue
    case power_log_json, power_log_clear, fuel_log_clear
    case sensor_log_json, sensor_names_json, sensor_log_clear
    case get_maint_log_json, add_maint_log, edit_row_maint_log, delete_row_maint_log, clear_maint_log
    case sendregisters, sendlogfiles
    case set_tank_data, set_sensor_data, set_external_gauge_data, set_power_data
    case notify_message, getreglabels_json, set_button_command
    /// genmon's own: the original's web server answered these itself from mymail.conf; here the
    /// socket answers them too, from the notification engine.
    case notifications, setnotifications

    /// Case-insensitive lookup of a token's name.
    public init?(name: Substring) {
        self.init(rawValue: name.lowercased())
    }

    /// Handlers that parse their argument from the command string (which they receive whole).
    public var takesArgument: Bool {
        switch self {
        case .setexercise, .setquiet, .setremote, .testcommand, .getregvalue, .readregvalue, .writeregvalue,
             .power_log_json, .sensor_log_json, .add_maint_log, .edit_row_maint_log, .delete_row_maint_log,
             .set_tank_data, .set_sensor_data, .set_external_gauge_data, .set_power_data, .notify_message, .set_button_command,
             .setnotifications:
            true
        default: false
        }
    }

    /// The JSON-taking handlers get the command string with its case preserved; the rest lower-cased.
    public var preservesCase: Bool {
        switch self {
        case .add_maint_log, .edit_row_maint_log, .set_tank_data, .set_sensor_data, .set_external_gauge_data,
             .set_power_data, .notify_message, .set_button_command, .setnotifications:
            true
        default: false
        }
    }

    /// Commands that change the generator: they go through `GeneratorService.execute` and are
    /// refused from hosts that may not control it.
    public var changesGenerator: Bool {
        switch self {
        case .settime, .setexercise, .setquiet, .setremote, .testcommand, .writeregvalue, .set_button_command: true
        default: false
        }
    }

    /// Commands that change what the monitor keeps (journal, logs, add-on data): refused from the same hosts.
    public var changesMonitorState: Bool {
        switch self {
        case .add_maint_log, .edit_row_maint_log, .delete_row_maint_log, .clear_maint_log, .power_log_clear,
             .fuel_log_clear, .sensor_log_clear, .set_tank_data, .set_sensor_data, .set_external_gauge_data, .set_power_data,
             .setnotifications:
            true
        default: false
        }
    }

    /// Accepted in an e-mail subject (the original's e-mail command path).
    public var allowedByEmail: Bool {
        switch self {
        case .status, .maint, .outage, .monitor, .logs, .registers, .allregs, .help, .network_status,
             .settime, .setexercise, .setquiet, .setremote, .testcommand:
            true
        default: false
        }
    }

    /// Blocked by `readonlyemailcommands` (the original forgets `testcommand`; we do not).
    public var blockedByReadOnlyEmail: Bool {
        switch self {
        case .settime, .setexercise, .setquiet, .setremote, .testcommand: true
        default: false
        }
    }
}

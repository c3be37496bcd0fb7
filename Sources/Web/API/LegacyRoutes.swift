import Foundation
import Hummingbird
import LegacyProtocol
import Monitor

/// The original web server's `/cmd/<command>` routes, answered by the same dispatcher as the
/// command socket, wrapped the way the original wraps them: `_json` answers passed through as
/// `application/json`, everything else as a JSON string. Behind sign-in; commands that change
/// anything need an admin.
enum LegacyRoutes {
    /// Forwarded to the monitor's command handler, exactly the original's list.
    static let forwarded: Set<String> = [
        "status", "status_json", "outage", "outage_json", "maint", "maint_json", "logs", "logs_json", "monitor",
        "monitor_json", "registers_json", "allregs_json", "start_info_json", "gui_status_json", "power_log_json",
        "sensor_log_json", "sensor_names_json", "sensor_log_clear", "power_log_clear", "getbase", "getsitename",
        "setexercise", "setquiet", "setremote", "settime", "sendregisters", "sendlogfiles", "getdebug",
        "status_num_json", "maint_num_json", "monitor_num_json", "outage_num_json", "get_maint_log_json",
        "add_maint_log", "clear_maint_log", "delete_row_maint_log", "edit_row_maint_log", "support_data_json",
        "fuel_log_clear", "notify_message", "set_button_command",
        // The original's web server answered these two itself from mymail.conf; here the engine does.
        "notifications", "setnotifications",
    ]

    /// Everything that changes the generator or what the monitor keeps, or sends mail: admin only.
    static func changesState(_ command: LegacyCommand) -> Bool {
        if command.changesGenerator || command.changesMonitorState { return true }
        return [.sendregisters, .sendlogfiles, .notify_message].contains(command)
    }

    /// The request line for `/cmd/<name>`: the argument (for commands that take one) comes from the
    /// query parameter named like the command.
    static func requestLine(_ name: String, request: Request) -> String {
        var command = name
        if LegacyCommand(name: Substring(name))?.takesArgument == true, let value = request.query(name) {
            let cleaned = String(value.filter { $0 != "\0" && $0 != "\r" && $0 != "\n" }.prefix(2048))
            command += "=" + cleaned
            // The original's page asks `sensor_log_json?sensor_log_json=1440&sensor=CPU+Temp`.
            if name == "sensor_log_json", let sensor = request.query("sensor") {
                command += "&sensor=" + String(sensor.filter { $0 != "\0" && $0 != "\r" && $0 != "\n" }.prefix(512))
            }
        }
        return "generator: " + command
    }

    static let readOnlyReply = "Read Only Mode"

    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/cmd/{command}", .viewer) { request, context, principal in
            let name = (context.parameters.get("command") ?? "").lowercased()
            guard let principal else { throw APIError.unauthenticated }
            if forwarded.contains(name) {
                // Judged on what the dispatcher will run, not on the route's name: an argument
                // with spaces would otherwise carry more commands past the check.
                let line = requestLine(name, request: request)
                if LegacyDispatcher.commands(in: line).contains(where: changesState) {
                    do {
                        try routes.policy.authorize(Requirement(.admin, changesState: true), request: request, context: context)
                    } catch let error as APIError where error.code == "forbidden" {
                        return Response.bytes(Array(FlaskJSON.string(readOnlyReply).utf8), contentType: "application/json",
                                              status: .forbidden)
                    }
                }
                return await forward(name, line: line, principal: principal, app: app)
            }
            switch name {
            case "getfavicon": return Response.bytes(Array(FlaskJSON.string("").utf8), contentType: "application/json")
            case "getreglabels": return Response.bytes(Array("{}\n".utf8), contentType: "application/json")
            default:
                throw APIError(.notFound, "unknown_command", "genmon's web server does not offer /cmd/\(name).")
            }
        }
    }

    static func forward(_ name: String, line: String, principal: Principal, app: WebApp) async -> Response {
        var reply = await app.legacy.reply(to: line, origin: principal.commandOrigin)
        if reply.hasSuffix(LegacyDispatcher.endOfMessage) { reply.removeLast(LegacyDispatcher.endOfMessage.count) }
        return wrap(name, reply: reply, principal: principal)
    }

    /// `_json` answers as they are (with `application/json` when they parse), the rest as a JSON string.
    static func wrap(_ name: String, reply: String, principal: Principal) -> Response {
        // `notifications` is an object the original's server wrote itself, the jsonify way.
        if name == "notifications", let parsed = try? JSONParser.parse(reply) {
            return Response.bytes(Array(FlaskJSON.document(parsed).utf8), contentType: "application/json")
        }
        guard name.hasSuffix("_json") else {
            return Response.bytes(Array(FlaskJSON.string(reply).utf8), contentType: "application/json")
        }
        guard let parsed = try? JSONParser.parse(reply) else {
            return Response.bytes(Array(reply.utf8), contentType: "text/html; charset=utf-8")
        }
        if name == "start_info_json", case var .object(pairs) = parsed {
            // The original's web server adds who may write and that sign-in is on, and hides the
            // settings pages from read-only users.
            pairs.append(("write_access", .bool(principal.isAdmin)))
            pairs.append(("LoginActive", .bool(true)))
            if !principal.isAdmin, let index = pairs.firstIndex(where: { $0.0 == "pages" }), case var .object(pages) = pairs[index].1 {
                for key in ["settings", "notifications"] {
                    if let page = pages.firstIndex(where: { $0.0 == key }) { pages[page].1 = .bool(false) }
                }
                pairs[index].1 = .object(pages)
            }
            return Response.bytes(Array(FlaskJSON.document(.object(pairs)).utf8), contentType: "application/json")
        }
        return Response.bytes(Array(reply.utf8), contentType: "application/json")
    }
}

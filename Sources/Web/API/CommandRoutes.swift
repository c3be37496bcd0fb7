import Foundation
import Hummingbird
import Monitor

/// The controls: which the controller offers (anyone signed in), and running one (admins).
enum CommandRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/commands", .viewer) { _, _, _ in
            try Response.json(app.views.commands(await app.service.snapshot().readings))
        }

        routes.post("/api/v1/commands", .admin) { request, context, principal in
            guard let principal else { throw APIError.unauthenticated }
            let body = try await request.decodeJSON(CommandRequestBody.self, context: context)
            let command = try body.monitorCommand()
            let offered = app.views.commands(await app.service.snapshot().readings)
            guard offered.first(where: { $0.command == body.command.rawValue })?.available == true else {
                throw APIError(.conflict, "unsupported", "This controller does not offer “\(body.command.label)”.")
            }
            let started = app.clock()
            // The monitor authorises again, writes, reads back until confirmed, and audits with the
            // principal's name. Setting the clock waits for the next whole minute and then for the
            // controller: the answer comes at once ("pending"), the result over the live stream.
            let pending = command == .generac(.setTime)
            let outcome = pending ? await app.service.submit(command, origin: principal.commandOrigin)
                                  : await app.service.execute(command, origin: principal.commandOrigin)
            let result = pending && outcome.result == .sent ? "pending" : outcome.result.rawValue
            let view = CommandResultView(command: command.text, result: result, succeeded: outcome.succeeded,
                                         message: outcome.message, startedAt: started,
                                         duration: Quantity(app.clock().timeIntervalSince(started), "s") ?? Quantity(0, "s")!)
            let status: HTTPResponse.Status = switch outcome.result {
            case .sent where pending: .accepted
            case .confirmed, .sent, .unconfirmed: .ok
            case .refused: .forbidden
            case .failed: .unprocessableContent
            }
            return try Response.json(view, status: status)
        }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import Monitor

/// `GET /api/v1/stream`: Server-Sent Events. A `status` message at once and whenever the status
/// changes, an `event` message for every monitor event, a `ping` every `heartbeat` so the page
/// knows the link is alive (and can tell a dead one, which TCP alone may not tell for minutes). Driven by the monitor's publications, never by polling; a browser's
/// EventSource reconnects by itself (`retry: 3000`).
enum LiveRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/api/v1/stream", .viewer) { request, context, _ in
            let stillAllowed = credentialCheck(request, context: context, app: app)
            guard let (id, stream, continuation) = app.live.open() else {
                throw APIError(.serviceUnavailable, "stopping", "genmon is stopping.")
            }
            // Subscribed before the answer goes out, so nothing published after it is missed.
            let snapshots = app.service.snapshots(), events = app.service.events()
            let producers = Task {
                await produce(app, snapshots: snapshots, events: events, stillAllowed: stillAllowed, into: continuation)
            }
            // However the answer ends (written, abandoned, server stopping), the producers stop.
            continuation.onTermination = { _ in
                producers.cancel()
                app.live.close(id)
            }
            let body = ResponseBody { writer in
                defer {
                    producers.cancel()
                    app.live.close(id)
                }
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                for await message in stream {
                    try await writer.write(ByteBuffer(string: message))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-store",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ], body: body)
        }
    }

    /// Feeds one page's stream until cancelled.
    /// Whether the session or token the stream was opened with is still valid (signed out,
    /// removed, revoked: the stream ends at its next heartbeat).
    static func credentialCheck(_ request: Request, context: WebContext, app: WebApp) -> @Sendable () async -> Bool {
        if let cookie = context.sessionCookie {
            return { await app.accounts.principal(sessionCookie: cookie) != nil }
        }
        let secret = AuthenticationMiddleware.bearer(in: request) ?? ""
        return { await app.accounts.principal(bearer: secret) != nil }
    }

    static func produce(_ app: WebApp, snapshots: AsyncStream<GeneratorSnapshot>, events: AsyncStream<MonitorEvent>,
                        stillAllowed: @escaping @Sendable () async -> Bool, into continuation: AsyncStream<String>.Continuation) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var last: StatusView?
                for await snapshot in snapshots {
                    let status = app.views.status(snapshot, now: app.clock())
                    // The same status with only its clocks moved is not news.
                    if let last, last.ignoringTimes == status.ignoringTimes { continue }
                    last = status
                    continuation.yield(message("status", status))
                }
            }
            group.addTask {
                for await event in events {
                    let view = EventView(id: nil, time: event.time, name: event.name, severity: event.severity.rawValue, summary: event.summary)
                    continuation.yield(message("event", view))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: app.configuration.heartbeat)
                    guard !Task.isCancelled else { break }
                    guard await stillAllowed() else {
                        continuation.finish()
                        break
                    }
                    continuation.yield(message("ping", Ping(time: app.clock())))
                }
            }
        }
    }

    struct Ping: Encodable { let time: Date }

    static func message<T: Encodable>(_ name: String, _ value: T) -> String {
        let data = (try? WebJSON.encoder.encode(value)) ?? Data("{}".utf8)
        return "event: \(name)\ndata: " + String(decoding: data, as: UTF8.self) + "\n\n"
    }
}

extension StatusView {
    var ignoringTimes: StatusView {
        var copy = self
        copy.time = .distantPast
        copy.updatedAt = .distantPast
        // A value read again is not news; one going stale (or fresh again) is.
        copy.readings = readings.mapValues { ReadingAgeView(lastRead: .distantPast, age: 0, expectedRefresh: $0.expectedRefresh, stale: $0.stale) }
        return copy
    }
}

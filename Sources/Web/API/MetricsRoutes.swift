import Foundation
import Hummingbird

/// `GET /metrics`: Prometheus text exposition (version 0.0.4). Needs a viewer (an API token, for a
/// Prometheus server: `authorization: credentials_file` in its scrape config) unless `metrics_public`
/// opens it to anyone who can reach the web app. 404 when genmon runs without metrics.
enum MetricsRoutes {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func register(_ routes: RouteTable, app: WebApp) {
        let access: Access = app.configuration.metrics?.isPublic == true ? .anyone : .viewer
        routes.get("/metrics", access) { _, _, _ in
            guard let metrics = app.configuration.metrics else {
                throw APIError(.notFound, "no_metrics", "genmon runs without metrics here.")
            }
            return Response.bytes(await metrics.render(), contentType: contentType)
        }
    }
}

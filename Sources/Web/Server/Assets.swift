import Crypto
import Foundation
import Hummingbird

/// One file of the page, built into the binary (so `genmon` finds it wherever it is run from).
struct Asset: Sendable {
    let name: String
    let contentType: String
    let bytes: [UInt8]
    /// The same, gzip-compressed (smaller over a weak Wi-Fi link), when smaller.
    let gzip: [UInt8]?
    /// Content hash: the ETag, and the `?v=` that lets browsers keep the file for good.
    let version: String
}

/// The page's files, from `Generated/EmbeddedAssets.swift` (made by `Scripts/embed-web-assets.sh`
/// from `Sources/Web/Assets/`).
enum EmbeddedAssets {
    static let all: [String: Asset] = {
        var assets: [String: Asset] = [:]
        for (name, encoded) in files {
            let bytes = Array(Data(base64Encoded: encoded.base64) ?? Data())
            let gzip = Array(Data(base64Encoded: encoded.gzip) ?? Data())
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            assets[name] = Asset(name: name, contentType: contentType(name), bytes: bytes,
                                 gzip: gzip.isEmpty || gzip.count >= bytes.count ? nil : gzip, version: String(digest.prefix(12)))
        }
        // The page names its script and style with their versions, so a new genmon is never
        // served an old cached script.
        if let page = assets["index.html"] {
            var html = String(decoding: page.bytes, as: UTF8.self)
            for name in ["app.js", "app.css", "icon.svg", "manifest.webmanifest"] {
                if let asset = assets[name] { html = html.replacingOccurrences(of: "/assets/\(name)\"", with: "/assets/\(name)?v=\(asset.version)\"") }
            }
            let bytes = Array(html.utf8)
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            assets["index.html"] = Asset(name: "index.html", contentType: page.contentType, bytes: bytes, gzip: nil, version: String(digest.prefix(12)))
        }
        return assets
    }()

    static func contentType(_ name: String) -> String {
        switch name.split(separator: ".").last ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json": "application/json"
        case "webmanifest": "application/manifest+json"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }

    /// The OpenAPI description of the JSON API, as served and as the tests read it.
    static var openAPI: [UInt8] { all["openapi.json"]?.bytes ?? [] }
}

/// The page, its files, the liveness probe and the API description: for anyone.
enum AssetRoutes {
    static func register(_ routes: RouteTable, app: WebApp) {
        routes.get("/", .anyone) { request, _, _ in try serve("index.html", request: request) }
        routes.get("/assets/{file}", .anyone) { request, context, _ in
            let name = context.parameters.get("file") ?? ""
            guard name != "index.html" else { throw APIError.notFound }
            return try serve(name, request: request)
        }
        routes.get("/favicon.ico", .anyone) { request, _, _ in try serve("icon.svg", request: request) }
        routes.get("/manifest.webmanifest", .anyone) { request, _, _ in try serve("manifest.webmanifest", request: request) }
        routes.get("/api/v1/openapi.json", .anyone) { request, _, _ in try serve("openapi.json", request: request) }
        routes.get("/healthz", .anyone) { _, _, _ in
            Response.bytes(Array("ok\n".utf8), contentType: "text/plain; charset=utf-8")
        }
    }

    static func serve(_ name: String, request: Request) throws -> Response {
        guard let asset = EmbeddedAssets.all[name] else { throw APIError.notFound }
        let etag = "\"\(asset.version)\""
        var headers: HTTPFields = [.contentType: asset.contentType, .eTag: etag, .vary: "Accept-Encoding"]
        // A versioned URL never changes; the page itself and unversioned URLs are checked each time.
        headers[.cacheControl] = request.query("v") == asset.version ? "public, max-age=31536000, immutable" : "no-cache"
        if request.headers[.ifNoneMatch]?.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) == true {
            return Response(status: .notModified, headers: headers)
        }
        if let gzip = asset.gzip, request.headers[.acceptEncoding]?.contains("gzip") == true {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: gzip)))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}

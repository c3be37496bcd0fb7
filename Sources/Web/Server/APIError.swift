import Foundation
import HTTPTypes
import Hummingbird

/// An error a client is told about: an HTTP status, a stable code for programs and a sentence for
/// people. Rendered as `{"error": {"code": …, "message": …}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds to wait before trying again (lockouts).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public static let unauthenticated = APIError(.unauthorized, "unauthenticated", "Sign in first (or send an API token).")
    public static let forbidden = APIError(.forbidden, "forbidden", "This needs an admin account.")
    public static let csrf = APIError(.forbidden, "csrf", "The request did not come from this app's own page (missing or wrong CSRF token or Origin).")
    public static let notFound = APIError(.notFound, "not_found", "There is nothing here.")

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }

    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    public var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"genmon\"" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = (try? WebJSON.encoder.encode(Body(error: .init(code: code, message: message)))) ?? Data()
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Response {
    /// A JSON response.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try WebJSON.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A body as given, with its content type.
    static func bytes(_ bytes: some Sequence<UInt8>, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(bytes))))
    }
}

extension Request {
    /// Decodes a JSON body into `T`, answering 400 with the reason when it does not fit.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: WebContext) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await body.collect(upTo: context.maxUploadSize) } catch {
            throw APIError(.contentTooLarge, "too_large", "The request body is too large.")
        }
        do {
            return try WebJSON.decoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("The field '\(key.stringValue)' is missing.")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest(path.isEmpty ? "The body must be a JSON object." : "The field '\(path)' has the wrong type.")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest(path.isEmpty ? "The body is not valid JSON." : "The field '\(path)' is not valid.")
        } catch {
            throw APIError.badRequest("The body is not valid JSON.")
        }
    }

    /// A query parameter.
    func query(_ name: String) -> String? { uri.queryParameters[Substring(name)].map(String.init) }
}

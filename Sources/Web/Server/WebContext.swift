import Foundation
import Hummingbird
import NIOCore

/// What every request carries besides itself: the client's address and, once the request's
/// cookie or token has been checked, who is asking.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address (for sign-in limits and the log).
    public var remoteAddress: String?
    /// Set by `AuthenticationMiddleware`; nil for anonymous requests.
    public var principal: Principal?
    /// The session cookie's value, when the request carried a valid one.
    public var sessionCookie: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// No request of this app needs a larger body.
    public var maxUploadSize: Int { 64 * 1024 }
    public var requestDecoder: JSONDecoder { WebJSON.decoder }
    public var responseEncoder: JSONEncoder { WebJSON.encoder }
}

/// JSON as the API speaks it: ISO-8601 times, sorted keys (stable output).
public enum WebJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

import HTTP
import TLS

/// One parsed request as the EST service sees it: method, target, the fields it needs, the body,
/// and what the TLS layer knows about the client.
struct ServerRequest {
    let method: HTTPMethod?
    let target: String
    let contentType: String?
    let authorization: String?
    let body: [UInt8]
    /// The client's TLS certificate (DER), when it presented one.
    let clientCertificate: [UInt8]?
    /// This connection's channel binding; nil unless the server requires it (`requireChannelBinding`).
    let channelBinding: ChannelBinding?
}

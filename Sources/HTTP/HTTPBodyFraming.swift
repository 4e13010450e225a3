/// How a message's body is delimited (RFC 9112 §6.3); exposed so callers can count interop facts
/// such as chunked versus Content-Length responses.
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: HEAD responses, 1xx, 204, 304, and requests without Content-Length or chunked.
    case none
    case contentLength(Int)
    case chunked
    /// A response without length: the body ends when the server closes the connection.
    case untilClose
}

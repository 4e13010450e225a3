import HTTP

/// What the EST service answers: a response template, the body, whether to close, and the fault
/// (if any) that changes how it goes out.
struct ServerResponse {
    /// How a fault disturbs the delivery of an otherwise normal response.
    enum Disruption: Equatable {
        /// Write part of the response, then close the connection.
        case closeMidResponse
        /// Send a TCP reset instead of the response.
        case reset
        /// Write the response, then close the connection without having said so.
        case closeAfterResponse
    }

    var template: HTTPResponseTemplate
    var body: [UInt8]
    var close = false
    /// Delay before the response is written, in milliseconds.
    var delayMs: UInt64 = 0
    var disruption: Disruption?
    var framing = HTTPResponseTemplate.Framing.contentLength
    /// The status line, fields and half the body go out at once, the rest after this many milliseconds.
    var splitDelayMs: UInt64 = 0
}

/// The most a parser accepts from one peer, so a broken or hostile server (or client, for the
/// built-in server) cannot grow a connection's buffers without bound. Exceeding each has its own error.
public struct HTTPLimits: Sendable, Equatable {
    /// Bytes of the start line and header fields, line ends included; the trailer section of a
    /// chunked body has the same allowance of its own.
    public var headerBytes: Int
    /// Header fields per message (and trailer fields per chunked body).
    public var headerCount: Int
    /// Decoded body bytes.
    public var bodyBytes: Int
    /// Bytes of one chunk-size line, extensions and CRLF included.
    public var chunkLineBytes: Int

    public init(headerBytes: Int = 16 * 1024, headerCount: Int = 100, bodyBytes: Int = 1 << 20, chunkLineBytes: Int = 1024) {
        self.headerBytes = headerBytes
        self.headerCount = headerCount
        self.bodyBytes = bodyBytes
        self.chunkLineBytes = chunkLineBytes
    }
}

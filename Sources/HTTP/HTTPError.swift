/// Why bytes from a peer are not an acceptable HTTP/1.x message. Each case names what was wrong
/// and where, so it can land in the error taxonomy as a protocol error with a useful example.
public enum HTTPError: Error, Equatable, Sendable, CustomStringConvertible {
    // MARK: start line
    /// A response's first line is not `HTTP-version SP 3DIGIT [SP reason]`.
    case invalidStatusLine(excerpt: String)
    /// A request's first line is not `method SP target SP HTTP-version`.
    case invalidRequestLine(excerpt: String)
    /// An `HTTP/…` version other than 1.0 and 1.1 (HTTP/2's preface lands here too).
    case invalidVersion(excerpt: String)
    /// Not three digits, or outside 100...599.
    case invalidStatusCode(excerpt: String)

    // MARK: fields
    /// A header line without a colon, with whitespace before it, a name that is not a token, or a
    /// control byte in the value; `line` counts from 1 at the start line.
    case invalidHeaderLine(line: Int, excerpt: String)
    /// A header line starting with whitespace: obsolete line folding (RFC 9112 §5.2), refused.
    case obsoleteLineFolding(line: Int)
    /// A malformed line in the trailer section of a chunked body.
    case invalidTrailerLine(excerpt: String)
    /// A Content-Length value that is not a decimal number (or is too large to be one).
    case invalidContentLength(excerpt: String)
    /// Content-Length given twice (or as a list) with different values (RFC 9112 §6.3).
    case conflictingContentLength(first: Int, second: Int)
    /// A Transfer-Encoding other than a single `chunked`: estbench decodes no other coding.
    case unsupportedTransferEncoding(excerpt: String)
    /// An HTTP/1.1 request without a Host field (RFC 9112 §3.2).
    case missingHost
    /// A request with more than one Host field.
    case duplicateHost

    // MARK: chunked body
    /// A chunk-size line that does not start with hex digits, or holds an unexpected `byte`;
    /// `chunk` counts chunks from 0.
    case invalidChunkSize(chunk: Int, byte: UInt8)
    /// A control byte in a chunk extension.
    case invalidChunkExtension(chunk: Int, byte: UInt8)
    /// The bytes after a chunk's data are not CRLF.
    case chunkDataNotFollowedByCRLF(chunk: Int, byte: UInt8)

    // MARK: limits (HTTPLimits)
    case headerSectionTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case trailerSectionTooLarge(limit: Int)
    case tooManyTrailers(limit: Int)
    case chunkLineTooLong(limit: Int)
    /// `length` is the declared Content-Length, or the chunked total including the chunk just
    /// announced; nil for a close-delimited body, whose length is never declared.
    case bodyTooLarge(limit: Int, length: Int?)

    // MARK: end of input (finish())
    /// The peer closed before sending any byte of a message (an idle keep-alive connection closed).
    case closedBeforeMessage
    /// The peer closed inside the start line or header section.
    case truncatedHead(received: Int)
    /// The peer closed before Content-Length bytes of body arrived.
    case truncatedBody(expected: Int, received: Int)
    /// The peer closed before the last chunk and trailer section of a chunked body.
    case truncatedChunkedBody(received: Int)

    public var description: String {
        switch self {
        case .invalidStatusLine(let e): return "invalid status line \"\(e)\""
        case .invalidRequestLine(let e): return "invalid request line \"\(e)\""
        case .invalidVersion(let e): return "unsupported or invalid HTTP version in \"\(e)\""
        case .invalidStatusCode(let e): return "invalid status code in \"\(e)\""
        case .invalidHeaderLine(let l, let e): return "invalid header line \(l): \"\(e)\""
        case .obsoleteLineFolding(let l): return "obsolete line folding (continuation line) at header line \(l)"
        case .invalidTrailerLine(let e): return "invalid trailer line \"\(e)\""
        case .invalidContentLength(let e): return "invalid Content-Length \"\(e)\""
        case .conflictingContentLength(let a, let b): return "conflicting Content-Length values \(a) and \(b)"
        case .unsupportedTransferEncoding(let e): return "unsupported Transfer-Encoding \"\(e)\" (only chunked)"
        case .missingHost: return "HTTP/1.1 request without Host"
        case .duplicateHost: return "request with more than one Host"
        case .invalidChunkSize(let c, let b): return "invalid chunk size line for chunk \(c) at byte \(hex(b))"
        case .invalidChunkExtension(let c, let b): return "invalid chunk extension for chunk \(c) at byte \(hex(b))"
        case .chunkDataNotFollowedByCRLF(let c, let b): return "chunk \(c) data followed by \(hex(b)) instead of CRLF"
        case .headerSectionTooLarge(let l): return "header section larger than HTTPLimits.headerBytes = \(l) bytes"
        case .tooManyHeaders(let l): return "more header fields than HTTPLimits.headerCount = \(l)"
        case .trailerSectionTooLarge(let l): return "trailer section larger than HTTPLimits.headerBytes = \(l) bytes"
        case .tooManyTrailers(let l): return "more trailer fields than HTTPLimits.headerCount = \(l)"
        case .chunkLineTooLong(let l): return "chunk size line longer than HTTPLimits.chunkLineBytes = \(l) bytes"
        case .bodyTooLarge(let l, let n?): return "body of \(n) bytes larger than HTTPLimits.bodyBytes = \(l)"
        case .bodyTooLarge(let l, nil): return "close-delimited body larger than HTTPLimits.bodyBytes = \(l)"
        case .closedBeforeMessage: return "connection closed before a message started"
        case .truncatedHead(let n): return "connection closed inside the message head after \(n) bytes"
        case .truncatedBody(let e, let n): return "connection closed after \(n) of \(e) Content-Length body bytes"
        case .truncatedChunkedBody(let n): return "connection closed inside a chunked body after \(n) body bytes"
        }
    }

    /// What went wrong, without the details: a short stable name that groups errors of one kind
    /// (the failure reason key in results; `description` is the example).
    public var kind: String {
        switch self {
        case .invalidStatusLine: return "invalid status line"
        case .invalidRequestLine: return "invalid request line"
        case .invalidVersion: return "invalid HTTP version"
        case .invalidStatusCode: return "invalid status code"
        case .invalidHeaderLine: return "invalid header line"
        case .obsoleteLineFolding: return "obsolete line folding"
        case .invalidTrailerLine: return "invalid trailer line"
        case .invalidContentLength: return "invalid Content-Length"
        case .conflictingContentLength: return "conflicting Content-Length"
        case .unsupportedTransferEncoding: return "unsupported Transfer-Encoding"
        case .missingHost: return "missing Host"
        case .duplicateHost: return "duplicate Host"
        case .invalidChunkSize: return "invalid chunk size"
        case .invalidChunkExtension: return "invalid chunk extension"
        case .chunkDataNotFollowedByCRLF: return "chunk data not followed by CRLF"
        case .headerSectionTooLarge: return "header section too large"
        case .tooManyHeaders: return "too many header fields"
        case .trailerSectionTooLarge: return "trailer section too large"
        case .tooManyTrailers: return "too many trailer fields"
        case .chunkLineTooLong: return "chunk size line too long"
        case .bodyTooLarge: return "body too large"
        case .closedBeforeMessage: return "closed before the response"
        case .truncatedHead: return "closed inside the response head"
        case .truncatedBody: return "body truncated"
        case .truncatedChunkedBody: return "chunked body truncated"
        }
    }

    private func hex(_ b: UInt8) -> String {
        let h = String(b, radix: 16, uppercase: true)
        return "0x" + (h.count == 1 ? "0" + h : h)
    }
}

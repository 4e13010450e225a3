/// The request methods of RFC 9110 §9: what the client sends (GET, POST) and what the built-in
/// server recognises; the response parser needs it because a response to HEAD has no body.
public enum HTTPMethod: Sendable, Equatable, CaseIterable {
    case get, head, post, put, delete, options, patch, connect, trace

    /// The method token as it goes on the wire (methods are case-sensitive).
    public var token: StaticString {
        switch self {
        case .get: return "GET"
        case .head: return "HEAD"
        case .post: return "POST"
        case .put: return "PUT"
        case .delete: return "DELETE"
        case .options: return "OPTIONS"
        case .patch: return "PATCH"
        case .connect: return "CONNECT"
        case .trace: return "TRACE"
        }
    }

    /// Methods whose requests carry a body, so the client states `Content-Length: 0` even when it is empty.
    var expectsBody: Bool { self == .post || self == .put || self == .patch }

    /// The method named by `bytes`, or nil for an extension method estbench does not know.
    static func matching(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> HTTPMethod? {
        // Dispatch on length and first byte: one comparison for the common methods.
        switch (end - start, bytes[start]) {
        case (3, 0x47): return HTTPSyntax.equals(bytes, start, end, "GET") ? .get : nil
        case (4, 0x50): return HTTPSyntax.equals(bytes, start, end, "POST") ? .post : nil
        case (4, 0x48): return HTTPSyntax.equals(bytes, start, end, "HEAD") ? .head : nil
        case (3, 0x50): return HTTPSyntax.equals(bytes, start, end, "PUT") ? .put : nil
        case (6, 0x44): return HTTPSyntax.equals(bytes, start, end, "DELETE") ? .delete : nil
        case (7, 0x4F): return HTTPSyntax.equals(bytes, start, end, "OPTIONS") ? .options : nil
        case (5, 0x50): return HTTPSyntax.equals(bytes, start, end, "PATCH") ? .patch : nil
        case (7, 0x43): return HTTPSyntax.equals(bytes, start, end, "CONNECT") ? .connect : nil
        case (5, 0x54): return HTTPSyntax.equals(bytes, start, end, "TRACE") ? .trace : nil
        default: return nil
        }
    }
}

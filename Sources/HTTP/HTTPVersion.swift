/// The HTTP versions estbench speaks: HTTP/1.1, and HTTP/1.0 from servers that answer with it.
public enum HTTPVersion: Sendable, Equatable {
    case http10, http11
}

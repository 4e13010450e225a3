/// A host name that could not be turned into an address.
public struct ResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let host: String
    public let reason: String

    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }

    public var description: String { "cannot resolve host \"\(host)\": \(reason)" }
}

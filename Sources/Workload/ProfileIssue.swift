/// One problem found in a profile, named by the path of the field it concerns
/// (`lifecycle[2].op`, `load.open.rate`; `profile` for the document itself).
public struct ProfileIssue: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

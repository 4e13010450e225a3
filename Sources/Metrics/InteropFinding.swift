/// A deviation from RFC 7030 / RFC 8951 a server showed that did not fail the operation (it was
/// accepted leniently): how often, and one example to look at.
public struct InteropFinding: Codable, Sendable, Equatable {
    public var count: UInt64
    public var example: String

    public init(count: UInt64, example: String) {
        self.count = count
        self.example = example
    }

    /// Adds `other`'s count, keeping the first example.
    public mutating func merge(_ other: InteropFinding) { count &+= other.count }
}

/// How often something happened in a run, and the first example of it to look at: an interop
/// finding (a deviation accepted leniently) or one reason operations failed. Mergeable.
public struct CountedExample: Codable, Sendable, Equatable {
    public var count: UInt64
    public var example: String

    /// Examples are capped so one huge response cannot bloat result.json.
    public static let maxExampleLength = 300

    public init(count: UInt64, example: String) {
        self.count = count
        self.example = String(example.prefix(CountedExample.maxExampleLength))
    }

    /// Adds `other`'s count, keeping the first example.
    public mutating func merge(_ other: CountedExample) { count &+= other.count }
}

/// A deviation from RFC 7030 / RFC 8951 a server showed that did not fail the operation (it was
/// accepted leniently): how often, and one example.
public typealias InteropFinding = CountedExample

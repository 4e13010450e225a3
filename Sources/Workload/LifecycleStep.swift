import EST

/// One entry of an ordered lifecycle: an operation performed `repeatCount` times, each followed
/// by `thinkTimeMs` of idle time.
public struct LifecycleStep: Sendable, Equatable, Encodable {
    public var operation: ESTOperation
    public var repeatCount: Int = 1
    public var thinkTimeMs: Int = 0

    public init(operation: ESTOperation, repeatCount: Int = 1, thinkTimeMs: Int = 0) {
        self.operation = operation
        self.repeatCount = repeatCount
        self.thinkTimeMs = thinkTimeMs
    }

    enum CodingKeys: String, CodingKey { case operation = "op", repeatCount = "repeat", thinkTimeMs }
}

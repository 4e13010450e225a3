/// What one `feed` or `finish` call achieved: the parsers' three-way, non-blocking result.
public enum HTTPParseStep: Sendable, Equatable {
    /// Every byte given was consumed; the message is not complete yet.
    case needsInput
    /// A message is complete. `consumed` bytes of this call's input belong to it; the rest
    /// (a pipelined message, or bytes the peer should not have sent) is the caller's to keep.
    case complete(consumed: Int)
    /// The input is not an acceptable message; the parser stays failed until `reset`.
    case failed(HTTPError)
}

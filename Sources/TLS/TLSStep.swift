/// The outcome of one non-blocking TLS step on memory BIOs: it moved forward, it needs ciphertext
/// from the peer, or it failed. (Ciphertext to send may be waiting in every case: flush it.)
public enum TLSStep<Progress: Sendable>: Sendable {
    case progress(Progress)
    case needsInput
    case failed(TLSError)
}

/// What a plaintext read produced: bytes, or the peer's close_notify.
public enum TLSRead: Sendable, Equatable {
    case bytes(Int)
    case closeNotify
}

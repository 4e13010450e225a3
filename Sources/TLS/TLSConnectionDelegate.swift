/// Receives one `TLSConnection`'s events on its loop's thread: handshake done, plaintext, the
/// peer's close (close_notify or a bare EOF), at most one failure, then closed exactly once.
public protocol TLSConnectionDelegate: AnyObject {
    func tlsConnectionDidHandshake(_ connection: TLSConnection)
    /// Plaintext from the peer; valid only during the call.
    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer)
    /// The peer will send no more: `closeNotify` false means the TCP stream ended without it.
    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool)
    /// The first failure (transport or TLS); the connection is closing.
    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError)
    func tlsConnectionDidClose(_ connection: TLSConnection)
    /// Every ciphertext byte written so far is with the kernel (nothing queued in user space).
    func tlsConnectionDidFlush(_ connection: TLSConnection)
}

extension TLSConnectionDelegate {
    public func tlsConnectionDidFlush(_ connection: TLSConnection) {}
}

/// Receives one `TCPConnection`'s events on the loop thread, in this order: connected (client
/// side only), any number of read / flush / EOF / shutdown, at most one failure, then closed once.
public protocol TCPConnectionDelegate: AnyObject {
    /// The client connection is established (`connectedNs` is stamped) and reading has started.
    func connectionDidConnect(_ connection: TCPConnection)
    /// Bytes arrived in the connection's read buffer; `bytes` is valid only during this call.
    func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer)
    /// The peer half-closed (FIN): no more reads; writing still works.
    func connectionDidReadEOF(_ connection: TCPConnection)
    /// Every queued write finished (the kernel has all bytes written so far).
    func connectionDidFlush(_ connection: TCPConnection)
    /// `shutdown()` completed: queued writes went out, then our FIN.
    func connectionDidShutdown(_ connection: TCPConnection)
    /// The first error of the connection (connect, read, write or shutdown); it is already
    /// closing, and `connectionDidClose` follows.
    func connection(_ connection: TCPConnection, didFail error: UVError)
    /// All of the connection's handles are closed; the last call, exactly once.
    func connectionDidClose(_ connection: TCPConnection)
}

extension TCPConnectionDelegate {
    public func connectionDidConnect(_ connection: TCPConnection) {}
    public func connectionDidFlush(_ connection: TCPConnection) {}
    public func connectionDidShutdown(_ connection: TCPConnection) {}
}

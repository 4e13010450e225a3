/// Receives a `TCPListener`'s events on the loop thread: accepted connections, accept errors
/// (the listener keeps listening), and closed once.
public protocol TCPListenerDelegate: AnyObject {
    /// A new connection, already connected. Set its delegate here: reading starts right after
    /// this call returns, and a connection left without a delegate is closed.
    func listener(_ listener: TCPListener, didAccept connection: TCPConnection)
    /// Accepting failed (e.g. EMFILE); the listener stays open.
    func listener(_ listener: TCPListener, didFail error: UVError)
    /// The listener's handle is closed; the last call, exactly once.
    func listenerDidClose(_ listener: TCPListener)
}

extension TCPListenerDelegate {
    public func listenerDidClose(_ listener: TCPListener) {}
}

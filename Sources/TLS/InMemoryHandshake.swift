/// A client and a server session joined in memory: ciphertext moves from one to the other until
/// both handshakes finish. Used by `bench handshake` (no sockets, so only TLS costs are measured).
public enum InMemoryHandshake {
    /// Runs the handshake to completion, then lets the client read what the server sent after it
    /// (TLS 1.3 tickets). Returns the first failure.
    public static func run(client: TLSSession, server: TLSSession, buffer: inout [UInt8]) -> TLSError? {
        for _ in 0..<32 {
            for (from, to) in [(client, server), (server, client)] {
                if case .failed(let e) = from.handshake() { return e }
                let n = from.pendingCiphertext
                if n > 0 {
                    if buffer.count < n { buffer = [UInt8](repeating: 0, count: n) }
                    let got = buffer.withUnsafeMutableBytes { from.takeCiphertext(into: $0) }
                    buffer.withUnsafeBytes { to.feed(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
                }
            }
            if client.isHandshakeComplete && server.isHandshakeComplete && client.pendingCiphertext == 0
                && server.pendingCiphertext == 0 {
                // Drain post-handshake messages (session tickets) on the client.
                while true {
                    let step = buffer.withUnsafeMutableBytes { client.read(into: $0) }
                    switch step {
                    case .progress(.bytes): continue
                    case .progress(.closeNotify), .needsInput: return nil
                    case .failed(let e): return e
                    }
                }
            }
        }
        return .handshake(errors: ["no progress after 32 exchanges"], alertSent: nil, alertReceived: nil)
    }
}

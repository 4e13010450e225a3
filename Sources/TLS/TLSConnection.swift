import EventLoop

/// TLS over TCP: a `TCPConnection` carries ciphertext, a `TLSSession` on memory BIOs turns it into
/// plaintext. Reads go from the loop's shared read buffer straight into the read BIO; ciphertext
/// out is taken from the write BIO into the thread's shared scratch buffer (`TLSScratch`) and
/// written (try-write first, the rest queued by `TCPConnection`). Stamps connect start, TCP connected and handshake done in ns.
/// Lives on its loop's thread; retained by its TCP connection until closed.
public final class TLSConnection {
    public let tcp: TCPConnection
    public let session: TLSSession
    // Exclusivity unchecked (see `Loop`) for this and the flags below: loop thread only, plain loads
    // and stores (a call through `delegate` copies the reference first).
    @exclusivity(unchecked) public var delegate: (any TLSConnectionDelegate)?
    /// `uv_hrtime` when the handshake finished (0 until then).
    public private(set) var handshakeDoneNs: UInt64 = 0
    @exclusivity(unchecked) public private(set) var isClosed = false
    /// Ciphertext bytes read from the peer, and the first of them (nil before any): a server tells
    /// a silent client and one that never spoke TLS from a failed handshake.
    public private(set) var receivedBytes = 0
    public private(set) var firstReceivedByte: UInt8?

    private var pendingPlaintext: [UInt8] = []
    @exclusivity(unchecked) private var failed = false
    /// While the handshake-done delegate runs: writes leave their records in the session, and one flush
    /// afterwards sends the last handshake flight and the first request in one TCP write.
    @exclusivity(unchecked) private var corked = false

    public var connectStartNs: UInt64 { tcp.connectStartNs }
    public var connectedNs: UInt64 { tcp.connectedNs }

    /// Client side: a new TCP connection on `loop`; call `connect(to:timeoutNs:)` next.
    public init(loop: Loop, context: TLSContext, serverName: String?, resuming: TLSResumableSession? = nil,
                readBufferSize: Int = TCPConnection.defaultReadBufferSize) throws(TLSConnectionError) {
        do {
            tcp = try TCPConnection(loop: loop, readBufferSize: readBufferSize)
        } catch {
            throw .transport(error)
        }
        do {
            session = try TLSSession(context: context, serverName: serverName, resuming: resuming)
        } catch {
            tcp.close()
            throw .tls(error)
        }
        tcp.delegate = self
    }

    /// Server side: wraps an accepted TCP connection (call from `listener(_:didAccept:)`).
    public init(accepted: TCPConnection, context: TLSContext) throws(TLSConnectionError) {
        tcp = accepted
        do {
            session = try TLSSession(context: context)
        } catch {
            accepted.close()
            throw .tls(error)
        }
        tcp.delegate = self
    }

    public func connect(to address: SocketAddress, from source: SocketAddress? = nil, timeoutNs: UInt64? = nil) throws(TLSConnectionError) {
        do { try tcp.connect(to: address, from: source, timeoutNs: timeoutNs) } catch { throw .transport(error) }
    }

    /// Sends plaintext; before the handshake finishes it is held and sent right after.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !failed && !isClosed else { return }
        if !session.isHandshakeComplete {
            pendingPlaintext.append(contentsOf: bytes)
            return
        }
        if case .failed(let e) = session.write(bytes) {
            fail(.tls(e))
            return
        }
        if !corked { flush() }
    }

    public func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    /// Sends close_notify, then half-closes TCP once it is out.
    public func shutdown() {
        guard !failed && !isClosed else { return }
        _ = session.shutdown()
        flush()
        if tcp.state == .connected && !tcp.isShutdownRequested {
            do { try tcp.shutdown() } catch { fail(.transport(error)) }
        }
    }

    public func close() { tcp.close() }

    // MARK: the pump

    /// Moves every byte the session wants to send into TCP writes.
    private func flush() {
        TLSScratch.current.withCiphertext { buffer in
            while true {
                let n = session.takeCiphertext(into: buffer)
                if n == 0 { return }
                if tcp.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) == .closed { return }
                // A memory BIO hands out all it holds up to the buffer's size: less means it is empty.
                if n < buffer.count { return }
            }
        }
    }

    private func advance() {
        if !session.isHandshakeComplete {
            switch session.handshake() {
            case .needsInput:
                flush()
                return
            case .failed(let e):
                fail(.tls(e))
                return
            case .progress:
                handshakeDoneNs = MonotonicTime.nowNs()
                corked = true
                delegate?.tlsConnectionDidHandshake(self)
                if !pendingPlaintext.isEmpty {
                    let held = pendingPlaintext
                    pendingPlaintext = []
                    write(held)
                }
                corked = false
                flush()
            }
        }
        // Keep reading until the session needs input: tickets and the response may both be buffered.
        TLSScratch.current.withPlaintext { readPlaintext(into: $0) }
    }

    private func readPlaintext(into plaintext: UnsafeMutableRawBufferPointer) {
        while !failed && !isClosed {
            switch session.read(into: plaintext) {
            case .progress(.bytes(let n)):
                if n > 0 { delegate?.tlsConnection(self, didRead: UnsafeRawBufferPointer(rebasing: plaintext[0..<n])) }
            case .progress(.closeNotify):
                flush()
                delegate?.tlsConnectionPeerDidClose(self, closeNotify: true)
                return
            case .needsInput:
                flush()
                return
            case .failed(let e):
                fail(.tls(e))
                return
            }
        }
    }

    /// Reports the first failure once, after flushing any alert, then closes.
    private func fail(_ error: TLSConnectionError) {
        guard !failed else { return }
        failed = true
        flush()
        delegate?.tlsConnection(self, didFail: error)
        tcp.close()
    }
}

extension TLSConnection: TCPConnectionDelegate {
    public func connectionDidConnect(_ connection: TCPConnection) { advance() }

    public func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer) {
        if receivedBytes == 0 { firstReceivedByte = bytes.first }
        receivedBytes += bytes.count
        session.feed(bytes)
        advance()
    }

    public func connectionDidFlush(_ connection: TCPConnection) {
        delegate?.tlsConnectionDidFlush(self)
    }

    public func connectionDidReadEOF(_ connection: TCPConnection) {
        if !session.isHandshakeComplete {
            fail(.closedDuringHandshake)
        } else {
            delegate?.tlsConnectionPeerDidClose(self, closeNotify: false)
        }
    }

    public func connection(_ connection: TCPConnection, didFail error: UVError) {
        guard !failed else { return }
        failed = true
        delegate?.tlsConnection(self, didFail: .transport(error))
    }

    public func connectionDidClose(_ connection: TCPConnection) {
        isClosed = true
        delegate?.tlsConnectionDidClose(self)
        delegate = nil
    }
}

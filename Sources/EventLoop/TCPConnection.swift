import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One TCP connection, client (`connect`) or accepted by a `TCPListener`: reads into one fixed
/// buffer, writes with `uv_try_write` then one queued request, reports to its delegate.
/// Owns its heap-allocated `uv_tcp_t`, connect `uv_timer_t` and read buffer; libuv keeps it
/// alive from init until the last close callback. Loop thread only.
public final class TCPConnection: LoopHandle {
    /// Where the connection is in its life; `closing` starts with `close()` or the first error.
    public enum State: Sendable { case idle, connecting, connected, closing, closed }

    /// What `write` did with the bytes: the three outcomes of a non-blocking write.
    public enum WriteOutcome: Equatable, Sendable {
        /// Every byte went to the kernel during the call (no `connectionDidFlush` follows).
        case written
        /// The last `bytes` were copied into one write request; `connectionDidFlush` follows
        /// once every queued request finished.
        case queued(bytes: Int)
        /// Nothing more was written: the connection is closing (if this write failed, the
        /// delegate got `didFail`).
        case closed
    }

    public static let defaultReadBufferSize = 16 * 1024

    /// Strong, so a per-connection handler lives as long as the connection; cleared after
    /// `connectionDidClose`.
    // Exclusivity unchecked (see `Loop`): loop thread only, plain loads and stores (a call through
    // it copies the reference first).
    @exclusivity(unchecked) public var delegate: (any TCPConnectionDelegate)?
    public private(set) var state: State = .idle
    /// When `connect` was called (accepted connections: when accepted), `uv_hrtime` ns.
    public private(set) var connectStartNs: UInt64 = 0
    /// When the TCP handshake completed (accepted connections: when accepted), `uv_hrtime` ns.
    public private(set) var connectedNs: UInt64 = 0
    /// Write requests (and their bytes) handed to `uv_write` and not yet finished.
    public internal(set) var queuedWriteCount = 0
    public internal(set) var queuedWriteBytes = 0
    public internal(set) var isShutdownRequested = false
    /// Reading stopped by `pauseReading()`.
    public private(set) var isReadingPaused = false
    private var isReadEOF = false
    /// The most one read delivers (at most `Loop.sharedReadBufferSize`).
    public let readBufferSize: Int

    let tcp: UnsafeMutablePointer<uv_tcp_t>
    /// The loop's shared read buffer (owned by the `Loop`): valid during a read callback only.
    fileprivate let readBuffer: UnsafeMutableRawPointer
    /// Open while connecting with a timeout, or to report a connect error that libuv returned
    /// synchronously (so every connect outcome reaches the delegate from the loop, never from
    /// inside `connect`).
    private var connectTimer: UnsafeMutablePointer<uv_timer_t>?
    private var deferredConnectError: UVError?
    /// libuv handles not yet through their close callback; each holds one retain of `self`.
    private var openHandleCount = 1

    var stream: UnsafeMutablePointer<uv_stream_t> { asStream(tcp) }

    /// A client connection on `loop`; call `connect` next.
    public convenience init(
        loop: Loop, readBufferSize: Int = TCPConnection.defaultReadBufferSize, noDelay: Bool = true
    ) throws(UVError) {
        try self.init(uvLoop: loop.openUVLoop, readBufferSize: readBufferSize, noDelay: noDelay)
    }

    init(uvLoop: UnsafeMutablePointer<uv_loop_t>, readBufferSize: Int, noDelay: Bool) throws(UVError) {
        precondition(readBufferSize > 0 && readBufferSize <= Int(UInt32.max), "read buffer size")
        let tcp = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_tcp_init(uvLoop, tcp), .tcpInit)
        } catch {
            tcp.deallocate()
            throw error
        }
        self.tcp = tcp
        self.readBufferSize = min(readBufferSize, Loop.sharedReadBufferSize)
        readBuffer = uv_loop_get_data(uvLoop)
        retainOwner(self, in: asHandle(tcp))
        if noDelay {
            // Before the socket exists this only sets a flag libuv applies when it opens it.
            do {
                try uvCheck(uv_tcp_nodelay(tcp, 1), .noDelay)
            } catch {
                close()
                throw error
            }
        }
    }

    /// Starts connecting; the outcome reaches the delegate (`connectionDidConnect`, or `didFail`
    /// with `.refused`, `.timedOut(.connect)`, ...), never from inside this call. `timeoutNs`
    /// nil means the kernel's own limit. Throws only if the timeout timer cannot be set up (the
    /// connection is then closing).
    /// `source`: the local address to bind first (port 0: any), so that many connections to one
    /// server address spread over several source addresses' ephemeral ports; a bind failure is
    /// reported like a connect failure (through the delegate, as `bind`).
    public func connect(to address: SocketAddress, from source: SocketAddress? = nil, timeoutNs: UInt64? = nil) throws(UVError) {
        precondition(state == .idle, "connect on a connection that is not fresh")
        state = .connecting
        connectStartNs = MonotonicTime.nowNs()
        if let source {
            do { try uvCheck(try source.withSockAddr { uv_tcp_bind(tcp, $0, 0) }, .bind) } catch { deferredConnectError = error }
        }
        if deferredConnectError == nil {
            let request = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
            let rc = try address.withSockAddr { uv_tcp_connect(request, tcp, $0, onConnect) }
            do {
                try uvCheck(rc, .connect)
            } catch {
                request.deallocate()
                deferredConnectError = error
            }
        }
        guard let delayNs = deferredConnectError == nil ? timeoutNs : 0 else { return }
        do {
            try startConnectTimer(delayNs: delayNs)
        } catch {
            close()
            throw error
        }
    }

    /// Closes the connection (idempotent): queued writes are cancelled, `connectionDidClose`
    /// follows once libuv closed every handle. Use `shutdown()` first to flush.
    public func close() {
        guard state != .closing, state != .closed else { return }
        state = .closing
        closeConnectTimer()
        uv_close(asHandle(tcp), onHandleClosed)
    }

    /// Closes with a TCP reset (RST, `uv_tcp_close_reset`) instead of a FIN: how a server aborts,
    /// and what the built-in server's reset fault sends.
    public func closeWithReset() {
        guard state != .closing, state != .closed else { return }
        state = .closing
        closeConnectTimer()
        if uv_tcp_close_reset(tcp, onHandleClosed) != 0 {
            uv_close(asHandle(tcp), onHandleClosed)
        }
    }

    /// The local address of the socket.
    public func localAddress() throws(UVError) -> SocketAddress {
        try SocketAddress(of: tcp, peer: false)
    }

    /// The peer's address.
    public func peerAddress() throws(UVError) -> SocketAddress {
        try SocketAddress(of: tcp, peer: true)
    }

    /// Whether TCP_NODELAY is set on the socket (tests check that libuv applied it).
    func isNoDelaySet() throws(UVError) -> Bool {
        var fd: uv_os_fd_t = -1
        try uvCheck(uv_fileno(asHandle(tcp), &fd), .noDelay)
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 else {
            throw UVError(code: -errno, operation: .noDelay)
        }
        return value != 0
    }

    /// Reports `error` once and closes; later errors (such as cancelled requests) are dropped.
    func fail(_ error: UVError) {
        guard state != .closing, state != .closed else { return }
        close()
        delegate?.connection(self, didFail: error)
    }

    /// Takes the listener's pending socket (`uv_accept`); the connection is then connected.
    func accept(from server: UnsafeMutablePointer<uv_stream_t>) throws(UVError) {
        connectStartNs = MonotonicTime.nowNs()
        do {
            try uvCheck(uv_accept(server, stream), .accept)
        } catch {
            close()
            throw error
        }
        connectedNs = connectStartNs
        state = .connected
    }

    func startReading() {
        guard state == .connected else { return }
        do {
            try uvCheck(uv_read_start(stream, onReadBufferNeeded, onRead), .read)
        } catch {
            fail(error)
        }
    }

    /// Stops reading (`uv_read_stop`) until `resumeReading()`: backpressure on a peer that sends
    /// faster than its answers drain. Its bytes wait in the kernel, whose buffers then stop it.
    public func pauseReading() {
        guard state == .connected, !isReadingPaused else { return }
        isReadingPaused = true
        uv_read_stop(stream)
    }

    /// Reads again after `pauseReading()` (a no-op otherwise, and after the peer's EOF).
    public func resumeReading() {
        guard isReadingPaused else { return }
        isReadingPaused = false
        guard !isReadEOF else { return }
        startReading()
    }

    private func startConnectTimer(delayNs: UInt64) throws(UVError) {
        let timer = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_timer_init(uv_handle_get_loop(asHandle(tcp)), timer), .timerInit)
        } catch {
            timer.deallocate()
            throw error
        }
        retainOwner(self, in: asHandle(timer))
        openHandleCount += 1
        connectTimer = timer
        // Cannot fail: the handle is initialised, not closing, and has a callback.
        uvCheckInfallible(
            uv_timer_start(timer, onConnectTimeout, Timer.milliseconds(roundingUp: delayNs), 0),
            .timerStart)
    }

    private func closeConnectTimer() {
        guard let timer = connectTimer else { return }
        connectTimer = nil
        uv_close(asHandle(timer), onHandleClosed)
    }

    fileprivate func connectFinished(status: Int32) {
        guard state == .connecting else { return }  // closing: the request was cancelled
        do {
            try uvCheck(status, .connect)
        } catch {
            fail(error)
            return
        }
        connectedNs = MonotonicTime.nowNs()
        closeConnectTimer()
        state = .connected
        startReading()
        guard state == .connected else { return }
        delegate?.connectionDidConnect(self)
    }

    fileprivate func connectTimerFired() {
        guard state == .connecting else { return }
        fail(deferredConnectError ?? .timedOut(.connect))
    }

    fileprivate func readFinished(_ count: Int) {
        if count > 0 {
            delegate?.connection(self, didRead: UnsafeRawBufferPointer(start: readBuffer, count: count))
        } else if count == Int(UV_EOF.rawValue) {
            isReadEOF = true
            delegate?.connectionDidReadEOF(self)  // libuv already stopped reading
        } else {
            do {
                try uvCheck(Int32(truncatingIfNeeded: count), .read)
            } catch {
                fail(error)
            }
        }
    }

    fileprivate func handleClosed() {
        openHandleCount -= 1
        guard openHandleCount == 0 else { return }
        state = .closed
        let delegate = self.delegate
        self.delegate = nil
        delegate?.connectionDidClose(self)
    }
}

private func onConnect(_ request: UnsafeMutablePointer<uv_connect_t>?, _ status: Int32) {
    let stream = request!.pointee.handle!
    request!.deallocate()
    owner(of: asHandle(stream), as: TCPConnection.self).connectFinished(status: status)
}

private func onConnectTimeout(_ timer: UnsafeMutablePointer<uv_timer_t>?) {
    owner(of: asHandle(timer!), as: TCPConnection.self).connectTimerFired()
}

/// The loop's shared buffer every time: each read is delivered before the next one starts, and
/// delegates copy what they keep.
private func onReadBufferNeeded(
    _ handle: UnsafeMutablePointer<uv_handle_t>?, _: Int, _ buffer: UnsafeMutablePointer<uv_buf_t>?
) {
    let connection = owner(of: handle!, as: TCPConnection.self)
    buffer!.pointee = uv_buf_init(
        connection.readBuffer.assumingMemoryBound(to: CChar.self), UInt32(connection.readBufferSize))
}

private func onRead(
    _ stream: UnsafeMutablePointer<uv_stream_t>?, _ count: Int, _: UnsafePointer<uv_buf_t>?
) {
    owner(of: asHandle(stream!), as: TCPConnection.self).readFinished(count)
}

/// Close callback of both the TCP handle and the connect timer.
private func onHandleClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    releaseOwner(of: handle!, as: TCPConnection.self).handleClosed()
}

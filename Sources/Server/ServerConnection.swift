import EventLoop
import HTTP
import TLS

/// One client connection of the built-in server: TLS, the incremental request parser, the
/// idle/request timer, and the response in flight. Loop thread only; retained by its TLS
/// connection (and the worker's set) until closed.
final class ServerConnection: TLSConnectionDelegate {
    /// What the connection's one timer is waiting for.
    private enum Wait {
        /// The TLS handshake, from accept (handshake timeout).
        case handshake
        /// A kept-alive connection's next request (idle timeout).
        case idle
        /// The rest of a request that has started (request timeout).
        case request
        /// The peer to take the answers queued past `maxUnsentBytes` (drain timeout); reading is paused.
        case drain
    }

    unowned let worker: ServerWorker
    let tls: TLSConnection
    private var parser: HTTPRequestParser
    private var timer: EventLoop.Timer?
    private var wait = Wait.handshake
    /// The timer of a delayed response (a fault), owned here so a client leaving first cancels it.
    private var delayTimer: EventLoop.Timer?
    private var responseBuffer: [UInt8] = []
    /// Bytes not yet parsed: after a complete request (pipelining), or read while a response is
    /// delayed or the connection drains. Bounded: reading stops while draining.
    private var pending: [UInt8] = []
    private var responding = false
    private var closing = false
    /// A response with `Connection: close` (or a cut-off one) went out: later bytes are ignored.
    private var finished = false
    /// Inside `parsePending` (a response written from it must not parse again: no recursion).
    private var parsing = false
    /// `100 Continue` went out for the request being read.
    private var continueSent = false

    init(worker: ServerWorker, accepted: TCPConnection) throws {
        self.worker = worker
        tls = try TLSConnection(accepted: accepted, context: worker.tlsContext)
        parser = HTTPRequestParser(limits: worker.limits.http)
        tls.delegate = self
        timer = try EventLoop.Timer(loop: worker.loop) {}
        timer?.handler = { [unowned self] in self.timedOut() }
        startTimer(worker.limits.handshakeTimeoutMs)
    }

    private func armIdleTimer() {
        wait = .idle
        startTimer(worker.limits.idleTimeoutMs)
    }

    /// A connection without its timer could be held forever: if the timer cannot start, close.
    private func startTimer(_ ms: UInt64) {
        do { try timer?.start(timeoutMs: ms) } catch {
            worker.note(.transportFailure, "timer: \(error)")
            close()
        }
    }

    private func timedOut() {
        switch wait {
        case .handshake: worker.count(tls.receivedBytes == 0 ? .idleTimeout : .handshakeTimeout)
        case .idle: worker.count(.idleTimeout)
        case .request: worker.count(.requestTimeout)
        case .drain:
            worker.count(.drainTimeout)
            worker.note(.drainTimeout, "a client that does not read its responses was cut off")
        }
        close()
    }

    private func close() {
        guard !closing else { return }
        closing = true
        stopTimers()
        tls.close()
    }

    private func stopTimers() {
        timer?.close()
        timer = nil
        delayTimer?.close()
        delayTimer = nil
    }

    // MARK: requests

    private var isDraining: Bool { wait == .drain }

    private func consume(_ bytes: UnsafeRawBufferPointer) {
        if finished || closing { return }
        if responding || isDraining || !pending.isEmpty {
            pending.append(contentsOf: bytes)
            parsePending()
            return
        }
        let used = parse(bytes)
        if used < bytes.count { pending.append(contentsOf: bytes[used...]) }
        parsePending()
    }

    /// Parses what is pending, request after request, until a response must wait (delayed, or the
    /// peer not draining) or nothing is left. A loop, not recursion through `write`.
    private func parsePending() {
        guard !parsing else { return }
        parsing = true
        defer { parsing = false }
        var start = 0
        while start < pending.count && !responding && !isDraining && !finished && !closing {
            start += pending.withUnsafeBytes { parse(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        }
        if finished || closing {
            pending = []
        } else if start > 0 {
            pending.removeFirst(min(start, pending.count))
        }
    }

    /// Feeds `bytes` to the parser and answers a request it completes; returns the bytes used
    /// (all of them unless a request ended inside them).
    private func parse(_ bytes: UnsafeRawBufferPointer) -> Int {
        if wait == .idle && bytes.count > 0 {
            // The whole request must arrive within the request timeout, however slowly it starts.
            wait = .request
            startTimer(worker.limits.requestTimeoutMs)
        }
        switch parser.feed(bytes) {
        case .needsInput:
            if parser.isReadingBody && parser.expectsContinue && !continueSent { sendContinue() }
            return bytes.count
        case .complete(let consumed):
            handleRequest()
            return consumed
        case .failed(let error):
            let event = ServerEvent(refused: error)
            worker.count(event)
            worker.note(event, "\(error)")
            respond(worker.service.badRequest(error))
            return bytes.count
        }
    }

    /// RFC 9110 §10.1.1: the client waits for `100 Continue` before its body (HTTP/1.1 only; a
    /// request refused on its head — a body over the limit — gets its final answer instead).
    private func sendContinue() {
        continueSent = true
        guard parser.version == .http11 else { return }
        worker.count(.continued)
        tls.write(ServerConnection.continueLine)
    }

    private static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private func handleRequest() {
        timer?.stop()
        worker.count(.request)
        // Parsed from bytes held while the previous answer was pending: the client pipelined it.
        if parsing { worker.count(.pipelined) }
        continueSent = false
        let headers = parser.headers
        let request = ServerRequest(
            method: parser.method,
            target: parser.target,
            contentType: headers.value(named: "content-type"),
            authorization: headers.value(named: "authorization"),
            body: parser.body,
            clientCertificate: tls.session.peerCertificate,
            // An HKDF export per request: made only when the service will check it.
            channelBinding: worker.service.configuration.requireChannelBinding ? tls.session.channelBinding : nil)
        var waitNs: UInt64 = 0
        var response: ServerResponse
        switch worker.capacity?.admit(nowNs: MonotonicTime.nowNs()) ?? .now {
        case .now:
            response = worker.service.respond(to: request)
        case .after(let ns):
            worker.count(.queued)
            waitNs = ns
            response = worker.service.respond(to: request)
        case .refused:
            worker.count(.overCapacity)
            response = worker.service.overCapacity()
        }
        // Rounded up: a uv timer counts whole milliseconds, and an answer must never go out early.
        response.delayMs += (waitNs + 999_999) / 1_000_000
        if !parser.keepAlive { response.close = true }
        if worker.service.takeIssued() { worker.count(.issued) }
        if worker.service.takeFaulted() { worker.count(.fault) }
        respond(response)
    }

    private func respond(_ response: ServerResponse) {
        responding = true
        if response.delayMs > 0 {
            after(response.delayMs) { $0.write(response) }
        } else {
            write(response)
        }
    }

    /// Runs `action` after `ms` on the connection's delay timer (at once if the timer cannot start).
    private func after(_ ms: UInt64, _ action: @escaping (ServerConnection) -> Void) {
        do {
            let delay = try EventLoop.Timer(loop: worker.loop) {}
            delay.handler = { [weak self] in
                guard let self else { return }
                self.delayTimer?.close()
                self.delayTimer = nil
                action(self)
            }
            try delay.start(timeoutMs: ms)
            delayTimer = delay
        } catch {
            worker.note(.fault, "delay timer: \(error); answering at once")
            action(self)
        }
    }

    private func write(_ response: ServerResponse) {
        guard !closing else { return }
        if response.disruption == .reset {
            closing = true
            stopTimers()
            tls.tcp.closeWithReset()
            return
        }
        responseBuffer.removeAll(keepingCapacity: true)
        response.template.encode(body: response.body, connection: response.close ? .close : .implicit, framing: response.framing,
                                 into: &responseBuffer)
        if response.disruption == .closeMidResponse {
            // Half the response, then a bare FIN (no close_notify): a truncated response.
            let half = max(1, responseBuffer.count / 2)
            responseBuffer.withUnsafeBytes { tls.write(UnsafeRawBufferPointer(rebasing: $0[0..<half])) }
            finished = true
            do { try tls.tcp.shutdown() } catch { close() }
            armIdleTimer()
            return
        }
        if response.splitDelayMs > 0 {
            // The status line, the fields and half the body now; the rest after the delay.
            let cut = responseBuffer.count - response.body.count / 2
            responseBuffer.withUnsafeBytes { tls.write(UnsafeRawBufferPointer(rebasing: $0[0..<cut])) }
            let rest = Array(responseBuffer[cut...])
            after(response.splitDelayMs) { connection in
                guard !connection.closing else { return }
                connection.tls.write(rest)
                connection.written(response)
            }
            return
        }
        tls.write(responseBuffer)
        written(response)
    }

    /// The whole response is out: close if it said so (or its framing needs it), or take the next request.
    private func written(_ response: ServerResponse) {
        responding = false
        if response.close || response.framing == .untilClose || response.disruption == .closeAfterResponse {
            // close_notify and FIN go out after the response; the peer's close (or the idle
            // timer) then closes the connection, so nothing queued is cut off.
            finished = true
            tls.shutdown()
            armIdleTimer()
            return
        }
        parser.reset()
        if tls.tcp.queuedWriteBytes > worker.limits.maxUnsentBytes {
            // The peer is not taking its answers: read nothing more until they drain.
            wait = .drain
            tls.tcp.pauseReading()
            startTimer(worker.limits.drainTimeoutMs)
            return
        }
        armIdleTimer()
        parsePending()
    }

    // MARK: TLSConnectionDelegate

    /// The TLS record type of a handshake message (ContentType handshake, RFC 8446 §5.1).
    private static let handshakeRecord: UInt8 = 0x16

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        worker.count(.handshake)
        armIdleTimer()
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        consume(plaintext)
    }

    func tlsConnectionDidFlush(_ connection: TLSConnection) {
        guard isDraining, !closing else { return }
        tls.tcp.resumeReading()
        armIdleTimer()
        parsePending()
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        close()
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        switch error {
        case .tls(let e) where !tls.session.isHandshakeComplete && tls.firstReceivedByte != ServerConnection.handshakeRecord:
            worker.count(.notTLS)
            worker.note(.notTLS, "the first bytes were not a TLS handshake record (plain HTTP on the TLS port?): \(e)")
        case .tls(let e):
            worker.count(.tlsFailure)
            worker.note(.tlsFailure, "\(e)")
        case .closedDuringHandshake:
            worker.count(.handshakeAbandoned)
        case .transport(let e) where !tls.session.isHandshakeComplete:
            worker.count(.handshakeAbandoned)
            worker.note(.handshakeAbandoned, "\(e) before the TLS handshake finished")
        case .transport:
            worker.count(.transportFailure)
        }
        closing = true
        stopTimers()
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        stopTimers()
        worker.connectionClosed(self)
    }
}

import EST
import EventLoop
import HTTP
import TLS

/// One sequence of probe requests: its connection, its exchange and its timeout. Its state is one
/// `State`; the next request always starts from the loop (the run's ready list), so a request that
/// fails synchronously never recurses into the next one.
final class ProbeLane: TLSConnectionDelegate {
    /// Where the lane is.
    enum State {
        /// On the run's ready list: takes its next request on the next loop iteration.
        case ready
        /// TCP connect and TLS handshake under way for this request.
        case connecting(ProbeRecord)
        /// Request written; the response is being read.
        case awaitingResponse(ProbeRecord)
        /// No request left: timer and connection closed.
        case done
    }

    unowned let run: ProbeRun
    private(set) var state = State.ready
    private var connection: TLSConnection?
    private var exchange: ESTExchange
    private let timer: EventLoop.Timer

    init(run: ProbeRun) throws {
        self.run = run
        exchange = ESTExchange()
        timer = try EventLoop.Timer(loop: run.loop) {}
        timer.handler = { [unowned self] in self.timedOut() }
    }

    /// The run's ready list reached this lane: the next request, or done.
    func readyTurn() {
        guard case .ready = state else { return }
        guard let index = run.take() else { return finishLane() }
        var r = ProbeRecord(index: index)
        r.startNs = MonotonicTime.nowNs()
        do { try timer.start(timeoutNs: run.settings.timeoutNs) } catch {
            // Only a closing timer refuses to start, and it closes only in `done`.
            preconditionFailure("probe timer: \(error)")
        }
        if let connection, !connection.isClosed, connection.session.isHandshakeComplete {
            send(r, on: connection)
        } else {
            open(r)
        }
    }

    private func open(_ record: ProbeRecord) {
        var r = record
        r.newConnection = true
        closeConnection()
        let c: TLSConnection
        do {
            c = try TLSConnection(loop: run.loop, context: run.context, serverName: run.target.host, resuming: run.ticket)
        } catch {
            return fail(r, "\(error)")
        }
        if let identity = run.settings.clientIdentity {
            do { try c.session.useCertificate(chain: identity.chain, key: identity.key) } catch {
                c.close()
                return fail(r, "client certificate: \(error)")
            }
        }
        c.delegate = self
        connection = c
        state = .connecting(r)
        do { try c.connect(to: run.target.address) } catch {
            guard case .connecting(let r) = state else { return }
            fail(r, "\(error)")
        }
    }

    private func send(_ record: ProbeRecord, on connection: TLSConnection) {
        var r = record
        let last = run.started >= run.settings.count
        exchange.begin(run.template, body: run.settings.method == .post ? run.settings.body : nil,
                       closeConnection: run.settings.newConnectionEach || last)
        r.writtenNs = MonotonicTime.nowNs()
        state = .awaitingResponse(r)
        connection.write(exchange.request)
    }

    /// Ends the request with an error; the connection is not reused.
    private func fail(_ record: ProbeRecord, _ message: String) {
        var r = record
        r.error = message
        closeConnection()
        finish(r)
    }

    private func finish(_ r: ProbeRecord) {
        timer.stop()
        run.finished(r)
        state = .ready
        run.enqueueReady(self)
    }

    private func finishLane() {
        state = .done
        timer.close()
        closeConnection()
    }

    private func closeConnection() {
        guard let c = connection else { return }
        connection = nil
        c.delegate = nil
        c.close()
    }

    private func timedOut() {
        switch state {
        case .connecting(let r), .awaitingResponse(let r):
            fail(r, "timed out after \(Format.fixed(Double(run.settings.timeoutNs) / 1e9, 1)) s")
        case .ready, .done:
            break
        }
    }

    private func completed(_ record: ProbeRecord) {
        guard let c = connection else { return }
        var r = record
        let response = exchange.response
        r.completeNs = MonotonicTime.nowNs()
        r.status = response.status
        r.bodyBytes = response.body.count
        if let t = c.session.resumableSession { run.ticket = t }
        if !response.keepAlive || run.settings.newConnectionEach { closeConnection() }
        finish(r)
    }

    // MARK: TLSConnectionDelegate

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        guard case .connecting(var r) = state else { return }
        r.connectStartNs = connection.connectStartNs
        r.connectedNs = connection.connectedNs
        r.handshakeDoneNs = connection.handshakeDoneNs
        let s = connection.session
        r.tlsVersion = s.negotiatedVersion
        r.cipher = s.cipher ?? ""
        r.group = s.group ?? ""
        r.resumed = s.isResumed
        r.helloRetryRequest = s.helloRetryRequest
        send(r, on: connection)
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        guard case .awaitingResponse(var r) = state else { return }
        if r.firstByteNs == 0 {
            r.firstByteNs = MonotonicTime.nowNs()
            state = .awaitingResponse(r)
        }
        switch exchange.receive(plaintext) {
        case .needsInput: break
        case .complete: completed(r)
        case .failed(let e): fail(r, "bad HTTP response: \(e)")
        case .closedBeforeResponse: fail(r, "connection closed before the response")
        }
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        switch state {
        case .awaitingResponse(let r):
            switch exchange.peerClosed() {
            case .complete: completed(r)
            case .closedBeforeResponse, .needsInput: fail(r, "connection closed before the response")
            case .failed(let e): fail(r, "connection closed: \(e)")
            }
        case .connecting, .ready, .done:
            break
        }
        if self.connection === connection { closeConnection() } else { connection.close() }
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        switch state {
        case .connecting(let r), .awaitingResponse(let r): fail(r, "\(error)")
        case .ready, .done: closeConnection()
        }
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        if self.connection === connection { connection.delegate = nil; self.connection = nil }
        switch state {
        case .connecting(let r), .awaitingResponse(let r): fail(r, "connection closed")
        case .ready, .done: break
        }
    }
}

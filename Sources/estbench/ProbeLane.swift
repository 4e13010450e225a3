import EventLoop
import HTTP
import TLS

/// One sequence of requests: its connection, response parser, request buffer and timeout.
final class ProbeLane: TLSConnectionDelegate {
    unowned let run: ProbeRun
    private var connection: TLSConnection?
    private var connectionUsable = false
    private var parser: HTTPResponseParser
    private var requestBuffer: [UInt8] = []
    private var record: ProbeRecord?
    private let timer: EventLoop.Timer

    init(run: ProbeRun) throws {
        self.run = run
        parser = HTTPResponseParser(requestMethod: run.settings.method)
        timer = try EventLoop.Timer(loop: run.loop) {}
        timer.handler = { [unowned self] in self.timedOut() }
    }

    func startNext() {
        guard let index = run.take() else {
            timer.close()
            connection?.close()
            return
        }
        var r = ProbeRecord(index: index)
        r.startNs = MonotonicTime.nowNs()
        record = r
        try? timer.start(timeoutNs: run.settings.timeoutNs)
        if let connection, connectionUsable, !connection.isClosed {
            send()
        } else {
            open()
        }
    }

    private func open() {
        record?.newConnection = true
        do {
            let c = try TLSConnection(loop: run.loop, context: run.context, serverName: run.target.host, resuming: run.ticket)
            if let identity = run.settings.clientIdentity {
                do { try c.session.useCertificate(chain: identity.chain, key: identity.key) } catch { throw TLSConnectionError.tls(error) }
            }
            c.delegate = self
            connection = c
            connectionUsable = false
            try c.connect(to: run.target.address)
        } catch {
            fail("\(error)")
        }
    }

    private func send() {
        guard let connection else { return }
        parser.reset(requestMethod: run.settings.method)
        requestBuffer.removeAll(keepingCapacity: true)
        let last = run.started >= run.settings.count
        run.template.encode(body: run.settings.body, closeConnection: run.settings.newConnectionEach || last, into: &requestBuffer)
        connection.write(requestBuffer)
        record?.writtenNs = MonotonicTime.nowNs()
    }

    /// Ends the current request with an error; the connection is not reused.
    private func fail(_ message: String) {
        guard var r = record else { return }
        r.error = message
        finish(r, keepConnection: false)
    }

    private func finish(_ r: ProbeRecord, keepConnection: Bool) {
        record = nil
        timer.stop()
        run.finished(r)
        if keepConnection {
            startNext()
        } else {
            connectionUsable = false
            if let c = connection, !c.isClosed { c.close() } else { connection = nil; startNext() }
        }
    }

    private func timedOut() {
        fail("timed out after \(Format.fixed(Double(run.settings.timeoutNs) / 1e9, 1)) s")
    }

    private func completed() {
        guard var r = record, let c = connection else { return }
        r.completeNs = MonotonicTime.nowNs()
        r.status = parser.status
        r.bodyBytes = parser.body.count
        if let t = c.session.resumableSession { run.ticket = t }
        finish(r, keepConnection: parser.keepAlive && !run.settings.newConnectionEach)
    }

    // MARK: TLSConnectionDelegate

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        connectionUsable = true
        guard var r = record else { return }
        r.connectStartNs = connection.connectStartNs
        r.connectedNs = connection.connectedNs
        r.handshakeDoneNs = connection.handshakeDoneNs
        let s = connection.session
        r.tlsVersion = s.negotiatedVersion
        r.cipher = s.cipher ?? ""
        r.group = s.group ?? ""
        r.resumed = s.isResumed
        r.helloRetryRequest = s.helloRetryRequest
        record = r
        send()
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        guard record != nil else { return }
        if record?.firstByteNs == 0 { record?.firstByteNs = MonotonicTime.nowNs() }
        switch parser.feed(plaintext) {
        case .needsInput: break
        case .complete: completed()
        case .failed(let e): fail("bad HTTP response: \(e)")
        }
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        connectionUsable = false
        guard record != nil, record?.writtenNs != 0 else {
            connection.close()
            return
        }
        switch parser.finish() {
        case .complete: completed()
        case .failed(let e): fail("connection closed: \(e)")
        case .needsInput: fail("connection closed before the response")
        }
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        connectionUsable = false
        if record != nil { fail("\(error)") }
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        if self.connection === connection { self.connection = nil }
        connectionUsable = false
        if record != nil {
            fail("connection closed")
        } else if run.started < run.settings.count {
            startNext()
        } else {
            timer.close()
        }
    }
}

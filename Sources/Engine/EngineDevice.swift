#if canImport(Glibc)
import Glibc
#endif
import DER
import EST
import EventLoop
import HTTP
import Metrics
import PKI
import TLS
import Workload

/// One virtual device on a worker's loop: runs its lifecycle step by step over its own TLS
/// connection (kept alive or new per operation; a new one with its issued certificate for
/// re-enrollment), validates each response, and records every operation's phase stamps and outcome.
/// Worker thread only.
final class EngineDevice: TLSConnectionDelegate {
    unowned let worker: EngineWorker
    let credentials: DeviceCredentials
    private var connection: TLSConnection?
    private var connectionIdentity: [UInt8]?
    /// Operations sent on the current connection, and the last session to resume.
    private var operationsOnConnection = 0
    private var session: TLSResumableSession?
    private var parser = HTTPResponseParser(requestMethod: .get)
    private var request: [UInt8] = []
    private var step = 0
    private var stamps = OperationPhaseStamps()
    private var inFlight: ESTOperation?
    private var timer: EventLoop.Timer?
    private var stopped = false
    private var finished = false
    /// Open model: operations left in the current pass, and the intended start of its first one.
    private var passRemaining = 0
    private var intendedStartNs: UInt64?
    var isOpenModel: Bool { settings.arrivals != nil }
    /// The device's signing context, made on first use (channel-bound CSRs are signed per operation).
    private var signer: Signer?
    /// 202 Accepted handling: retries made for the operation in flight, and whether its timer is
    /// the Retry-After wait (not the operation timeout).
    private var retries = 0
    private var waitingRetry = false
    /// The operation waits for the new-connection cap before opening.
    private var waitingConnection = false
    /// Status of the last response on the current connection (0: none yet), and whether the
    /// operation in flight was already sent again after its kept-alive connection closed unanswered.
    private var lastStatusOnConnection = 0
    private var resentAfterClose = false
    /// The device's own draws for a weighted mix (splitmix64 of seed and index: runs repeat).
    private var drawState: UInt64 = 0

    init(worker: EngineWorker, credentials: DeviceCredentials) throws {
        self.worker = worker
        self.credentials = credentials
        // Each device's stream starts at a scrambled point, so devices do not replay each other's draws.
        drawState = EngineDevice.scramble(worker.settings.seed ^ EngineDevice.scramble(UInt64(credentials.index) &+ 1))
        timer = try EventLoop.Timer(loop: worker.loop) {}
        timer?.handler = { [unowned self] in self.timerFired() }
    }

    var settings: EngineSettings { worker.settings }

    func start() { beginOperation() }

    /// Open model: one pass of the lifecycle for an arrival intended at `scheduledNs` (the first
    /// operation's latency counts from then: coordinated omission corrected).
    func startPass(scheduledNs: UInt64) {
        step = 0
        passRemaining = settings.mix == nil ? settings.steps.count : 1
        intendedStartNs = scheduledNs
        beginOperation()
    }

    /// Stops scheduling; an operation in flight finishes (or times out).
    func stop() {
        stopped = true
        if inFlight == nil { shutdown() }
    }

    /// Stops now: an operation in flight is dropped (not recorded) and the connection closed.
    func abort() {
        stopped = true
        inFlight = nil
        connection?.delegate = nil
        shutdown()
    }

    /// Ends the device once: closes its timer and connection and tells the worker.
    private func shutdown() {
        guard !finished else { return }
        finished = true
        timer?.close()
        timer = nil
        connection?.close()
        connection = nil
        worker.deviceFinished()
    }

    private func timerFired() {
        if waitingConnection, let op = inFlight {
            waitingConnection = false
            try? timer?.start(timeoutMs: settings.timeoutMs[op] ?? 30_000)
            open(for: op, identity: op == .simplereenroll ? credentials.certificate : nil)
        } else if waitingRetry, let op = inFlight {
            // Retry-After elapsed: the same request again (the operation's latency keeps running).
            waitingRetry = false
            try? timer?.start(timeoutMs: settings.timeoutMs[op] ?? 30_000)
            stamps.firstByteNs = 0
            stamps.completeNs = 0
            let identity = op == .simplereenroll ? credentials.certificate : nil
            if let connection, !connection.isClosed, connection.session.isHandshakeComplete {
                send(op, on: connection)
            } else {
                open(for: op, identity: identity)
            }
        } else if inFlight != nil {
            finish(.timeout)
        } else {
            beginOperation()
        }
    }

    // MARK: operations

    private func beginOperation() {
        guard !stopped, worker.mayStartOperation() else {
            stopped = true
            shutdown()
            return
        }
        var op = currentOperation()
        // Re-enrollment needs an issued certificate: before the first one, enroll instead.
        if op == .simplereenroll && credentials.certificate == nil { op = .simpleenroll }
        inFlight = op
        resentAfterClose = false
        retries = 0
        waitingRetry = false
        waitingConnection = false
        let now = MonotonicTime.nowNs()
        stamps = OperationPhaseStamps(scheduledNs: intendedStartNs ?? now, startNs: now)
        intendedStartNs = nil
        try? timer?.start(timeoutMs: settings.timeoutMs[op] ?? 30_000)
        let identity = op == .simplereenroll ? credentials.certificate : nil
        // A kept-alive connection serves every operation except a re-enrollment that must present
        // a certificate this connection did not.
        let underLimit = settings.operationsPerConnection.map { operationsOnConnection < $0 } ?? true
        if let connection, settings.keepAlive, underLimit, !connection.isClosed, connection.session.isHandshakeComplete,
           identity == nil || connectionIdentity == identity {
            send(op, on: connection)
        } else {
            open(for: op, identity: identity)
        }
    }

    /// The splitmix64 finalizer: a well-mixed 64-bit value from any input.
    static func scramble(_ x: UInt64) -> UInt64 { SplitMix64.mix(x) }

    /// The next operation: the current step, or a seeded draw from the mix.
    private func currentOperation() -> ESTOperation {
        guard let mix = settings.mix else { return settings.steps[step % settings.steps.count].operation }
        drawState &+= 0x9E37_79B9_7F4A_7C15
        let u = Double(EngineDevice.scramble(drawState) >> 11) / Double(UInt64(1) << 53)
        guard let op = mix.mixOperation(draw: u) else { preconditionFailure("a validated mix has an operation with weight above 0") }
        return op
    }

    private func open(for op: ESTOperation, identity: [UInt8]?) {
        if let notBefore = worker.admitConnection() {
            // Over the new-connection cap: wait (the operation's latency keeps running).
            waitingConnection = true
            let now = MonotonicTime.nowNs()
            try? timer?.start(timeoutNs: notBefore > now ? notBefore - now : 0)
            return
        }
        if let old = connection {
            old.delegate = nil
            old.close()
        }
        do {
            // A session made with another client certificate must not be offered (it carries that identity).
            let resume = settings.resumes && connectionIdentity == identity ? session : nil
            let c = try TLSConnection(loop: worker.loop, context: settings.tlsContext, serverName: settings.serverName,
                                      resuming: resume)
            operationsOnConnection = 0
            lastStatusOnConnection = 0
            if let identity {
                do { try c.session.useCertificate(chain: [identity], key: credentials.key) } catch { throw TLSConnectionError.tls(error) }
            } else if let bootstrap = settings.bootstrap {
                do { try c.session.useCertificate(chain: bootstrap.chain, key: bootstrap.key) } catch { throw TLSConnectionError.tls(error) }
            }
            c.delegate = self
            connection = c
            connectionIdentity = identity
            try c.connect(to: settings.address)
        } catch {
            connection = nil
            finish(.connectError)
        }
    }

    private func send(_ op: ESTOperation, on connection: TLSConnection) {
        parser.reset(requestMethod: op.usesPOST ? .post : .get)
        request.removeAll(keepingCapacity: true)
        guard let template = settings.templates[op] else { return finish(.protocolDeviation) }
        if op.usesPOST, settings.channelBinding, op != .cacerts, op != .csrattrs, let binding = connection.session.channelBinding {
            // The binding exists only now: build and sign the CSR here, as its own phase.
            stamps.signStartNs = MonotonicTime.nowNs()
            do {
                if signer == nil { signer = try Signer(key: credentials.key) }
                let csr = try worker.csrBuilder.build(index: credentials.index, signer: signer!,
                                                      challengePassword: Base64.encodeString(binding.bytes, lineLength: 0))
                stamps.signDoneNs = MonotonicTime.nowNs()
                template.encode(body: Base64.encode(csr), closeConnection: !settings.keepAlive, into: &request)
            } catch {
                return finish(.protocolDeviation)
            }
        } else if op.usesPOST {
            template.encode(body: credentials.csrBody, closeConnection: !settings.keepAlive, into: &request)
        } else {
            template.encode(closeConnection: !settings.keepAlive, into: &request)
        }
        connection.write(request)
        operationsOnConnection += 1
        stamps.writtenNs = MonotonicTime.nowNs()
    }

    /// Records the operation, then schedules the next one (after the step's think time).
    private func finish(_ outcome: Outcome) {
        guard let op = inFlight else { return }
        inFlight = nil
        timer?.stop()
        if stamps.completeNs == 0 && outcome.receivedResponse { stamps.completeNs = MonotonicTime.nowNs() }
        worker.record(op, stamps: stamps, outcome: outcome, device: self)
        // A protocol deviation leaves the connection unusable (framing lost, or the peer closed
        // mid-response): the next operation must not be sent on it.
        if outcome == .timeout || outcome == .protocolDeviation || outcome.isError && !outcome.receivedResponse {
            connection?.delegate = nil
            connection?.close()
            connection = nil
        }
        let think = settings.mix == nil ? settings.steps[step % settings.steps.count].thinkTimeMs : settings.mixThinkTimeMs
        step += 1
        if stopped {
            shutdown()
            return
        }
        if outcome == .accepted202 && settings.follow202 == nil {
            // countAndStop: the 202 is counted and this device's lifecycle ends.
            stopped = true
            shutdown()
            return
        }
        if isOpenModel {
            passRemaining -= 1
            if passRemaining <= 0 {
                worker.deviceIdle(self)
                return
            }
        }
        if think > 0 {
            try? timer?.start(timeoutMs: think)
        } else {
            beginOperation()
        }
    }

    private func responseComplete() {
        guard let op = inFlight else { return }
        stamps.completeNs = MonotonicTime.nowNs()
        if parser.status == 202, let follow = settings.follow202, retries < follow.maxRetries {
            // Pending (RFC 7030 4.2.3): ask again after Retry-After, bounded by the profile.
            retries += 1
            var waitMs: UInt64 = 1000
            if case .seconds(let s)? = parser.retryAfter { waitMs = UInt64(max(0, s)) * 1000 }
            waitingRetry = true
            if !parser.keepAlive {
                connection?.delegate = nil
                connection?.close()
                connection = nil
            }
            try? timer?.start(timeoutMs: min(waitMs, follow.maxWaitMs))
            return
        }
        lastStatusOnConnection = parser.status
        let outcome = validate(op)
        if settings.resumes, let s = connection?.session.resumableSession { session = s }
        if !parser.keepAlive {
            connection?.delegate = nil
            connection?.close()
            connection = nil
        }
        finish(outcome)
    }

    /// RFC 7030 checks: status, media type, base64, certs-only PKCS#7, the issued key is ours.
    private func validate(_ op: ESTOperation) -> Outcome {
        switch parser.status {
        case 202: return .accepted202
        case 200...299: break
        case 401: return .unauthorized401
        case 400...499: return .otherClientError4xx
        default: return .serverError5xx
        }
        guard op == .simpleenroll || op == .simplereenroll || op == .cacerts else { return .success2xx }
        guard parser.headers.contentTypeMatches(ESTMediaType.pkcs7) else { return .validationFailure(.mediaType) }
        noteDeviations(op)
        let message: CertsOnly
        do {
            // A stray trailing NUL is tolerated by the decoder (and noted above as a finding).
            message = try parser.withBody { body in
                Result { () throws(CertsOnly.ParseError) -> CertsOnly in try CertsOnly.decodingBase64(body).message }
            }.get()
        } catch {
            if case .base64 = error { return .validationFailure(.base64) }
            return .validationFailure(.pkcs7)
        }
        if op == .cacerts { return .success2xx }
        guard let issued = try? message.issued(matching: credentials.key.publicKeyInfo) else {
            return .validationFailure(.keyMismatch)
        }
        credentials.certificate = Array(issued.certificate.encoded)
        if !DERElement.bytesEqual(issued.certificate.subject, credentials.requestedSubject[...]) {
            // The CA's policy may rewrite the subject: counted, not failed.
            worker.finding("subject_rewritten", "requested \(EngineDevice.names(credentials.requestedSubject[...])), issued \(EngineDevice.names(issued.certificate.subject))")
        }
        return .success2xx
    }

    /// RFC 7030 / 8951 deviations that do not fail the operation, counted with one example each.
    private func noteDeviations(_ op: ESTOperation) {
        let headers = parser.headers
        if headers.contains(named: "content-transfer-encoding") {
            worker.finding("content_transfer_encoding",
                           "Content-Transfer-Encoding: \(headers.value(named: "content-transfer-encoding") ?? "") (obsolete, RFC 8951 3.2)")
        }
        if op != .cacerts, !headers.value(named: "content-type", containsIgnoringCase: "smime-type=certs-only") {
            worker.finding("missing_smime_type", "\(op) answered Content-Type: \(headers.value(named: "content-type") ?? "")")
        }
        parser.withBody { body in
            if body.last == 0 { worker.finding("trailing_nul", "\(op) body ends with a NUL byte") }
            if let last = body.last, last != 0x0A && last != 0 { worker.finding("no_final_newline", "\(op) base64 body has no final newline") }
            // Line lengths, a line at a time (memchr), CR before LF not counted.
            guard let base = body.baseAddress else { return }
            var start = 0
            while start < body.count {
                let newline = memchr(base + start, 0x0A, body.count - start)
                let end = newline.map { base.distance(to: UnsafeRawPointer($0)) } ?? body.count
                var length = end - start
                if length > 0 && body[end - 1] == 0x0D { length -= 1 }
                if length > 76 {
                    worker.finding("long_base64_lines", "\(op) base64 lines longer than 76 columns")
                    break
                }
                start = end + 1
            }
        }
    }

    private func noteClosedAfter4xx() {
        worker.finding("closed_after_4xx",
                       "the server closed a kept-alive connection after a \(lastStatusOnConnection) without Connection: close")
    }

    static func names(_ name: ArraySlice<UInt8>) -> String {
        guard let view = try? DERReader.single(name), var rdns = Optional(view.children()) else { return "?" }
        var parts: [String] = []
        while let rdn = try? rdns.next() {
            var atvs = rdn.children()
            while let atv = try? atvs.next() {
                var f = atv.children()
                if let oid = try? f.read().oid(), let value = try? f.read().string() { parts.append("\(oid)=\(value)") }
            }
        }
        return parts.joined(separator: ",")
    }

    // MARK: TLSConnectionDelegate

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        stamps.connectStartNs = connection.connectStartNs
        stamps.connectedNs = connection.connectedNs
        stamps.tlsDoneNs = connection.handshakeDoneNs
        worker.handshake(connection.session)
        if let op = inFlight { send(op, on: connection) }
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        guard inFlight != nil else { return }
        if stamps.firstByteNs == 0 { stamps.firstByteNs = MonotonicTime.nowNs() }
        switch parser.feed(plaintext) {
        case .needsInput: break
        case .complete: responseComplete()
        case .failed: finish(.protocolDeviation)
        }
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        if waitingRetry {  // the server closed after its 202: the retry opens a new connection
            connection.close()
            return
        }
        if inFlight == nil, (400...499).contains(lastStatusOnConnection) {
            noteClosedAfter4xx()
        }
        if let op = inFlight, stamps.writtenNs != 0 {
            switch parser.finish() {
            case .complete: responseComplete()
            case _ where stamps.firstByteNs == 0 && operationsOnConnection > 1 && !op.usesPOST && !resentAfterClose:
                // The server had closed this kept-alive connection before our request reached it
                // (after a 4xx without `Connection: close`, or an idle timeout): an idempotent GET is
                // sent again once on a new connection, its latency still running, as HTTP clients do.
                // An enrollment POST is not repeated: it counts as failed.
                if (400...499).contains(lastStatusOnConnection) { noteClosedAfter4xx() }
                resentAfterClose = true
                connection.delegate = nil
                connection.close()
                if self.connection === connection { self.connection = nil }
                stamps.writtenNs = 0
                open(for: op, identity: nil)
                return
            // Closed before any response byte: the connection failed, as with a reset (which libuv
            // reports as EOF when it follows unread bytes). Closed mid-response: a protocol deviation.
            default:
                if stamps.firstByteNs == 0 && (400...499).contains(lastStatusOnConnection) { noteClosedAfter4xx() }
                finish(stamps.firstByteNs == 0 ? .connectError : .protocolDeviation)
            }
        }
        connection.close()
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        guard inFlight != nil, !waitingRetry else { return }
        switch error {
        case .transport: finish(.connectError)
        case .tls(let e):
            var alert = "handshake"
            if case .handshake(_, let sent, let received) = e { alert = (received ?? sent)?.name ?? "handshake" }
            if case .alertReceived(let a, _) = e { alert = a.name }
            finish(.tlsError(alert: alert))
        case .closedDuringHandshake: finish(.tlsError(alert: "handshake"))
        }
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        if self.connection === connection { self.connection = nil }
        if inFlight != nil && !waitingRetry { finish(.protocolDeviation) }
    }
}

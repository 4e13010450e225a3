import DER
import EST
import EventLoop
import HTTP
import Metrics
import PKI
import TLS

/// One virtual device on a worker's loop: runs its lifecycle one operation at a time over its own
/// TLS connection (kept alive or new per operation; a new one with its issued certificate for
/// re-enrollment), judges each response, and records every operation's phase stamps and outcome.
/// Its state is one `State`; every event is one `switch` over it. Worker thread only.
final class EngineDevice: TLSConnectionDelegate {
    /// One operation under way: what it is, its stamps so far, and what happened to it.
    struct Operation {
        let kind: ESTOperation
        var stamps: OperationPhaseStamps
        /// 202 answers followed so far (RFC 7030 4.2.3).
        var retries = 0
        /// Already sent again once on a new connection after its kept-alive one closed unanswered.
        var resent = false
        /// It opened a new connection (so a failure before the handshake was a failure to connect).
        var opened = false
    }

    /// Where the device is. The `wait` timer runs only in the three waiting states (the state says
    /// which wait ended); the `timeout` timer only while connecting or awaiting a response.
    enum State {
        /// No operation and nothing scheduled: before the start, or (open model) between passes.
        case parked
        /// On the worker's ready list: begins its next operation on the next loop iteration
        /// (`scheduledNs`: the open model's intended start).
        case ready(scheduledNs: UInt64?)
        /// Over the new-connection cap: `wait` ends at the turn the cap reserved for it.
        case awaitingConnectionSlot(Operation)
        /// TCP connect and TLS handshake under way; the request goes once it is done.
        case connecting(Operation)
        /// Request sent; the response is being read.
        case awaitingResponse(Operation)
        /// 202 Accepted: `wait` ends when Retry-After has elapsed, then the same request goes again.
        case awaitingRetryAfter(Operation)
        /// Think time after a step: `wait` ends it.
        case thinking
        /// The last connection attempt failed: `wait` ends the backoff (exponential, jittered,
        /// capped at `maxBackoffNs`), then the next operation begins — no connect storm.
        case backingOff
        /// Timers and connection closed, the worker told. Nothing happens any more.
        case finished
    }

    /// The device's current connection and what it has carried.
    struct Link {
        let tls: TLSConnection
        /// The client certificate it presented (nil: none, or the bootstrap identity).
        let identity: [UInt8]?
        /// Requests sent on it.
        var operations = 0
        /// Status of the last response on it (0: none yet).
        var lastStatus = 0

        var isUsable: Bool { !tls.isClosed && tls.session.isHandshakeComplete }
    }

    /// The worker that owns this device (in its `devices`). Unchecked: a device's code runs only from
    /// the worker's loop — libuv callbacks inside `uv_run`, which runs inside a method of the worker —
    /// so the worker is alive whenever a device touches it. The checked `unowned` paid a reference
    /// count check on each of the ~20 reads per operation (~600 instructions per kept-alive enrollment).
    unowned(unsafe) let worker: EngineWorker
    let credentials: DeviceCredentials
    /// The server this device talks to (round-robin by index over the run's targets), and its position.
    let target: EngineTarget
    let targetIndex: Int
    /// The address of the connection opened last (one of the target's when they are re-resolved).
    private var address: SocketAddress
    // Exclusivity unchecked for `state`, `link` and `exchange` (see EventLoop's `Loop`): the worker's
    // thread only; plain loads and stores, or (`exchange`) in-place calls that never call back here.
    @exclusivity(unchecked) private(set) var state = State.parked
    @exclusivity(unchecked) private var link: Link?
    /// The last session to offer for resumption (made with `sessionIdentity` as client certificate).
    private var session: TLSResumableSession?
    private var sessionIdentity: [UInt8]?
    @exclusivity(unchecked) private var exchange = ESTExchange()
    /// Position in the lifecycle, and (open model) operations left in the current pass.
    private var step = 0
    private var passRemaining = 0
    /// The device's signing context, made on first use (channel-bound CSRs are signed per operation).
    private var signer: Signer?
    /// The device's own draws for a weighted mix (splitmix64 of seed and index: runs repeat).
    private var draws: SplitMix64
    private let wait: EventLoop.Timer
    private let timeout: EventLoop.Timer
    /// Connection attempts failed in a row (reset by a completed handshake).
    private var connectFailures = 0
    static let firstBackoffNs: UInt64 = 10_000_000
    static let maxBackoffNs: UInt64 = 1_000_000_000

    init(worker: EngineWorker, credentials: DeviceCredentials) throws(UVError) {
        self.worker = worker
        self.credentials = credentials
        let targets = worker.settings.targets
        targetIndex = targets.isEmpty ? 0 : credentials.index % targets.count
        target = targets.isEmpty
            ? EngineTarget(address: worker.settings.address, serverName: worker.settings.serverName, templates: worker.settings.templates, description: "")
            : targets[targetIndex]
        address = target.address
        // Each device's stream starts at a scrambled point, so devices do not replay each other's draws.
        draws = SplitMix64(seed: SplitMix64.mix(worker.settings.seed ^ SplitMix64.mix(UInt64(credentials.index) &+ 1)))
        wait = try EventLoop.Timer(loop: worker.loop) {}
        timeout = try EventLoop.Timer(loop: worker.loop) {}
        wait.handler = { [unowned self] in self.waitEnded() }
        timeout.handler = { [unowned self] in self.timedOut() }
    }

    var settings: EngineSettings { worker.settings }

    // MARK: events from the worker

    /// Closed model: the lifecycle begins on the next loop iteration.
    func start() { makeReady(scheduledNs: nil) }

    /// Open model: one pass of the lifecycle for an arrival intended at `scheduledNs` (the first
    /// operation's latency counts from then: coordinated omission corrected), begun now — call
    /// from a timer callback only.
    func startPass(scheduledNs: UInt64) {
        guard case .parked = state else { return }
        step = 0
        passRemaining = settings.mix == nil ? settings.steps.count : 1
        begin(scheduledNs: scheduledNs)
    }

    /// Open model: as `startPass`, but on the next loop iteration (from a completion handler).
    func queuePass(scheduledNs: UInt64) {
        guard case .parked = state else { return }
        step = 0
        passRemaining = settings.mix == nil ? settings.steps.count : 1
        makeReady(scheduledNs: scheduledNs)
    }

    /// The worker's ready list reached this device.
    func readyTurn() {
        guard case .ready(let scheduledNs) = state else { return }
        begin(scheduledNs: scheduledNs)
    }

    /// Drain: no new operation. Waits end now (a pending 202 is counted as the answer it is, an
    /// operation still waiting for a connection slot is cut off); one on the wire may finish.
    func stop() {
        switch state {
        case .parked, .ready, .thinking, .backingOff:
            finishDevice()
        case .awaitingConnectionSlot(let op):
            worker.cutOff(op.kind)
            finishDevice()
        case .awaitingRetryAfter(let op):
            complete(op, .accepted202)
        case .connecting, .awaitingResponse, .finished:
            break
        }
    }

    /// Abort: as `stop`, and an operation on the wire is cut off now (counted, not measured).
    func abort() {
        switch state {
        case .connecting(let op), .awaitingResponse(let op):
            worker.cutOff(op.kind)
            finishDevice()
        case .parked, .ready, .awaitingConnectionSlot, .awaitingRetryAfter, .thinking, .backingOff, .finished:
            stop()
        }
    }

    // MARK: timers

    private func waitEnded() {
        switch state {
        case .awaitingConnectionSlot(let op):
            connect(op)
        case .awaitingRetryAfter(var op):
            // Retry-After elapsed: the same request again (the operation's latency keeps running).
            op.stamps.writtenNs = 0
            op.stamps.firstByteNs = 0
            op.stamps.completeNs = 0
            dispatch(op)
        case .thinking, .backingOff:
            begin(scheduledNs: nil)
        case .parked, .ready, .connecting, .awaitingResponse, .finished:
            break
        }
    }

    private func timedOut() {
        switch state {
        case .connecting(let op):
            let phase = link.map { $0.tls.connectedNs == 0 } ?? true ? "TCP connect" : "TLS handshake"
            complete(op, .timeout, FailureReason(phase, example: "\(op.kind): no connection within \(timeoutNs(op.kind) / 1_000_000) ms (\(phase))"))
        case .awaitingResponse(let op):
            let phase = op.stamps.firstByteNs == 0 ? "awaiting the first byte" : "reading the response"
            complete(op, .timeout, FailureReason(phase, example: "\(op.kind): no complete response within \(timeoutNs(op.kind) / 1_000_000) ms (\(phase))"))
        case .parked, .ready, .awaitingConnectionSlot, .awaitingRetryAfter, .thinking, .backingOff, .finished:
            break
        }
    }

    // MARK: operations

    private func makeReady(scheduledNs: UInt64?) {
        state = .ready(scheduledNs: scheduledNs)
        worker.enqueueReady(self)
    }

    private func begin(scheduledNs: UInt64?) {
        guard worker.acceptsOperations, worker.mayStartOperation() else {
            finishDevice()
            return
        }
        var kind = currentOperation()
        // Re-enrollment needs an issued certificate: before the first one, enroll instead.
        if kind == .simplereenroll && credentials.certificate == nil { kind = .simpleenroll }
        let now = MonotonicTime.nowNs()
        // Only an arrival from the open-model schedule has an intended start; 0 says "none" (a closed
        // run, a later step of a pass): latency counts from `now` and no start lag is recorded.
        dispatch(Operation(kind: kind, stamps: OperationPhaseStamps(scheduledNs: scheduledNs ?? 0, startNs: now)))
    }

    /// Sends `op` on the kept-alive connection when it may carry it, else opens a new one.
    private func dispatch(_ op: Operation) {
        let identity = op.kind == .simplereenroll ? credentials.certificate : nil
        // A kept-alive connection serves every operation except a re-enrollment that must present
        // a certificate this connection did not, and an enrollment after a 4xx on it: some servers
        // close after a 4xx without saying so, and a POST sent into that close could not be told
        // from the server's answer to it (EST-NOTES) — a new connection costs one handshake per 4xx.
        if let link, settings.keepAlive, link.isUsable, identity == nil || link.identity == identity,
           settings.operationsPerConnection.map({ link.operations < $0 }) ?? true,
           !(op.kind.usesPOST && (400...499).contains(link.lastStatus)) {
            arm(timeout, ns: timeoutNs(op.kind))
            send(op)
        } else {
            open(op)
        }
    }

    /// The next operation: the current step, or a seeded draw from the mix.
    private func currentOperation() -> ESTOperation {
        guard let mix = settings.mix else { return settings.steps[step % settings.steps.count].operation }
        let u = draws.nextUnit()
        guard let op = mix.mixOperation(draw: u) else { preconditionFailure("a validated mix has an operation with weight above 0") }
        return op
    }

    private func timeoutNs(_ kind: ESTOperation) -> UInt64 { (settings.timeoutMs[kind] ?? 30_000) * 1_000_000 }

    /// A new connection for `op`, now or — over the new-connection cap — at the turn the cap
    /// reserved for it (the operation's latency keeps running while it waits).
    private func open(_ op: Operation) {
        if let turnNs = worker.reserveConnection() {
            state = .awaitingConnectionSlot(op)
            // The wait ends at the turn, never before it: `waitEnded` connects without asking the
            // cap again, and a timeout measured from now would end early by however long this loop
            // iteration has run (libuv counts it from the iteration's start).
            do { try wait.start(notBeforeNs: turnNs) } catch { preconditionFailure("device timer: \(error)") }
            return
        }
        connect(op)
    }

    /// Opens the new connection for `op` (admitted by the cap). Every failure path closes what it
    /// opened and ends the operation; none of them recurses into the next one.
    private func connect(_ operation: Operation) {
        var op = operation
        closeLink()
        let identity = op.kind == .simplereenroll ? credentials.certificate : nil
        // A session made with another client certificate must not be offered (it carries that identity).
        let resume = settings.resumes && sessionIdentity == identity ? session : nil
        let connection: TLSConnection
        do {
            connection = try TLSConnection(loop: worker.loop, context: settings.tlsContext, serverName: target.serverName,
                                           resuming: resume)
        } catch {
            return complete(op, .connectError, FailureReason("socket", example: "\(error)"))
        }
        do {
            if let identity {
                try connection.session.useCertificate(chain: [identity], key: credentials.key)
            } else if let bootstrap = credentials.bootstrap ?? settings.bootstrap {
                try connection.session.useCertificate(chain: bootstrap.chain, key: bootstrap.key)
            }
        } catch {
            connection.close()
            return complete(op, .tlsError(alert: "client_certificate"), FailureReason("client certificate refused locally", example: "\(error)"))
        }
        connection.delegate = self
        op.opened = true
        link = Link(tls: connection, identity: identity)
        sessionIdentity = identity
        state = .connecting(op)
        arm(timeout, ns: timeoutNs(op.kind))
        do {
            let sources = settings.sourceAddresses
            address = worker.connectAddress(target: targetIndex, fallback: target.address)
            try connection.connect(to: address, from: sources.isEmpty ? nil : sources[credentials.index % sources.count])
        } catch {
            // A synchronous failure may already have been reported through the delegate.
            guard case .connecting(let op) = state else { return }
            closeLink()
            complete(op, .connectError, EngineDevice.reason(error, address: address))
        }
    }

    /// Writes `op`'s request on the current (handshaken) connection.
    private func send(_ op: Operation) {
        guard var link else { return complete(op, .connectError, FailureReason("connection lost", example: "\(op.kind): no connection to send on")) }
        var op = op
        guard let template = target.templates[op.kind] else { preconditionFailure("EngineSettings has a template for every operation") }
        let close = !settings.keepAlive
        if op.kind.usesPOST, settings.channelBinding, let binding = link.tls.session.channelBinding {
            // The binding exists only now: build and sign the CSR here, as its own phase.
            op.stamps.signStartNs = MonotonicTime.nowNs()
            do {
                let signer = try deviceSigner()
                let csr = try worker.csrBuilder.build(index: credentials.index, signer: signer,
                                                      challengePassword: Base64.encodeString(binding.bytes, lineLength: 0))
                let body = op.kind == .fullcmc ? try CMCRequest.fullPKIRequest(csr: csr, signer: signer) : csr
                op.stamps.signDoneNs = MonotonicTime.nowNs()
                exchange.begin(template, body: ESTBody.encode(body), closeConnection: close, fieldLine: credentials.authorization)
            } catch {
                worker.clientFailure("channel-bound CSR for device \(credentials.index): \(error)")
                return complete(op, .tlsError(alert: "channel_binding"),
                                FailureReason("channel-bound CSR not built", example: "device \(credentials.index): \(error)"))
            }
        } else if op.kind == .fullcmc {
            do {
                exchange.begin(template, body: try fullCMCBody(), closeConnection: close, fieldLine: credentials.authorization)
            } catch {
                worker.clientFailure("CMC request for device \(credentials.index): \(error)")
                return complete(op, .protocolDeviation, FailureReason("CMC request not built", example: "device \(credentials.index): \(error)"))
            }
        } else {
            exchange.begin(template, body: op.kind.usesPOST ? credentials.csrBody : nil, closeConnection: close, fieldLine: credentials.authorization)
        }
        link.operations += 1
        self.link = link
        state = .awaitingResponse(op)
        link.tls.write(exchange.request)
        // The write may have failed synchronously (reported through the delegate): stamp only if not.
        if case .awaitingResponse(var op) = state, op.stamps.writtenNs == 0 {
            op.stamps.writtenNs = MonotonicTime.nowNs()
            state = .awaitingResponse(op)
        }
    }

    /// Records `op`, then moves to what comes next: finished (stopping, budget spent, a 202 with
    /// count-and-stop), parked (open model, pass done), thinking, or ready — never straight into
    /// the next operation.
    private func complete(_ op: Operation, _ outcome: Outcome, _ reason: FailureReason? = nil) {
        timeout.stop()
        var stamps = op.stamps
        if stamps.completeNs == 0 && outcome.receivedResponse { stamps.completeNs = MonotonicTime.nowNs() }
        worker.record(op.kind, target: targetIndex, stamps: stamps, outcome: outcome, reason: reason)
        // A protocol deviation leaves the connection unusable (framing lost, or the peer closed
        // mid-response): the next operation must not be sent on it.
        if outcome == .timeout || outcome == .protocolDeviation || outcome.isError && !outcome.receivedResponse {
            closeLink()
        }
        let think = settings.mix == nil ? settings.steps[step % settings.steps.count].thinkTimeMs : settings.mixThinkTimeMs
        step += 1
        if !worker.acceptsOperations || (outcome == .accepted202 && settings.follow202 == nil) {
            // Stopping; or count-and-stop: the 202 is counted and this device's lifecycle ends.
            return finishDevice()
        }
        if worker.isOpenModel {
            passRemaining -= 1
            if passRemaining <= 0 {
                state = .parked
                releaseIdleMemory()
                worker.deviceIdle(self)
                return
            }
        }
        if op.opened && op.stamps.tlsDoneNs == 0 && outcome.isError && !outcome.receivedResponse {
            // The connection could not be made: back off before the next attempt (a refused port
            // must not be hammered in a tight loop), at least as long as the think time.
            connectFailures += 1
            state = .backingOff
            arm(wait, ns: max(think * 1_000_000, backoffNs()))
        } else if think > 0 {
            state = .thinking
            if think >= EngineDevice.longIdleMs { releaseIdleMemory() }
            arm(wait, ns: think * 1_000_000)
        } else {
            makeReady(scheduledNs: nil)
        }
    }

    /// A think time from which an idle device gives its buffers back (`releaseIdleMemory`): about a
    /// microsecond of allocations once per think, against a few KiB held per device for as long as
    /// 10,000 devices idle.
    static let longIdleMs: UInt64 = 1000

    /// Before a long idle (a long think, or parked between open-model passes): the exchange's
    /// buffers and the kept-alive connection's empty memory-BIO buffers are given back.
    private func releaseIdleMemory() {
        exchange.releaseBuffers()
        if let link, link.isUsable { link.tls.session.releaseIdleMemory() }
    }

    /// Exponential from 10 ms, capped at 1 s, with jitter over its upper half (seeded per device),
    /// so devices that failed together do not retry together.
    private func backoffNs() -> UInt64 {
        let shift = UInt64(min(connectFailures - 1, 20))
        let ceiling = min(EngineDevice.maxBackoffNs, EngineDevice.firstBackoffNs << shift)
        return ceiling / 2 + draws.next() % (ceiling / 2 + 1)
    }

    private func responseComplete(_ op: Operation) {
        guard var link else { return }
        var op = op
        op.stamps.completeNs = MonotonicTime.nowNs()
        // One copy of the parser for every question below (each read of `exchange.response` from
        // this class's storage copies it: a retain and a release per buffer it holds).
        let response = exchange.response
        if response.status == 202, let follow = settings.follow202, op.retries < follow.maxRetries {
            // Pending (RFC 7030 4.2.3): ask again after Retry-After, bounded by the profile.
            op.retries += 1
            var waitMs: UInt64 = 1000
            if case .seconds(let s)? = response.retryAfter { waitMs = UInt64(max(0, s)) * 1000 }
            if !response.keepAlive { closeLink() }
            timeout.stop()
            state = .awaitingRetryAfter(op)
            arm(wait, ns: min(waitMs, follow.maxWaitMs) * 1_000_000)
            return
        }
        link.lastStatus = response.status
        self.link = link
        let (outcome, reason) = judge(op.kind, response)
        if settings.resumes, let s = link.tls.session.resumableSession { session = s }
        if !response.keepAlive { closeLink() }
        complete(op, outcome, reason)
    }

    /// The device's signing context, made on first use.
    private func deviceSigner() throws(PKIError) -> Signer {
        if let signer { return signer }
        let made = try Signer(key: credentials.key)
        signer = made
        return made
    }

    /// The device's fullcmc body (its pool CSR in a signed Full PKI Request), made once.
    private func fullCMCBody() throws -> [UInt8] {
        if let body = credentials.fullCMCBody { return body }
        let body = ESTBody.encode(try CMCRequest.fullPKIRequest(csr: try ESTBody.decode(credentials.csrBody), signer: try deviceSigner()))
        credentials.fullCMCBody = body
        return body
    }

    /// The EST checks of the response (status, media type, body, the issued certificate — chained
    /// to the run's cacerts, valid, its serial not seen twice), with the reason when it failed.
    private func judge(_ kind: ESTOperation, _ response: HTTPResponseParser) -> (Outcome, FailureReason?) {
        let context = ESTResponseCheck.Context(
            publicKeyInfo: credentials.key.publicKeyInfo, requestedSubject: credentials.requestedSubject,
            caCertificates: worker.issuingCAs, verifier: worker.signatureVerifier(for: kind), nowUnixSeconds: worker.nowUnixSeconds())
        let judgement = ESTResponseCheck.judge(kind, response: response, context: context, note: { worker.finding($0.kind, $0.example) })
        if let issued = judgement.issued {
            credentials.certificate = Array(issued.encoded)
            worker.issued(issued)
        }
        if let issued = judgement.issuedForServerKey { worker.issued(issued) }
        if !judgement.caCertificates.isEmpty { worker.learnCACertificates(judgement.caCertificates) }
        switch judgement.verdict {
        case .success: return (.success2xx, nil)
        case .pending: return (.accepted202, nil)
        case .unauthorized: return (.unauthorized401, statusReason(kind))
        case .clientError: return (.otherClientError4xx, statusReason(kind))
        case .serverError: return (.serverError5xx, statusReason(kind))
        case .invalid(let problem, let detail):
            switch problem {
            case .mediaType: return (.validationFailure(.mediaType), FailureReason("Content-Type \(response.contentType ?? "(none)")", example: detail))
            case .base64: return (.validationFailure(.base64), FailureReason("not base64", example: detail))
            case .pkcs7: return (.validationFailure(.pkcs7), FailureReason("not a certs-only PKCS#7", example: detail))
            case .keyMismatch: return (.validationFailure(.keyMismatch), FailureReason("no certificate for the key", example: detail))
            case .csrattrs: return (.validationFailure(.csrattrs), FailureReason("not a SEQUENCE OF AttrOrOID", example: detail))
            case .serverKey: return (.validationFailure(.serverKey), FailureReason("no usable server-generated key", example: detail))
            case .cmc: return (.validationFailure(.cmc), FailureReason(detail.hasPrefix("fullcmc status") ? "CMC status not success" : "not a Full PKI Response", example: detail))
            case .chain: return (.validationFailure(.chain), FailureReason("not chained to cacerts", example: detail))
            case .validity: return (.validationFailure(.validity), FailureReason("validity window", example: detail))
            }
        }
    }

    /// An error status as its reason: the status line, and the start of the body as the example.
    private func statusReason(_ kind: ESTOperation) -> FailureReason {
        let response = exchange.response
        let line = response.reason.isEmpty ? "\(response.status)" : "\(response.status) \(response.reason)"
        let body = response.withBody { EngineDevice.excerpt($0) }
        var example = "\(kind) answered \(line)"
        if response.status == 401 { example += ", WWW-Authenticate: \(response.wwwAuthenticate ?? "(none)")" }
        if body != "\"\"" { example += ", body \(body)" }
        return FailureReason(line, example: example)
    }

    /// Whether the device has a connection open now (handshake done, not closed), busy or idle.
    var holdsConnection: Bool { link?.isUsable ?? false }

    /// Ends the device once: closes its timers and connection and tells the worker.
    private func finishDevice() {
        if case .finished = state { return }
        state = .finished
        wait.close()
        timeout.close()
        closeLink()
        worker.deviceFinished()
    }

    /// Closes the current connection without hearing from it again.
    private func closeLink() {
        guard let link else { return }
        self.link = nil
        link.tls.delegate = nil
        link.tls.close()
    }

    /// Starts a timer the device owns; it is closed only in `finished`, when nothing arms it.
    private func arm(_ timer: EventLoop.Timer, ns: UInt64) {
        do { try timer.start(timeoutNs: ns) } catch {
            // uv_timer_start fails only on a closing handle, which `finished` rules out.
            preconditionFailure("device timer: \(error)")
        }
    }

    private func noteClosedAfter4xx(_ status: Int) {
        worker.finding("closed_after_4xx", "the server closed a kept-alive connection after a \(status) without Connection: close")
    }

    // MARK: TLSConnectionDelegate

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        guard case .connecting(var op) = state, link?.tls === connection else { return }
        op.stamps.connectStartNs = connection.connectStartNs
        op.stamps.connectedNs = connection.connectedNs
        op.stamps.tlsDoneNs = connection.handshakeDoneNs
        connectFailures = 0
        worker.handshake(connection.session)
        send(op)
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        guard link?.tls === connection else { return }
        guard case .awaitingResponse(var op) = state else {
            // Bytes while no request is outstanding: whatever they answer, it is not a request of
            // ours. The connection's framing is in doubt: it is closed, the next operation opens another.
            worker.finding("unsolicited_bytes", "\(plaintext.count) byte(s) arrived while no request was outstanding: "
                           + EngineDevice.excerpt(plaintext))
            return closeLink()
        }
        if op.stamps.firstByteNs == 0 {
            op.stamps.firstByteNs = MonotonicTime.nowNs()
            state = .awaitingResponse(op)
        }
        switch exchange.receive(plaintext) {
        case .needsInput: break
        case .complete(let extra) where extra > 0:
            // More than the response in the same read: two answers to one request, and which is
            // ours cannot be told. A protocol deviation; the connection is not used again.
            let example = "\(extra) byte(s) after the response to \(op.kind): "
                + EngineDevice.excerpt(UnsafeRawBufferPointer(rebasing: plaintext[(plaintext.count - extra)...]))
            worker.finding("unsolicited_bytes", example)
            closeLink()
            complete(op, .protocolDeviation, FailureReason("unsolicited bytes after the response", example: example))
        case .complete: responseComplete(op)
        case .failed(let e): complete(op, .protocolDeviation, FailureReason(e.kind, example: "\(op.kind): \(e)"))
        case .closedBeforeResponse: complete(op, .protocolDeviation, FailureReason("closed before the response", example: "\(op.kind)"))
        }
    }

    /// The first line of unexpected bytes, for an example.
    static func excerpt(_ bytes: UnsafeRawBufferPointer) -> String {
        let line = bytes.prefix(80).prefix { $0 != 0x0D && $0 != 0x0A }
        return "\"" + String(decoding: line.map { $0 >= 0x20 && $0 < 0x7F ? $0 : 0x3F }, as: UTF8.self) + "\""
    }

    /// Whether `op`, unanswered on a kept-alive connection the server closed, goes again once on a
    /// new connection: a GET only (idempotent; the server may have closed an idle connection as our
    /// request crossed). A POST is never repeated: an enrollment after a 4xx goes out on a new
    /// connection in the first place (see `dispatch`), so a close or reset on a POST is the server's
    /// answer to it and counts.
    private func mayResend(_ op: Operation, _ link: Link) -> Bool {
        op.stamps.firstByteNs == 0 && link.operations > 1 && !op.resent && !op.kind.usesPOST
    }

    private func resend(_ operation: Operation, after link: Link) {
        if (400...499).contains(link.lastStatus) { noteClosedAfter4xx(link.lastStatus) }
        var op = operation
        op.resent = true
        op.stamps.writtenNs = 0
        closeLink()
        open(op)
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        guard let link, link.tls === connection else { return connection.close() }
        switch state {
        case .awaitingResponse(let op):
            switch exchange.peerClosed() {
            case .complete:
                responseComplete(op)
            case .closedBeforeResponse where mayResend(op, link):
                resend(op, after: link)
            case .closedBeforeResponse:
                // Closed before any response byte: the connection failed, as with a reset (which libuv
                // reports as EOF when it follows unread bytes).
                if (400...499).contains(link.lastStatus) { noteClosedAfter4xx(link.lastStatus) }
                complete(op, .connectError, FailureReason("closed before the response",
                                                          example: "the server closed the connection before answering \(op.kind)"))
            case .failed(let e):
                // Closed mid-response: a protocol deviation, by what was cut short.
                complete(op, .protocolDeviation, FailureReason(e.kind, example: "\(op.kind): \(e)"))
            case .needsInput:
                preconditionFailure("ESTExchange.peerClosed never needs input")
            }
        case .parked, .ready, .thinking, .backingOff, .awaitingRetryAfter, .awaitingConnectionSlot:
            // An idle kept-alive connection closed: the next operation opens a new one.
            if (400...499).contains(link.lastStatus) { noteClosedAfter4xx(link.lastStatus) }
        case .connecting, .finished:
            break
        }
        if self.link?.tls === connection { closeLink() } else { connection.close() }
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        guard let link, link.tls === connection else { return }
        switch state {
        case .awaitingResponse(let op) where mayResend(op, link):
            if case .transport = error {
                // A reset instead of a FIN (the server closed with our request unread).
                return resend(op, after: link)
            }
            closeLink()
            let (outcome, reason) = EngineDevice.failure(error, address: address)
            complete(op, outcome, reason)
        case .connecting(let op), .awaitingResponse(let op):
            closeLink()
            let (outcome, reason) = EngineDevice.failure(error, address: address)
            complete(op, outcome, reason)
        case .parked, .ready, .thinking, .backingOff, .awaitingRetryAfter, .awaitingConnectionSlot, .finished:
            // An idle connection failed: it is closing, and the next operation opens a new one.
            closeLink()
        }
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        guard link?.tls === connection else { return }
        link = nil
        switch state {
        case .connecting(let op), .awaitingResponse(let op):
            complete(op, .protocolDeviation, FailureReason("connection closed", example: "\(op.kind): the connection closed without an error or a response"))
        case .parked, .ready, .thinking, .backingOff, .awaitingRetryAfter, .awaitingConnectionSlot, .finished:
            break
        }
    }

    /// A connection failure as its outcome class and reason: transport errors by errno name,
    /// certificate verification by OpenSSL's verify result, handshake failures by the alert, and
    /// failures of an established session (an alert or a bad record after the handshake) as
    /// `tls_error:<alert>` or `tls_error:session` — never as a handshake failure.
    static func failure(_ error: TLSConnectionError, address: SocketAddress) -> (Outcome, FailureReason) {
        switch error {
        case .transport(let e):
            return (.connectError, reason(e, address: address))
        case .closedDuringHandshake:
            return (.tlsError(alert: "handshake"), FailureReason("closed during the handshake", example: "\(error)"))
        case .tls(let e):
            switch e {
            case .certificateVerification(_, let why):
                return (.tlsError(alert: "verify"), FailureReason(why, example: e.description))
            case .hostnameMismatch:
                return (.tlsError(alert: "verify"), FailureReason("certificate does not match the name", example: e.description))
            case .handshake(let errors, let sent, let received):
                let key = received.map { "alert received: \($0.name)" } ?? sent.map { "alert sent: \($0.name)" }
                    ?? errors.first ?? "handshake failed"
                return (.tlsError(alert: (received ?? sent)?.name ?? "handshake"), FailureReason(key, example: e.description))
            case .alertReceived(let alert, _):
                return (.tlsError(alert: alert.name), FailureReason("alert after the handshake: \(alert.name)", example: e.description))
            case .protocolFailure(let errors, let sent):
                let key = sent.map { "alert sent: \($0.name)" } ?? errors.first ?? "protocol failure"
                return (.tlsError(alert: "session"), FailureReason(key, example: e.description))
            case .unexpectedEOF:
                return (.tlsError(alert: "session"), FailureReason("ended without close_notify", example: e.description))
            case .configuration(let operation, _):
                return (.tlsError(alert: "configuration"), FailureReason(operation, example: e.description))
            }
        }
    }

    /// A transport error by its errno name (ECONNREFUSED, ECONNRESET, ETIMEDOUT, EADDRNOTAVAIL …);
    /// binding the source address (`sourceAddresses`) is told apart from connecting, "EADDRNOTAVAIL
    /// (bind)": an address this machine lacks, where EADDRNOTAVAIL at connect is no free local port.
    static func reason(_ error: any Error, address: SocketAddress) -> FailureReason {
        var uv = error as? UVError
        if case .transport(let e)? = error as? TLSConnectionError { uv = e }
        guard let uv else { return FailureReason("connect", example: "\(address.ip):\(address.port): \(error)") }
        return FailureReason(uv.operation == .bind ? "\(uv.name) (bind)" : uv.name, example: "\(address.ip):\(address.port): \(uv)")
    }
}

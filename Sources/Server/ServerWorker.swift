import EventLoop
import HTTP
import TLS

/// One server thread: its own `Loop`, a listener on the server's shared listening socket (each
/// worker listens on its own duplicate of it), the connections it accepted, and its EST service
/// (with its own signing contexts). Everything here lives on the worker's thread; counters are
/// read after join.
final class ServerWorker: TCPListenerDelegate {
    /// Whether the worker takes new connections. libuv keeps accepting while a listener is open —
    /// at EMFILE it spins in `accept4` without returning to the loop — so a worker that must not
    /// accept closes its listener (its duplicate only: the socket and its queue stay for the
    /// others) and opens a new one when it may accept again.
    private enum Accepting {
        case listening(TCPListener)
        /// At this worker's share of the connection cap: resumes when one of its connections closes.
        case atCap
        /// Out of descriptors (EMFILE/ENFILE): resumes when a connection closes or the retry timer fires.
        case outOfDescriptors
        case stopped
    }

    let index: Int
    let loop: Loop
    let tlsContext: TLSContext
    let limits: ServerLimits
    /// The request-rate cap shared with the other workers (nil: none).
    let capacity: CapacityGate?
    let service: ESTService
    let log: ServerLog
    /// This worker's share of the server's connection cap.
    let maxConnections: Int
    private var accepting = Accepting.stopped
    private var socket: ListeningSocket?
    /// Retries listening while out of descriptors (its one meaning).
    private var retryTimer: EventLoop.Timer?
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    private var wakeup: Wakeup?
    private(set) var counts = [Int](repeating: 0, count: ServerEvent.allCases.count)

    /// How soon a worker out of descriptors tries to listen again (other workers may free some).
    static let descriptorRetryMs: UInt64 = 100

    init(index: Int, tlsContext: TLSContext, limits: ServerLimits, maxConnections: Int, capacity: CapacityGate?,
         service: ESTService, log: ServerLog) throws {
        self.index = index
        loop = try Loop()
        self.tlsContext = tlsContext
        self.limits = limits
        self.maxConnections = max(1, maxConnections)
        self.capacity = capacity
        self.service = service
        self.log = log
    }

    /// Listens on `socket` (shared with the other workers) and sets up the stop signal.
    func bind(socket: ListeningSocket) throws {
        self.socket = socket
        accepting = .listening(try TCPListener(loop: loop, socket: socket, backlog: 1024, delegate: self))
        retryTimer = try EventLoop.Timer(loop: loop) {}
        retryTimer?.handler = { [unowned self] in self.resumeAccepting() }
        wakeup = try Wakeup(loop: loop) { [unowned self] in self.shutdown() }
    }

    /// Runs until `stop()`; then closes every handle and the loop.
    func run() {
        _ = loop.run()
        do { try loop.close() } catch { log.note(.transportFailure, "worker \(index): loop close: \(error)") }
    }

    /// From any thread.
    func stop() { _ = wakeup?.signal() }

    private func shutdown() {
        if case .listening(let listener) = accepting { listener.close() }
        accepting = .stopped
        retryTimer?.close()
        for c in connections.values { c.tls.close() }
        wakeup?.close()
        loop.stop()
    }

    func count(_ event: ServerEvent) { counts[ServerEvent.allCases.firstIndex(of: event)!] += 1 }

    func note(_ event: ServerEvent, _ detail: String) { log.note(event, "worker \(index): \(detail)") }

    func connectionClosed(_ connection: ServerConnection) {
        connections[ObjectIdentifier(connection)] = nil
        switch accepting {
        case .atCap, .outOfDescriptors: resumeAccepting()
        case .listening, .stopped: break
        }
    }

    // MARK: pausing and resuming accepts

    private func pauseAccepting(_ state: Accepting) {
        guard case .listening(let listener) = accepting else { return }
        listener.close()
        accepting = state
        if case .outOfDescriptors = state {
            count(.outOfDescriptors)
            note(.outOfDescriptors, "out of descriptors: not accepting until connections close")
            startRetryTimer()
        } else {
            count(.connectionCap)
            note(.connectionCap, "at its cap of \(maxConnections) connection(s): not accepting until one closes")
        }
    }

    private func resumeAccepting() {
        switch accepting {
        case .listening, .stopped: return
        case .atCap, .outOfDescriptors: break
        }
        guard connections.count < maxConnections else {
            accepting = .atCap
            return
        }
        guard let socket else { return }
        do {
            accepting = .listening(try TCPListener(loop: loop, socket: socket, backlog: 1024, delegate: self))
            retryTimer?.stop()
        } catch {
            accepting = .outOfDescriptors
            startRetryTimer()
        }
    }

    private func startRetryTimer() {
        guard let retryTimer, !retryTimer.isActive else { return }
        do { try retryTimer.start(timeoutMs: ServerWorker.descriptorRetryMs) } catch {
            note(.transportFailure, "retry timer: \(error)")
        }
    }

    // MARK: TCPListenerDelegate

    func listener(_ listener: TCPListener, didAccept connection: TCPConnection) {
        do {
            let c = try ServerConnection(worker: self, accepted: connection)
            connections[ObjectIdentifier(c)] = c
        } catch {
            note(.transportFailure, "accept: \(error)")
            connection.close()
        }
        if connections.count >= maxConnections { pauseAccepting(.atCap) }
    }

    func listener(_ listener: TCPListener, didFail error: UVError) {
        if error.isOutOfDescriptors {
            pauseAccepting(.outOfDescriptors)
            return
        }
        count(.transportFailure)
        note(.transportFailure, "accept: \(error)")
    }
}

import EventLoop
import HTTP
import TLS

/// One server thread: its own `Loop`, a listener on the shared port (SO_REUSEPORT: the kernel
/// spreads accepts across workers), the connections it accepted, and its EST service (with its own
/// signing contexts). Everything here lives on the worker's thread; counters are read after join.
final class ServerWorker: TCPListenerDelegate {
    let index: Int
    let loop: Loop
    let tlsContext: TLSContext
    let limits: ServerLimits
    /// The request-rate cap shared with the other workers (nil: none).
    let capacity: CapacityGate?
    let service: ESTService
    let log: ServerLog
    private(set) var listener: TCPListener?
    private var connections: [ObjectIdentifier: ServerConnection] = [:]
    private var wakeup: Wakeup?
    private(set) var counts = [Int](repeating: 0, count: ServerEvent.allCases.count)

    init(index: Int, tlsContext: TLSContext, limits: ServerLimits, capacity: CapacityGate?, service: ESTService, log: ServerLog) throws {
        self.index = index
        loop = try Loop()
        self.tlsContext = tlsContext
        self.limits = limits
        self.capacity = capacity
        self.service = service
        self.log = log
    }

    /// Binds the listener (port 0 only for the first worker) and the stop signal.
    func bind(address: SocketAddress) throws {
        listener = try TCPListener(loop: loop, address: address, backlog: 1024, reusePort: true, delegate: self)
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
        listener?.close()
        for c in connections.values { c.tls.close() }
        wakeup?.close()
        loop.stop()
    }

    func count(_ event: ServerEvent) { counts[ServerEvent.allCases.firstIndex(of: event)!] += 1 }

    func note(_ event: ServerEvent, _ detail: String) { log.note(event, "worker \(index): \(detail)") }

    func connectionClosed(_ connection: ServerConnection) {
        connections[ObjectIdentifier(connection)] = nil
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
    }

    func listener(_ listener: TCPListener, didFail error: UVError) {
        count(.transportFailure)
        note(.transportFailure, "accept: \(error)")
    }
}

import Dispatch
import EventLoop
import Glibc
import PKI
import Synchronization
import TLS

/// The built-in EST server: N worker threads, each with its own loop, listening on one shared
/// socket. `start()` returns once every worker listens; `stop()` (any thread) ends them all and
/// joins. Counters are summed after join.
public final class ESTServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    public let log: ServerLog
    private var workers: [ServerWorker] = []
    private var threads: [StartedThread] = []
    public private(set) var port: UInt16 = 0
    /// The one socket every worker listens on (each through its own duplicate descriptor).
    private var listeningSocket: ListeningSocket?
    private let makeService: @Sendable (Int) throws -> ESTService
    private let tlsContext: TLSContext

    /// - Parameter makeService: the EST service of worker `i` (each with its own signing contexts).
    init(configuration: ServerConfiguration, tlsContext: TLSContext, log: ServerLog,
         makeService: @escaping @Sendable (Int) throws -> ESTService) {
        self.configuration = configuration
        self.tlsContext = tlsContext
        self.log = log
        self.makeService = makeService
    }

    /// Binds the configured address once (port 0: the kernel picks) and starts every worker on
    /// that one socket; throws `.addressInUse` when another socket holds the address (unless both
    /// use `reusePort`).
    public func start() throws {
        let socket = try ListeningSocket(address: configuration.listen, backlog: 1024, reusePort: configuration.reusePort)
        listeningSocket = socket
        port = socket.port
        let gate = configuration.capacity.map(CapacityGate.init)
        let count = max(1, configuration.threads)
        let cap = configuration.limits.maxConnections ?? ServerLimits.defaultMaxConnections(descriptorLimit: DescriptorLimit.current)
        for i in 0..<count {
            // The cap split across workers (at least one each): a worker at its share stops accepting.
            let share = cap / count + (i < cap % count ? 1 : 0)
            let worker = try ServerWorker(index: i, tlsContext: tlsContext, limits: configuration.limits, maxConnections: share,
                                          capacity: gate, service: try makeService(i), log: log)
            try worker.bind(socket: socket)
            workers.append(worker)
        }
        for worker in workers {
            let box = WorkerBox(worker)
            guard let thread = WorkerThreads.start({ box.worker.run() }) else {
                stop()
                throw ServerError.threads("pthread_create failed")
            }
            threads.append(thread)
        }
    }

    /// Stops accepting, closes connections, ends and joins every worker thread, then frees the port.
    public func stop() {
        for w in workers { w.stop() }
        for t in threads { t.join() }
        threads = []
        listeningSocket = nil
    }

    /// Events counted by all workers (valid after `stop()`).
    public var counts: [ServerEvent: Int] {
        var out: [ServerEvent: Int] = [:]
        for w in workers {
            for (i, e) in ServerEvent.allCases.enumerated() { out[e, default: 0] += w.counts[i] }
        }
        return out
    }

    /// Requests and injected faults per operation, summed over all workers (valid after `stop()`).
    public var faultTally: FaultTally {
        var out = FaultTally()
        for w in workers { out.add(w.service.tally) }
        return out
    }
}

/// Carries a worker into its thread (the worker is confined to that thread from then on).
private final class WorkerBox: @unchecked Sendable {
    let worker: ServerWorker
    init(_ worker: ServerWorker) { self.worker = worker }
}

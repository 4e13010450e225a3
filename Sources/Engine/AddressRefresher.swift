import EventLoop
import Glibc
import PKI
import Synchronization

/// `target.resolveEverySeconds`: one helper thread that resolves each target's host name again at
/// that interval (blocking getaddrinfo, never on a load thread) and publishes the addresses to its
/// `TargetAddresses`. Failed lookups keep the addresses known and are counted for the run's warnings.
final class AddressRefresher: Sendable {
    /// What the refresher saw, for the warnings: lookups, changes, and failures with the first one's text.
    struct Tally: Sendable {
        var lookups = 0
        var changes = 0
        var failures = 0
        var firstFailure: String?
    }

    typealias Resolver = @Sendable (String, UInt16) throws(ResolutionError) -> [SocketAddress]

    private let targets: [TargetAddresses]
    private let intervalNs: UInt64
    private let resolve: Resolver
    private let stopped = Atomic<Bool>(false)
    private let counts = Locked(Tally())

    init(targets: [TargetAddresses], intervalNs: UInt64, resolve: @escaping Resolver = { host, port throws(ResolutionError) in
        try SocketAddress.resolveAll(host: host, port: port)
    }) {
        self.targets = targets
        self.intervalNs = intervalNs
        self.resolve = resolve
    }

    /// Starts the helper thread; it ends at `stop()` (within 50 ms).
    func start() {
        WorkerThreads.detach { [self] in
            var nextNs = MonotonicTime.nowNs() &+ intervalNs
            while !stopped.load(ordering: .acquiring) {
                if MonotonicTime.nowNs() < nextNs {
                    usleep(UInt32(min(50_000, (nextNs - MonotonicTime.nowNs()) / 1000 + 1)))
                    continue
                }
                nextNs = MonotonicTime.nowNs() &+ intervalNs
                for target in targets where !stopped.load(ordering: .acquiring) { refresh(target) }
            }
        }
    }

    func stop() { stopped.store(true, ordering: .releasing) }

    var tally: Tally { counts.withLock { $0 } }

    private func refresh(_ target: TargetAddresses) {
        do {
            let addresses = try resolve(target.host, target.port)
            let changed = target.publish(addresses)
            counts.withLock {
                $0.lookups += 1
                if changed { $0.changes += 1 }
            }
        } catch {
            counts.withLock {
                $0.lookups += 1
                $0.failures += 1
                if $0.firstFailure == nil { $0.firstFailure = "\(error)" }
            }
        }
    }
}

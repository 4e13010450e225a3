import PKI
import EventLoop
import Synchronization

/// The addresses a target's host name resolves to now, re-resolved by `AddressRefresher` every
/// `target.resolveEverySeconds` and read by every load thread when it opens a connection. The one
/// piece of state shared while running: the refresher publishes under a lock and bumps `generation`;
/// a worker reads the atomic per connection and copies the list only when it changed.
public final class TargetAddresses: Sendable {
    /// The name re-resolved, and the port every address gets.
    public let host: String
    public let port: UInt16
    private let current: Locked<[SocketAddress]>
    private let changes = Atomic<UInt64>(0)

    public init(host: String, port: UInt16, addresses: [SocketAddress]) {
        self.host = host
        self.port = port
        current = Locked(addresses)
    }

    /// Bumped each time the list changes.
    public var generation: UInt64 { changes.load(ordering: .acquiring) }

    /// The list now, with its generation.
    public func snapshot() -> (generation: UInt64, addresses: [SocketAddress]) {
        current.withLock { (changes.load(ordering: .acquiring), $0) }
    }

    /// A fresh resolution: kept (and the generation bumped) when it differs from the list now.
    /// Returns whether it changed.
    @discardableResult
    public func publish(_ addresses: [SocketAddress]) -> Bool {
        current.withLock {
            guard !addresses.isEmpty, addresses.map(\.description) != $0.map(\.description) else { return false }
            $0 = addresses
            changes.add(1, ordering: .releasing)
            return true
        }
    }
}

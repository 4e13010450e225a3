import PKI
import Glibc
import Synchronization

/// The server's log: one line per kind of event the first time it happens (never one per request),
/// written to standard error. Shared by all workers.
public final class ServerLog: Sendable {
    private let seen = Locked<Set<ServerEvent>>([])
    private let output: @Sendable (String) -> Void

    public init(output: @escaping @Sendable (String) -> Void = { line in
        var text = line + "\n"
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }) {
        self.output = output
    }

    func note(_ event: ServerEvent, _ detail: String) {
        let first = seen.withLock { $0.insert(event).inserted }
        if first { output("estbench serve: \(event.rawValue): \(detail) (further ones are counted, not logged)") }
    }

    public func say(_ line: String) { output(line) }
}

/// One of N processes running the same plan together (`--shard I/N`): which slice of the devices,
/// of the closed model's devices, of the open model's arrivals and of `stop.operations` is this
/// process's. Pure arithmetic, so the N slices are disjoint and add up to the plan exactly.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 0-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count > 0 && (0..<count).contains(index), "shard \(index) outside 0..<\(count)")
        self.index = index
        self.count = count
    }

    /// Reads "I/N" (0-based I), or says why it is not one.
    public static func parse(_ text: String) -> Result<Shard, ShardError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return .failure(.notIOverN(text)) }
        return make(index: i, count: n)
    }

    /// A shard from separate numbers, checked.
    public static func make(index: Int, count: Int) -> Result<Shard, ShardError> {
        guard count >= 1 && count <= maxCount else { return .failure(.countOutOfRange(count)) }
        guard (0..<count).contains(index) else { return .failure(.indexOutOfRange(index, count: count)) }
        return .success(Shard(index: index, count: count))
    }

    public static let maxCount = 10_000

    public var description: String { "\(index)/\(count)" }

    /// This shard's contiguous slice of `total` items (device indices): the first `total % count`
    /// shards take one more.
    public func range(of total: Int) -> Range<Int> {
        let base = total / count, extra = total % count
        let start = index * base + min(index, extra)
        return start..<(start + base + (index < extra ? 1 : 0))
    }

    /// This shard's part of a count (closed-model devices, `stop.operations`, a burst): exact, the
    /// parts add up to `total`.
    public func share(of total: Int) -> Int { range(of: total).count }

    /// This shard's part of a rate (connections per second and the like).
    public func share(ofRate rate: Double) -> Double { rate / Double(count) }

    /// Of the schedule's first `due` arrivals (global indices 0..<due), how many are this shard's:
    /// shard i takes arrivals i, i+N, i+2N …
    public func arrivals(ofFirst due: Int) -> Int {
        due > index ? (due - index + count - 1) / count : 0
    }
}

/// Why `--shard` was refused.
public enum ShardError: Error, Sendable, Equatable, CustomStringConvertible {
    case notIOverN(String)
    case countOutOfRange(Int)
    case indexOutOfRange(Int, count: Int)

    public var description: String {
        switch self {
        case .notIOverN(let text): return "'\(text)' is not I/N (e.g. 0/3: the first of three shards)"
        case .countOutOfRange(let n): return "\(n) shards is out of range; allowed: 1...\(Shard.maxCount)"
        case .indexOutOfRange(let i, let n): return "shard index \(i) is out of range for \(n) shard(s); allowed: 0...\(n - 1)"
        }
    }
}

extension ArrivalSchedule {
    /// The schedule split across `workers` workers of one shard: the shard takes global arrivals
    /// i, i+N, … and its worker w of them every T-th, i.e. global arrivals ≡ w·N + i (mod T·N) —
    /// so N shards' merged arrivals are spaced exactly as one process's.
    public func split(workers: Int, shard: Shard?) -> [WorkerArrivals] {
        guard let shard, shard.count > 1 else { return split(workers: workers) }
        let threads = max(1, workers)
        return (0..<threads).map {
            WorkerArrivals(schedule: self, worker: $0 * shard.count + shard.index, workerCount: threads * shard.count)
        }
    }
}

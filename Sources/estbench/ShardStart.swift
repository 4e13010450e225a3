import Engine
import Foundation
import Report

/// When a shard starts measuring: at a given instant (`--start-at`, `--start-in`), at the instant a
/// barrier agrees on (`--barrier DIR`: every shard marks itself ready on a shared volume; all start
/// at the last ready time plus a margin), or at once. Waited for after the devices are made.
enum ShardStart {
    case now
    case at(Date)
    case barrier(directory: URL, shard: ShardIdentity, timeoutSeconds: Double, marginSeconds: Double)

    /// What a barrier needs to know of this process.
    struct ShardIdentity {
        let index: Int
        let count: Int
        let planHash: String
    }

    /// Reads "60s", "90", "2m", "1h" as seconds; nil when it is none of them.
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite else { return nil }
            return value * scale
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return value
    }

    /// Reads "2026-12-07T10:00:00Z" (UTC); nil when it is not that form.
    static func instant(_ text: String) -> Date? { UTCTime.date(iso8601: text) }

    /// Waits until the start; returns the agreed instant (nil: none) and how late this shard was for
    /// it (seconds, 0 when on time). A barrier that times out throws `.notStarted`.
    func wait(say: (String) -> Void) throws(RunCoordinator.RunError) -> (instant: Date?, lateSeconds: Double) {
        let instant: Date
        switch self {
        case .now: return (nil, 0)
        case .at(let date): instant = date
        case .barrier(let directory, let shard, let timeout, let margin):
            instant = try Self.barrier(directory: directory, shard: shard, timeoutSeconds: timeout, marginSeconds: margin, say: say)
        }
        let ahead = instant.timeIntervalSinceNow
        guard ahead > 0 else {
            say("start: \(Format.fixed(-ahead, 3)) s late for the common start \(UTCTime.iso8601(instant)): starting now (recorded)")
            return (instant, -ahead)
        }
        say("start: waiting \(Format.fixed(ahead, 1)) s for the common start \(UTCTime.iso8601(instant))")
        // Sleep most of the way, then the last stretch in short steps: the start lands within a millisecond.
        while true {
            let left = instant.timeIntervalSinceNow
            if left <= 0 { break }
            usleep(UInt32(min(left, 0.2) * 1e6))
        }
        return (instant, 0)
    }

    /// Marks this shard ready (`ready-<i>` holding the plan hash and the time), waits until all N are
    /// ready for the same plan, and returns the last ready time plus the margin.
    static func barrier(directory: URL, shard: ShardIdentity, timeoutSeconds: Double, marginSeconds: Double,
                        say: (String) -> Void) throws(RunCoordinator.RunError) -> Date {
        let fm = FileManager.default
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw .notStarted("barrier \(directory.path): cannot make the folder: \(error.localizedDescription)")
        }
        let mine = directory.appendingPathComponent("ready-\(shard.index)")
        let temporary = directory.appendingPathComponent(".ready-\(shard.index).\(getpid())")
        let line = "\(shard.planHash) \(Date().timeIntervalSince1970)\n"
        do {
            try Data(line.utf8).write(to: temporary)
            guard rename(temporary.path, mine.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            throw .notStarted("barrier \(mine.path): cannot mark this shard ready: \(error.localizedDescription)")
        }
        say("barrier: shard \(shard.index)/\(shard.count) ready in \(directory.path); waiting for the other \(shard.count - 1)")
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            var times: [Double] = []
            var waitingFor: [Int] = []
            for i in 0..<shard.count {
                let path = directory.appendingPathComponent("ready-\(i)").path
                // A file not there yet (or half-written by another node) is simply not ready: read again.
                let fields = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" })
                if fields.count == 2, fields[0] == shard.planHash, let t = Double(fields[1]) { times.append(t) } else { waitingFor.append(i) }
            }
            if waitingFor.isEmpty, let last = times.max() {
                return Date(timeIntervalSince1970: last + marginSeconds)
            }
            if Date() >= deadline {
                throw .notStarted("barrier \(directory.path): after \(Format.number(timeoutSeconds)) s, shard(s) \(waitingFor.map(String.init).joined(separator: ", ")) of \(shard.count) were not ready for this plan (\(shard.planHash.prefix(12))…): nothing was measured")
            }
            usleep(100_000)
        }
    }
}

import Histogram

/// Per-second buckets per operation for one worker: completions, errors and an interval latency histogram
/// that is snapshotted and reset when its second ends. Allocates at most once per operation per second.
public struct Timeline: Sendable {
    /// Time zero of the run (ns); second n covers [runStartNs + n s, runStartNs + (n+1) s).
    public let runStartNs: UInt64
    /// Operation names, indexed like `WorkerMetrics.operations`.
    public private(set) var operations: [String]
    /// Closed seconds per operation, ascending, seconds without any operation left out.
    public private(set) var seconds: [[TimelineSecond]]
    var openSecond: [Int]
    var openCompletions: [UInt64]
    var openErrors: [UInt64]
    var interval: [Histogram<UInt64>]

    public init(runStartNs: UInt64, operations: [String] = []) {
        self.runStartNs = runStartNs
        self.operations = []
        seconds = []
        openSecond = []
        openCompletions = []
        openErrors = []
        interval = []
        for name in operations { addOperation(name) }
    }

    /// A closed timeline of given seconds per operation (read back from files, e.g. to merge shards).
    public init(runStartNs: UInt64, operations names: [String], seconds closed: [[TimelineSecond]]) {
        precondition(names.count == closed.count, "one series of seconds per operation")
        self.init(runStartNs: runStartNs, operations: names)
        seconds = closed.map { $0.sorted { $0.second < $1.second } }
    }

    /// Adds a series for `name`, returning its index.
    @discardableResult
    public mutating func addOperation(_ name: String) -> Int {
        operations.append(name)
        seconds.append([])
        openSecond.append(-1)
        openCompletions.append(0)
        openErrors.append(0)
        interval.append(LatencyScale.makeHistogram())
        return operations.count - 1
    }

    /// Second index of `timeNs` (0 for times before the run start).
    public func second(ofNs timeNs: UInt64) -> Int {
        timeNs <= runStartNs ? 0 : Int((timeNs - runStartNs) / 1_000_000_000)
    }

    /// Counts one operation of series `operation` that ended at `endNs`; `latencyUs` when it got a response.
    public mutating func record(operation: Int, endNs: UInt64, latencyUs: UInt64?, isError: Bool) {
        let second = second(ofNs: endNs)
        if second < openSecond[operation] {
            recordLate(operation: operation, second: second, latencyUs: latencyUs, isError: isError)
            return
        }
        if second > openSecond[operation] {
            closeSecond(operation)
            openSecond[operation] = second
        }
        if isError { openErrors[operation] &+= 1 } else { openCompletions[operation] &+= 1 }
        if let latencyUs { interval[operation].record(latencyUs) }
    }

    /// An operation ending in an already closed second (stamps arriving out of order): added to that
    /// second exactly. Rare, so allocating here is fine.
    mutating func recordLate(operation: Int, second: Int, latencyUs: UInt64?, isError: Bool) {
        var latency = EncodedHistogram(empty: interval[operation])
        if let latencyUs {
            latency.totalCount = 1
            latency.minNonZero = latencyUs
            latency.maxRecorded = latencyUs
            latency.values = [interval[operation].lowestEquivalentForValue(latencyUs)]
            latency.counts = [1]
        }
        let late = TimelineSecond(second: second, completions: isError ? 0 : 1, errors: isError ? 1 : 0, latency: latency)
        var closed = seconds[operation]
        seconds[operation] = []
        if let index = closed.lastIndex(where: { $0.second <= second }), closed[index].second == second {
            closed[index].merge(late)
        } else {
            let index = closed.lastIndex { $0.second < second }.map { $0 + 1 } ?? 0
            closed.insert(late, at: index)
        }
        seconds[operation] = closed
    }

    /// Closes every open second; call once the worker has stopped, before merging or writing.
    public mutating func close() {
        for operation in operations.indices { closeSecond(operation) }
    }

    mutating func closeSecond(_ operation: Int) {
        guard openSecond[operation] >= 0 else { return }
        seconds[operation].append(TimelineSecond(
            second: openSecond[operation],
            completions: openCompletions[operation],
            errors: openErrors[operation],
            latency: EncodedHistogram(interval[operation])
        ))
        interval[operation].reset()
        openSecond[operation] = -1
        openCompletions[operation] = 0
        openErrors[operation] = 0
    }

    /// Adds another (closed) worker timeline, matching series by operation name and seconds by index.
    public mutating func merge(_ other: Timeline) {
        var other = other
        other.close()
        close()
        for (otherIndex, name) in other.operations.enumerated() {
            let index = operations.firstIndex(of: name) ?? addOperation(name)
            seconds[index] = Self.merged(seconds[index], other.seconds[otherIndex])
        }
    }

    static func merged(_ lhs: [TimelineSecond], _ rhs: [TimelineSecond]) -> [TimelineSecond] {
        var result: [TimelineSecond] = []
        result.reserveCapacity(lhs.count + rhs.count)
        var left = 0, right = 0
        while left < lhs.count || right < rhs.count {
            if right == rhs.count || (left < lhs.count && lhs[left].second < rhs[right].second) {
                result.append(lhs[left]); left += 1
            } else if left == lhs.count || rhs[right].second < lhs[left].second {
                result.append(rhs[right]); right += 1
            } else {
                var second = lhs[left]
                second.merge(rhs[right])
                result.append(second)
                left += 1; right += 1
            }
        }
        return result
    }

    /// timeline.csv rows, by second then operation; every second from 0 to the last one appears (zeros in gaps).
    /// Only closed seconds are included: call `close()` first.
    public func rows() throws(MetricsDecodingError) -> [TimelineRow] {
        let lastSecond = seconds.compactMap { $0.last?.second }.max() ?? -1
        guard lastSecond >= 0 else { return [] }
        var cursors = [Int](repeating: 0, count: operations.count)
        var rows: [TimelineRow] = []
        for second in 0 ... lastSecond {
            for (index, name) in operations.enumerated() {
                var row = TimelineRow(second: second, operation: name, completions: 0, errors: 0, p50Us: 0, p99Us: 0)
                if cursors[index] < seconds[index].count, seconds[index][cursors[index]].second == second {
                    let bucket = seconds[index][cursors[index]]
                    cursors[index] += 1
                    row.completions = bucket.completions
                    row.errors = bucket.errors
                    if bucket.latency.totalCount != 0 {
                        let histogram = try bucket.latency.histogram()
                        row.p50Us = histogram.percentileValue(50)
                        row.p99Us = histogram.percentileValue(99)
                    }
                }
                rows.append(row)
            }
        }
        return rows
    }

    /// The whole timeline.csv text: header plus `rows()`, newline-terminated.
    public func csv() throws(MetricsDecodingError) -> String {
        var text = TimelineRow.csvHeader + "\n"
        for row in try rows() { text += row.csvLine + "\n" }
        return text
    }
}

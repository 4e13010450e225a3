import Engine
import Foundation
import Metrics
import Report

/// The Prometheus text exposition (format 0.0.4) of `/metrics`: every name prefixed `estbench_`,
/// a `shard` label on every sample when the run is a shard. Pure: built from counts handed in.
struct PrometheusPage {
    var counts: LiveCounts?
    var cpuSeconds: Double
    var residentBytes: UInt64
    var shard: Int?
    /// The results are written: the counts are the final, measured ones.
    var complete = false

    func text() -> String {
        let shardLabel = shard.map { "shard=\"\($0)\"" }
        func labels(_ pairs: [String]) -> String {
            let all = pairs + (shardLabel.map { [$0] } ?? [])
            return all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}"
        }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP estbench_\(name) \(help)\n# TYPE estbench_\(name) \(type)\n"
        }
        family("build_info", "gauge", "estbench's version (always 1).")
        out += "estbench_build_info\(labels(["version=\"\(Estbench.version)\""])) 1\n"
        family("process_cpu_seconds_total", "counter", "CPU time (user + system) of the estbench process.")
        out += "estbench_process_cpu_seconds_total\(labels([])) \(Self.number(cpuSeconds))\n"
        family("process_resident_memory_bytes", "gauge", "Resident set size of the estbench process.")
        out += "estbench_process_resident_memory_bytes\(labels([])) \(residentBytes)\n"
        guard let counts else { return out }
        family("operations_total", "counter", "Measured operations by operation and outcome class.")
        for op in counts.operations {
            for (index, label) in Outcome.classLabels.enumerated() where op.outcomes[index] > 0 {
                out += "estbench_operations_total\(labels(["operation=\"\(op.name)\"", "outcome=\"\(label)\""])) \(op.outcomes[index])\n"
            }
        }
        family("operation_latency_seconds", "histogram", "Latency of operations that got a response, from the intended start (corrected).")
        for op in counts.operations {
            var cumulative = 0
            for (index, bound) in LiveCounts.bucketBoundsSeconds.enumerated() {
                cumulative += op.latencyBuckets[index]
                out += "estbench_operation_latency_seconds_bucket\(labels(["operation=\"\(op.name)\"", "le=\"\(Self.number(bound))\""])) \(cumulative)\n"
            }
            cumulative += op.latencyBuckets.last ?? 0
            out += "estbench_operation_latency_seconds_bucket\(labels(["operation=\"\(op.name)\"", "le=\"+Inf\""])) \(cumulative)\n"
            out += "estbench_operation_latency_seconds_sum\(labels(["operation=\"\(op.name)\""])) \(Self.number(op.latencySumSeconds))\n"
            out += "estbench_operation_latency_seconds_count\(labels(["operation=\"\(op.name)\""])) \(cumulative)\n"
        }
        family("operations_in_flight", "gauge", "Operations started and not yet ended.")
        out += "estbench_operations_in_flight\(labels([])) \(counts.inFlight)\n"
        family("schedule_lag_seconds", "gauge", "Open model: how late the last arrival started after its intended time.")
        out += "estbench_schedule_lag_seconds\(labels([])) \(Self.number(counts.scheduleLagSeconds))\n"
        family("run_complete", "gauge", "1 once the results are written (the counts are then result.json's).")
        out += "estbench_run_complete\(labels([])) \(complete ? 1 : 0)\n"
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// The final counts, exactly result.json's: outcomes from its counters, the latency buckets from
    /// the corrected total histograms.
    static func finalCounts(_ result: RunResult) -> LiveCounts {
        var operations: [LiveCounts.Operation] = []
        for summary in result.metrics.operations {
            var outcomes = [Int](repeating: 0, count: Outcome.classLabels.count)
            for (key, n) in summary.counters { if let outcome = Outcome(key: key) { outcomes[outcome.classIndex] += Int(n) } }
            let bounds = LiveCounts.bucketBoundsSeconds.map { UInt64(($0 * 1e6).rounded()) }
            var buckets = [Int](repeating: 0, count: bounds.count + 1)
            var sumUs = 0.0
            if let total = summary.histograms[Phase.total.rawValue] {
                for (value, count) in zip(total.values, total.counts) {
                    let index = bounds.firstIndex { value <= $0 } ?? bounds.count
                    buckets[index] += Int(count)
                    sumUs += Double(value) * Double(count)
                }
            }
            operations.append(.init(name: summary.name, outcomes: outcomes, latencyBuckets: buckets, latencySumSeconds: sumUs / 1e6))
        }
        return LiveCounts(operations: operations, inFlight: 0, scheduleLagSeconds: 0)
    }

    /// CPU seconds (user + system) of this process.
    static var processCPUSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

import Foundation
import PKI

/// Table and JSON output of benchmark rows.
enum BenchReport {
    /// Runs a benchmark; a failure inside it is reported as such (exit 1), not as bad input.
    static func measure(_ body: () throws -> [BenchmarkRow]) throws -> [BenchmarkRow] {
        do { return try body() } catch let error as CLIError { throw error } catch {
            throw CLIError.failed("benchmark failed: \(error)")
        }
    }

    static func printTable(_ rows: [BenchmarkRow], header: Bool) {
        if header {
            Console.out("# estbench \(Estbench.version), \(OpenSSLVersion.text); medians of interleaved passes, "
                        + "the ratio's interquartile range over the passes beside it")
            Console.out(Format.padded("key", 9) + Format.padded("case", 30) + Format.padded("ns/op", 12, right: true)
                        + Format.padded("ops/s", 12, right: true) + Format.padded("ratio", 9, right: true)
                        + Format.padded("IQR", 18, right: true) + "  baseline")
        }
        for r in rows {
            Console.out(Format.padded(r.keyType ?? "-", 9) + Format.padded(r.name, 30)
                        + Format.padded(Format.grouped(r.nsPerOp), 12, right: true)
                        + Format.padded(Format.grouped(r.opsPerSecond), 12, right: true)
                        + Format.padded(r.ratio.map { Format.fixed($0, 3) } ?? "1.000", 9, right: true)
                        + Format.padded(r.ratioQuartiles.map { Format.fixed($0.low, 3) + "–" + Format.fixed($0.high, 3) } ?? "-", 18, right: true)
                        + "  " + (r.baseline ?? "(baseline)"))
        }
    }

    /// The `--json` document.
    struct Document: Encodable {
        /// One benchmark row in the document.
        struct Row: Encodable {
            let name: String
            let keyType: String?
            let opsPerSecond: Double
            let nsPerOp: Double
            let ratio: Double
            /// The ratio's first and third quartiles over the passes (1 for a baseline row).
            let ratioP25: Double
            let ratioP75: Double
            let baseline: String
        }
        let benchmark: String
        let estbench: String
        let openssl: String
        let rows: [Row]
    }

    private static func rounded(_ ratio: Double) -> Double { (ratio * 10000).rounded() / 10000 }

    /// Progress on standard error while `label` of `bench command` is measured: a line when it
    /// starts, one every ~2 s with the passes done, and its wall time when it ends.
    static func progress(_ command: String, _ label: String) -> BenchmarkProgress {
        let start = Date()
        var last = start
        Console.error("bench \(command): \(label) …")
        return { done, of in
            let now = Date()
            if done == of {
                Console.error("bench \(command): \(label) done in \(Format.fixed(now.timeIntervalSince(start), 1)) s")
            } else if now.timeIntervalSince(last) >= 2 {
                last = now
                Console.error("bench \(command): \(label) pass \(done)/\(of)")
            }
        }
    }

    static func printJSON(benchmark: String, rows: [BenchmarkRow]) {
        let doc = Document(benchmark: benchmark, estbench: Estbench.version, openssl: OpenSSLVersion.text,
                           rows: rows.map {
                               Document.Row(name: $0.name, keyType: $0.keyType, opsPerSecond: ($0.opsPerSecond * 10).rounded() / 10,
                                            nsPerOp: ($0.nsPerOp * 10).rounded() / 10, ratio: rounded($0.ratio ?? 1),
                                            ratioP25: rounded($0.ratioQuartiles?.low ?? 1), ratioP75: rounded($0.ratioQuartiles?.high ?? 1),
                                            baseline: $0.baseline ?? $0.name)
                           })
        Console.outJSON(doc)
    }
}

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
            Console.out("# estbench \(Estbench.version), \(OpenSSLVersion.text); medians of interleaved rounds")
            Console.out(Format.padded("key", 9) + Format.padded("case", 30) + Format.padded("ns/op", 12, right: true)
                        + Format.padded("ops/s", 12, right: true) + Format.padded("ratio", 9, right: true) + "  baseline")
        }
        for r in rows {
            Console.out(Format.padded(r.keyType ?? "-", 9) + Format.padded(r.name, 30)
                        + Format.padded(Format.grouped(r.nsPerOp), 12, right: true)
                        + Format.padded(Format.grouped(r.opsPerSecond), 12, right: true)
                        + Format.padded(r.ratio.map { Format.fixed($0, 3) } ?? "1.000", 9, right: true)
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
            let baseline: String
        }
        let benchmark: String
        let estbench: String
        let openssl: String
        let rows: [Row]
    }

    static func printJSON(benchmark: String, rows: [BenchmarkRow]) {
        let doc = Document(benchmark: benchmark, estbench: Estbench.version, openssl: OpenSSLVersion.text,
                           rows: rows.map {
                               Document.Row(name: $0.name, keyType: $0.keyType, opsPerSecond: ($0.opsPerSecond * 10).rounded() / 10,
                                            nsPerOp: ($0.nsPerOp * 10).rounded() / 10, ratio: (($0.ratio ?? 1) * 10000).rounded() / 10000,
                                            baseline: $0.baseline ?? $0.name)
                           })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(doc) {
            Console.out(String(decoding: data, as: UTF8.self))
        }
    }
}

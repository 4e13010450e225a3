import Foundation
import XCTest

/// A run of the cacerts → simpleenroll → simplereenroll lifecycle against `estbench serve` injecting
/// faults at fractions, with serve's own tally (`--stats-json`) of the requests it saw and the faults it
/// injected: the figures a fault test checks the client's counters against.
struct FaultRun {
    let status: Int32
    let output: String
    let json: [String: Any]
    /// serve's per-operation `requests` and `faults`, and its event counts (`issued` …).
    let served: [String: [String: Any]]
    let events: [String: Int]
    let serverOutput: String
}

extension XCTestCase {
    func faultRun(_ faults: [(operation: String, faults: [(fault: String, fraction: Double)])], seed: Int, devices: Int,
                  operations: Int) throws -> FaultRun {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let statsPath = dir.appendingPathComponent("stats.json").path
        let specs = faults.flatMap { op in op.faults.flatMap { ["--fault", "\(op.operation):\($0.fault)=\($0.fraction)"] } }
        let server = try ServeProcess(["--fault-seed", String(seed), "--stats-json", statsPath] + specs)
        var stopped = false
        defer { if !stopped { server.stop() } }
        let run = try runProfile("""
        target:
          url: https://127.0.0.1:\(server.port)
          caBundle: \(server.bundle)
        devices:
          count: \(devices)
        lifecycle:
          - op: cacerts
          - op: simpleenroll
          - op: simplereenroll
        load:
          closed:
            devices: \(devices)
        onAccepted202: countAndStop
        stop:
          operations: \(operations)
          durationSeconds: 60
        """)
        let serverOutput = server.stop()
        stopped = true
        let json = try XCTUnwrap(run.json, run.stdout + run.stderr)
        let stats = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath))) as? [String: Any],
                                  serverOutput)
        let served = try XCTUnwrap(stats["operations"] as? [String: [String: Any]])
        return FaultRun(status: run.status, output: run.stdout + run.stderr, json: json, served: served,
                        events: stats["events"] as? [String: Int] ?? [:], serverOutput: serverOutput)
    }
}

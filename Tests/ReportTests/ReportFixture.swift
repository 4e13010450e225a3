import Foundation
import Metrics
import Report
import Workload
import XCTest

/// Known stamps for two operations over three seconds, with latencies below 2048 us so every
/// histogram value is exact: simpleenroll (new connections, TLS 1.5 ms dominates the tail) and
/// cacerts (keep-alive, first byte 1.2 ms dominates), plus one 401 and two timeouts.
enum ReportFixture {
    static let runStartNs: UInt64 = 1_000_000_000_000
    static let durationNs: UInt64 = 3_000_000_000
    /// 2026-11-30T14:32:42Z
    static let startDate = Date(timeIntervalSince1970: 1_796_049_162)
    static let secret = "pa55-Report-s3cret"
    static let yaml = """
        devices: {count: 10}
        lifecycle:
          - op: cacerts
          - op: simpleenroll
        load: {closed: {}}
        stop: {durationSeconds: 3}
        target:
          url: https://est.example
          credentials:
            basic: {user: u, passwordEnv: X}
        """

    static func metrics() -> WorkerMetrics {
        var metrics = WorkerMetrics(runStartNs: runStartNs, operations: ["simpleenroll", "cacerts"])
        let enroll = OperationID(index: 0)
        let cacerts = OperationID(index: 1)
        for i in UInt64(0) ..< 30 {
            let startNs = runStartNs + i * 100_000_000
            // connect 200 us, TLS 1500, write 10, first byte 100, complete 40: total 1850 us.
            let stamps = OperationPhaseStamps(
                scheduledNs: startNs, startNs: startNs,
                connectStartNs: startNs, connectedNs: startNs + 200_000, tlsDoneNs: startNs + 1_700_000,
                writtenNs: startNs + 1_710_000, firstByteNs: startNs + 1_810_000, completeNs: startNs + 1_850_000
            )
            metrics.record(enroll, stamps: stamps, outcome: i == 29 ? .unauthorized401 : .success2xx)
        }
        for i in UInt64(0) ..< 20 {
            let startNs = runStartNs + i * 150_000_000
            if i == 5 || i == 15 {
                let stamps = OperationPhaseStamps(scheduledNs: startNs, startNs: startNs, writtenNs: startNs + 10_000,
                                                  completeNs: startNs + 100_000_000)
                metrics.record(cacerts, stamps: stamps, outcome: .timeout)
                continue
            }
            // write 10 us, first byte 1200, complete 50: total 1260 us.
            let stamps = OperationPhaseStamps(scheduledNs: startNs, startNs: startNs, writtenNs: startNs + 10_000,
                                              firstByteNs: startNs + 1_210_000, completeNs: startNs + 1_260_000)
            metrics.record(cacerts, stamps: stamps, outcome: .success2xx)
        }
        metrics.close()
        return metrics
    }

    static func plan() throws -> RunPlan {
        try RunPlan.load(yaml: yaml, name: "quick start")
    }

    static let environment = RunEnvironment(openSSLVersion: "OpenSSL 3.0.13 30 Jan 2024", libuvVersion: "1.48.0",
                                            cpuModel: "Test CPU @ 3.00GHz", cpuCount: 2)
    static let tls = TLSFacts(versions: ["TLSv1.3": 30], groups: ["X25519": 28, "secp256r1": 2],
                              resumed: 0, handshakes: 30, helloRetryRequests: 2)

    static func result(interrupted: Bool = false) throws -> RunResult {
        try RunResult(
            estbenchVersion: "0.1.0-test", startTime: UTCTime.iso8601(startDate), durationNs: durationNs,
            interrupted: interrupted, plan: plan(), environment: environment, metrics: metrics(),
            tls: tls, warnings: ["worker 1 saturated for 2 s"]
        )
    }

    /// A fresh, empty directory under the temporary directory, removed by the test's teardown.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

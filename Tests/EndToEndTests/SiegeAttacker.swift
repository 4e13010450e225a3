import Foundation
import TestSupport
import XCTest

/// How big a siege `ServeSiegeTests.testGoodRunKeepsZeroErrorsUnderSiege` lays: `ci` (the default,
/// sized for the debug build on 2 busy cores) or `full` (ESTBENCH_SIEGE_SCALE=full: the full-size
/// siege for a release build, with an unattacked good run first to compare p99 against).
struct SiegeScale {
    let name: String
    /// Attacks by the names Tests/Siege/siege.py knows.
    let counts: [String: Int]
    /// The attacker's own deadline (held connections are let go then).
    let attackSeconds: Int
    let goodRunSeconds: Int
    /// serve's flags for the siege (the timeouts the held connections wait out).
    let serveArguments: [String]
    /// An unattacked good run first, for the p99 comparison.
    let measuresBaseline: Bool

    static let ci = SiegeScale(
        name: "ci",
        counts: ["slowloris": 200, "idle": 1_000, "stalled": 100, "abandoned": 500, "garbageBefore": 40, "garbageInside": 40,
                 "hugeHeader": 4, "hugeBody": 4, "badChunk": 20, "pipelined": 10, "expectContinue": 20],
        attackSeconds: 20, goodRunSeconds: 10,
        serveArguments: ["--handshake-timeout", "5000", "--request-timeout", "3000"],
        measuresBaseline: false)

    static let full = SiegeScale(
        name: "full",
        counts: ["slowloris": 2_000, "idle": 10_000, "stalled": 1_000, "abandoned": 5_000, "garbageBefore": 500, "garbageInside": 500,
                 "hugeHeader": 20, "hugeBody": 20, "badChunk": 200, "pipelined": 100, "expectContinue": 200],
        attackSeconds: 60, goodRunSeconds: 24,
        serveArguments: [],
        measuresBaseline: true)

    /// ESTBENCH_SIEGE_SCALE: unset or "ci", or "full"; anything else fails the test naming both.
    static func fromEnvironment() throws -> SiegeScale {
        switch ProcessInfo.processInfo.environment["ESTBENCH_SIEGE_SCALE"] {
        case nil, "ci": return .ci
        case "full": return .full
        case let other?: throw SiegeScaleError(value: other)
        }
    }
}

struct SiegeScaleError: Error, CustomStringConvertible {
    let value: String
    var description: String { "ESTBENCH_SIEGE_SCALE=\(value) is not a scale; allowed: ci (the default) or full" }
}

/// Tests/Siege/siege.py started against a serve port: every attack at once, each in its own thread;
/// `finish()` waits for it and returns, per attack, what it sent and what the server did.
final class SiegeAttacker {
    private let process = Process()
    private let output: ProcessOutput

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Siege/siege.py").path

    init(port: UInt16, bundle: String, counts: [String: Int], seconds: Int) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: counts, options: [.sortedKeys]), as: UTF8.self)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", SiegeAttacker.script, String(port), bundle, json, String(seconds)]
        process.standardInput = FileHandle.nullDevice
        output = ProcessOutput(process)
        try process.run()
        terminateAfterDeadline(process, seconds: Double(seconds) + 120)
    }

    /// The attacker's report: attack name → its figures (`opened`, `cut`, `done`, `statuses`, `seconds`
    /// from the start), and `attacker` → its own `cpuSeconds` and `seconds`.
    func finish() throws -> [String: [String: Any]] {
        let (stdout, stderr) = try output.waitForEnd(timeout: 600)
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, text + stderr)
        let report = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: [String: Any]]
        return try XCTUnwrap(report, text + stderr)
    }
}

/// Peak resident set size of a process in KiB (/proc/PID/status VmHWM).
func peakRSSKiB(_ pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
    return line.split(separator: " ").compactMap { Int($0) }.first ?? 0
}

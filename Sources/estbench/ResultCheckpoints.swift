import Engine
import Foundation
import Metrics
import EventLoop
import PKI
import Report
import Workload

/// A soak run's insurance: every `everySeconds` a thread merges the workers' figures so far and
/// rewrites the results folder, result.json marked `partial`, so a run killed by the OOM killer or
/// evicted loses at most that much. The run's own result replaces the last checkpoint in the same folder.
final class ResultCheckpoints: Sendable {
    private struct State {
        var stopping = false
        var folder: ResultsFolder?
        var failure: String?
    }

    private let state = Locked(State())
    private let ended = DispatchSemaphore(value: 0)

    static func start(_ coordinator: RunCoordinator, plan: RunPlan, base: URL, folderSuffix: String, everySeconds: Double) -> ResultCheckpoints {
        let checkpoints = ResultCheckpoints()
        let thread = Thread { [checkpoints] in
            checkpoints.loop(coordinator, plan: plan, base: base, folderSuffix: folderSuffix, everyNs: UInt64(everySeconds * 1e9))
        }
        thread.name = "estbench-checkpoint"
        thread.start()
        return checkpoints
    }

    private func loop(_ coordinator: RunCoordinator, plan: RunPlan, base: URL, folderSuffix: String, everyNs: UInt64) {
        defer { ended.signal() }
        var next = MonotonicTime.nowNs() + everyNs
        while true {
            // Short naps: a stop is answered within 50 ms.
            while MonotonicTime.nowNs() < next {
                if state.withLock({ $0.stopping }) { return }
                usleep(50_000)
            }
            next += everyNs
            guard let checkpoint = coordinator.checkpoint() else { continue }
            do {
                var result = try RunResult(
                    estbenchVersion: Estbench.version, startTime: UTCTime.iso8601(checkpoint.measuredFrom), durationNs: checkpoint.durationNs,
                    interrupted: false, plan: plan,
                    environment: .current(openSSLVersion: OpenSSLVersion.text, libuvVersion: LibUVVersion.text),
                    metrics: checkpoint.metrics, tls: TLSFacts(), warnings: [])
                result.findings = checkpoint.findings
                result.partial = true
                let folder = try state.withLock { s throws(ReportError) -> ResultsFolder? in
                    if s.stopping { return nil }
                    if s.folder == nil {
                        s.folder = try ResultsFolder.create(base: base, startTime: checkpoint.measuredFrom, profileName: result.profileName + folderSuffix)
                    }
                    return s.folder
                }
                guard let folder else { return }
                try folder.write(result, metrics: checkpoint.metrics)
            } catch {
                // Reported once, at the end: the run goes on, and its own result is written as usual.
                state.withLock { $0.failure = $0.failure ?? "\(error)" }
            }
        }
    }

    /// When the run's own result could not be written over the checkpoints' folder: which files
    /// there are still the last checkpoint's (result.json marked partial), or "" when none are.
    static func leftovers(in folder: ResultsFolder, after error: ReportError) -> String {
        let names = folder.staleFiles(after: error)
        guard !names.isEmpty else { return "" }
        return " — \(names.joined(separator: ", ")) in \(folder.url.path) \(names.count == 1 ? "is" : "are") still the last checkpoint's"
            + (names.contains(ResultsFolder.resultFile) ? " (result.json marked partial)" : "")
    }

    /// Ends the checkpoints (waiting for one being written); returns the folder they wrote, which the
    /// run's result then replaces. A checkpoint that failed is said here.
    @discardableResult
    func stop() -> ResultsFolder? {
        state.withLock { $0.stopping = true }
        ended.wait()
        let (folder, failure) = state.withLock { ($0.folder, $0.failure) }
        if let failure { Console.out("warning: a results checkpoint could not be written: \(failure)") }
        return folder
    }
}

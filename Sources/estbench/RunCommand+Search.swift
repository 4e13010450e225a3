import ArgumentParser
import Engine
import EventLoop
import Foundation
import Metrics
import PKI
import Report
import Workload

/// `estbench run` of a profile with `load.search`: the capacity search's own path — a line per step,
/// the step table, result.json with `search`, exit 0 when a rate held and 1 when none did.
extension RunCommand {
    func runSearch(_ plan: RunPlan, target: RunTarget, server: BuiltInServer?, loadThreads: Int, signals: SignalWaiter) throws {
        let search: CapacitySearchRun
        do {
            search = try CapacitySearchRun(plan: plan, target: target, threads: loadThreads, say: { Console.out($0) },
                                           generationProgress: RunCommand.generationBar)
        } catch {
            server?.stop()
            throw CLIError.badInput("\(error)")
        }
        RunCommand.handleSignals(signals, first: "stopping the search — draining the step's operations in flight (again to drop them)",
                                 stop: search.stop)
        let outcome: CapacitySearchRun.Outcome
        var steps: [SearchResult.Step] = []
        do {
            outcome = try search.run { step in
                let result = SearchResult.Step(result: step.result, judgement: step.judgement, metrics: step.outcome.metrics,
                                               durationNs: step.outcome.durationNs, warnings: step.outcome.warnings)
                steps.append(result)
                Console.out(RunCommand.stepLine(steps.count, result))
            }
        } catch {
            server?.stop()
            throw CLIError.badInput("\(error)")
        }
        server?.stop()
        RunCommand.claimResultsWriting()
        let searchResult = SearchResult(conclusion: outcome.conclusion, plan: outcome.search, connections: outcome.connections, steps: steps)
        let answer = outcome.answerStep?.outcome
        let metrics = answer?.metrics ?? WorkerMetrics(runStartNs: 0)
        var result: RunResult
        do {
            result = try RunResult(
                estbenchVersion: Estbench.version, startTime: UTCTime.iso8601(outcome.startedAt), durationNs: answer?.durationNs ?? 0,
                interrupted: outcome.conclusion.key == "interrupted", plan: plan,
                environment: .current(openSSLVersion: OpenSSLVersion.text, libuvVersion: LibUVVersion.text),
                metrics: metrics, tls: answer?.tls ?? TLSFacts(), warnings: answer?.warnings ?? [])
        } catch {
            throw CLIError.failed("result: \(error)")
        }
        result.findings = answer?.findings ?? [:]
        result.search = searchResult
        Console.out("--- \(outcome.target)")
        Console.write(1, SearchTable(searchResult).text)
        do {
            let folder = try ResultsFolder.create(base: URL(fileURLWithPath: results), startTime: outcome.startedAt, profileName: result.profileName)
            try folder.write(result, metrics: metrics)
            Console.out("results: \(folder.url.path) (metrics, timeline and .hgrm: the step at the answer; every step's histograms in result.json's search.steps)")
        } catch {
            throw CLIError(message: "results: \(error)", exitCode: RunExit.unmeasurable)
        }
        // The exit statuses of every run: interrupted 130; a search passes when a rate ≥ from held.
        if outcome.conclusion.key == "interrupted" { throw ExitCode(RunExit.interrupted) }
        if !searchResult.passed { throw ExitCode(RunExit.failed) }
    }

    /// "step 3: 200/s → 199.8/s achieved, p99 4.1 ms, errors 0% — held".
    static func stepLine(_ number: Int, _ step: SearchResult.Step) -> String {
        let p99 = step.p99Ms.map { SearchTable.rate($0) + " ms" } ?? "-"
        let line = "step \(number): \(SearchTable.rate(step.offeredRate))/s → \(SearchTable.rate(step.achievedRate))/s achieved, p99 \(p99), "
            + "errors \(step.errorRate.map { SearchTable.rate($0 * 100) + "%" } ?? "-") — \(SearchTable.result(step))"
        return ([line] + step.warnings.map { "  warning: " + $0 }).joined(separator: "\n")
    }
}

import ArgumentParser
import Foundation
import Metrics
import Report

/// `estbench merge`: adds the results of the shards of one plan into one results folder, exactly.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results folders of the shards of one plan (run --shard I/N) into one, exactly.",
        discussion: """
        Each DIR is a shard's results folder, or a folder of them. Histograms are added bucket by bucket, \
        counters, failure reasons, findings and TLS facts summed, the timeline lined up on the wall clock \
        (per-second histograms from the .hlog files); each shard's own CPU and memory are listed in \
        result.json's `merge`, and the thresholds are judged again on the merged figures. --out gets \
        result.json, timeline.csv, .hgrm, .hlog and report.html, like a run's folder.

        Exit status: 0 the merged run passed; 1 it failed (a threshold, or no operation succeeded); \
        2 bad input: shards of different plans, a shard given twice, one missing (without --partial), \
        or an unreadable folder; 3 the merged folder could not be written.
        """
    )

    @Argument(help: "Shard results folder(s), or folders of them.")
    var dirs: [String]

    @Option(help: "The merged results folder (made if missing).")
    var out: String

    @Flag(help: "Merge the shards that are there when some are missing (and say which).")
    var partial = false

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("give at least one shard results folder") }
    }

    func run() throws {
        let outURL = URL(fileURLWithPath: out, isDirectory: true).standardizedFileURL
        var folders: [URL] = []
        for dir in dirs {
            folders += try ReportCommand.resultsFolders(dir).filter { $0.standardizedFileURL != outURL }
        }
        let merge: ShardMerge
        do { merge = try ShardMerge(folders: folders, partial: partial) } catch { throw CLIError.badInput("merge: \(error)") }
        if !merge.missing.isEmpty {
            Console.error("estbench: merge: shard(s) \(merge.missing.map(String.init).joined(separator: ", ")) of \(merge.shardCount) missing: merging the \(merge.parts.count) there (--partial)")
        }
        let result: RunResult
        do { result = try merge.write(to: outURL) } catch {
            throw CLIError(message: "merge: results: \(error)", exitCode: RunExit.unmeasurable)
        }
        for (part, offset) in zip(merge.parts, merge.offsets) {
            let late = part.shard.lateSeconds > 0 ? ", \(Format.fixed(part.shard.lateSeconds, 3)) s late" : ""
            let tool = part.result.tool.map { ", CPU \(Format.fixed(Double($0.cpuNs) / 1e9, 2)) s, peak RSS \($0.peakRSSBytes >> 20) MiB" } ?? ""
            Console.out("shard \(part.shard.index)/\(part.shard.count): \(part.folder.lastPathComponent) (+\(offset) s\(late)\(tool))")
        }
        for warning in result.warnings where warning.hasPrefix("partial") || warning.contains("late for the common start") {
            Console.out("warning: \(warning)")
        }
        Console.human(ConsoleSummary(result).text)
        Console.out(result.tls.consoleLine + (result.tls.openAtStop == nil ? "" : " (the shards' sum)"))
        Console.out("results: \(outURL.path)")
        let operations = (try? result.metrics.operationMetrics()) ?? [] // just written from these figures: they decode
        let counts = RunExit.Counts(operations)
        let verdict = ThresholdVerdict(passed: result.verdict?.thresholds.allSatisfy(\.passed) ?? true, thresholds: result.verdict?.thresholds ?? [])
        let code = RunExit.code(verdict: verdict, counts: counts, abort: result.abortRule, interrupted: result.interrupted, resultsWritten: true)
        if code != RunExit.passed { throw ExitCode(code) }
    }
}

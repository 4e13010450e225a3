import ArgumentParser
import Foundation
import Report
import Workload

/// `estbench compare`: BASE against HEAD per operation, phase and metric, with 95% intervals, and a
/// regression gate (`--fail-on`). Or, with `--run`, makes the runs first: BASE and HEAD alternately.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two sets of results (BASE, HEAD) with confidence intervals; optionally fail on a regression.",
        discussion: """
        BASE and HEAD are each a results folder, or a folder of results folders (repeated runs, as \
        `run --repeat N` makes). Several runs per side (5 or more recommended): Mann-Whitney U over the \
        per-run values, delta = Hodges–Lehmann shift with its 95% interval. One run per side: a block \
        bootstrap over the run's seconds (see README, "Comparing server builds"). `~`: no significant \
        difference; `?`: no interval could be made.

        --fail-on RULE (repeatable): \(RegressionRule.syntax). The comparison fails when the whole 95% \
        interval lies beyond the tolerance. A rule without an operation judges every operation and `all`.

        --run PROFILE --base-target URL --head-target URL --repeat N: runs BASE and HEAD alternately \
        (A B B A A B …, N each, as child `estbench run`s) into --results/<UTC>-<profile>-compare-x<N>/{base,head}/, then compares.

        Exit status: 0 compared (every rule held); 1 a --fail-on rule failed; 2 bad input (unreadable \
        folders, plans that differ beyond the target without --force, a bad rule); 3 a rule could not be \
        judged (no interval), or a run of --run could not measure its target; 130 interrupted.
        """
    )

    @Argument(help: "BASE and HEAD results folders (none with --run).")
    var sides: [String] = []

    @Option(name: .customLong("fail-on"), help: "Regression rule, e.g. simpleenroll.p99:+10% (repeatable).")
    var failOn: [String] = []

    @Flag(help: "Print the comparison as JSON on standard output.")
    var json = false

    @Option(help: "Also write the comparison as a self-contained HTML page to this file.")
    var html: String?

    @Flag(help: "Compare even when the plans differ beyond the target.")
    var force = false

    @Option(name: .customLong("run"), help: "Make the runs first: this profile, against --base-target and --head-target alternately.")
    var runProfile: String?

    @Option(name: .customLong("base-target"), help: "BASE server URL (with --run).")
    var baseTarget: String?

    @Option(name: .customLong("head-target"), help: "HEAD server URL (with --run).")
    var headTarget: String?

    @Option(name: .customLong("base-set"), help: "Profile override for BASE runs only: path=value (repeatable, with --run).")
    var baseSet: [String] = []

    @Option(name: .customLong("head-set"), help: "Profile override for HEAD runs only: path=value (repeatable, with --run).")
    var headSet: [String] = []

    @Option(name: .customLong("set"), help: "Profile override for both sides: path=value (repeatable, with --run).")
    var overrides: [String] = []

    @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Runs per side (with --run), 1...100.")
    var repetitions = 5

    @Option(help: "Parent folder for --run's runs.")
    var results = "Results"

    func validate() throws {
        if runProfile == nil {
            guard sides.count == 2 else { throw ValidationError("give BASE and HEAD results folders (or --run PROFILE --base-target URL --head-target URL)") }
            if baseTarget != nil || headTarget != nil || !baseSet.isEmpty || !headSet.isEmpty || !overrides.isEmpty {
                throw ValidationError("--base-target, --head-target, --base-set, --head-set and --set go with --run")
            }
        } else {
            guard sides.isEmpty else { throw ValidationError("--run makes BASE and HEAD itself: give no results folders") }
            guard baseTarget != nil, headTarget != nil else { throw ValidationError("--run needs --base-target URL and --head-target URL") }
            guard (1...100).contains(repetitions) else { throw ValidationError("--repeat \(repetitions) is out of range; allowed: 1...100") }
        }
    }

    func run() throws {
        var rules: [RegressionRule] = []
        for text in failOn {
            do { rules.append(try RegressionRule(parsing: text)) } catch { throw CLIError.badInput(error.description) }
        }
        let folders: (base: String, head: String)
        if let profile = runProfile { folders = try makeRuns(profile) } else { folders = (sides[0], sides[1]) }
        let base: ComparisonSide, head: ComparisonSide
        do {
            base = try ComparisonSide.load(label: folders.base, folders: ReportCommand.resultsFolders(folders.base))
            head = try ComparisonSide.load(label: folders.head, folders: ReportCommand.resultsFolders(folders.head))
        } catch let error as ReportError {
            throw CLIError.badInput("\(error)")
        }
        if let (a, b, paths) = Comparison.planDifferences(base: base, head: head) {
            let error = CompareError.notComparable(base: a, head: b, paths: paths)
            if !force { throw CLIError.badInput(error.description) }
            Console.error("estbench: warning: \(error.description) (--force: compared anyway)")
        }
        let comparison = Comparison(base: base, head: head)
        let gates: [Comparison.Gate]
        do { gates = try comparison.gates(rules) } catch { throw CLIError.badInput(error.description) }
        let code = Comparison.exitCode(gates)
        if json {
            do { Console.write(1, try comparison.jsonText(gates: gates, exitCode: code)) } catch { throw CLIError.failed("\(error)") }
        } else {
            Console.write(1, comparison.text(gates: gates))
        }
        if let html {
            do {
                try ResultsFolder.writeAtomically(Data(comparison.html(gates: gates).utf8), to: URL(fileURLWithPath: html))
            } catch {
                throw CLIError(message: "\(error)", exitCode: RunExit.unmeasurable)
            }
            Console.error("compare: \(html)")
        }
        if code != RunExit.passed { throw ExitCode(code) }
    }

    /// `--run`: BASE and HEAD alternately, `repetitions` each, into `<results>/<UTC>-<profile>-compare-x<N>/{base,head}`.
    func makeRuns(_ profile: String) throws -> (base: String, head: String) {
        // Bad input is found here, before any run: both sides' plans must load.
        var sideArguments: [[String]] = []
        var name = "profile"
        for (target, sets) in [(baseTarget!, baseSet), (headTarget!, headSet)] {
            var list = try ProfileOverride.parsing(setArguments: overrides + sets)
            list += ProfileOverride.overrides(flag: .target, value: target)
            do { name = try RunPlan.load(file: profile, overrides: list).name } catch { throw CLIError.badInput("\(error)") }
            sideArguments.append(["--target", target] + (overrides + sets).flatMap { ["--set", $0] })
        }
        let parent: ResultsFolder
        do {
            parent = try ResultsFolder.create(base: URL(fileURLWithPath: results), startTime: Date(), profileName: "\(name)-compare-x\(repetitions)")
            for side in ["base", "head"] {
                try FileManager.default.createDirectory(at: parent.url.appendingPathComponent(side), withIntermediateDirectories: false)
            }
        } catch {
            throw CLIError.badInput("--results \(results): \(error)")
        }
        let children = ChildRuns()
        for index in 1 ... repetitions {
            // A B B A A B …: each side goes first in every other pair, so a drift that always favours
            // the second run of a pair (a warmer server, a busier machine) cancels instead of showing.
            let pair = Array(zip(["base", "head"], sideArguments))
            for (side, arguments) in index % 2 == 1 ? pair : pair.reversed() {
                Console.error("estbench compare: \(side.uppercased()) run \(index) of \(repetitions)")
                let code = try children.run(["run", profile] + arguments + ["--results", parent.url.appendingPathComponent(side).path])
                guard ChildRuns.goesOn(after: code) else {
                    throw CLIError(message: "\(side.uppercased()) run \(index) exited \(code); no comparison (runs so far in \(parent.url.path))",
                                   exitCode: code == RunExit.badInput ? RunExit.badInput : code)
                }
            }
        }
        Console.error("compare: runs in \(parent.url.path)")
        return (parent.url.appendingPathComponent("base").path, parent.url.appendingPathComponent("head").path)
    }
}

import ArgumentParser
import Foundation
import Report
import Workload

extension RunCommand {
    /// `--repeat N`: N runs of the same command, each a child `estbench run` writing its folder into one
    /// parent `<UTC>-<profile>-x<N>/`. A measured failure (1) does not stop the series — a comparison wants
    /// every run; bad input (2), an unmeasurable target (3) or an interruption (130) does. The exit status
    /// is the worst of the runs (passed < failed < unmeasurable < bad input < interrupted).
    func runRepeated(_ plan: RunPlan) throws {
        let parent: ResultsFolder
        do {
            parent = try ResultsFolder.create(base: URL(fileURLWithPath: results), startTime: Date(),
                                              profileName: "\(plan.name)-x\(repetitions)")
        } catch {
            throw CLIError.badInput("--results \(results): \(error)")
        }
        let children = ChildRuns()
        var worst = RunExit.passed
        var codes: [Int32] = []
        for index in 1 ... repetitions {
            Console.error("estbench: run \(index) of \(repetitions)")
            let code = try children.run(childArguments(results: parent.url.path))
            codes.append(code)
            if ChildRuns.severity(code) > ChildRuns.severity(worst) { worst = code }
            if !ChildRuns.goesOn(after: code) {
                if index < repetitions { Console.error("estbench: run \(index) exited \(code); the remaining runs are not started") }
                break
            }
        }
        let summary = "results: \(parent.url.path) (\(codes.count) of \(repetitions) runs, exit statuses \(codes.map(String.init).joined(separator: " ")))"
        if json {
            let object: [String: Any] = ["results": parent.url.path, "runs": codes.count, "exitCodes": codes.map(Int.init), "exitCode": Int(worst)]
            // Strings and integers only: serialising cannot fail.
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            Console.write(1, String(decoding: data, as: UTF8.self) + "\n")
            Console.error(summary)
        } else {
            Console.out(summary)
        }
        if worst != RunExit.passed { throw ExitCode(worst) }
    }

    /// This command's arguments for one child run: the same profile and options, into `results`.
    func childArguments(results: String) -> [String] {
        var arguments = ["run"]
        if let profile { arguments.append(profile) }
        for text in overrides { arguments += ["--set", text] }
        if let target { arguments += ["--target", target] }
        if let rate { arguments += ["--rate", String(rate)] }
        if let devices { arguments += ["--devices", String(devices)] }
        if let duration { arguments += ["--duration", String(duration)] }
        if let requests { arguments += ["--requests", String(requests)] }
        if let threads { arguments += ["--threads", String(threads)] }
        return arguments + ["--results", results]
    }
}

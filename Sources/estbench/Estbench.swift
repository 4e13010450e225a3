import ArgumentParser
import EventLoop
import Foundation

/// The `estbench` command: load generator and hot-path profiler for EST servers.
struct Estbench: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "estbench",
        abstract: "Load generator and hot-path profiler for EST (RFC 7030) servers.",
        version: version,
        subcommands: [RunCommand.self, ServeCommand.self, ProbeCommand.self, PoolCommand.self, FleetCommand.self, BenchCommand.self,
                      ReportCommand.self, CompareCommand.self, MergeCommand.self, K8sCommand.self]
    )
}

/// Entry point: bad input of any kind (flags, values, files) exits 2 with one line naming the
/// problem and what is allowed; failures while working exit 1.
/// The process entry point: parses, runs, and maps errors to exit codes.
@main
enum Main {
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        // Past a file size limit (ulimit -f) a write fails with EFBIG, which the results writer
        // names, instead of the signal killing the process mid-way.
        signal(SIGXFSZ, SIG_IGN)
        // Every connection is a descriptor: run and serve both start from the hard limit.
        DescriptorLimit.raiseSoftToHard()
        do {
            var command = try Estbench.parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            fail(error.message, code: error.exitCode)
        } catch {
            let code = Estbench.exitCode(for: error)
            if code == .success || code.rawValue == ExitCode.failure.rawValue && error is ExitCode {
                Estbench.exit(withError: error)
            }
            if code == .validationFailure {
                // One line for the problem (a list of allowed values folded onto it), then the usage.
                let message = Estbench.message(for: error)
                    .replacingOccurrences(of: " Please provide one of the following:\n  - ", with: " Allowed: ")
                    .replacingOccurrences(of: "\n  - ", with: ", ")
                fail(message + "\n" + Estbench.usageString(for: error), code: 2)
            }
            Estbench.exit(withError: error)
        }
    }

    static func fail(_ message: String, code: Int32) -> Never {
        Console.error("estbench: error: \(message)")
        exit(code)
    }
}

extension Estbench {
    /// The usage line of the (sub)command the error belongs to, for a second line under the message.
    static func usageString(for error: any Error) -> String {
        let full = fullMessage(for: error)
        if let range = full.firstRange(of: "Usage:") { return String(full[range.lowerBound...]).trimmingTrailingNewlines }
        return "See 'estbench --help'."
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" { s.removeLast() }
        return s
    }
}

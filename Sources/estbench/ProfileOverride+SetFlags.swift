import Workload

extension ProfileOverride {
    /// The `--set path=value` arguments of `run`, `compare --run` and `k8s`, each parsed; the first
    /// bad one is bad input naming it.
    static func parsing(setArguments texts: [String]) throws -> [ProfileOverride] {
        try texts.map { text in
            do { return try ProfileOverride(parsing: text) } catch { throw CLIError.badInput("--set \(text): \(error)") }
        }
    }
}

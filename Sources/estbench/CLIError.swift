import PKI

/// An error the command reports to the user: bad input exits 2, failures while working exit 1.
struct CLIError: Error {
    let message: String
    let exitCode: Int32

    static func badInput(_ message: String) -> CLIError { CLIError(message: message, exitCode: 2) }
    static func failed(_ message: String) -> CLIError { CLIError(message: message, exitCode: 1) }

    /// Pool file problems are the user's input, except a failure while generating.
    static func from(_ error: PoolFileError) -> CLIError {
        if case .generationFailed = error { return .failed(error.description) }
        return .badInput(error.description)
    }
}

import Metrics

/// Why results could not be written or read; each case names the file or folder involved.
public enum ReportError: Error, Sendable, Equatable {
    /// A system call on `path` failed; `operation` is the call ("mkdir", "open", "write", "fsync", "rename").
    case system(operation: String, path: String, reason: String)
    /// Every candidate folder name `path`, `path-2` … was taken.
    case folderNamesExhausted(path: String)
    /// Encoding `path`'s content failed.
    case encoding(path: String, reason: String)
    /// Text that should be JSON (`what`: e.g. "plan", a result.json path) is not.
    case notJSON(what: String, reason: String)
    /// The timeline or histograms could not be rebuilt for `path`.
    case metrics(path: String, MetricsDecodingError)
}

extension ReportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .system(operation, path, reason): "\(path): \(operation) failed: \(reason)"
        case let .folderNamesExhausted(path): "\(path): no free results folder name (tried up to -\(ResultsFolder.maxSuffix))"
        case let .encoding(path, reason): "\(path): cannot encode: \(reason)"
        case let .notJSON(what, reason): "\(what): not valid JSON: \(reason)"
        case let .metrics(path, error): "\(path): \(error)"
        }
    }
}

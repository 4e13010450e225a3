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
    /// Writing a folder's files stopped at `cause`; `written` names the files written before it,
    /// in order, each whole (written to a temporary name, then renamed into place).
    indirect case unfinished(written: [String], ReportError)
}

extension ReportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .system(operation, path, reason): "\(path): \(operation) failed: \(reason)"
        case let .folderNamesExhausted(path): "\(path): no free results folder name (tried up to -\(ResultsFolder.maxSuffix))"
        case let .encoding(path, reason): "\(path): cannot encode: \(reason)"
        case let .notJSON(what, reason): "\(what): not valid JSON: \(reason)"
        case let .metrics(path, error): "\(path): \(error)"
        case let .unfinished(written, cause): "\(cause.couldNotWrite); \(Self.writtenBefore(written))"
        }
    }
}

extension ReportError {
    /// "could not write PATH: REASON", naming the call when it was not the write itself.
    var couldNotWrite: String {
        switch self {
        case let .system(operation, path, reason): "could not write \(path): \(reason)" + (operation == "write" ? "" : " in \(operation)")
        default: "could not write \(description)"
        }
    }

    /// "result.json, timeline.csv and 4 other file(s) were written (intact)", or that none was.
    static func writtenBefore(_ names: [String]) -> String {
        guard !names.isEmpty else { return "no file was written" }
        let shown = names.prefix(2).joined(separator: ", ")
        let more = names.count - 2
        return shown + (more > 0 ? " and \(more) other file(s)" : "") + (names.count == 1 ? " was" : " were") + " written before it (intact)"
    }
}

import Foundation
import Metrics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One run's folder, `<base>/<UTC yyyyMMdd-HHmmss>-<profile>/`, and the files written into it:
/// result.json, timeline.csv, `<operation>.hgrm`, `<operation>.uncorrected.hgrm`, `<operation>.hlog`
/// (per-second histograms) and report.html.
/// Every file is written to a hidden temporary name, synced, then renamed, so a reader never sees half a file.
public struct ResultsFolder: Sendable {
    public static let resultFile = "result.json"
    public static let timelineFile = "timeline.csv"
    public static let reportFile = "report.html"
    /// Highest collision suffix tried (`-2` … `-maxSuffix`) before giving up.
    public static let maxSuffix = 999

    /// The folder itself (already created).
    public let url: URL

    /// Wraps an existing folder.
    public init(existing url: URL) {
        self.url = url
    }

    /// Creates `<base>/<stamp>-<profile>/`, or `…-2/`, `…-3/` … when that name is taken.
    /// `base` (usually "Results") is created if missing. Characters outside `[A-Za-z0-9._-]` in the
    /// profile name become "_".
    public static func create(base: URL, startTime: Date, profileName: String) throws(ReportError) -> ResultsFolder {
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        } catch {
            throw .system(operation: "mkdir", path: base.path, reason: error.localizedDescription)
        }
        let name = UTCTime.folderStamp(startTime) + "-" + fileSafe(profileName)
        for suffix in 1 ... maxSuffix {
            let candidate = base.appendingPathComponent(suffix == 1 ? name : "\(name)-\(suffix)", isDirectory: true)
            // mkdir, not an existence check, so two runs starting in the same second never share a folder.
            if mkdir(candidate.path, 0o755) == 0 { return ResultsFolder(existing: candidate) }
            let code = errno
            guard code == EEXIST else {
                throw .system(operation: "mkdir", path: candidate.path, reason: SystemErrorText.describe(code))
            }
        }
        throw .folderNamesExhausted(path: base.appendingPathComponent(name).path)
    }

    /// Before a run: makes `base` (with its parents) and proves a run folder can be made in it by
    /// making and removing a probe folder, so an unwritable place is bad input, found before the run.
    public static func checkWritable(base: URL) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        } catch {
            throw .system(operation: "mkdir", path: base.path, reason: (error as NSError).localizedFailureReason ?? error.localizedDescription)
        }
        let probe = base.appendingPathComponent(".estbench-probe-\(getpid())", isDirectory: true).path
        guard mkdir(probe, 0o755) == 0 || errno == EEXIST else {
            throw .system(operation: "mkdir", path: base.path, reason: SystemErrorText.describe(errno))
        }
        rmdir(probe)
    }

    /// Writes all files of a run: result.json from `result`, timeline.csv, the .hgrm and .hlog files from
    /// the merged `metrics` the result was made from, then report.html from what was written.
    public func write(_ result: RunResult, metrics: WorkerMetrics) throws(ReportError) {
        try write(result, operations: metrics.operations, timeline: metrics.timeline,
                  startTime: UTCTime.date(iso8601: result.startTime)?.timeIntervalSince1970 ?? 0)
    }

    /// Writes result.json, timeline.csv, each operation's .hgrm files and .hlog (its seconds from
    /// `startTime`, Unix seconds), then report.html from what was written. A failure (a full disk, a
    /// file size limit, an I/O error) stops at the file it hit and throws `.unfinished` naming that
    /// file and the ones written before it, which stay whole.
    public func write(_ result: RunResult, operations: [OperationMetrics], timeline: Timeline, startTime: Double) throws(ReportError) {
        var written: [String] = []
        func step(_ names: [String], _ body: () throws(ReportError) -> Void) throws(ReportError) {
            do { try body() } catch { throw .unfinished(written: written, error) }
            written += names
        }
        try step([Self.resultFile]) { () throws(ReportError) in try writeResult(result) }
        try step([Self.timelineFile]) { () throws(ReportError) in try writeTimeline(timeline) }
        for operation in operations {
            try step([Self.hgrmFile(operation.name), Self.hgrmFile(operation.name, corrected: false)]) { () throws(ReportError) in
                try writeHgrm(operation)
            }
        }
        var closed = timeline
        closed.close()
        for (index, name) in closed.operations.enumerated() {
            try step([Self.hlogFile(name)]) { () throws(ReportError) in
                try writeHlog(IntervalLog(startTime: startTime, seconds: closed.seconds[index]), operation: name)
            }
        }
        try step([Self.reportFile]) { () throws(ReportError) in try writeReport() }
    }

    /// The files in the folder that `error` (from `write`) left as they were before: an earlier
    /// write's (a checkpoint's), not this one's. Sorted; temporary files are not counted.
    public func staleFiles(after error: ReportError) -> [String] {
        var rewritten: Set<String> = []
        if case .unfinished(let written, _) = error { rewritten = Set(written) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !rewritten.contains($0) }.sorted()
    }

    /// `<operation>.hlog`: the operation's per-second corrected latency histograms.
    public func writeHlog(_ log: IntervalLog, operation: String) throws(ReportError) {
        let name = Self.hlogFile(operation)
        let text: String
        do {
            text = try log.text()
        } catch {
            throw .encoding(path: url.appendingPathComponent(name).path, reason: error.description)
        }
        try writeAtomically(Data(text.utf8), name: name)
    }

    /// report.html, rendered from this folder's result.json and timeline.csv.
    public func writeReport() throws(ReportError) {
        let run = try ReportRun.load(folder: url)
        try writeAtomically(Data(HTMLReport(runs: [run]).html().utf8), name: Self.reportFile)
    }

    /// File name of an operation's interval log.
    public static func hlogFile(_ operation: String) -> String {
        fileSafe(operation) + ".hlog"
    }

    /// result.json: pretty, key-sorted.
    public func writeResult(_ result: RunResult) throws(ReportError) {
        try writeAtomically(result.jsonData(), name: Self.resultFile)
    }

    /// timeline.csv: `TimelineRow.csvHeader` then one line per second and operation.
    public func writeTimeline(_ timeline: Timeline) throws(ReportError) {
        var closed = timeline
        closed.close()
        let text: String
        do {
            text = try closed.csv()
        } catch {
            throw .metrics(path: url.appendingPathComponent(Self.timelineFile).path, error)
        }
        try writeAtomically(Data(text.utf8), name: Self.timelineFile)
    }

    /// `<operation>.hgrm` (corrected total) and `<operation>.uncorrected.hgrm`.
    public func writeHgrm(_ operation: OperationMetrics) throws(ReportError) {
        try writeAtomically(Data(operation.hgrm(corrected: true).utf8), name: Self.hgrmFile(operation.name))
        try writeAtomically(Data(operation.hgrm(corrected: false).utf8), name: Self.hgrmFile(operation.name, corrected: false))
    }

    /// File name of an operation's percentile distribution.
    public static func hgrmFile(_ operation: String, corrected: Bool = true) -> String {
        fileSafe(operation) + (corrected ? ".hgrm" : ".uncorrected.hgrm")
    }

    /// `name` with every character outside `[A-Za-z0-9._-]` replaced by "_" (and never empty or a dot name).
    public static func fileSafe(_ name: String) -> String {
        let safe = String(name.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A" ... "Z", "a" ... "z", "0" ... "9", ".", "_", "-": Character(scalar)
            default: "_"
            }
        })
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" + safe : safe
    }

    /// Writes `data` to `.<name>.partial`, fsyncs, renames to `name`. A failure removes the
    /// temporary file, leaves any earlier `name` as it was, and names `name` with errno's text and
    /// symbol ("no space left on device (ENOSPC)"; the call too when it was not the write).
    func writeAtomically(_ data: Data, name: String) throws(ReportError) {
        try Self.writeAtomically(data, to: url.appendingPathComponent(name))
    }

    /// The same write sequence for a file anywhere (`report --out`, `compare --html`): a temporary
    /// `.<name>.partial` beside it, fsync, rename; errors name the file, errno's text and symbol.
    public static func writeAtomically(_ data: Data, to file: URL) throws(ReportError) {
        let final = file.path
        let partial = file.deletingLastPathComponent().appendingPathComponent("." + file.lastPathComponent + ".partial").path
        let fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        try Self.check(fd, "open", final)
        var failure: ReportError?
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < bytes.count {
                let written = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Self.systemError("write", final)
                    return
                }
                offset += written
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = Self.systemError("fsync", final) }
        if close(fd) != 0, failure == nil { failure = Self.systemError("close", final) }
        if failure == nil, rename(partial, final) != 0 { failure = Self.systemError("rename", final) }
        if let failure {
            unlink(partial)
            throw failure
        }
    }

    /// The one checker for this file's system calls: a negative result becomes `.system` naming call and path.
    static func check(_ rc: Int32, _ operation: String, _ path: String) throws(ReportError) {
        if rc < 0 { throw systemError(operation, path) }
    }

    static func systemError(_ operation: String, _ path: String) -> ReportError {
        .system(operation: operation, path: path, reason: SystemErrorText.describe(errno))
    }
}

/// write(2), named apart from `ResultsFolder.write(_:metrics:)`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}

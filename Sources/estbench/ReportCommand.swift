import ArgumentParser
import Foundation
import Report

/// `estbench report`: (re)writes the HTML report of one results folder, or one page overlaying several.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the HTML report of one results folder, or of several overlaid (colour per run).",
        discussion: """
        Each DIR is a results folder (holding result.json), or a folder of results folders (as --repeat \
        makes), which adds each of them. One DIR: written to DIR/report.html unless --out says otherwise; \
        several: to ./report.html unless --out says otherwise. The page is self-contained: open it offline.
        """
    )

    @Argument(help: "Results folder(s).")
    var dirs: [String]

    @Option(help: "Where to write the page.")
    var out: String?

    func validate() throws {
        if dirs.isEmpty { throw ValidationError("give at least one results folder") }
    }

    func run() throws {
        var folders: [URL] = []
        for dir in dirs { folders += try Self.resultsFolders(dir) }
        var runs: [ReportRun] = []
        for folder in folders {
            do { runs.append(try ReportRun.load(folder: folder)) } catch { throw CLIError.badInput("\(error)") }
        }
        let target = out.map { URL(fileURLWithPath: $0) }
            ?? (folders.count == 1 ? folders[0].appendingPathComponent(ResultsFolder.reportFile) : URL(fileURLWithPath: ResultsFolder.reportFile))
        do {
            try ResultsFolder.writeAtomically(Data(HTMLReport(runs: runs).html().utf8), to: target)
        } catch {
            throw CLIError.failed("\(error)")
        }
        Console.out("report: \(target.path) (\(runs.count) run\(runs.count == 1 ? "" : "s"))")
    }

    /// `dir` itself when it holds result.json, else its subfolders that do (sorted by name).
    static func resultsFolders(_ dir: String) throws -> [URL] {
        let url = URL(fileURLWithPath: dir, isDirectory: true)
        let manager = FileManager.default
        if manager.fileExists(atPath: url.appendingPathComponent(ResultsFolder.resultFile).path) { return [url] }
        let children = (try? manager.contentsOfDirectory(atPath: url.path)) ?? [] // unreadable: reported below as "no result.json"
        let runs = children.sorted().map { url.appendingPathComponent($0, isDirectory: true) }
            .filter { manager.fileExists(atPath: $0.appendingPathComponent(ResultsFolder.resultFile).path) }
        guard !runs.isEmpty else { throw CLIError.badInput("\(dir): no result.json here or in its subfolders") }
        return runs
    }
}

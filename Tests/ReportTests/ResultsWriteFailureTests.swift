import Foundation
import Metrics
import Report
import XCTest

/// A results file that cannot be written — a full disk (ENOSPC: here /dev/full, which answers every
/// write so), a file size limit (EFBIG), an I/O error — is one error naming the file, the cause and
/// what was written before it; files written before stay whole and no temporary file is left.
final class ResultsWriteFailureTests: XCTestCase {
    /// The next write of `name` in `folder` goes to /dev/full: its temporary file is a link to it.
    func fillDisk(for name: String, in folder: ResultsFolder) throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("." + name + ".partial").path,
                                                   withDestinationPath: "/dev/full")
    }

    /// The error `body` threw, nil when it wrote everything.
    func failure(_ body: () throws(ReportError) -> Void) -> ReportError? {
        do { try body() } catch { return error }
        return nil
    }

    func entries(_ folder: ResultsFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    func testAFullDiskStopsAtTheFileItHitAndNamesWhatWasWrittenBefore() throws {
        let folder = try ResultsFolder.create(base: try ReportFixture.temporaryDirectory(self), startTime: ReportFixture.startDate, profileName: "p")
        try fillDisk(for: ResultsFolder.reportFile, in: folder)
        XCTAssertThrowsError(try folder.write(ReportFixture.result(), metrics: ReportFixture.metrics())) { error in
            guard case let .unfinished(written, cause)? = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(written, ["result.json", "timeline.csv", "simpleenroll.hgrm", "simpleenroll.uncorrected.hgrm",
                                     "cacerts.hgrm", "cacerts.uncorrected.hgrm", "simpleenroll.hlog", "cacerts.hlog"])
            let report = folder.url.appendingPathComponent("report.html").path
            XCTAssertEqual(cause, .system(operation: "write", path: report, reason: "no space left on device (ENOSPC)"))
            XCTAssertEqual("\(error)", "could not write \(report): no space left on device (ENOSPC); "
                           + "result.json, timeline.csv and 6 other file(s) were written before it (intact)")
        }
        // What was written is whole; the temporary link is gone; no report.html appeared.
        let result = try RunResult.decode(from: Data(contentsOf: folder.url.appendingPathComponent("result.json")))
        XCTAssertEqual(result.metrics.operations.map(\.name).sorted(), ["cacerts", "simpleenroll"])
        XCTAssertEqual(try entries(folder), ["cacerts.hgrm", "cacerts.hlog", "cacerts.uncorrected.hgrm", "result.json",
                                             "simpleenroll.hgrm", "simpleenroll.hlog", "simpleenroll.uncorrected.hgrm", "timeline.csv"])
    }

    func testAFailedRewriteLeavesTheEarlierFileAsItWas() throws {
        let folder = try ResultsFolder.create(base: try ReportFixture.temporaryDirectory(self), startTime: ReportFixture.startDate, profileName: "p")
        try folder.write(ReportFixture.result(), metrics: ReportFixture.metrics())
        let path = folder.url.appendingPathComponent("result.json")
        let before = try Data(contentsOf: path)
        let namesBefore = try entries(folder)
        try fillDisk(for: ResultsFolder.resultFile, in: folder)
        XCTAssertThrowsError(try folder.write(ReportFixture.result(interrupted: true), metrics: ReportFixture.metrics())) { error in
            XCTAssertEqual("\(error)", "could not write \(path.path): no space left on device (ENOSPC); no file was written")
        }
        XCTAssertEqual(try Data(contentsOf: path), before, "the earlier result.json is untouched")
        XCTAssertFalse(try RunResult.decode(from: before).interrupted)
        XCTAssertEqual(try entries(folder), namesBefore, "the temporary file is removed")
    }

    /// Over a checkpoint's folder, a write that stopped at report.html leaves only that file as the
    /// checkpoint wrote it; one that stopped at result.json leaves all of them.
    func testStaleFilesAreTheOnesTheFailedWriteDidNotReplace() throws {
        let folder = try ResultsFolder.create(base: try ReportFixture.temporaryDirectory(self), startTime: ReportFixture.startDate, profileName: "p")
        try folder.write(ReportFixture.result(), metrics: ReportFixture.metrics())
        let (rerun, again, metrics) = (try ReportFixture.result(interrupted: true), try ReportFixture.result(), ReportFixture.metrics())
        try fillDisk(for: ResultsFolder.reportFile, in: folder)
        let atReport = try XCTUnwrap(failure { () throws(ReportError) in try folder.write(rerun, metrics: metrics) })
        XCTAssertEqual(folder.staleFiles(after: atReport), ["report.html"])
        XCTAssertTrue(try RunResult.decode(from: Data(contentsOf: folder.url.appendingPathComponent("result.json"))).interrupted,
                      "result.json is the new one")
        try fillDisk(for: ResultsFolder.resultFile, in: folder)
        let atResult = try XCTUnwrap(failure { () throws(ReportError) in try folder.write(again, metrics: metrics) })
        XCTAssertEqual(folder.staleFiles(after: atResult), try entries(folder))
        XCTAssertEqual(folder.staleFiles(after: atResult).count, 9)
    }

    func testErrnoTextHasTheSystemsWordsAndTheSymbol() {
        XCTAssertEqual(SystemErrorText.describe(ENOSPC), "no space left on device (ENOSPC)")
        XCTAssertEqual(SystemErrorText.describe(EFBIG), "file too large (EFBIG)")
        XCTAssertEqual(SystemErrorText.describe(EIO), "input/output error (EIO)")
        XCTAssertEqual(SystemErrorText.describe(EDQUOT), "disk quota exceeded (EDQUOT)")
        XCTAssertTrue(SystemErrorText.describe(ENOEXEC).hasSuffix("(errno \(ENOEXEC))"))
        let cause = ReportError.system(operation: "fsync", path: "/r/x.hgrm", reason: SystemErrorText.describe(EIO))
        XCTAssertEqual("\(ReportError.unfinished(written: ["result.json"], cause))",
                       "could not write /r/x.hgrm: input/output error (EIO) in fsync; result.json was written before it (intact)")
    }
}

import Foundation
import Metrics
import Report
import XCTest

/// The results folder: naming, collisions, timeline.csv, .hgrm files, atomic writes, errors naming paths.
final class ResultsFolderTests: XCTestCase {
    func testFolderIsNamedAfterUTCStartAndProfileWithCollisionSuffix() throws {
        let base = try ReportFixture.temporaryDirectory(self).appendingPathComponent("Results")
        let first = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "quickstart")
        let second = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "quickstart")
        let third = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "quickstart")
        XCTAssertEqual(first.url.lastPathComponent, "20261130-143242-quickstart")
        XCTAssertEqual(second.url.lastPathComponent, "20261130-143242-quickstart-2")
        XCTAssertEqual(third.url.lastPathComponent, "20261130-143242-quickstart-3")
        var isDirectory: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: third.url.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        let odd = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "my run/../x")
        XCTAssertEqual(odd.url.lastPathComponent, "20261130-143242-my_run_.._x")
        XCTAssertEqual(odd.url.deletingLastPathComponent().path, base.path)
        XCTAssertEqual(UTCTime.iso8601(ReportFixture.startDate), "2026-11-30T14:32:42Z")
    }

    func testWritesEveryFileAndNoPartialsRemain() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "quickstart")
        try folder.write(ReportFixture.result(), metrics: ReportFixture.metrics())
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        XCTAssertEqual(names, [
            "cacerts.hgrm", "cacerts.hlog", "cacerts.uncorrected.hgrm", "report.html", "result.json",
            "simpleenroll.hgrm", "simpleenroll.hlog", "simpleenroll.uncorrected.hgrm", "timeline.csv",
        ])
        // Rewriting replaces in place.
        try folder.writeResult(ReportFixture.result(interrupted: true))
        let data = try Data(contentsOf: folder.url.appendingPathComponent("result.json"))
        XCTAssertTrue(try RunResult.decode(from: data).interrupted)
    }

    func testTimelineCSVHasHeaderAndOneRowPerSecondAndOperation() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "p")
        try folder.writeTimeline(ReportFixture.metrics().timeline)
        let text = try String(contentsOf: folder.url.appendingPathComponent("timeline.csv"), encoding: .utf8)
        XCTAssertEqual(text, """
            second,operation,completions,errors,p50_us,p99_us
            0,simpleenroll,10,0,1850,1850
            0,cacerts,6,1,1260,1260
            1,simpleenroll,10,0,1850,1850
            1,cacerts,7,0,1260,1260
            2,simpleenroll,9,1,1850,1850
            2,cacerts,5,1,1260,1260

            """)
    }

    func testHgrmFilesParseAndEndAtTheTotalCount() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "p")
        let metrics = ReportFixture.metrics()
        for operation in metrics.operations { try folder.writeHgrm(operation) }
        for (name, count, ms) in [("simpleenroll", UInt64(30), 1.85), ("cacerts", UInt64(18), 1.26)] {
            for file in [ResultsFolder.hgrmFile(name), ResultsFolder.hgrmFile(name, corrected: false)] {
                let text = try String(contentsOf: folder.url.appendingPathComponent(file), encoding: .utf8)
                let lines = text.split(separator: "\n").map(String.init)
                XCTAssertEqual(lines.first?.split(separator: " "), ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"])
                let rows = lines.dropFirst().filter { !$0.hasPrefix("#") }.map { $0.split(separator: " ") }
                let last = try XCTUnwrap(rows.last, file)
                XCTAssertEqual(Double(last[1]), 1.0, file)
                XCTAssertEqual(UInt64(last[2]), count, file)
                XCTAssertEqual(try XCTUnwrap(Double(last[0])), ms, accuracy: 0.001, file)
                XCTAssertTrue(text.contains("Total count    =           \(count)]"), text)
            }
        }
        XCTAssertEqual(ResultsFolder.hgrmFile("simple enroll", corrected: false), "simple_enroll.uncorrected.hgrm")
    }

    func testErrorsNameThePath() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let blocker = base.appendingPathComponent("Results")
        try Data("not a folder".utf8).write(to: blocker)
        XCTAssertThrowsError(try ResultsFolder.create(base: blocker, startTime: ReportFixture.startDate, profileName: "p")) { error in
            XCTAssertTrue(String(describing: error).contains(blocker.path), String(describing: error))
        }
        let gone = ResultsFolder(existing: base.appendingPathComponent("missing"))
        XCTAssertThrowsError(try gone.writeResult(ReportFixture.result())) { error in
            guard case let .system(operation, path, _) = error as? ReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(operation, "open")
            XCTAssertTrue(path.hasPrefix(gone.url.path), path)
            XCTAssertTrue(String(describing: error).contains(gone.url.path))
        }
    }
}

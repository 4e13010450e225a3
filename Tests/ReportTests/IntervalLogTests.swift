import Foundation
import Histogram
import Metrics
@testable import Report
import XCTest

/// The .hlog writer and reader: HdrHistogram's interval log format, V2 encoding, round trips.
final class IntervalLogTests: XCTestCase {
    func testLayoutIndexMathMatchesHdrHistogram() throws {
        let layout = try XCTUnwrap(HistogramLayout(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, significantDigits: 3))
        XCTAssertEqual(layout.subBucketHalfCount, 1024)
        XCTAssertEqual(layout.index(of: 1000), 1000)
        XCTAssertEqual(layout.index(of: 2047), 2047)
        XCTAssertEqual(layout.index(of: 2048), 2048)
        XCTAssertEqual(layout.value(at: 2048), 2048)
        XCTAssertEqual(layout.value(at: 2049), 2050) // second bucket: 2 units per sub-bucket
        // Every value lands in a bucket whose lowest value is the library's lowest equivalent.
        let histogram = LatencyScale.makeHistogram()
        for value: UInt64 in [1, 7, 999, 2047, 2049, 4095, 123_457, 59_999_999] {
            let index = layout.index(of: value)
            XCTAssertEqual(layout.value(at: index), histogram.lowestEquivalentForValue(value), "\(value)")
            XCTAssertEqual(layout.highestValue(at: index), histogram.highestEquivalentForValue(value), "\(value)")
        }
        XCTAssertNil(HistogramLayout(lowestDiscernibleValue: 0, highestTrackableValue: 10, significantDigits: 3))
    }

    func testZigZagLEB128AsHdrHistogramWritesIt() throws {
        func bytes(_ value: Int64) -> [UInt8] {
            var out: [UInt8] = []
            HistogramV2Codec.putZigZag(value, into: &out)
            return out
        }
        XCTAssertEqual(bytes(0), [0x00])
        XCTAssertEqual(bytes(-1), [0x01])
        XCTAssertEqual(bytes(1), [0x02])
        XCTAssertEqual(bytes(63), [0x7E])
        XCTAssertEqual(bytes(64), [0x80, 0x01])
        XCTAssertEqual(bytes(-1000), [0xCF, 0x0F])
        XCTAssertEqual(bytes(Int64.max).count, 9)
        for value: Int64 in [0, 1, -1, 300, -70_000, 1 << 40, Int64.max, Int64.min] {
            var reader = ByteReader(bytes: bytes(value))
            XCTAssertEqual(try reader.zigZag(), value)
        }
    }

    func testEncodingHeaderIsV2() throws {
        var histogram = LatencyScale.makeHistogram()
        histogram.record(1500)
        let plain = try HistogramV2Codec.encode(EncodedHistogram(histogram))
        XCTAssertEqual(Array(plain.prefix(4)), [0x1C, 0x84, 0x93, 0x13])
        XCTAssertEqual(Array(plain[12 ..< 16]), [0, 0, 0, 3]) // significant digits
        XCTAssertEqual(Array(plain[32 ..< 40]), [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]) // conversion ratio 1.0
        let compressed = try HistogramV2Codec.encodeCompressed(EncodedHistogram(histogram))
        // base64 of the compressed cookie is the "HISTF" every .hlog line starts with.
        XCTAssertTrue(Data(compressed).base64EncodedString().hasPrefix("HISTFAAA"))
    }

    func testRoundTripOfTheFixtureTimeline() throws {
        var timeline = ReportFixture.metrics().timeline
        timeline.close()
        let log = IntervalLog(startTime: ReportFixture.startDate.timeIntervalSince1970, seconds: timeline.seconds[0])
        let text = try log.text()
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines[0], "#[Histogram log format version 1.3]")
        XCTAssertTrue(lines[1].hasPrefix("#[StartTime: 1796049162.000 (seconds since epoch), 2026-11-30T14:32:42Z]"))
        XCTAssertEqual(String(lines[3]), IntervalLog.legend)
        XCTAssertTrue(lines[4].hasPrefix("0.000,1.000,1.850,HISTFAAA"), String(lines[4]))
        let read = try IntervalLog(parsing: text)
        XCTAssertEqual(read.startTime, log.startTime)
        XCTAssertEqual(read.intervals.count, timeline.seconds[0].count)
        for (original, back) in zip(log.intervals, read.intervals) {
            XCTAssertEqual(back.startSeconds, original.startSeconds)
            XCTAssertEqual(back.histogram.values, original.histogram.values)
            XCTAssertEqual(back.histogram.counts, original.histogram.counts)
            XCTAssertEqual(back.histogram.maxRecorded, original.histogram.maxRecorded)
            // Exact again as a histogram in the shared layout.
            XCTAssertEqual(try back.histogram.histogram().valueAtPercentile(99), try original.histogram.histogram().valueAtPercentile(99))
        }
    }

    func testRoundTripOfAWideHistogramWithZeroRuns() throws {
        var histogram = LatencyScale.makeHistogram()
        for value: UInt64 in [1, 2, 3, 900, 2_100, 70_000, 70_001, 5_000_000, 59_999_999] { histogram.record(value, count: value % 7 + 1) }
        let encoded = EncodedHistogram(histogram)
        let back = try HistogramV2Codec.decode(try HistogramV2Codec.encodeCompressed(encoded))
        XCTAssertEqual(back.values, encoded.values)
        XCTAssertEqual(back.counts, encoded.counts)
        XCTAssertEqual(back.totalCount, encoded.totalCount)
        let empty = try HistogramV2Codec.decode(try HistogramV2Codec.encodeCompressed(EncodedHistogram(LatencyScale.makeHistogram())))
        XCTAssertEqual(empty.totalCount, 0)
    }

    /// A line of HdrHistogram's own test log (src/test/resources/org/HdrHistogram/jHiccup-2.0.7S.logV2.hlog,
    /// written by the Java implementation, values in ns): read by our reader, its maximum agrees with Interval_Max.
    func testReadsALogWrittenByHdrHistogramJava() throws {
        let text = """
            #[Logged with jHiccup version 2.0.7-SNAPSHOT]
            #[Histogram log format version 1.2]
            #[StartTime: 1441753532.570 (seconds since epoch), Tue Sep 08 16:05:32 PDT 2015]
            "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
            0.126,1.007,1.933,HISTFAAAAEB42pNpmSzMwMAgywABTBDKT4GBgdnNYMcCBvsPEBEjDT0FMTUxMT05LgEhPqmIeWxtTAKMTNxM6xmZmAAjcgjc
            7.134,1.515,960.496,HISTFAAAAJV42pNpmSzMwMDUwAABTBDKT4GBgdnNYMcCBvsPEBEWLi4eNkY2PiYOPhYOLgGOLuZjTGLrGZnKgTCYyZrJEoh1mWSZpMFQFkpyM/GCMTKJzOdkYoVCZjgLmc1MhDwzEyMQggl0SH1BbEJIgIUJC2AhUoxchSwsLGwsMIBgYRUkQyFBaQ4g4EIl0PlcpKtB4wMAh5wT+Q==

            """
        let log = try IntervalLog(parsing: text)
        XCTAssertEqual(log.startTime, 1_441_753_532.570)
        XCTAssertEqual(log.intervals.count, 2)
        XCTAssertEqual(log.intervals[1].startSeconds, 7.134)
        XCTAssertEqual(log.intervals[1].lengthSeconds, 1.515)
        for (interval, maxMs) in zip(log.intervals, [1.933, 960.496]) {
            let h = interval.histogram
            XCTAssertGreaterThan(h.totalCount, 0)
            // Java prints the highest equivalent of the max in ms (ns / 1e6): our last bucket must hold it.
            let layout = try XCTUnwrap(HistogramLayout(lowestDiscernibleValue: h.lowestDiscernibleValue,
                                                       highestTrackableValue: h.highestTrackableValue, significantDigits: h.significantDigits))
            let last = try XCTUnwrap(h.values.last)
            XCTAssertLessThanOrEqual(Double(last) / 1e6, maxMs + 0.001)
            XCTAssertGreaterThanOrEqual(Double(layout.highestValue(at: layout.index(of: last))) / 1e6, maxMs - 0.001)
        }
    }

    func testMalformedLogsAreRefusedWithTheLine() {
        XCTAssertThrowsError(try IntervalLog(parsing: "#[StartTime: 1.000 (seconds since epoch), x]\n0.0,1.0,HISTF\n")) { error in
            XCTAssertEqual(error as? HistogramLogError, .malformedLine(line: 2, text: "0.0,1.0,HISTF"))
        }
        XCTAssertThrowsError(try IntervalLog(parsing: "0.000,1.000,0.000,!!!\n")) { error in
            XCTAssertEqual(error as? HistogramLogError, .notBase64(line: 1))
        }
        XCTAssertThrowsError(try IntervalLog(parsing: "0.000,1.000,0.000,AAAAAAAA\n")) { error in
            XCTAssertEqual(error as? HistogramLogError, .unknownCookie(0))
        }
    }

    func testResultsFolderWritesOneLogPerOperation() throws {
        let base = try ReportFixture.temporaryDirectory(self)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: "quickstart")
        let metrics = ReportFixture.metrics()
        try folder.write(ReportFixture.result(), metrics: metrics)
        let text = try String(contentsOf: folder.url.appendingPathComponent("cacerts.hlog"), encoding: .utf8)
        let log = try IntervalLog(parsing: text)
        XCTAssertEqual(log.startTime, ReportFixture.startDate.timeIntervalSince1970)
        let total = log.intervals.reduce(UInt64(0)) { $0 + $1.histogram.totalCount }
        XCTAssertEqual(total, metrics["cacerts"]?.histogram(.total).totalCount)
    }
}

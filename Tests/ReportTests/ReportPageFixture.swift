import Foundation
import Metrics
import Report
import XCTest

/// Results folders for the HTML report: the `ReportFixture` run with hostile strings in its failure
/// examples and findings (markup a server could send), plus hand-written `verdict`, `abortReason` and
/// `search` sections as the verdict and capacity-search work adds them to result.json.
enum ReportPageFixture {
    static let hostile = "<script>alert('x')</script><img src=x onerror=alert(1)>"

    static let extras = """
        {
          "abortReason": "error rate 0.5 > 0.2 over 5 s <b>bold</b>",
          "verdict": {"passed": false, "why": "2 of 3 threshold(s) failed", "thresholds": [
            {"operation": "simpleenroll", "metric": "p99Ms", "limit": 500, "uncorrected": false, "measured": 1.85, "passed": true},
            {"operation": "cacerts", "metric": "errorRate", "limit": 0.01, "uncorrected": false, "measured": 0.1, "passed": false},
            {"operation": "all", "metric": "minRate", "limit": 100, "uncorrected": false, "measured": null, "passed": false}
          ]},
          "search": {
            "maxSustainableRate": 150,
            "conclusion": "found",
            "summary": "150/s held; 200/s broke <i>",
            "connections": "kept alive",
            "steps": [
              {
                "offeredRate": 50,
                "achievedRate": 50,
                "arrivals": 400,
                "result": "held",
                "broke": [],
                "thresholds": {
                  "passed": true,
                  "thresholds": []
                },
                "busiestLoadThread": 0.3,
                "errorRate": 0,
                "p50Ms": 15,
                "p99Ms": 70,
                "durationNs": 8000000000,
                "warnings": [],
                "operations": [
                  {
                    "name": "simpleenroll",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 20000,
                        "p50Us": 20000,
                        "p90Us": 80000,
                        "p99Us": 80000,
                        "p999Us": 80000,
                        "maxUs": 80000
                      }
                    },
                    "histograms": {}
                  },
                  {
                    "name": "cacerts",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 2000,
                        "p50Us": 2000,
                        "p90Us": 9000,
                        "p99Us": 9000,
                        "p999Us": 9000,
                        "maxUs": 9000
                      }
                    },
                    "histograms": {}
                  }
                ]
              },
              {
                "offeredRate": 100,
                "achievedRate": 99.5,
                "arrivals": 796,
                "result": "held",
                "broke": [],
                "thresholds": {
                  "passed": true,
                  "thresholds": []
                },
                "busiestLoadThread": 0.3,
                "errorRate": 0.001,
                "p50Ms": 20,
                "p99Ms": 110,
                "durationNs": 8000000000,
                "warnings": [],
                "operations": [
                  {
                    "name": "simpleenroll",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 25000,
                        "p50Us": 25000,
                        "p90Us": 120000,
                        "p99Us": 120000,
                        "p999Us": 120000,
                        "maxUs": 120000
                      }
                    },
                    "histograms": {}
                  },
                  {
                    "name": "cacerts",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 2000,
                        "p50Us": 2000,
                        "p90Us": 10000,
                        "p99Us": 10000,
                        "p999Us": 10000,
                        "maxUs": 10000
                      }
                    },
                    "histograms": {}
                  }
                ]
              },
              {
                "offeredRate": 150,
                "achievedRate": 147,
                "arrivals": 1176,
                "result": "held",
                "broke": [],
                "thresholds": {
                  "passed": true,
                  "thresholds": []
                },
                "busiestLoadThread": 0.3,
                "errorRate": 0.004,
                "p50Ms": 30,
                "p99Ms": 280,
                "durationNs": 8000000000,
                "warnings": [],
                "operations": [
                  {
                    "name": "simpleenroll",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 40000,
                        "p50Us": 40000,
                        "p90Us": 300000,
                        "p99Us": 300000,
                        "p999Us": 300000,
                        "maxUs": 300000
                      }
                    },
                    "histograms": {}
                  },
                  {
                    "name": "cacerts",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 3000,
                        "p50Us": 3000,
                        "p90Us": 14000,
                        "p99Us": 14000,
                        "p999Us": 14000,
                        "maxUs": 14000
                      }
                    },
                    "histograms": {}
                  }
                ]
              },
              {
                "offeredRate": 200,
                "achievedRate": 160,
                "arrivals": 1280,
                "result": "broke",
                "broke": [
                  "thresholds",
                  "achieved_rate"
                ],
                "thresholds": {
                  "passed": false,
                  "thresholds": []
                },
                "busiestLoadThread": 0.3,
                "errorRate": 0.05,
                "p50Ms": 250,
                "p99Ms": 880,
                "durationNs": 8000000000,
                "warnings": [],
                "operations": [
                  {
                    "name": "simpleenroll",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 300000,
                        "p50Us": 300000,
                        "p90Us": 900000,
                        "p99Us": 900000,
                        "p999Us": 900000,
                        "maxUs": 900000
                      }
                    },
                    "histograms": {}
                  },
                  {
                    "name": "cacerts",
                    "count": 100,
                    "errors": 0,
                    "ratePerSecond": 10,
                    "counters": {
                      "2xx": 100
                    },
                    "latency": {
                      "total": {
                        "count": 100,
                        "minUs": 100,
                        "meanUs": 5000,
                        "p50Us": 5000,
                        "p90Us": 40000,
                        "p99Us": 40000,
                        "p999Us": 40000,
                        "maxUs": 40000
                      }
                    },
                    "histograms": {}
                  }
                ]
              }
            ]
          }
        }
        """

    /// A results folder written by `ResultsFolder.write`, then result.json given the extra sections
    /// (when `extras`) and report.html rewritten; `name` makes the folder name (and label) differ between runs.
    static func folder(_ test: XCTestCase, extras withExtras: Bool = true, name: String = "quickstart", slower: UInt64 = 0) throws -> URL {
        let base = try ReportFixture.temporaryDirectory(test)
        let folder = try ResultsFolder.create(base: base, startTime: ReportFixture.startDate, profileName: name)
        var result = try ReportFixture.result()
        var reasons = FailureReasons()
        reasons.add(.timeout, FailureReason(hostile, example: "no response within 100 ms " + hostile), count: 2)
        let cacerts = try XCTUnwrap(result.metrics.operations.firstIndex { $0.name == "cacerts" })
        result.metrics.operations[cacerts].reasons = reasons
        result.findings = ["trailing_nul": InteropFinding(count: 3, example: "body ended in NUL " + hostile)]
        result.warnings.append("a warning with " + hostile)
        result.tool = ToolUsage(threads: 1, cpuNs: 40_000_000, operations: 50, peakRSSBytes: 40 << 20, endRSSBytes: 30 << 20)
        if slower > 0 {
            for index in result.metrics.operations.indices {
                for key in result.metrics.operations[index].latency.keys { result.metrics.operations[index].latency[key]!.p99Us += slower }
            }
        }
        try folder.write(result, metrics: ReportFixture.metrics())
        guard withExtras else { return folder.url }
        var document = try JSONDecoder().decode(JSONValue.self, from: try result.jsonData())
        let added = try JSONValue(parsing: extras)
        guard case .object(var members) = document, case .object(let more) = added else { throw XCTSkip("fixture is not an object") }
        for (key, value) in more { members[key] = value }
        document = .object(members)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(document).write(to: folder.url.appendingPathComponent(ResultsFolder.resultFile))
        try folder.writeReport()
        return folder.url
    }
}

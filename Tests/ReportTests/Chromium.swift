import Foundation
import XCTest

/// Headless Chromium for the browser test: found on PATH (Debian's `chromium`, installed by .ci/run),
/// run with a fresh profile directory and killed after `timeout` seconds.
enum Chromium {
    static let names = ["chromium", "chromium-browser", "google-chrome"]

    /// The browser's path; the test fails (never skips) without one.
    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        XCTFail("headless Chromium is needed for the report's browser test and none of \(names) is on PATH: apt-get install -y chromium (.ci/run does)")
        throw CocoaError(.fileNoSuchFile)
    }

    /// Runs the browser on `page` with `arguments` (e.g. --dump-dom, --screenshot=…); stdout as text.
    static func run(_ arguments: [String], page: URL, in directory: URL, timeout: TimeInterval = 60) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        let profile = directory.appendingPathComponent("chromium-profile-\(UUID().uuidString)")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)"] + arguments + [page.absoluteString]
        let stdout = directory.appendingPathComponent("chromium-\(UUID().uuidString).out")
        XCTAssertTrue(FileManager.default.createFile(atPath: stdout.path, contents: nil))
        let handle = try FileHandle(forWritingTo: stdout)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            usleep(500_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            XCTFail("chromium did not finish within \(Int(timeout)) s: killed")
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: profile)
        return try String(contentsOf: stdout, encoding: .utf8)
    }
}

import Foundation
import Glibc
import Synchronization

/// Writes to standard output and standard error without buffering surprises (lines go out whole).
/// Human output (`out`, `human`) goes to standard output, or to standard error once a command's
/// standard output carries JSON (`run --json`).
enum Console {
    private static let humanFD = Atomic<Int32>(1)

    static func out(_ line: String) { write(humanFD.load(ordering: .relaxed), line + "\n") }
    static func human(_ text: String) { write(humanFD.load(ordering: .relaxed), text) }
    static func error(_ line: String) { write(2, line + "\n") }

    /// `value` as pretty, key-sorted JSON, like `out` (what the `bench` commands' --json prints).
    static func outJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(value) { out(String(decoding: data, as: UTF8.self)) }
    }

    /// From now on human output goes to standard error (standard output is for JSON).
    static func humanToStandardError() { humanFD.store(2, ordering: .relaxed) }

    /// Whether standard error is a terminal (progress bars only there).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}

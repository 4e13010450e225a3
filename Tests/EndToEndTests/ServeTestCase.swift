import Foundation
import XCTest

/// A scratch directory per test and the curl / openssl steps the serve tests share.
class ServeTestCase: XCTestCase {
    var work: String = ""

    override func setUpWithError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-serve-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        work = url.path
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    }

    func path(_ name: String) -> String { work + "/" + name }

    /// A device key and a base64 CSR made by `openssl req` (subject CN=name, SAN DNS).
    func makeCSR(_ name: String) throws -> String {
        let r = try tool(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", path("\(name).key"), "-subj", "/CN=\(name)", "-addext", "subjectAltName=DNS:\(name).example",
                          "-outform", "DER", "-out", path("\(name).der")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let der = try Data(contentsOf: URL(fileURLWithPath: path("\(name).der")))
        let b64 = path("\(name).b64")
        try der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]).appending("\n")
            .write(toFile: b64, atomically: true, encoding: .utf8)
        return b64
    }

    /// curl: status code, headers, body.
    func curl(_ server: ServeProcess, _ operation: String, post file: String? = nil, contentType: String = "application/pkcs10",
              extra: [String] = []) throws -> (code: Int, headers: String, body: Data, exit: Int32) {
        let headers = path("headers-\(UUID().uuidString)")
        var args = ["curl", "-s", "-o", "-", "-D", headers, "-w", "", "--cacert", server.bundle, "--max-time", "60"]
        if let file { args += ["-H", "Content-Type: \(contentType)", "--data-binary", "@\(file)"] }
        let r = try tool(args + extra + [server.url(operation)])
        let h = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
        let code = h.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return (code, h, r.stdout, r.status)
    }
}

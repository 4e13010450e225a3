@testable import Engine
import Foundation
import PKI
import Workload
import XCTest

/// Loading the client's files: a bootstrap certificate and key that do not belong together are
/// refused at load time, naming both files.
final class ClientSetupTests: XCTestCase {
    func testABootstrapKeyThatIsNotTheCertificatesIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("estbench-setup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }  // a temporary folder: leftovers do no harm
        try CertificateAuthority().save(to: directory)
        func profile(certificate: String, key: String) throws -> Profile {
            try RunPlan.load(yaml: """
                target: {url: "https://127.0.0.1:8443", bootstrap: {certificate: \(directory)/\(certificate), key: \(directory)/\(key)}}
                devices: {count: 1}
                lifecycle: [{op: cacerts}]
                load: {closed: {}}
                stop: {operations: 1}
                """, name: "t").profile
        }
        let matching = try XCTUnwrap(try ClientSetup.bootstrap(profile(certificate: "server.pem", key: "server.key")))
        XCTAssertEqual(matching.chain.count, 1)
        XCTAssertThrowsError(try ClientSetup.bootstrap(profile(certificate: "server.pem", key: "root.key"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("\(directory)/server.pem") && text.contains("\(directory)/root.key"), text)
            XCTAssertTrue(text.contains("do not belong together"), text)
        }
    }
}

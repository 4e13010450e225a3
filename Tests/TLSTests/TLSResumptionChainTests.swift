import PKI
@testable import TLS
import XCTest

/// A load generator frees each connection before the next one resumes its session: resumption must
/// survive that, connection after connection, for both versions and both resumption mechanisms.
final class TLSResumptionChainTests: XCTestCase {
    func testEachConnectionResumesTheLastOnesSessionAfterItWasFreed() throws {
        let fixture = try TLSFixture()
        for version in TLSVersion.allCases {
            for mode in [TLSConfiguration.Resumption.tickets, .ids] {
                let server = try TLSContext(fixture.serverConfiguration { $0.resumption = mode; $0.minimumVersion = version; $0.maximumVersion = version })
                let client = try TLSContext(fixture.clientConfiguration { $0.resumption = mode })
                var ticket: TLSResumableSession?
                var buffer = [UInt8](repeating: 0, count: 16384)
                for i in 0..<5 {
                    // Both sessions are created and freed inside this scope.
                    let resumed: Bool = try {
                        let c = try TLSSession(context: client, serverName: "localhost", resuming: ticket)
                        let s = try TLSSession(context: server)
                        XCTAssertNil(InMemoryHandshake.run(client: c, server: s, buffer: &buffer))
                        ticket = c.resumableSession ?? ticket
                        return c.isResumed
                    }()
                    XCTAssertEqual(resumed, i > 0, "\(version) \(mode) connection \(i)")
                }
            }
        }
    }
}

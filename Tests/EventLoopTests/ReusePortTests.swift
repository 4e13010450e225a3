import XCTest
@testable import EventLoop

/// `SO_REUSEPORT`: one listener per worker thread on the same address (how the built-in server
/// spreads accepts); without it a second bind is refused.
final class ReusePortTests: XCTestCase {
    func testTwoListenersShareAPortOnlyWithReusePort() throws {
        for ip in ["127.0.0.1", "::1"] {
            let test = try TestLoop()
            let probe = ListenerProbe()
            let first = try TCPListener(loop: test.loop, address: SocketAddress(ip: ip, port: 0), reusePort: true, delegate: probe)
            let second = try TCPListener(loop: test.loop, address: SocketAddress(ip: ip, port: first.port), reusePort: true, delegate: probe)
            XCTAssertEqual(second.port, first.port)
            XCTAssertThrowsError(try TCPListener(loop: test.loop, address: SocketAddress(ip: ip, port: first.port), delegate: probe)) {
                XCTAssertEqual(($0 as? UVError)?.name, "EADDRINUSE", "\($0)")
            }
            first.close()
            second.close()
            test.run()
            test.close()
        }
    }
}

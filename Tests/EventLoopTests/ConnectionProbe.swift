import XCTest
@testable import EventLoop

/// A connection delegate that records every event in order and runs optional reactions.
final class ConnectionProbe: TCPConnectionDelegate {
    var events: [String] = []
    var errors: [UVError] = []
    var received: [UInt8] = []
    var keepBytes = true
    var receivedCount = 0
    var checksum = Checksum()

    var onConnect: ((TCPConnection) -> Void)?
    var onRead: ((TCPConnection, UnsafeRawBufferPointer) -> Void)?
    var onEOF: ((TCPConnection) -> Void)?
    var onFlush: ((TCPConnection) -> Void)?
    var onShutdown: ((TCPConnection) -> Void)?
    var onClose: ((TCPConnection) -> Void)?

    func count(_ event: String) -> Int { events.filter { $0 == event }.count }

    func connectionDidConnect(_ connection: TCPConnection) {
        events.append("connect")
        onConnect?(connection)
    }

    func connection(_ connection: TCPConnection, didRead bytes: UnsafeRawBufferPointer) {
        if events.last != "read" { events.append("read") }
        receivedCount += bytes.count
        checksum.update(bytes)
        if keepBytes { received.append(contentsOf: bytes) }
        onRead?(connection, bytes)
    }

    func connectionDidReadEOF(_ connection: TCPConnection) {
        events.append("eof")
        onEOF?(connection)
    }

    func connectionDidFlush(_ connection: TCPConnection) {
        events.append("flush")
        onFlush?(connection)
    }

    func connectionDidShutdown(_ connection: TCPConnection) {
        events.append("shutdown")
        onShutdown?(connection)
    }

    func connection(_ connection: TCPConnection, didFail error: UVError) {
        events.append("fail")
        errors.append(error)
    }

    func connectionDidClose(_ connection: TCPConnection) {
        events.append("close")
        onClose?(connection)
    }
}

extension ConnectionProbe {
    /// A server-side echo: writes back what it reads; on the peer's FIN it shuts down after the
    /// echoes, and closes once its own FIN went out.
    static func echo(keepBytes: Bool = false) -> ConnectionProbe {
        let probe = ConnectionProbe()
        probe.keepBytes = keepBytes
        probe.onRead = { connection, bytes in connection.write(bytes) }
        probe.onEOF = { connection in
            expectNoError { try connection.shutdown() }
        }
        probe.onShutdown = { connection in connection.close() }
        return probe
    }
}

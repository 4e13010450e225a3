import EventLoop
import TLS
import XCTest

/// Records what a `TLSConnection` reports, and runs a scripted reaction to each event.
final class TLSConnectionProbe: TLSConnectionDelegate {
    var events: [String] = []
    var received: [UInt8] = []
    var error: TLSConnectionError?
    var onHandshake: (TLSConnection) -> Void = { _ in }
    var onRead: (TLSConnection, [UInt8]) -> Void = { _, _ in }
    var onPeerClose: (TLSConnection) -> Void = { $0.close() }
    var onClose: () -> Void = {}

    func tlsConnectionDidHandshake(_ connection: TLSConnection) {
        events.append("handshake")
        onHandshake(connection)
    }

    func tlsConnection(_ connection: TLSConnection, didRead plaintext: UnsafeRawBufferPointer) {
        received += plaintext
        onRead(connection, received)
    }

    func tlsConnectionPeerDidClose(_ connection: TLSConnection, closeNotify: Bool) {
        events.append(closeNotify ? "close_notify" : "eof")
        onPeerClose(connection)
    }

    func tlsConnection(_ connection: TLSConnection, didFail error: TLSConnectionError) {
        events.append("fail")
        self.error = error
    }

    func tlsConnectionDidClose(_ connection: TLSConnection) {
        events.append("closed")
        onClose()
    }
}

/// A loop with a watchdog: `run()` returns when the test's handles are closed or after `seconds`.
final class WatchedLoop {
    let loop: Loop
    private var watchdog: EventLoop.Timer?
    private(set) var timedOut = false

    init(seconds: UInt64 = 60) throws {
        loop = try Loop()
        let t = try EventLoop.Timer(loop: loop) { [unowned self] in
            self.timedOut = true
            self.loop.stop()
        }
        try t.start(timeoutMs: seconds * 1000)
        watchdog = t
    }

    func run() { _ = loop.run() }

    /// Stops the watchdog so `run()` can return once nothing else is active.
    func done() { watchdog?.close(); watchdog = nil }

    func close() throws {
        watchdog?.close()
        watchdog = nil
        try loop.close()
    }
}

import XCTest
@testable import EventLoop

/// A listener delegate that records accepted connections and errors and hands each accepted
/// connection to `onAccept` (which must give it a delegate).
final class ListenerProbe: TCPListenerDelegate {
    var accepted: [TCPConnection] = []
    var errors: [UVError] = []
    var closeCount = 0
    var onAccept: ((TCPConnection) -> Void)?

    func listener(_ listener: TCPListener, didAccept connection: TCPConnection) {
        accepted.append(connection)
        onAccept?(connection)
    }

    func listener(_ listener: TCPListener, didFail error: UVError) {
        errors.append(error)
    }

    func listenerDidClose(_ listener: TCPListener) {
        closeCount += 1
    }
}

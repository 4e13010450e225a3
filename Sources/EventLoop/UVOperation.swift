/// The libuv call an error came from, so every `UVError` says what was being done
/// (connect, read, write, shutdown, ...) and not only the errno.
public enum UVOperation: String, Sendable, CustomStringConvertible {
    case loopInit = "loop init"
    case loopClose = "loop close"
    case asyncInit = "async init"
    case asyncSend = "async send"
    case timerInit = "timer init"
    case timerStart = "timer start"
    case timerStop = "timer stop"
    case idleInit = "idle init"
    case idleStart = "idle start"
    case idleStop = "idle stop"
    case tcpInit = "tcp init"
    case noDelay = "TCP_NODELAY"
    case bind
    case listen
    case accept
    case socketName = "getsockname"
    case peerName = "getpeername"
    case formatAddress = "format address"
    case parseAddress = "parse address"
    case connect
    case read
    case write
    case shutdown

    public var description: String { rawValue }
}

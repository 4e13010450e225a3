import CLibUV

/// A failed libuv call: the operation and the libuv error code, sorted into the cases the
/// engine's error taxonomy tells apart (refused, reset, timed out, address in use, other).
public enum UVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// ECONNREFUSED: nothing listens on the peer's port.
    case refused(UVOperation)
    /// ECONNRESET, EPIPE or ECONNABORTED: the peer dropped the connection; `code` says which.
    case reset(UVOperation, code: Int32)
    /// ETIMEDOUT from the kernel, or the connection's own connect timeout.
    case timedOut(UVOperation)
    /// EADDRINUSE: another socket holds the address a listener asked for.
    case addressInUse(UVOperation)
    /// Any other libuv error code.
    case other(UVOperation, code: Int32)

    /// Sorts a negative libuv return code into its case.
    public init(code: Int32, operation: UVOperation) {
        switch code {
        case UV_ECONNREFUSED.rawValue: self = .refused(operation)
        case UV_ECONNRESET.rawValue, UV_EPIPE.rawValue, UV_ECONNABORTED.rawValue:
            self = .reset(operation, code: code)
        case UV_ETIMEDOUT.rawValue: self = .timedOut(operation)
        case UV_EADDRINUSE.rawValue: self = .addressInUse(operation)
        default: self = .other(operation, code: code)
        }
    }

    public var operation: UVOperation {
        switch self {
        case .refused(let op), .timedOut(let op), .addressInUse(let op): return op
        case .reset(let op, _), .other(let op, _): return op
        }
    }

    /// The libuv error code (negative errno on Unix).
    public var code: Int32 {
        switch self {
        case .refused: return UV_ECONNREFUSED.rawValue
        case .timedOut: return UV_ETIMEDOUT.rawValue
        case .addressInUse: return UV_EADDRINUSE.rawValue
        case .reset(_, let code), .other(_, let code): return code
        }
    }

    /// EMFILE or ENFILE: the process (or the system) has no descriptor left.
    public var isOutOfDescriptors: Bool { code == UV_EMFILE.rawValue || code == UV_ENFILE.rawValue }

    /// libuv's symbolic name for the code, e.g. "ECONNREFUSED" (`uv_err_name`).
    public var name: String { String(cString: uv_err_name(code)) }

    /// libuv's text for the code, e.g. "connection refused" (`uv_strerror`).
    public var message: String { String(cString: uv_strerror(code)) }

    public var description: String { "\(operation): \(message) (\(name))" }
}

/// The one checker every libuv return code goes through: negative codes become a `UVError`
/// naming the operation; zero and positive results (counts) pass.
@inline(__always)
func uvCheck(_ rc: Int32, _ operation: UVOperation) throws(UVError) {
    if rc < 0 { throw UVError(code: rc, operation: operation) }
}

/// For calls that libuv documents as unable to fail in the state we call them in (stopping a
/// timer, sending an async signal): a failure is a bug here, so it traps with the checked error.
@inline(__always)
func uvCheckInfallible(_ rc: Int32, _ operation: UVOperation) {
    do { try uvCheck(rc, operation) } catch { preconditionFailure("libuv: \(error)") }
}

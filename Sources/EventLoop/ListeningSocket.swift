#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound, listening TCP socket shared by several loops: each loop's `TCPListener` listens on a
/// duplicate of its descriptor, so one listener can stop accepting (close its duplicate) and start
/// again while the socket, its port and its queue of pending connections stay. Bound without
/// `SO_REUSEPORT` unless asked, so a second process cannot silently share the port.
/// Owns the descriptor (closed in `deinit`); usable from any thread.
public final class ListeningSocket: Sendable {
    public let descriptor: Int32
    /// The bound address, with the actual port.
    public let localAddress: SocketAddress

    /// - Parameter reusePort: `SO_REUSEPORT`: other sockets of this user may bind the same address
    ///   and the kernel spreads connections across them (off: such a bind fails, EADDRINUSE).
    public init(address: SocketAddress, backlog: Int32 = 511, reusePort: Bool = false) throws(UVError) {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_STREAM
        #endif
        let fd = socket(family, type, 0)
        guard fd >= 0 else { throw UVError(code: -errno, operation: .bind) }
        do throws(UVError) {
            var on: Int32 = 1
            let size = socklen_t(MemoryLayout<Int32>.size)
            // As libuv's own bind: a restarted server rebinds over connections in TIME_WAIT.
            if setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, size) != 0 { throw UVError(code: -errno, operation: .bind) }
            if reusePort, setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, size) != 0 {
                throw UVError(code: -errno, operation: .bind)
            }
            let length = socklen_t(address.family == .ipv4 ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            let rc = try address.withSockAddr { bind(fd, $0, length) }
            if rc != 0 { throw UVError(code: -errno, operation: .bind) }
            if listen(fd, backlog) != 0 { throw UVError(code: -errno, operation: .listen) }
            localAddress = try SocketAddress(descriptor: fd)
        } catch {
            close(fd)
            throw error
        }
        descriptor = fd
    }

    /// The bound port.
    public var port: UInt16 { localAddress.port }

    /// A new descriptor for the same socket (close-on-exec), for one loop's listener.
    func duplicate() throws(UVError) -> Int32 {
        let fd = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard fd >= 0 else { throw UVError(code: -errno, operation: .listen) }
        return fd
    }

    deinit { close(descriptor) }
}

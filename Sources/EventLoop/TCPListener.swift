import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket bound to an IPv4 or IPv6 address (port 0: the kernel picks; read it
/// from `localAddress`) that hands each accepted socket to its delegate as a `TCPConnection`.
/// Owns its heap-allocated `uv_tcp_t`, retained by libuv until the close callback; loop thread only.
public final class TCPListener: LoopHandle {
    /// Strong; cleared after `listenerDidClose`.
    public var delegate: (any TCPListenerDelegate)?
    /// The bound address, with the actual port.
    public let localAddress: SocketAddress
    /// Read buffer size and TCP_NODELAY for accepted connections.
    public let readBufferSize: Int
    public let noDelay: Bool
    public private(set) var isClosing = false

    private let tcp: UnsafeMutablePointer<uv_tcp_t>

    /// - Parameter reusePort: `SO_REUSEPORT`, so that one listener per worker thread can bind the
    ///   same address and the kernel spreads incoming connections across them.
    public init(
        loop: Loop, address: SocketAddress, backlog: Int32 = 511,
        readBufferSize: Int = TCPConnection.defaultReadBufferSize, noDelay: Bool = true,
        reusePort: Bool = false, delegate: (any TCPListenerDelegate)? = nil
    ) throws(UVError) {
        let tcp = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        do {
            let family = address.family == .ipv4 ? AF_INET : AF_INET6
            try uvCheck(uv_tcp_init_ex(loop.openUVLoop, tcp, UInt32(family)), .tcpInit)
        } catch {
            tcp.deallocate()
            throw error
        }
        do {
            if reusePort {
                var fd: uv_os_fd_t = -1
                try uvCheck(uv_fileno(asHandle(tcp), &fd), .bind)
                var on: Int32 = 1
                if setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size)) != 0 {
                    try uvCheck(-errno, .bind)
                }
            }
            // libuv reports EADDRINUSE from bind through listen.
            try address.withSockAddr { address throws(UVError) in
                try uvCheck(uv_tcp_bind(tcp, address, 0), .bind)
            }
            try uvCheck(uv_listen(asStream(tcp), backlog, onConnection), .listen)
            localAddress = try SocketAddress(of: tcp, peer: false)
        } catch {
            uv_close(asHandle(tcp), onUnownedHandleClosed)
            throw error
        }
        self.tcp = tcp
        self.readBufferSize = readBufferSize
        self.noDelay = noDelay
        self.delegate = delegate
        retainOwner(self, in: asHandle(tcp))
    }

    /// A listener on a duplicate of `socket`'s descriptor: several loops may each listen on the
    /// same socket, and closing this listener leaves the socket (and its pending connections) to
    /// the others. Throws EMFILE/ENFILE (`.other(.listen, …)`) when no descriptor is left to duplicate.
    public init(
        loop: Loop, socket: ListeningSocket, backlog: Int32 = 511,
        readBufferSize: Int = TCPConnection.defaultReadBufferSize, noDelay: Bool = true,
        delegate: (any TCPListenerDelegate)? = nil
    ) throws(UVError) {
        let fd = try socket.duplicate()
        let tcp = UnsafeMutablePointer<uv_tcp_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_tcp_init(loop.openUVLoop, tcp), .tcpInit)
        } catch {
            Glibc.close(fd)
            tcp.deallocate()
            throw error
        }
        do throws(UVError) {
            do {
                try uvCheck(uv_tcp_open(tcp, fd), .listen)
            } catch {
                Glibc.close(fd)
                throw error
            }
            try uvCheck(uv_listen(asStream(tcp), backlog, onConnection), .listen)
        } catch {
            uv_close(asHandle(tcp), onUnownedHandleClosed)
            throw error
        }
        self.tcp = tcp
        localAddress = socket.localAddress
        self.readBufferSize = readBufferSize
        self.noDelay = noDelay
        self.delegate = delegate
        retainOwner(self, in: asHandle(tcp))
    }

    /// The bound port.
    public var port: UInt16 { localAddress.port }

    /// Stops listening and closes the handle (idempotent); accepted connections stay open. Safe from
    /// the delegate's callbacks: libuv stops accepting on this handle at once.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        uv_close(asHandle(tcp), onListenerClosed)
    }

    fileprivate func connectionArrived(status: Int32) {
        guard !isClosing else { return }
        let connection: TCPConnection
        do {
            try uvCheck(status, .accept)
            connection = try TCPConnection(
                uvLoop: uv_handle_get_loop(asHandle(tcp)), readBufferSize: readBufferSize, noDelay: noDelay)
            try connection.accept(from: asStream(tcp))
        } catch {
            delegate?.listener(self, didFail: error)
            return
        }
        delegate?.listener(self, didAccept: connection)
        if connection.delegate == nil {
            connection.close()
        } else {
            connection.startReading()
        }
    }

    fileprivate func closed() {
        let delegate = self.delegate
        self.delegate = nil
        delegate?.listenerDidClose(self)
    }
}

private func onConnection(_ server: UnsafeMutablePointer<uv_stream_t>?, _ status: Int32) {
    owner(of: asHandle(server!), as: TCPListener.self).connectionArrived(status: status)
}

private func onListenerClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    releaseOwner(of: handle!, as: TCPListener.self).closed()
}

/// Close callback for a handle that failed during its owner's init: no owner to release.
private func onUnownedHandleClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    UnsafeMutableRawPointer(handle!).deallocate()
}

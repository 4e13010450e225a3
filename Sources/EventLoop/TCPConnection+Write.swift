import CLibUV

extension TCPConnection {
    /// Writes `bytes`: `uv_try_write` first, the remainder copied into one queued write request
    /// (while connecting, or behind earlier queued writes, all of it is queued). Order is kept
    /// across calls. A synchronous write error reaches the delegate's `didFail` during this call.
    /// Writing after `shutdown()` is a programming error (the FIN may already be out).
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer) -> WriteOutcome {
        guard state == .connected || state == .connecting else { return .closed }
        precondition(!isShutdownRequested, "write after shutdown()")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .written }
        precondition(bytes.count <= Int(Int32.max), "write larger than 2 GiB")
        var offset = 0
        // While requests are queued (or connecting) libuv would answer EAGAIN anyway.
        if state == .connected && queuedWriteCount == 0 {
            var buffer = uv_buf_init(
                UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self)), UInt32(bytes.count))
            let rc = uv_try_write(stream, &buffer, 1)
            if rc != UV_EAGAIN.rawValue {
                do {
                    try uvCheck(rc, .write)
                } catch {
                    fail(error)
                    return .closed
                }
                offset = Int(rc)
                if offset == bytes.count { return .written }
            }
        }
        return queue(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
    }

    @discardableResult
    public func write(_ bytes: [UInt8]) -> WriteOutcome {
        bytes.withUnsafeBytes { write($0) }
    }

    /// Half-close: after the queued writes, sends FIN (`uv_shutdown`); reading continues.
    /// `connectionDidShutdown` follows. Idempotent; does nothing once closing; throws
    /// `.other(.shutdown, ENOTCONN)` before the connection is established.
    public func shutdown() throws(UVError) {
        switch state {
        case .closing, .closed: return
        case .idle, .connecting: throw UVError(code: UV_ENOTCONN.rawValue, operation: .shutdown)
        case .connected: break
        }
        guard !isShutdownRequested else { return }
        let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_shutdown(request, stream, onShutdown), .shutdown)
        } catch {
            request.deallocate()
            throw error
        }
        isShutdownRequested = true
    }

    private func queue(_ bytes: UnsafeRawBufferPointer) -> WriteOutcome {
        let write = WriteRequest(copying: bytes)
        var buffer = write.buffer  // uv_write copies the uv_buf_t array into the request
        do {
            try uvCheck(uv_write(write.request, stream, &buffer, 1, onWrite), .write)
        } catch {
            write.free()
            fail(error)
            return .closed
        }
        queuedWriteCount += 1
        queuedWriteBytes += bytes.count
        return .queued(bytes: bytes.count)
    }

    fileprivate func writeFinished(byteCount: Int, status: Int32) {
        queuedWriteCount -= 1
        queuedWriteBytes -= byteCount
        guard state == .connected || state == .connecting else { return }  // cancelled by close
        do {
            try uvCheck(status, .write)
        } catch {
            fail(error)
            return
        }
        if queuedWriteCount == 0 { delegate?.connectionDidFlush(self) }
    }

    fileprivate func shutdownFinished(status: Int32) {
        guard state == .connected else { return }  // cancelled by close
        do {
            try uvCheck(status, .shutdown)
        } catch {
            fail(error)
            return
        }
        delegate?.connectionDidShutdown(self)
    }
}

private func onWrite(_ request: UnsafeMutablePointer<uv_write_t>?, _ status: Int32) {
    let write = WriteRequest(request!)
    let stream = request!.pointee.handle!
    let byteCount = write.byteCount
    write.free()
    owner(of: asHandle(stream), as: TCPConnection.self).writeFinished(byteCount: byteCount, status: status)
}

private func onShutdown(_ request: UnsafeMutablePointer<uv_shutdown_t>?, _ status: Int32) {
    let stream = request!.pointee.handle!
    request!.deallocate()
    owner(of: asHandle(stream), as: TCPConnection.self).shutdownFinished(status: status)
}

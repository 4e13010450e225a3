import CLibUV

/// A queued write: ONE heap allocation holding the `uv_write_t`, the byte count and a copy of
/// the bytes, so the caller's buffer is free as soon as `write` returns. Created on the loop
/// thread by `TCPConnection.write`, freed in the write callback (also when cancelled by close).
struct WriteRequest {
    let request: UnsafeMutablePointer<uv_write_t>

    private static let countOffset = roundUp(MemoryLayout<uv_write_t>.size, to: MemoryLayout<Int>.alignment)
    private static let bytesOffset = countOffset + MemoryLayout<Int>.size
    private static let alignment = max(MemoryLayout<uv_write_t>.alignment, MemoryLayout<Int>.alignment)

    init(copying bytes: UnsafeRawBufferPointer) {
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: WriteRequest.bytesOffset + bytes.count, alignment: WriteRequest.alignment)
        raw.storeBytes(of: bytes.count, toByteOffset: WriteRequest.countOffset, as: Int.self)
        (raw + WriteRequest.bytesOffset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        request = raw.bindMemory(to: uv_write_t.self, capacity: 1)
    }

    /// The request libuv hands back to the write callback.
    init(_ request: UnsafeMutablePointer<uv_write_t>) {
        self.request = request
    }

    var byteCount: Int {
        UnsafeMutableRawPointer(request).load(fromByteOffset: WriteRequest.countOffset, as: Int.self)
    }

    /// The copied bytes, as the buffer `uv_write` takes.
    var buffer: uv_buf_t {
        let base = (UnsafeMutableRawPointer(request) + WriteRequest.bytesOffset)
            .assumingMemoryBound(to: CChar.self)
        return uv_buf_init(base, UInt32(byteCount))
    }

    func free() {
        UnsafeMutableRawPointer(request).deallocate()
    }

    private static func roundUp(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }
}

import CLibUV

/// What every handle-owning type in this module is to `Loop.close()`: an object whose libuv
/// handles carry it (retained, as `Unmanaged`) in their data field, and that can close them.
protocol LoopHandle: AnyObject {
    /// Starts closing every libuv handle the object owns; idempotent.
    func close()
}

/// The `uv_handle_t` view of a concrete handle (`uv_tcp_t`, `uv_timer_t`, ...): libuv's C
/// "inheritance", where every handle struct starts with the `uv_handle_t` fields.
@inline(__always)
func asHandle<T>(_ pointer: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_handle_t> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: uv_handle_t.self)
}

/// The `uv_stream_t` view of a `uv_tcp_t`.
@inline(__always)
func asStream(_ pointer: UnsafeMutablePointer<uv_tcp_t>) -> UnsafeMutablePointer<uv_stream_t> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: uv_stream_t.self)
}

/// Stores a retained reference to `owner` in the handle's data field; the handle's close
/// callback balances it with `releaseOwner`.
@inline(__always)
func retainOwner(_ owner: AnyObject, in handle: UnsafeMutablePointer<uv_handle_t>) {
    uv_handle_set_data(handle, Unmanaged.passRetained(owner).toOpaque())
}

/// The owner stored by `retainOwner`, without touching its retain count (for callbacks).
@inline(__always)
func owner<T: AnyObject>(of handle: UnsafePointer<uv_handle_t>, as type: T.Type) -> T {
    Unmanaged<T>.fromOpaque(uv_handle_get_data(handle)!).takeUnretainedValue()
}

/// Takes back the retain stored by `retainOwner` (close callbacks only) and frees the handle's
/// memory; the returned reference keeps the owner alive until the caller is done with it.
@inline(__always)
func releaseOwner<T: AnyObject>(
    of handle: UnsafeMutablePointer<uv_handle_t>, as type: T.Type
) -> T {
    let owner = Unmanaged<T>.fromOpaque(uv_handle_get_data(handle)!).takeRetainedValue()
    uv_handle_set_data(handle, nil)
    UnsafeMutableRawPointer(handle).deallocate()
    return owner
}

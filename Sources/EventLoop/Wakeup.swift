import CLibUV
import Synchronization

/// A `uv_async_t`: any thread may `signal()`, the handler then runs once on the loop thread
/// (signals that arrive before it runs coalesce). The only way work crosses into a loop.
/// Owns its heap-allocated `uv_async_t`, retained by libuv from init until the close callback;
/// everything but `signal()` belongs to the loop thread.
public final class Wakeup: LoopHandle, @unchecked Sendable {
    /// Runs on the loop thread after one or more `signal()` calls.
    public var handler: () -> Void

    private let async: UnsafeMutablePointer<uv_async_t>
    /// Senders inside `signal()` in the low bits, `closedBit` once closing started: closing waits
    /// for in-flight senders, so `uv_async_send` never touches a handle that is being freed.
    private let senders = Atomic<UInt>(0)
    private static let closedBit: UInt = 1 << (UInt.bitWidth - 1)
    private var isClosing = false

    /// A wakeup on `loop`; call on the loop thread (or before the loop runs).
    public convenience init(loop: Loop, handler: @escaping () -> Void) throws(UVError) {
        try self.init(uvLoop: loop.openUVLoop, handler: handler)
    }

    init(uvLoop: UnsafeMutablePointer<uv_loop_t>, handler: @escaping () -> Void) throws(UVError) {
        let async = UnsafeMutablePointer<uv_async_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_async_init(uvLoop, async, onWakeup), .asyncInit)
        } catch {
            async.deallocate()
            throw error
        }
        self.async = async
        self.handler = handler
        retainOwner(self, in: asHandle(async))
    }

    /// Wakes the loop; callable from any thread. Returns false once the wakeup is closing.
    @discardableResult
    public func signal() -> Bool {
        let before = senders.add(1, ordering: .acquiringAndReleasing).oldValue
        defer { senders.subtract(1, ordering: .releasing) }
        guard before & Wakeup.closedBit == 0 else { return false }
        uvCheckInfallible(uv_async_send(async), .asyncSend)
        return true
    }

    /// Whether this handle alone keeps `Loop.run()` going (`uv_ref` / `uv_unref`).
    public var keepsLoopAlive: Bool {
        get { !isClosing && uv_has_ref(asHandle(async)) != 0 }
        set {
            guard !isClosing else { return }
            if newValue { uv_ref(asHandle(async)) } else { uv_unref(asHandle(async)) }
        }
    }

    /// Closes the handle (idempotent); later `signal()` calls do nothing. Loop thread only.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        _ = senders.bitwiseOr(Wakeup.closedBit, ordering: .acquiringAndReleasing)
        // A sender that read the count before the closed bit may still be inside uv_async_send.
        while senders.load(ordering: .acquiring) != Wakeup.closedBit {}
        uv_close(asHandle(async), onWakeupClosed)
    }

    fileprivate func fire() {
        guard !isClosing else { return }
        handler()
    }
}

private func onWakeup(_ async: UnsafeMutablePointer<uv_async_t>?) {
    owner(of: asHandle(async!), as: Wakeup.self).fire()
}

private func onWakeupClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    let wakeup = releaseOwner(of: handle!, as: Wakeup.self)
    wakeup.handler = {}  // drops whatever the handler captured
}

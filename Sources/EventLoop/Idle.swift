import CLibUV

/// A `uv_idle_t`: while started, `handler` runs once per loop iteration and the loop polls
/// without blocking. Work queued from a callback runs on the next iteration — after I/O —
/// which a zero timer cannot promise (libuv 1.44 runs a timer restarted with 0 in its own pass
/// again before returning to poll). Owns its heap-allocated `uv_idle_t`, retained by libuv from
/// init until the close callback; loop thread only.
public final class Idle: LoopHandle {
    /// Runs on the loop thread once per iteration while started.
    public var handler: () -> Void

    private let idle: UnsafeMutablePointer<uv_idle_t>
    // Exclusivity unchecked (see `Loop`): loop thread only, plain loads and stores.
    @exclusivity(unchecked) public private(set) var isClosing = false

    public init(loop: Loop, handler: @escaping () -> Void) throws(UVError) {
        let idle = UnsafeMutablePointer<uv_idle_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_idle_init(loop.openUVLoop, idle), .idleInit)
        } catch {
            idle.deallocate()
            throw error
        }
        self.idle = idle
        self.handler = handler
        retainOwner(self, in: asHandle(idle))
    }

    /// Starts calling `handler` each iteration (idempotent while started).
    public func start() throws(UVError) {
        guard !isClosing else { throw UVError(code: UV_EINVAL.rawValue, operation: .idleStart) }
        try uvCheck(uv_idle_start(idle, onIdle), .idleStart)
    }

    /// Stops calling `handler`; it can be started again.
    public func stop() {
        guard !isClosing else { return }
        uvCheckInfallible(uv_idle_stop(idle), .idleStop)
    }

    public var isActive: Bool { !isClosing && uv_is_active(asHandle(idle)) != 0 }

    /// Stops and closes the handle (idempotent); the memory goes in the close callback.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        uv_close(asHandle(idle), onIdleClosed)
    }

    fileprivate func fire() {
        guard !isClosing else { return }
        handler()
    }
}

private func onIdle(_ idle: UnsafeMutablePointer<uv_idle_t>?) {
    owner(of: asHandle(idle!), as: Idle.self).fire()
}

private func onIdleClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    let idle = releaseOwner(of: handle!, as: Idle.self)
    idle.handler = {}  // drops whatever the handler captured
}

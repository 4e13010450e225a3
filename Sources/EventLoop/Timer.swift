import CLibUV

/// A `uv_timer_t`: runs `handler` on the loop thread after a timeout, then optionally every
/// `repeat`. libuv timers tick in whole milliseconds, so nanosecond times round up.
/// Owns its heap-allocated `uv_timer_t`, retained by libuv from init until the close callback
/// (so an unreferenced timer lives until closed, or until `Loop.close()`); loop thread only.
public final class Timer: LoopHandle {
    /// Runs on the loop thread each time the timer fires; set once, reused across starts.
    public var handler: () -> Void

    private let timer: UnsafeMutablePointer<uv_timer_t>
    // Exclusivity unchecked (see `Loop`): loop thread only, plain loads and stores.
    @exclusivity(unchecked) public private(set) var isClosing = false

    public init(loop: Loop, handler: @escaping () -> Void) throws(UVError) {
        let timer = UnsafeMutablePointer<uv_timer_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_timer_init(loop.openUVLoop, timer), .timerInit)
        } catch {
            timer.deallocate()
            throw error
        }
        self.timer = timer
        self.handler = handler
        retainOwner(self, in: asHandle(timer))
    }

    /// (Re)starts the timer: first fire after `timeoutNs`, then every `repeatNs` unless 0.
    public func start(timeoutNs: UInt64, repeatNs: UInt64 = 0) throws(UVError) {
        try start(timeoutMs: Timer.milliseconds(roundingUp: timeoutNs),
                  repeatMs: Timer.milliseconds(roundingUp: repeatNs))
    }

    /// (Re)starts the timer to fire once, not before `deadlineNs` on the `MonotonicTime` clock.
    /// libuv counts a timeout from the loop's cached clock, set when the iteration began: a timeout
    /// measured from `MonotonicTime.nowNs()` inside a callback that ran long would fire early by that
    /// run time. Counted from the cached clock (which never runs ahead of `MonotonicTime`), it cannot.
    public func start(notBeforeNs deadlineNs: UInt64) throws(UVError) {
        guard !isClosing else { throw UVError(code: UV_EINVAL.rawValue, operation: .timerStart) }
        let loopNs = uv_now(timer.pointee.loop) &* 1_000_000
        try start(timeoutNs: deadlineNs > loopNs ? deadlineNs - loopNs : 0)
    }

    /// (Re)starts the timer: first fire after `timeoutMs`, then every `repeatMs` unless 0.
    public func start(timeoutMs: UInt64, repeatMs: UInt64 = 0) throws(UVError) {
        // libuv refuses to start a closing handle; after the close callback the memory is gone.
        guard !isClosing else { throw UVError(code: UV_EINVAL.rawValue, operation: .timerStart) }
        try uvCheck(uv_timer_start(timer, onTimer, timeoutMs, repeatMs), .timerStart)
    }

    /// Stops the timer if it is running; it can be started again.
    public func stop() {
        guard !isClosing else { return }
        uvCheckInfallible(uv_timer_stop(timer), .timerStop)
    }

    /// Whether the timer is started and not yet fired (one-shot) or stopped.
    public var isActive: Bool { !isClosing && uv_is_active(asHandle(timer)) != 0 }

    /// Whether this timer alone keeps `Loop.run()` going (`uv_ref` / `uv_unref`); a
    /// watchdog or a statistics tick usually should not.
    public var keepsLoopAlive: Bool {
        get { !isClosing && uv_has_ref(asHandle(timer)) != 0 }
        set {
            guard !isClosing else { return }
            if newValue { uv_ref(asHandle(timer)) } else { uv_unref(asHandle(timer)) }
        }
    }

    /// Stops and closes the timer (idempotent); the memory goes in the close callback.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        uv_close(asHandle(timer), onTimerClosed)
    }

    fileprivate func fire() {
        guard !isClosing else { return }
        handler()
    }

    static func milliseconds(roundingUp ns: UInt64) -> UInt64 {
        ns / 1_000_000 + (ns % 1_000_000 == 0 ? 0 : 1)
    }
}

private func onTimer(_ timer: UnsafeMutablePointer<uv_timer_t>?) {
    owner(of: asHandle(timer!), as: Timer.self).fire()
}

private func onTimerClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    let timer = releaseOwner(of: handle!, as: Timer.self)
    timer.handler = {}  // drops whatever the handler captured
}

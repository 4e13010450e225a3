import CLibUV
#if canImport(Glibc)
import Glibc
#endif

/// A one-shot timer with nanosecond deadlines: a Linux timerfd on the `uv_hrtime` clock
/// (CLOCK_MONOTONIC), watched by a `uv_poll_t` while armed. libuv's own timers tick in whole
/// milliseconds from a clock cached per loop iteration, so an open-model arrival they start is up to
/// 2 ms late; the schedule lag would then be the timer's, not the load generator's.
/// Owns its `uv_poll_t` (retained by libuv until the close callback) and its descriptor (closed
/// there); loop thread only. Like `Timer`, an armed timer keeps `Loop.run()` going, a fired or
/// stopped one does not.
public final class PreciseTimer: LoopHandle {
    /// Runs on the loop thread when the deadline passes; set once, reused across starts.
    public var handler: () -> Void

    private let poll: UnsafeMutablePointer<uv_poll_t>
    fileprivate let fd: Int32
    private var isPolling = false
    public private(set) var isClosing = false

    public init(loop: Loop, handler: @escaping () -> Void) throws(UVError) {
        let fd = timerfd_create(CLOCK_MONOTONIC, Int32(TFD_NONBLOCK) | Int32(TFD_CLOEXEC))
        guard fd >= 0 else { throw UVError(code: -errno, operation: .timerInit) }
        let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_poll_init(loop.openUVLoop, poll, fd), .timerInit)
        } catch {
            poll.deallocate()
            Glibc.close(fd)
            throw error
        }
        self.poll = poll
        self.fd = fd
        self.handler = handler
        retainOwner(self, in: asHandle(poll))
    }

    /// Fires once when `MonotonicTime.nowNs()` reaches `deadlineNs` (at the next loop turn if it
    /// already has). Restarting replaces the previous deadline.
    public func start(atNs deadlineNs: UInt64) throws(UVError) {
        guard !isClosing else { throw UVError(code: UV_EINVAL.rawValue, operation: .timerStart) }
        let d = max(deadlineNs, 1)  // an all-zero it_value would disarm
        var spec = itimerspec()
        spec.it_value = timespec(tv_sec: Int(d / 1_000_000_000), tv_nsec: Int(d % 1_000_000_000))
        guard timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME), &spec, nil) == 0 else {
            throw UVError(code: -errno, operation: .timerStart)
        }
        if !isPolling {
            try uvCheck(uv_poll_start(poll, Int32(UV_READABLE.rawValue), onPreciseTimerReadable), .timerStart)
            isPolling = true
        }
    }

    /// Disarms the timer if it is armed; it can be started again.
    public func stop() {
        guard !isClosing else { return }
        var spec = itimerspec()
        _ = timerfd_settime(fd, 0, &spec, nil)
        stopPolling()
    }

    /// Whether the timer is armed and has not fired.
    public var isActive: Bool { !isClosing && isPolling }

    /// Disarms and closes the timer (idempotent); the memory and descriptor go in the close callback.
    public func close() {
        guard !isClosing else { return }
        isClosing = true
        isPolling = false
        uv_close(asHandle(poll), onPreciseTimerClosed)
    }

    private func stopPolling() {
        guard isPolling else { return }
        uvCheckInfallible(uv_poll_stop(poll), .timerStop)
        isPolling = false
    }

    fileprivate func readable() {
        guard !isClosing else { return }
        var expirations: UInt64 = 0
        guard read(fd, &expirations, 8) == 8 else { return }  // spurious wakeup: still armed
        stopPolling()
        handler()
    }
}

private func onPreciseTimerReadable(_ poll: UnsafeMutablePointer<uv_poll_t>?, _ status: Int32, _ events: Int32) {
    owner(of: asHandle(poll!), as: PreciseTimer.self).readable()
}

private func onPreciseTimerClosed(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    let timer = releaseOwner(of: handle!, as: PreciseTimer.self)
    Glibc.close(timer.fd)
    timer.handler = {}
}

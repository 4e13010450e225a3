import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libuv event loop: a heap-allocated `uv_loop_t` (never the default loop) that one worker
/// thread runs. Owns the `uv_loop_t` until `close()`; every member belongs to the thread that
/// runs the loop except `stop()`, which any thread may call (hence `Sendable`).
///
/// Loop-thread state and exclusivity: a few stored properties of loop-thread classes read or
/// written on every operation are `@exclusivity(unchecked)`. The runtime's dynamic check costs ~76
/// instructions an access (several per kept-alive exchange, ~3% of the load loop); it is off only
/// where one thread alone touches the property and every access is a plain load or store, or an
/// in-place call that never calls out — so no access can begin while another is open. Each such
/// property says, in one line, why it qualifies.
public final class Loop: @unchecked Sendable {
    let uvLoop: UnsafeMutablePointer<uv_loop_t>
    /// Carries `stop()` across threads; unreferenced, so it never keeps `run()` going by itself.
    private let stopSignal: Wakeup
    private var isRunning = false
    public private(set) var isClosed = false
    private var isClosing = false

    /// Size of the loop's shared read buffer: the most one read delivers.
    public static let sharedReadBufferSize = 64 * 1024

    public init() throws(UVError) {
        _ = sigpipeIgnored
        let uvLoop = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
        do {
            try uvCheck(uv_loop_init(uvLoop), .loopInit)
        } catch {
            uvLoop.deallocate()
            throw error
        }
        // One read buffer for every connection of the loop: libuv asks for it right before a read
        // and the read callback consumes it before the next, so 10,000 idle connections do not
        // hold 10,000 buffers.
        uv_loop_set_data(uvLoop, UnsafeMutableRawPointer.allocate(byteCount: Loop.sharedReadBufferSize, alignment: 16))
        do {
            stopSignal = try Wakeup(uvLoop: uvLoop) { uv_stop(uvLoop) }
        } catch {
            uvCheckInfallible(uv_loop_close(uvLoop), .loopClose)
            uv_loop_get_data(uvLoop)?.deallocate()
            uvLoop.deallocate()
            throw error
        }
        self.uvLoop = uvLoop
        stopSignal.keepsLoopAlive = false
    }

    deinit {
        // Handles keep no reference to their loop, so a loop can go while handles are open.
        do { try close() } catch { assertionFailure("loop not closed cleanly: \(error)") }
    }

    /// Runs until `stop()` or until no referenced handle or request is left.
    /// Returns true when stopped with handles still active.
    @discardableResult
    public func run() -> Bool { run(UV_RUN_DEFAULT) }

    /// One iteration, blocking for I/O if there is nothing to do yet. True if more work is left.
    @discardableResult
    public func runOnce() -> Bool { run(UV_RUN_ONCE) }

    /// One iteration without blocking for I/O. True if more work is left.
    @discardableResult
    public func runNoWait() -> Bool { run(UV_RUN_NOWAIT) }

    /// The `uv_loop_t` for a new handle; creating handles on a closed loop is a bug.
    var openUVLoop: UnsafeMutablePointer<uv_loop_t> {
        precondition(!isClosed, "handle created on a closed Loop")
        return uvLoop
    }

    private func run(_ mode: uv_run_mode) -> Bool {
        precondition(!isClosed, "Loop.run after close")
        precondition(!isRunning, "Loop.run is not reentrant")
        isRunning = true
        defer { isRunning = false }
        return uv_run(uvLoop, mode) != 0
    }

    /// Makes `run()` return after the current iteration; callable from any thread. A stop that
    /// arrives while the loop is not running ends the next `run()` in its first iteration.
    /// Does nothing once the loop is closed.
    public func stop() {
        stopSignal.signal()
    }

    /// Now, in nanoseconds from `uv_hrtime` (not the loop's cached millisecond clock).
    public var nowNs: UInt64 { uv_hrtime() }

    /// The loop's cached time (set at the start of each iteration), in nanoseconds; timers
    /// count from it.
    public var iterationStartNs: UInt64 { uv_now(uvLoop) &* 1_000_000 }

    /// Closes every handle still open (delegates get their close callbacks), runs the loop until
    /// the close callbacks ran, then `uv_loop_close`; throws if handles or requests remain.
    /// Idempotent. Call from the loop thread while `run()` is not executing.
    public func close() throws(UVError) {
        guard !isClosed, !isClosing else { return }
        precondition(!isRunning, "Loop.close from inside run()")
        isClosing = true
        defer { isClosing = false }
        stopSignal.close()
        // Close callbacks may open new handles (a delegate reconnecting): walk again until quiet.
        var rounds = 0
        repeat {
            uv_walk(uvLoop, closeWalkedHandle, nil)
            uv_run(uvLoop, UV_RUN_NOWAIT)
            rounds += 1
        } while uv_loop_alive(uvLoop) != 0 && rounds < 100
        try uvCheck(uv_loop_close(uvLoop), .loopClose)
        uv_loop_get_data(uvLoop)?.deallocate()
        uvLoop.deallocate()
        isClosed = true
    }
}

/// `uv_walk` callback of `Loop.close()`: closes each handle through its owner, so the owner's
/// close callback frees the memory and tells its delegate.
private func closeWalkedHandle(_ handle: UnsafeMutablePointer<uv_handle_t>?, _: UnsafeMutableRawPointer?) {
    guard let handle, uv_is_closing(handle) == 0 else { return }
    guard let data = uv_handle_get_data(handle) else {
        uv_close(handle, nil)  // not one of ours: nothing to free
        return
    }
    let object = Unmanaged<AnyObject>.fromOpaque(data).takeUnretainedValue()
    if let owner = object as? any LoopHandle {
        owner.close()
    } else {
        uv_close(handle, nil)
    }
}

/// Writing to a socket the peer closed raises SIGPIPE, which kills the process by default;
/// the write should fail with EPIPE instead. Evaluated once per process.
private let sigpipeIgnored: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

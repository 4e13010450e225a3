import Glibc

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC, the clock `uv_hrtime` reads), for code outside
/// the event loop: pool generation and in-process benchmarks.
public enum MonotonicClock {
    @inline(__always)
    public static func nowNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// CPU time consumed by the calling thread: what in-process benchmarks measure, so that time the
    /// thread spends preempted by other processes on a shared machine does not count.
    @inline(__always)
    public static func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

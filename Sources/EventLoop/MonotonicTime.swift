import CLibUV
import Glibc

/// Monotonic time in nanoseconds from `uv_hrtime` (CLOCK_MONOTONIC): estbench's one clock, for
/// every timestamp it records and every elapsed time it reports, on and off the loops.
public enum MonotonicTime {
    @inline(__always)
    public static func nowNs() -> UInt64 { uv_hrtime() }

    /// CPU time consumed by the calling thread: what in-process benchmarks measure, so that time the
    /// thread spends preempted by other processes on a shared machine does not count.
    @inline(__always)
    public static func threadCPUNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

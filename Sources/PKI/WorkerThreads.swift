import Glibc
import Synchronization

/// The one way estbench starts threads (POSIX threads): `run` runs one closure per thread and
/// collects what each returns, in thread order — the "generate on all cores before the clock starts"
/// step and the load workers; `start` and `detach` start one long-lived thread (server workers,
/// progress lines, signal waiters). Nothing is shared but what the closures capture (Sendable).
public enum WorkerThreads {
    /// Cores available to this process.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public static func run<T: Sendable>(count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        var threads: [StartedThread] = []
        for i in 0..<count {
            let work: @Sendable () -> Void = { slots.store(body(i), at: i) }
            if let thread = start(work) {
                threads.append(thread)
            } else {
                // Could not start a thread: do this share on the calling thread instead.
                work()
            }
        }
        for t in threads { t.join() }
        return slots.values()
    }

    /// Starts `body` on a new joinable thread; nil when the system refuses one (`pthread_create`).
    public static func start(_ body: @escaping @Sendable () -> Void) -> StartedThread? {
        let context = Unmanaged.passRetained(ThreadJob(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, runJob, context) == 0 else {
            Unmanaged<ThreadJob>.fromOpaque(context).release()
            return nil
        }
        return StartedThread(thread: thread)
    }

    /// Starts `body` on a thread nobody joins (it ends with the process or by itself). A refused
    /// thread stops the process, as Foundation's `Thread.detachNewThread` does: these are helper
    /// threads started at most a few times per process.
    public static func detach(_ body: @escaping @Sendable () -> Void) {
        guard let thread = start(body) else { fatalError("pthread_create failed: cannot start a helper thread") }
        pthread_detach(thread.thread)
    }
}

/// The type-erased work of one thread, retained across `pthread_create` as `Unmanaged`.
private final class ThreadJob: Sendable {
    let work: @Sendable () -> Void
    init(_ work: @escaping @Sendable () -> Void) { self.work = work }
}

private func runJob(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadJob>.fromOpaque(context!).takeRetainedValue().work()
    return nil
}

/// One result slot per thread, filled once each.
private final class Slots<T: Sendable>: Sendable {
    private let storage: Locked<[T?]>
    init(count: Int) { storage = Locked(Array(repeating: nil, count: count)) }
    func store(_ value: T, at index: Int) { storage.withLock { $0[index] = value } }
    func values() -> [T] { storage.withLock { $0.map { $0! } } }
}

import Glibc
import Synchronization

/// Runs one closure per thread on `count` POSIX threads and collects what each returns, in thread
/// order — the "generate on all cores before the clock starts" step. Nothing is shared between the
/// threads but what the closure captures (which must be Sendable).
public enum WorkerThreads {
    /// Cores available to this process.
    public static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    public static func run<T: Sendable>(count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = Slots<T>(count: count)
        var threads: [pthread_t] = []
        for i in 0..<count {
            let job = ThreadJob { slots.store(body(i), at: i) }
            let context = Unmanaged.passRetained(job).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, runJob, context) == 0 {
                threads.append(thread)
            } else {
                // Could not start a thread: do this share on the calling thread instead.
                Unmanaged<ThreadJob>.fromOpaque(context).takeRetainedValue().work()
            }
        }
        for t in threads { pthread_join(t, nil) }
        return slots.values()
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
    private let storage: Mutex<[T?]>
    init(count: Int) { storage = Mutex(Array(repeating: nil, count: count)) }
    func store(_ value: T, at index: Int) { storage.withLock { $0[index] = value } }
    func values() -> [T] { storage.withLock { $0.map { $0! } } }
}

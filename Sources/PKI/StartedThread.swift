import Glibc

/// A thread started by `WorkerThreads.start`: join it once.
public struct StartedThread: Sendable {
    let thread: pthread_t

    /// Waits until the thread's closure has returned.
    public func join() { pthread_join(thread, nil) }
}

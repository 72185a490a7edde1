#if canImport(Glibc)
import Glibc
#endif

/// A joinable OS thread running one closure: an event loop per thread, never a thread
/// per connection. Plain pthreads, since Foundation's `Thread` is not linked.
///
/// The closure is `@Sendable`: what it shares with the spawning thread must say how it is
/// shared (an atomic, or a hand-off box that only one side touches until `join`).
public final class WorkerThread {
    private var handle: pthread_t

    private init(handle: pthread_t) {
        self.handle = handle
    }

    /// Starts `body` on a new thread.
    public static func spawn(_ body: @escaping @Sendable () -> Void) throws(RedisError) -> WorkerThread {
        final class Box: Sendable {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw .io("cannot start a thread: \(String(cString: strerror(rc)))")
        }
        return WorkerThread(handle: handle)
    }

    /// Waits for the thread to finish; everything it wrote is visible afterwards.
    public func join() {
        _ = pthread_join(handle, nil)
    }
}

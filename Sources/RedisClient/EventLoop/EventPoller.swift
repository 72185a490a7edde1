#if canImport(Glibc)
import Glibc
#endif
import CEpoll

/// Readiness of many descriptors from one thread, through Linux `epoll` (level-triggered).
///
/// The platform file of the event loop: a port to another OS replaces this file (kqueue,
/// or `poll` over an array) and nothing else. Every descriptor is watched for input all the
/// time; output is watched only while a connection has bytes the socket would not take,
/// so the common case costs one `epoll_wait` per batch of ready connections and no
/// `epoll_ctl` at all.
public final class EventPoller {
    /// One ready descriptor, named by the token it was registered with.
    public struct Event: Sendable, Equatable {
        public var token: Int
        /// Input, end of stream or an error: a read will tell which.
        public var readable: Bool
        public var writable: Bool
    }

    private let descriptor: Int32
    private var ready: [epoll_event]

    /// - Parameter capacity: most events taken from the kernel per `wait`.
    public init(capacity: Int = 256) throws(RedisError) {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard descriptor >= 0 else { throw .io("epoll_create1 failed: \(Sockets.errnoText())") }
        ready = Array(repeating: epoll_event(), count: max(1, capacity))
    }

    deinit { _ = close(descriptor) }

    /// Starts watching `fd`; `writable` adds output readiness to input readiness.
    public func add(_ fd: Int32, token: Int, writable: Bool = false) throws(RedisError) {
        try control(EPOLL_CTL_ADD, fd, token: token, writable: writable)
    }

    /// Changes whether output readiness of `fd` is watched.
    public func update(_ fd: Int32, token: Int, writable: Bool) throws(RedisError) {
        try control(EPOLL_CTL_MOD, fd, token: token, writable: writable)
    }

    /// Stops watching `fd` (closing it does too).
    public func remove(_ fd: Int32) {
        var unused = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fd, &unused)
    }

    /// Waits at most `timeoutMilliseconds` (-1: no limit) and returns how many events are
    /// ready, to be read with `event(at:)`. A signal ends the wait early with 0 events so
    /// the caller can look at its stop flags.
    public func wait(timeoutMilliseconds: Int32) throws(RedisError) -> Int {
        let count = ready.withUnsafeMutableBufferPointer { buffer in
            epoll_wait(descriptor, buffer.baseAddress, Int32(buffer.count), timeoutMilliseconds)
        }
        if count >= 0 { return Int(count) }
        if errno == EINTR { return 0 }
        throw .io("epoll_wait failed: \(Sockets.errnoText())")
    }

    /// The `index`-th event of the last `wait`.
    @inline(__always)
    public func event(at index: Int) -> Event {
        let e = ready[index]
        let flags = e.events
        let input = EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue
        return Event(token: Int(truncatingIfNeeded: e.data.u64), readable: flags & input != 0,
                     writable: flags & EPOLLOUT.rawValue != 0)
    }

    private func control(_ op: Int32, _ fd: Int32, token: Int, writable: Bool) throws(RedisError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = UInt64(truncatingIfNeeded: token)
        guard epoll_ctl(descriptor, op, fd, &event) == 0 else {
            throw .io("epoll_ctl failed: \(Sockets.errnoText())")
        }
    }
}

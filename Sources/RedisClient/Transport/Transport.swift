/// What a byte stream to a server can do, whatever carries it (TCP, Unix socket, TLS).
///
/// Calls never block: they move what they can and say `.wouldBlock` otherwise, so the same
/// transport serves the blocking `RedisConnection` (which then waits with `poll`) and an
/// event loop that drives many connections from one thread.
public protocol Transport: AnyObject {
    /// The descriptor to wait on.
    var fileDescriptor: Int32 { get }
    /// Reads into `buffer`; `.bytes(0)` never happens, end of stream is `.closed`.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RedisError) -> TransportResult
    /// Writes from `buffer`, possibly only a part of it.
    func write(_ buffer: UnsafeRawBufferPointer) throws(RedisError) -> TransportResult
    /// Releases the descriptor; further calls are errors. Idempotent.
    func close()
}

public enum TransportResult: Sendable, Equatable {
    /// This many bytes moved.
    case bytes(Int)
    /// Nothing moved; retry once the descriptor is ready for `waitFor`. TLS may need to
    /// write in order to read and the other way round, which is why the direction is named.
    case wouldBlock(waitFor: Readiness)
    /// The peer closed the stream.
    case closed
}

public enum Readiness: Sendable, Equatable {
    case readable, writable

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unbuffered writes to stdout and stderr with write(2).
///
/// `print` buffers and cannot report failure; here every call writes everything (looping
/// over partial writes and EINTR) and returns false when the reader has gone away
/// (EPIPE: `cachectl keys list | head`) so the caller can stop quietly. SIGPIPE is
/// ignored by main, so EPIPE arrives as an error instead of killing the process.
@discardableResult
public func writeStdout(_ s: String) -> Bool {
    writeAll(fd: 1, s)
}

@discardableResult
public func writeStderr(_ s: String) -> Bool {
    writeAll(fd: 2, s)
}

/// Raw bytes, for keys printed with `-0, --null`.
@discardableResult
public func writeStdout(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { writeAll(fd: 1, $0) }
}

@discardableResult
public func writeStderr(bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { writeAll(fd: 2, $0) }
}

/// Writes all of `s` to `fd`.
@discardableResult
public func writeAll(fd: Int32, _ s: String) -> Bool {
    var s = s
    return s.withUTF8 { writeAll(fd: fd, UnsafeRawBufferPointer($0)) }
}

/// Writes all of `buffer` to `fd`; false on EPIPE or any other error.
@discardableResult
public func writeAll(fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
    guard var base = buffer.baseAddress else { return true }
    var remaining = buffer.count
    while remaining > 0 {
        let n = write(fd, base, remaining)
        if n > 0 {
            base += n
            remaining -= n
        } else if n < 0 && errno == EINTR {
            continue
        } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            // A non-blocking descriptor inherited from the parent: wait until writable.
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&pfd, 1, -1)
        } else {
            return false
        }
    }
    return true
}

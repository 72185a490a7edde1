#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unbuffered writes to stdout and stderr with write(2).
///
/// `print` buffers and cannot report failure; here every call writes everything (looping
/// over partial writes and EINTR). The Bool forms say only whether everything went out;
/// the `Checked` forms say why not, so that a full disk (exit 74) is told apart from a
/// reader that went away (EPIPE: `cachectl keys list | head`, which ends output quietly).
/// SIGPIPE is ignored by main, so EPIPE arrives as an error instead of killing the process.
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
    writeAllChecked(fd: fd, buffer) == nil
}

/// Why a write did not complete.
public enum WriteFailure: Error, Equatable, Sendable {
    /// EPIPE: the reader went away (`cachectl keys list | head`). By convention output
    /// just stops there, without a message.
    case readerGone
    /// Any other errno (ENOSPC, EIO, EBADF…), or a write that took nothing: the output is
    /// incomplete, and that is an error (exit 74).
    case failed(errno: Int32)

    /// errno's text, for the one-line message.
    public var reason: String {
        switch self {
        case .readerGone: return String(cString: strerror(EPIPE))
        case .failed(let code):
            if code == 0 { return "nothing was written" }
            // A standard descriptor closed at start is filled with read-only /dev/null, so
            // this is what a closed stdout reports.
            if code == EBADF { return "it is closed (\(String(cString: strerror(code))))" }
            return String(cString: strerror(code))
        }
    }
}

/// Writes all of `s` to stdout; nil when every byte went out.
public func writeStdoutChecked(_ s: String) -> WriteFailure? {
    var s = s
    return s.withUTF8 { writeAllChecked(fd: 1, UnsafeRawBufferPointer($0)) }
}

/// Writes all of `bytes` to stdout; nil when every byte went out.
public func writeStdoutChecked(bytes: [UInt8]) -> WriteFailure? {
    bytes.withUnsafeBytes { writeAllChecked(fd: 1, $0) }
}

/// Writes all of `buffer` to `fd`, looping over partial writes and EINTR; nil when every
/// byte went out.
public func writeAllChecked(fd: Int32, _ buffer: UnsafeRawBufferPointer) -> WriteFailure? {
    guard var base = buffer.baseAddress else { return nil }
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
        } else if n < 0 && errno == EPIPE {
            return .readerGone
        } else {
            return .failed(errno: n < 0 ? errno : 0)
        }
    }
    return nil
}

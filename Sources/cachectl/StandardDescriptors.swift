#if canImport(Glibc)
import Glibc
#endif

/// Descriptors 0, 1 and 2 that are closed when cachectl starts (`cachectl … >&-`, a
/// daemon or unit with a closed stdout) are occupied before anything else is opened.
///
/// Why: open(2) and socket(2) return the lowest free descriptor, so the first connection
/// would otherwise *be* descriptor 1, and every line "printed" would reach the server as a
/// command, with cachectl's credentials (a key named `SET injected yes` was executed that
/// way). Each hole is filled with /dev/null opened read-only: nothing can land there, a
/// write to it fails with EBADF exactly as a write to a closed descriptor would (so a
/// closed stdout is still a write error, exit 74), and a read gives end of file. Children
/// (`lock run`, `cache fetch`) inherit the same safe descriptors.
enum StandardDescriptors {
    /// Fills every closed standard descriptor; false when one could not be filled, in which
    /// case the caller must stop before opening anything.
    static func occupyClosed() -> Bool {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDONLY)
            guard null >= 0 else { return false }
            // open() returns the lowest free number: `fd` itself unless a lower one was
            // also closed, and those were filled on earlier turns of this loop.
            if null != fd {
                guard dup2(null, fd) == fd else { return false }
                close(null)
            }
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CLI

/// Whole-file reads with read(2), for `--keys-from FILE` and `--keys-from -` (stdin).
enum InputFile {
    /// The bytes of `path`, or of stdin for `-`; a failure is a local I/O error (exit 74).
    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path) }
        defer { if fd != 0 { close(fd) } }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                data.append(contentsOf: chunk[..<n])
            } else if n == 0 {
                return data
            } else if errno != EINTR {
                throw failure(path)
            }
        }
    }

    private static func failure(_ path: String) -> Failure {
        let reason = String(cString: strerror(errno))
        let name = path == "-" ? "stdin" : "'\(path)'"
        return Failure("cannot read \(name): \(reason)", exitCode: .ioError)
    }
}

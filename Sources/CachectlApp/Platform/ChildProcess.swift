#if canImport(Glibc)
import Glibc
#endif
import CLI
import CProcess

/// A command started directly (no shell) in a process group of its own, so that it and
/// everything it starts can be signalled as one.
struct ChildProcess {
    let pid: pid_t

    enum SpawnError: Error {
        /// Exit 127, as shells report it.
        case notFound(String)
        /// Exit 126, as shells report it.
        case cannotExecute(String, reason: String)
    }

    /// What `waitpid` reported.
    enum State: Equatable {
        case running
        /// Stopped by a signal (Ctrl-Z is SIGTSTP).
        case stopped(signal: Int32)
        /// Ended; the shell's convention: the exit code, or 128+N after signal N.
        case ended(status: Int32)
    }

    /// Spawns `argv` (PATH is searched when argv[0] has no `/`) with this process's
    /// environment plus `extraEnvironment` (replacing same-named variables). The child
    /// starts with no blocked signals and default actions for the ones cachectl handles
    /// or ignores (an inherited ignored SIGPIPE would break `cmd | head` in the child).
    /// `deathSignal` reaches the child when this thread ends, SIGKILL included (see
    /// cprocess_spawn): call it from the main thread, which lives as long as the process.
    /// `standardOutput`: a descriptor the child writes its stdout to (nil: inherited).
    static func spawn(_ argv: [[UInt8]], extraEnvironment: [(name: String, value: [UInt8])],
                      deathSignal: Int32, standardOutput: Int32? = nil) throws(SpawnError) -> ChildProcess {
        guard let first = argv.first else { throw .notFound("") }
        let name = String(decoding: first, as: UTF8.self)
        let arguments = argv.map(cString)
        defer { arguments.forEach { $0.deallocate() } }
        let added = extraEnvironment.map { cString(Array("\($0.name)=".utf8) + $0.value) }
        defer { added.forEach { $0.deallocate() } }
        let environment = inheritedEnvironment(excluding: extraEnvironment.map(\.name)) + added.map(Optional.some) + [nil]
        let argvPointers = arguments.map(Optional.some) + [nil]

        var pid: pid_t = 0
        let error = cprocess_spawn_stdout(arguments[0], argvPointers, environment, deathSignal,
                                          standardOutput ?? -1, &pid)
        switch error {
        case 0: return ChildProcess(pid: pid)
        case ENOENT: throw .notFound(name)
        default: throw .cannotExecute(name, reason: String(cString: strerror(error)))
        }
    }

    /// Sends `signal` to the child's whole process group.
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// True when no process is left in the child's group (the child itself reaped).
    func groupIsEmpty() -> Bool {
        kill(-pid, 0) == -1 && errno == ESRCH
    }

    /// Non-blocking look at the child; reaps it when it has ended.
    func poll() -> State {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG | WUNTRACED)
        if result == 0 { return .running }
        if result == -1 {
            // EINTR: look again later. Anything else means there is no child left to wait for.
            return errno == EINTR ? .running : .ended(status: ExitCode.software.rawValue)
        }
        return Self.decode(status)
    }

    /// `WIFEXITED`/`WIFSIGNALED`/`WIFSTOPPED` are macros Swift cannot import; this is
    /// their Linux encoding.
    static func decode(_ status: Int32) -> State {
        let low = status & 0x7f
        if low == 0 { return .ended(status: (status >> 8) & 0xff) }
        if low == 0x7f { return .stopped(signal: (status >> 8) & 0xff) }
        return .ended(status: 128 + low)
    }

    /// Entries of this process's environment, minus variables named in `excluded`; the
    /// pointers stay owned by the C runtime.
    private static func inheritedEnvironment(excluding excluded: [String]) -> [UnsafeMutablePointer<CChar>?] {
        let prefixes = excluded.map { Array("\($0)=".utf8) }
        var result: [UnsafeMutablePointer<CChar>?] = []
        var cursor = environ
        while let entry = cursor.pointee {
            let head = UnsafeRawPointer(entry).assumingMemoryBound(to: UInt8.self)
            let shadowed = prefixes.contains { prefix in
                prefix.indices.allSatisfy { head[$0] == prefix[$0] }
            }
            if !shadowed { result.append(entry) }
            cursor += 1
        }
        return result
    }

    /// A NUL-terminated copy to deallocate (arguments cannot contain NUL: they came from argv).
    private static func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        bytes.withUnsafeBufferPointer { buffer in
            for (i, b) in buffer.enumerated() { p[i] = CChar(bitPattern: b) }
        }
        p[bytes.count] = 0
        return p
    }
}

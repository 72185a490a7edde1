#if canImport(Glibc)
import Glibc
#endif
import CLI

/// Runs a command with its stdout captured whole (stderr passes through), for
/// `cache fetch`. One thread does everything: it reads the pipe, calls `tick` (lock
/// renewal) when due, forwards signals to the command's group and follows its
/// job-control stops as `lock run` does.
struct CapturedCommand {
    enum Outcome {
        /// The command ended with `status` (shell convention: 128+N after signal N).
        case ended(status: Int32, output: [UInt8])
        /// Its output passed `limit`: it was stopped (SIGTERM, then SIGKILL) and nothing kept.
        case tooLarge(limit: Int)
    }

    let argv: [[UInt8]]
    let environment: [(name: String, value: [UInt8])]
    /// The most stdout kept; a value Redis could not store anyway (512 MB) is pointless.
    let limit: Int
    let inbox: SignalInbox

    /// How often the loop looks at the command and the signals when the pipe is quiet.
    static let idlePoll: Duration = .milliseconds(50)

    /// `tick` is called at least every `idlePoll`; it returns when it wants to be called next.
    func run(tick: () -> ContinuousClock.Instant) throws(ChildProcess.SpawnError) -> Outcome {
        var fds: [Int32] = [-1, -1]
        // Close-on-exec at once: cachectl starts no other process meanwhile (one thread).
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw .cannotExecute(String(decoding: argv.first ?? [], as: UTF8.self), reason: String(cString: strerror(errno)))
        }
        let readEnd = fds[0], writeEnd = fds[1]
        defer { close(readEnd) }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(argv, extraEnvironment: environment, deathSignal: SIGTERM, standardOutput: writeEnd)
        } catch {
            close(writeEnd)
            throw error
        }
        close(writeEnd)
        _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)

        var terminal = TerminalHandoff.lend(to: child.pid)
        defer { terminal?.reclaim() }
        var output: [UInt8] = []
        var status: Int32?
        var open = true
        var nextTick = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if ContinuousClock.now >= nextTick { nextTick = tick() }
            if open {
                switch drain(readEnd, into: &output, buffer: &buffer) {
                case .eof: open = false
                case .more: break
                }
                if output.count > limit {
                    stop(child)
                    return .tooLarge(limit: limit)
                }
            }
            if status == nil {
                switch child.poll() {
                case .running: break
                case .ended(let s): status = s
                case .stopped(let sig) where JobControl.stopSignals.contains(sig):
                    terminal?.reclaim()
                    terminal = nil
                    if JobControl.stopSelf(with: sig, inbox: inbox) { terminal = TerminalHandoff.lend(to: child.pid) }
                    child.signalGroup(SIGCONT)
                case .stopped: break
                }
            }
            if let status {
                // Everything the command wrote before it ended is in the pipe now; a
                // background process it left holding the pipe is not waited for.
                if open { _ = drain(readEnd, into: &output, buffer: &buffer) }
                return output.count > limit ? .tooLarge(limit: limit) : .ended(status: status, output: output)
            }
            while let sig = inbox.next(within: .zero) {
                if sig != SIGCHLD && sig != SIGCONT { child.signalGroup(sig) }
            }
            var wait = min(Self.idlePoll, max(nextTick - ContinuousClock.now, .zero))
            if !open { wait = min(wait, Self.idlePoll) }
            var pfd = pollfd(fd: open ? readEnd : -1, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, Int32(wholeMs(wait)))
        }
    }

    private enum ReadState { case more, eof }

    /// Reads what the pipe holds now (non-blocking).
    private func drain(_ fd: Int32, into output: inout [UInt8], buffer: inout [UInt8]) -> ReadState {
        while output.count <= limit {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                output.append(contentsOf: buffer[0..<n])
            } else if n == 0 {
                return .eof
            } else {
                return errno == EINTR ? .more : (errno == EAGAIN ? .more : .eof)
            }
        }
        return .more
    }

    /// SIGTERM to the group, SIGKILL after a second, then reaped.
    private func stop(_ child: ChildProcess) {
        child.signalGroup(SIGTERM)
        child.signalGroup(SIGCONT)
        let killAt = ContinuousClock.now + .seconds(1)
        while true {
            if case .ended = child.poll() { return }
            if ContinuousClock.now >= killAt { child.signalGroup(SIGKILL) }
            var none = pollfd(fd: -1, events: 0, revents: 0)
            _ = poll(&none, 1, 20)
        }
    }

    private func wholeMs(_ d: Duration) -> Int64 {
        let (s, a) = d.components
        return s * 1000 + a / 1_000_000_000_000_000
    }
}

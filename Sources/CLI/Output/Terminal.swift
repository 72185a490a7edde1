#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Questions about the terminal: is a stream a TTY, may we colour it, and reading a
/// password without echo.
public enum Terminal {
    public static func isTTY(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Colour only on a TTY, never with `--no-color`, a non-empty `NO_COLOR`
    /// (no-color.org) or `TERM=dumb`.
    public static func colorEnabled(fd: Int32, noColorFlag: Bool) -> Bool {
        if noColorFlag { return false }
        if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
        if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
        return isTTY(fd)
    }

    /// Prompts on the controlling terminal and reads one line with echo off.
    ///
    /// Uses /dev/tty rather than stdin/stderr, as getpass(3) and ssh do, so it works
    /// while stdin is a pipe and the prompt is seen even when stderr is redirected.
    /// Returns nil without a terminal, on EOF, and on Ctrl-C. The terminal is switched to
    /// non-canonical mode with echo and signals off, so Ctrl-C arrives as a byte and is
    /// handled here: the previous settings are always restored before returning, and a
    /// signal can never leave the user's terminal without echo.
    /// True when `/dev/tty` can be opened as a terminal: the process has someone to ask.
    public static func hasControllingTerminal() -> Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return isatty(fd) == 1
    }

    public static func readPasswordNoEcho(prompt: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSAFLUSH, &raw) == 0 else { return nil }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            writeAll(fd: fd, "\n")
        }
        writeAll(fd: fd, prompt)
        return readLine(fd: fd)
    }

    /// Minimal line editing for the no-echo prompt: Enter ends, Backspace and Ctrl-U edit,
    /// Ctrl-C and Ctrl-D (on an empty line) cancel.
    private static func readLine(fd: Int32) -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return nil }
            switch byte {
            case 0x0A, 0x0D: return String(decoding: line, as: UTF8.self)
            case 0x03: return nil
            case 0x04: if line.isEmpty { return nil }
            case 0x7F, 0x08:
                // Drop a whole UTF-8 character, not just its last byte.
                while let last = line.popLast(), last & 0xC0 == 0x80 {}
            case 0x15: line.removeAll()
            default: line.append(byte)
            }
        }
    }
}

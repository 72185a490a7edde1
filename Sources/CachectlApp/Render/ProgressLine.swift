import CLI

/// Progress on stderr (docs/CLI.md): by default only when stderr is a terminal, where one line
/// is redrawn in place at most ten times a second; `--progress` forces it on elsewhere
/// (one line a second, for logs), `--no-progress` and `--quiet` turn it off.
struct ProgressLine {
    let enabled: Bool
    private let redraw: Bool
    private let interval: Duration
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant?
    private var shown = false

    init(options: ParsedOptions, output: Output) {
        let tty = Terminal.isTTY(2)
        enabled = !output.quiet && !options[KeysOptions.noProgress] && (options[KeysOptions.progress] || tty)
        redraw = tty
        interval = tty ? .milliseconds(100) : .seconds(1)
    }

    /// Shows `text` unless the last update was too recent; `text` is only built when shown.
    mutating func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        let now = clock.now
        if let last, now - last < interval { return }
        last = now
        shown = true
        _ = writeStderr(redraw ? "\r\u{1B}[K" + text() : text() + "\n")
    }

    /// Clears the line before the results are printed.
    mutating func finish() {
        if enabled && redraw && shown { _ = writeStderr("\r\u{1B}[K") }
        shown = false
    }
}

import CLI

extension Output {
    /// Why the answer is "no" (lock held, limit exceeded): stderr, unless `--quiet` (the
    /// exit code tells) or `--json` (the document on stdout tells).
    func notice(_ text: String) {
        guard !quiet, !json else { return }
        _ = writeStderr("cachectl: \(text)\n")
    }
}

import CLI

extension Output {
    /// Why the answer is "no" (lock held, limit exceeded): stderr, unless `--quiet` (the
    /// exit code tells). Printed under `--json` too: stderr says the same in every mode.
    func notice(_ text: String) {
        guard !quiet else { return }
        _ = writeStderr("cachectl: \(text)\n")
    }
}

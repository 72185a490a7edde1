import CacheOps
import CLI

/// What one health outcome says on stderr, the same whatever stdout carries (table,
/// `--json`, `--prometheus`, `--watch`): each warning, breach and error on its own line.
struct StderrLines {
    enum Line: Equatable {
        /// Silenced by `--quiet`.
        case warning(String)
        /// Never silenced: the reason for exit 1.
        case breach(String)
        /// Never silenced: the reason for the failure's exit code.
        case error(Failure)

        func write(to output: Output) {
            switch self {
            case .warning(let text): output.warn(text)
            case .breach(let text): output.breach(text)
            case .error(let failure): _ = writeStderr(failure.rendered)
            }
        }
    }

    let lines: [Line]

    init(_ outcome: HealthOutcome) {
        switch outcome {
        case .report(let report):
            lines = HealthRenderer.warningLines(report).map(Line.warning)
                + report.breaches.map { .breach(HealthRenderer.message($0)) }
        case .failure(let failure):
            lines = [.error(Failure(failure.error))]
        }
    }

    func write(to output: Output) {
        for line in lines { line.write(to: output) }
    }
}

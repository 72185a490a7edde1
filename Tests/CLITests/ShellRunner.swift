import Foundation

/// Runs external tools (bash, zsh, fish, groff) for the documentation tests.
enum ShellRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The absolute path of `tool` on PATH, or nil when it is not installed.
    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], input: String = "") throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file so neither stream can fill a pipe while we read the other.
        let errPath = try temporaryFile("", name: "stderr")
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = errHandle
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errHandle.close()
        let errData = try Data(contentsOf: URL(fileURLWithPath: errPath))
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporaryFile(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("clitests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// What bash's completion function `_cachectl` (from `scriptFile`) offers for `line`, the
    /// last word being the one completed, driven the way bash drives it.
    static func bashCompletions(_ bash: String, scriptFile: String, _ line: [String]) throws -> (words: [String], stderr: String) {
        let words = line.map { "'\($0)'" }.joined(separator: " ")
        let driver = """
            source '\(scriptFile)'
            COMP_WORDS=(\(words)); COMP_CWORD=\(line.count - 1)
            _cachectl
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try run(bash, ["-c", driver])
        return (result.stdout.split(separator: "\n").map(String.init), result.stderr)
    }
}

import CLI
import XCTest

/// Walks cachectl's real command table: every command is documented everywhere, runs
/// some code, and no option can be read two ways.
final class CommandTableTests: XCTestCase {
    let spec = ProgramTable.spec
    lazy var man = ManPageGenerator.manPage(for: spec, date: ManPageGenerator.defaultDate).replacingDashes()
    lazy var scripts = [CompletionGenerator.bash(spec), CompletionGenerator.zsh(spec), CompletionGenerator.fish(spec)]

    func testEveryCommandHasHelpExampleManAndCompletionEntries() {
        for (path, command) in spec.allCommands {
            let name = path.joined(separator: " ")
            XCTAssertFalse(command.summary.isEmpty, name)
            XCTAssertFalse(command.examples.isEmpty, "\(name) has no example")
            for example in command.examples {
                XCTAssertTrue(example.command.contains("cachectl"), "\(name): \(example.command)")
            }
            let help = HelpRenderer.help(for: path, in: spec)
            XCTAssertTrue(help.contains("Usage: cachectl"), name)
            XCTAssertTrue(help.contains(command.summary) || help.contains(String(command.summary.prefix(40))), name)
            XCTAssertTrue(help.contains("Examples:"), name)
            XCTAssertTrue(man.contains(".SS \"\(name)\"") || man.contains(".SS \(name)"), "man page has no section for \(name)")
            for script in scripts { XCTAssertTrue(script.contains(path.last ?? ""), "completion lacks \(name)") }
            for option in command.options where !option.hidden {
                XCTAssertTrue(help.contains("--" + option.long), "help of \(name) lacks --\(option.long)")
                XCTAssertTrue(man.contains("--" + option.long), "man page lacks --\(option.long)")
                for script in scripts { XCTAssertTrue(script.contains(option.long), "completion lacks --\(option.long)") }
            }
        }
        for option in spec.globalOptions {
            XCTAssertTrue(man.contains("--" + option.long), option.long)
            for script in scripts { XCTAssertTrue(script.contains(option.long), option.long) }
        }
    }

    /// Dispatch is an exhaustive switch over `CommandID`; here every case is proven to sit
    /// on exactly one runnable command, and every runnable command to have one.
    func testEveryRunnableCommandHasExactlyOneID() {
        var seen: [CommandID: [String]] = [:]
        for (path, command) in spec.allCommands {
            if command.subcommands.isEmpty {
                guard let id = command.id else { XCTFail("\(path) runs nothing: it has no id"); continue }
                seen[id, default: []].append(path.joined(separator: " "))
            } else {
                XCTAssertNil(command.id, "\(path) has subcommands, so it cannot run code itself")
            }
        }
        for id in CommandID.allCases {
            XCTAssertEqual(seen[id]?.count, 1, "\(id) is on \(seen[id] ?? []) in the table")
        }
    }

    /// Where a command's options and the global ones meet (after the command), no long
    /// name and no short letter is declared twice.
    func testNoOptionNameOrLetterDeclaredTwiceWhereTheyMeet() {
        for (path, command) in spec.allCommands {
            let globals = spec.effectiveGlobalOptions.filter { !$0.unavailableIn.contains(path[0]) }
            let all = command.options + globals
            var longs: [String: Int] = [:]
            var shorts: [Character: [String]] = [:]
            for option in all {
                longs[option.long, default: 0] += 1
                if let short = option.short { shorts[short, default: []].append(option.long) }
            }
            for (long, count) in longs where count > 1 {
                XCTFail("'\(path.joined(separator: " "))': --\(long) is declared \(count) times")
            }
            for (short, names) in shorts where names.count > 1 {
                XCTFail("'\(path.joined(separator: " "))': -\(short) is \(names.map { "--" + $0 })")
            }
        }
    }

    /// A letter means one option everywhere, and an option that has a letter somewhere has
    /// it everywhere it exists (`-y` is `--yes` wherever there is a `--yes`).
    func testShortLettersAreConsistentAcrossCommands() {
        var letterOf: [String: Set<String>] = [:]
        var longOf: [Character: Set<String>] = [:]
        let every = spec.globalOptions.map { ([String](), $0) }
            + spec.allCommands.flatMap { entry in entry.command.options.map { (entry.path, $0) } }
        for (_, option) in every {
            letterOf[option.long, default: []].insert(option.short.map { String($0) } ?? "none")
            if let short = option.short { longOf[short, default: []].insert(option.long) }
        }
        for (long, letters) in letterOf where letters.count > 1 {
            XCTFail("--\(long) has different short forms: \(letters.sorted())")
        }
        for (short, longs) in longOf where longs.count > 1 {
            XCTFail("-\(short) means \(longs.sorted().map { "--" + $0 }) in different places")
        }
        XCTAssertEqual(letterOf["yes"], ["y"])
    }

    /// Defaults and ranges come from the typed declaration, not from hand-written help.
    /// Every option taking a duration or size shows DURATION or SIZE, the names VALUES
    /// defines, so a reader can look the form up; help and the man page both define them.
    func testDurationAndSizeOptionsNameTheirValueForm() {
        for option in spec.globalOptions + spec.allCommands.flatMap(\.command.options) {
            guard let kind = option.value, kind == .duration || kind == .size else { continue }
            let name = kind == .duration ? "DURATION" : "SIZE"
            XCTAssertTrue([name, "[\(name)]"].contains(option.valueName), "--\(option.long) shows \(option.valueName)")
        }
        let help = HelpRenderer.help(for: [], in: spec)
        XCTAssertTrue(help.contains("\nValues:\n"))
        for form in ValueGrammar.forms {
            XCTAssertTrue(help.contains("\n  \(form.term) "), form.term)
            XCTAssertTrue(man.contains(".TP\n\\fI\(form.term)\\fR\n"), form.term)
        }
        XCTAssertEqual(spec.values.map(\.0), ["DURATION", "SIZE", "PATTERN", "KEY"])
    }

    func testHelpTextDoesNotRepeatDefaultsByHand() {
        for option in spec.globalOptions + spec.allCommands.flatMap(\.command.options) {
            XCTAssertFalse(option.help.contains("(default"), "--\(option.long): write the default in the declaration")
            XCTAssertFalse(option.help.isEmpty, option.long)
        }
        for option in spec.globalOptions { XCTAssertTrue(option.isGlobal, option.long) }
        for (path, command) in spec.allCommands {
            for option in command.options { XCTAssertFalse(option.isGlobal, "\(path) --\(option.long)") }
        }
    }

    /// A new option is declared in one place, the table entry of its command, and from
    /// there it is parsed (typed, with default and range), shown in help, the man page and
    /// every completion script.
    func testADummyOptionDeclaredOnceAppearsEverywhere() throws {
        let knob = Option<Int>.count("dummy-knob", default: 7, range: Bounds(1...9), help: "a knob for this test")
        var program = spec
        let index = try XCTUnwrap(program.commands.firstIndex { $0.name == "keys" })
        let list = try XCTUnwrap(program.commands[index].subcommands.firstIndex { $0.name == "list" })
        program.commands[index].subcommands[list].options.append(knob.spec)

        func parse(_ words: String...) throws(UsageError) -> ParsedCommandLine {
            try CommandLineParser.parse(words.map(Argument.init), spec: program)
        }
        XCTAssertEqual(try parse("keys", "list", "--dummy-knob", "3").options[knob], 3)
        XCTAssertEqual(try parse("keys", "list").options[knob], 7, "the declared default")
        XCTAssertThrowsError(try parse("keys", "list", "--dummy-knob", "10")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "invalid value '10' for '--dummy-knob': must be 1 to 9")
        }
        XCTAssertThrowsError(try parse("keys", "list", "--dummy-knob", "1", "--dummy-knob", "2"))
        XCTAssertTrue(HelpRenderer.help(for: ["keys", "list"], in: program)
            .contains("--dummy-knob N  a knob for this test (default 7; 1 to 9)"))
        XCTAssertTrue(ManPageGenerator.manPage(for: program, date: "2026-01-01").replacingDashes()
            .contains("a knob for this test (default 7; 1 to 9)"))
        for script in [CompletionGenerator.bash(program), CompletionGenerator.zsh(program), CompletionGenerator.fish(program)] {
            XCTAssertTrue(script.contains("dummy-knob"))
        }
    }

    /// A required option says so from its declaration, never as a default.
    func testARequiredOptionReadsRequiredNotADefault() {
        let ttl = CacheOptions.fetchTTL.spec
        XCTAssertTrue(ttl.isRequired)
        XCTAssertEqual(ttl.documentedHelp, "how long a computed value lives (required; at least 1ms)")
        let plain = Option<Int?>.count("dummy", absent: "all", help: "a knob")
        XCTAssertFalse(plain.spec.isRequired)
        XCTAssertEqual(plain.required().spec.documentedHelp, "a knob (required)")
        XCTAssertEqual(plain.spec.documentedHelp, "a knob (default all)")
    }

    /// The fixes this table makes structural.
    func testUserFacingConsistency() throws {
        func parse(_ words: String...) throws(UsageError) -> ParsedCommandLine {
            try CommandLineParser.parse(words.map(Argument.init), spec: spec)
        }
        XCTAssertTrue(try parse("invalidate", "x:*", "-y").options[SharedOptions.yes])
        XCTAssertEqual(try parse("bench", "-n", "3").options[GlobalOptions.db], 3, "-n is --db everywhere")
        XCTAssertThrowsError(try parse("bench", "-n", "1000", "-n", "3")) { error in
            XCTAssertTrue((error as? UsageError)?.message.contains("'-n, --db' given more than once") == true)
        }
        XCTAssertThrowsError(try parse("health", "--samples", "0")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "invalid value '0' for '--samples': must be 1 to 10000")
        }
        XCTAssertThrowsError(try parse("health", "--samples", "abc")) { error in
            XCTAssertEqual((error as? UsageError)?.message,
                           "invalid number 'abc' for '--samples': expected a whole number, 1 to 10000")
        }
        XCTAssertThrowsError(try parse("lock", "run", "x", "--ttl", "50ms", "--", "true")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "invalid value '50ms' for '--ttl': must be at least 100ms")
        }
        XCTAssertEqual(try parse("lock", "acquire", "x").options[LockOptions.ttl], .seconds(30), "the declared default")
        XCTAssertEqual(try parse("completion", "bash").command, .completion)
        XCTAssertEqual(try parse("lock", "status", "x").command, .lockStatus)
        // invalidate --key is a Redis key; the TLS key file stays reachable as --tls-key.
        let invalidate = try parse("invalidate", "--key", "k1", "--tls-key", "/tmp/k.pem")
        XCTAssertNil(invalidate.options[GlobalOptions.key])
        XCTAssertEqual(invalidate.options[GlobalOptions.tlsKey], "/tmp/k.pem")
        XCTAssertEqual(try parse("health", "--key", "/tmp/k.pem").options[GlobalOptions.key], "/tmp/k.pem")
    }
}

private extension String {
    /// The man page writes `-` as `\-`; tests look for options as typed.
    func replacingDashes() -> String {
        var out = ""
        var previous: Character?
        for ch in self {
            if ch == "-" && previous == "\\" { out.removeLast() }
            out.append(ch)
            previous = ch
        }
        return out
    }
}

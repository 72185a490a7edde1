/// Checks an option's value against its `ValueKind` at parse time, so that commands can
/// read typed values without handling errors, and a bad value is a usage error (64)
/// that names the option.
enum ValueValidation {
    struct Problem {
        var message: String
        var hint: String?
    }

    /// `program` names the help whose VALUES section defines DURATION and SIZE.
    static func problem(with value: Argument, for option: OptionSpec, display: String, program: String) -> Problem? {
        guard let kind = option.value else { return nil }
        if var problem = kindProblem(with: value, for: option, kind: kind, display: display) {
            if kind == .duration || kind == .size, problem.hint == nil {
                problem.hint = "see \(OptionSpec.defaultValueName(for: kind)) under VALUES in '\(program) help'"
            }
            return problem
        }
        if let bounds = option.bounds, !bounds.contains(value.text) {
            return Problem(message: "invalid value \(shown(value.bytes)) for '\(display)': must be \(bounds)")
        }
        return nil
    }

    /// The value against its kind alone: an optional value (`--watch 0`) that is out of
    /// range is still the option's value, and then refused with the range.
    static func kindProblem(with value: Argument, for option: OptionSpec, kind: ValueKind,
                                    display: String) -> Problem? {
        let text = value.text
        let shownValue = shown(value.bytes)
        switch kind {
        case .string, .list:
            return nil
        case .file, .host:
            return text.isEmpty ? Problem(message: "option '\(display)' needs a value (\(option.valueName))") : nil
        case .count:
            guard let n = Int(text), n >= 0 else {
                let range = option.bounds.map { "\($0)" } ?? "0 or more"
                return Problem(message: "invalid number \(shownValue) for '\(display)': expected a whole number, \(range)")
            }
            return nil
        case .integer:
            guard Int(text) != nil else {
                return Problem(message: "invalid number \(shownValue) for '\(display)': expected a whole number")
            }
            return nil
        case .number:
            guard isDecimal(text), let d = Double(text), d.isFinite else {
                return Problem(message: "invalid number \(shownValue) for '\(display)': expected a number such as 0.8 or 95")
            }
            return nil
        case .duration:
            do {
                _ = try DurationParser.parse(text)
                return nil
            } catch {
                return describe(error, kind: "duration", value: shownValue, display: display, option: option,
                                shapes: "use 250ms, 30s, 5m, 1h, 1h30m or 7d")
            }
        case .size:
            do {
                _ = try SizeParser.parse(text)
                return nil
            } catch {
                return describe(error, kind: "size", value: shownValue, display: display, option: option,
                                shapes: "use 512, 4kb, 1mb or 1gb")
            }
        case .choice(let words):
            guard words.contains(text) else {
                let guess = Suggestion.best(for: text, among: words)
                return Problem(message: "invalid value \(shownValue) for '\(display)': choose one of "
                                   + words.joined(separator: ", "),
                               hint: guess.map { "did you mean '\($0)'?" })
            }
            return nil
        }
    }

    private static func describe(_ error: ValueParseError, kind: String, value: String, display: String,
                                 option: OptionSpec, shapes: String) -> Problem {
        switch error {
        case .empty:
            return Problem(message: "option '\(display)' needs a value (\(option.valueName))")
        case .negative:
            return Problem(message: "invalid \(kind) \(value) for '\(display)': must not be negative")
        case .overflow:
            return Problem(message: "invalid \(kind) \(value) for '\(display)': too large")
        case .malformed:
            return Problem(message: "invalid \(kind) \(value) for '\(display)': \(shapes)")
        }
    }

    /// Plain decimal notation (`-1.5`, `95`, `1e3`), refusing `nan`, `inf` and hex floats
    /// that `Double(_:)` would accept.
    private static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
        }
    }
}

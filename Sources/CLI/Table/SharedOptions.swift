/// Command options that several commands take with one meaning, declared once so that
/// their name, letter and help cannot drift apart (`-y` is `--yes` wherever it exists).
public enum SharedOptions {
    public static let yes = Option.flag("yes", short: "y", help: "do not ask for confirmation")
}

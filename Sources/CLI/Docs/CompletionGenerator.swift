/// Shell completion scripts generated from the `ProgramSpec`: commands, subcommands,
/// each command's options plus the global ones, choice values, and files for `.file`
/// options. `help COMMAND` completes command names too.
public enum CompletionGenerator {
    public static func bash(_ spec: ProgramSpec) -> String { BashCompletion.script(spec) }
    public static func zsh(_ spec: ProgramSpec) -> String { ZshCompletion.script(spec) }
    public static func fish(_ spec: ProgramSpec) -> String { FishCompletion.script(spec) }
}

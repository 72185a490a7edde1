extension CommandSpec {
    static let completion = CommandSpec(
        "completion",
        summary: "print a shell completion script",
        discussion: "Prints the completion script for SHELL on stdout, generated from the same table as --help.",
        arguments: [ArgumentSpec("SHELL", help: "bash, zsh or fish", choices: ["bash", "zsh", "fish"])],
        examples: [
            Example("cachectl completion bash > /etc/bash_completion.d/cachectl", "install bash completions"),
            Example("cachectl completion zsh > \"${fpath[1]}/_cachectl\"", "install zsh completions"),
        ],
        id: .completion)

    static let man = CommandSpec(
        "man",
        summary: "print the man page (roff)",
        discussion: "Prints the cachectl(1) man page, generated from the same table as --help.",
        examples: [Example("cachectl man > /usr/local/share/man/man1/cachectl.1", "install the man page")],
        id: .man)
}

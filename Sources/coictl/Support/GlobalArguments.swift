/// Lets the global options come before the subcommand, as `ctr`, `kubectl` and `docker` allow:
/// `coictl --json --socket /tmp/s wiki recent` is parsed as `coictl wiki recent --json --socket /tmp/s`.
///
/// swift-argument-parser only accepts an `@OptionGroup`'s options on the command that declares it,
/// and every leaf command declares `GlobalOptions`; so before parsing, the recognised global options
/// written before the leaf subcommand are moved to the end (before a `--`, so they stay options).
enum GlobalArguments {
    /// Global options that take a value.
    static let valued: Set<String> = ["--socket", "--token", "--timeout", "--act-as", "-o"]
    /// Global flags.
    static let flags: Set<String> = ["--json"]

    /// The arguments with leading global options moved behind the subcommand path.
    /// - Parameters:
    ///   - arguments: The command line without the program name.
    ///   - isSubcommand: Whether a word names a subcommand of the command path so far.
    /// - Returns: The arguments to parse.
    static func reorder(_ arguments: [String], isSubcommand: (_ path: [String], _ word: String) -> Bool) -> [String] {
        var path: [String] = []
        var moved: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if flags.contains(argument) || isValuedWithEquals(argument) || isAttachedShortOutput(argument) {
                moved.append(argument)
                index += 1
            } else if valued.contains(argument) {
                // A value-taking option at the very end has no value: leave it for the parser to report.
                guard index + 1 < arguments.count else { break }
                moved += [argument, arguments[index + 1]]
                index += 2
            } else if isSubcommand(path, argument) {
                path.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return arguments }
        var rest = Array(arguments[index...])
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: moved, at: end)
        return path + rest
    }

    /// Whether the command line is `coictl --version` (with global options at most): the top-level
    /// version flag. `--version` after a subcommand belongs to that subcommand.
    static func asksForVersion(_ arguments: [String]) -> Bool {
        arguments.first == "--version"
    }

    /// Whether the command line asks for JSON (so that even a usage error prints as JSON).
    static func wantsJSON(_ arguments: [String]) -> Bool {
        var previous = ""
        for argument in arguments {
            if argument == "--" { return false }
            if argument == "--json" || argument == "-ojson" || (previous == "-o" && argument == "json") { return true }
            previous = argument
        }
        return false
    }

    private static func isValuedWithEquals(_ argument: String) -> Bool {
        guard let equals = argument.firstIndex(of: "=") else { return false }
        return valued.contains(String(argument[..<equals])) && argument.hasPrefix("--")
    }

    private static func isAttachedShortOutput(_ argument: String) -> Bool {
        argument == "-ojson" || argument == "-otable"
    }
}

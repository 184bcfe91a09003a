import ArgumentParser
import Foundation

/// coictl's entry point: global options may precede the subcommand, a closed stdout is not a
/// crash, and under --json even a usage error prints as JSON.
@main
enum Main {
    static func main() async {
        // A reader that goes away (`coictl wiki recent | head -1`) must not kill coictl with SIGPIPE;
        // writes then fail with EPIPE and `Output` ends quietly.
        signal(SIGPIPE, SIG_IGN)
        let arguments = GlobalArguments.reorder(Array(CommandLine.arguments.dropFirst()), isSubcommand: Main.isSubcommand)
        Output.jsonErrors = GlobalArguments.wantsJSON(arguments)
        // coictl's own version flag lives here, not in ArgumentParser's `version:`: that one claims
        // `--version` anywhere on the line, so `nominations edit ID --version 1` printed coictl's
        // version and exited 0 instead of sending the record's version.
        if GlobalArguments.asksForVersion(arguments) {
            Output.line("coictl \(coictlVersion)")
            exit(0)
        }
        if let problem = subcommandProblem(arguments) {
            failUsage(problem.message, of: problem.command)
        }
        do {
            var command = try Coictl.parseAsRoot(arguments)
            do {
                if var command = command as? any AsyncParsableCommand {
                    try await command.run()
                } else {
                    try command.run()
                }
            } catch let error as ValidationError {
                failUsage(error.message, of: type(of: command))
            }
        } catch {
            fail(error)
        }
    }

    /// Exits 64 for bad input found while a command runs, with that command's usage line:
    /// ArgumentParser knows the command only while parsing, so on its own it would print the root's
    /// "Usage: coictl <subcommand>".
    static func failUsage(_ message: String, of command: any ParsableCommand.Type) -> Never {
        if Output.jsonErrors {
            Output.failure(code: "USAGE", message: message)
        } else {
            let path = (["coictl"] + commandPath(to: command)).joined(separator: " ")
            Output.errorText("Error: \(message)\nUsage: \(Coictl.usageString(for: command))\n  See '\(path) --help' for more information.\n")
        }
        exit(64)
    }

    /// The subcommand names leading from the root to `command` (empty when it is not in the tree).
    static func commandPath(to command: any ParsableCommand.Type, from root: any ParsableCommand.Type = Coictl.self) -> [String] {
        for sub in root.configuration.subcommands {
            if ObjectIdentifier(sub) == ObjectIdentifier(command) { return [commandName(sub)] }
            let below = commandPath(to: command, from: sub)
            if !below.isEmpty { return [commandName(sub)] + below }
        }
        return []
    }

    /// Exits for an error: the usual ArgumentParser text and code, or JSON for a usage error under --json.
    static func fail(_ error: any Error) -> Never {
        let code = Coictl.exitCode(for: error)
        let message = Coictl.message(for: error)
        if Output.jsonErrors, code.rawValue == 64, !(error is ExitCode), !message.isEmpty {
            Output.failure(code: "USAGE", message: message)
            exit(64)
        }
        Coictl.exit(withError: error)
    }

    /// Whether `word` names a subcommand of the command reached by `path` from the root.
    static func isSubcommand(_ path: [String], _ word: String) -> Bool {
        var command: any ParsableCommand.Type = Coictl.self
        for name in path {
            guard let next = subcommand(of: command, named: name) else { return false }
            command = next
        }
        return subcommand(of: command, named: word) != nil
    }

    /// A word where a subcommand belongs that names none, or a group left without one: said here
    /// in words, with the subcommands there are. ArgumentParser would instead report the first
    /// global option after it as unknown (`coictl plugins list --socket S`: "Unknown option
    /// '--socket'"), because only leaf commands take the global options.
    static func subcommandProblem(_ arguments: [String]) -> (message: String, command: any ParsableCommand.Type)? {
        var command: any ParsableCommand.Type = Coictl.self
        var path = ["coictl"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            if word == "-h" || word == "--help" || word == "help" { return nil }
            if let next = subcommand(of: command, named: word) {
                command = next
                path.append(word)
                continue
            }
            let names = subcommands.filter { $0.configuration.shouldDisplay }.map(commandName)
            if word.hasPrefix("-") {
                // Options of a group itself (--help, completion scripts) are ArgumentParser's to parse.
                let option = String(word.split(separator: "=", maxSplits: 1).first ?? "")
                guard GlobalArguments.valued.contains(option) || GlobalArguments.flags.contains(option) else { return nil }
                return ("\(path.joined(separator: " ")) needs a subcommand before \(word): one of \(names.joined(separator: ", "))", command)
            }
            let guess = names.min { distance($0, word) < distance($1, word) }.flatMap { distance($0, word) <= 2 ? $0 : nil }
            return ("'\(word)' is not a subcommand of \(path.joined(separator: " "))\(guess.map { "; did you mean '\($0)'?" } ?? ".")"
                    + " Its subcommands: \(names.joined(separator: ", "))", command)
        }
        return nil
    }

    private static func subcommand(of command: any ParsableCommand.Type, named name: String) -> (any ParsableCommand.Type)? {
        command.configuration.subcommands.first { commandName($0) == name || $0.configuration.aliases.contains(name) }
    }

    /// Edit distance, for suggesting the subcommand a typo meant.
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    private static func commandName(_ command: any ParsableCommand.Type) -> String {
        command._commandName
    }
}

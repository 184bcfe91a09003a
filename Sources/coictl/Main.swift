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
            guard let next = command.configuration.subcommands.first(where: { commandName($0) == name }) else { return false }
            command = next
        }
        return command.configuration.subcommands.contains { commandName($0) == word }
    }

    private static func commandName(_ command: any ParsableCommand.Type) -> String {
        command._commandName
    }
}

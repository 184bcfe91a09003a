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
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            fail(error)
        }
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

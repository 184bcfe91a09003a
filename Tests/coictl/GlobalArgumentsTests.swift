import Testing
@testable import coictl

struct GlobalArgumentsTests {
    /// A small command tree: wiki recent, wiki get, accounts ls, status.
    func isSubcommand(_ path: [String], _ word: String) -> Bool {
        switch path {
        case []: ["wiki", "accounts", "status", "call"].contains(word)
        case ["wiki"]: ["recent", "get"].contains(word)
        case ["accounts"]: ["ls"].contains(word)
        default: false
        }
    }

    func reorder(_ arguments: [String]) -> [String] {
        GlobalArguments.reorder(arguments, isSubcommand: isSubcommand)
    }

    @Test func globalOptionsBeforeTheSubcommandMoveBehindIt() {
        #expect(reorder(["--json", "wiki", "recent"]) == ["wiki", "recent", "--json"])
        #expect(reorder(["--socket", "/tmp/s", "--json", "wiki", "recent", "--limit", "3"])
                == ["wiki", "recent", "--limit", "3", "--socket", "/tmp/s", "--json"])
        #expect(reorder(["wiki", "--token", "t", "get", "Forside"]) == ["wiki", "get", "Forside", "--token", "t"])
        #expect(reorder(["-o", "json", "accounts", "ls"]) == ["accounts", "ls", "-o", "json"])
        #expect(reorder(["--timeout=5", "status"]) == ["status", "--timeout=5"])
        #expect(reorder(["--act-as", "acc_1", "status"]) == ["status", "--act-as", "acc_1"])
    }

    @Test func argumentsAfterTheSubcommandAreLeftAlone() {
        #expect(reorder(["wiki", "recent", "--json"]) == ["wiki", "recent", "--json"])
        #expect(reorder(["status"]) == ["status"])
        // A value that looks like an option belongs to the option before it.
        #expect(reorder(["--token", "--json", "status"]) == ["status", "--token", "--json"])
    }

    @Test func aDoubleDashEndsOptions() {
        #expect(reorder(["--json", "call", "--", "--socket"]) == ["call", "--json", "--", "--socket"])
        #expect(reorder(["--", "--json"]) == ["--", "--json"])
    }

    @Test func unknownWordsStopTheScan() {
        // Not a subcommand: left where it is, for the parser to report.
        #expect(reorder(["--json", "nope", "recent"]) == ["nope", "recent", "--json"])
        // A valued option without its value is left for the parser to report.
        #expect(reorder(["wiki", "--socket"]) == ["wiki", "--socket"])
    }

    @Test func wantsJSON() {
        #expect(GlobalArguments.wantsJSON(["wiki", "recent", "--json"]))
        #expect(GlobalArguments.wantsJSON(["status", "-o", "json"]))
        #expect(!GlobalArguments.wantsJSON(["status", "-o", "table"]))
        #expect(!GlobalArguments.wantsJSON(["call", "--", "--json"]))
    }

    @Test func theRealCommandTreeIsWalked() {
        #expect(Main.isSubcommand([], "wiki"))
        #expect(Main.isSubcommand(["wiki"], "recent"))
        #expect(Main.isSubcommand(["nominations", "campaigns"], "ls"))
        #expect(!Main.isSubcommand(["wiki"], "nope"))
        #expect(GlobalArguments.reorder(["--json", "reference", "municipalities", "--region", "sjælland"], isSubcommand: Main.isSubcommand)
                == ["reference", "municipalities", "--region", "sjælland", "--json"])
    }
}

/// A word where a subcommand belongs is checked against coictl's real command tree before parsing,
/// so a typo is named as such rather than as the first global option after it.
struct SubcommandProblemTests {
    func problem(_ arguments: [String]) -> String? {
        let reordered = GlobalArguments.reorder(arguments, isSubcommand: Main.isSubcommand)
        return Main.subcommandProblem(reordered)?.message
    }

    @Test func aTypoIsNamedWithTheSubcommandsThereAre() {
        #expect(problem(["--socket", "/tmp/s", "plugins", "lst"]) == "'lst' is not a subcommand of coictl plugins; did you mean 'ls'? Its subcommands: ls")
        #expect(problem(["wikki", "recent"])?.hasPrefix("'wikki' is not a subcommand of coictl; did you mean 'wiki'?") == true)
        #expect(problem(["nominations", "zzz"])?.contains("Its subcommands: ") == true)
        #expect(problem(["plugins", "--socket", "/tmp/s"]) == "coictl plugins needs a subcommand before --socket: one of ls")
    }

    @Test func listIsAnAliasOfLsAndValidLinesPass() {
        #expect(problem(["--socket", "/tmp/s", "plugins", "list"]) == nil)
        #expect(Main.isSubcommand(["accounts"], "list") && Main.isSubcommand(["accounts"], "ls"))
        #expect(problem(["--json", "wiki", "get", "Forside"]) == nil)
        #expect(problem(["help", "plugins"]) == nil)
        #expect(problem(["plugins", "--help"]) == nil)
        #expect(problem(["--version"]) == nil)
        #expect(problem([]) == nil)
    }
}

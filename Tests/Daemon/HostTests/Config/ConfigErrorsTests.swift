import Foundation
import Testing
@testable import COIHost

/// Config errors: every problem at once, "did you mean", the environment variable named, a
/// missing file said plainly (issue 14 item 7).
@Suite struct ConfigErrorsTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coid-config-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func problems(_ overrides: DaemonConfig.Overrides, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try DaemonConfig.load(overrides: overrides, environment: environment)
            return []
        } catch {
            return error.all.map(\.description)
        }
    }

    @Test func everyProblemInTheFileIsReported() throws {
        let path = try Self.file("""
            log_levle = "debug"
            [server]
            max_connections = "many"
            socket_mode = "rw"
            idle_timeout_secnds = 10
            [database]
            synchronous = "sometimes"
            [plugins."coi.identity"]
            rate_limit_burst = 0
            admin_gruop = "wheel"
            """)
        let problems = Self.problems(.init(file: path))
        #expect(problems.count == 7, "\(problems.joined(separator: "\n"))")
        let expected = [
            "key log_levle: unknown key; did you mean log_level?",
            "key server.max_connections: must be an integer, is a string",
            "key server.socket_mode: must be an octal mode",
            "key server.idle_timeout_secnds: unknown key; did you mean server.idle_timeout_seconds?",
            "key database.synchronous: must be \"full\" or \"normal\", is \"sometimes\"",
            "key plugins.\"coi.identity\".rate_limit_burst: must be between 1 and",
            "key plugins.\"coi.identity\".admin_gruop: unknown key; did you mean plugins.\"coi.identity\".admin_group?",
        ]
        for text in expected {
            #expect(problems.contains { $0.hasPrefix(path + ": ") && $0.contains(text) }, "\(text) not in:\n\(problems.joined(separator: "\n"))")
        }
    }

    @Test func aKeyInTheWrongTableIsPointedToTheRightOne() throws {
        let path = try Self.file("max_connections = 10\n[server]\nsynchronous = \"full\"\n")
        let problems = Self.problems(.init(file: path))
        #expect(problems.contains { $0.contains("key max_connections: unknown key; did you mean server.max_connections?") }, "\(problems)")
        #expect(problems.contains { $0.contains("key server.synchronous: unknown key; did you mean database.synchronous?") }, "\(problems)")
    }

    @Test func groupCommitIsOnByDefaultAndTakesOnlyABoolean() throws {
        #expect(try DaemonConfig.load(overrides: .init(file: try Self.file("")), environment: [:]).groupCommit)
        let off = try DaemonConfig.load(overrides: .init(file: try Self.file("[database]\ngroup_commit = false\n")), environment: [:])
        #expect(!off.groupCommit)
        let path = try Self.file("[database]\ngroup_commit = \"no\"\n")
        #expect(Self.problems(.init(file: path)) == ["\(path): key database.group_commit: must be a boolean (true or false), is a string"])
    }

    @Test func unrelatedKeysGetNoSuggestion() throws {
        let path = try Self.file("colour = \"blue\"\n")
        let problems = Self.problems(.init(file: path))
        #expect(problems == ["\(path): key colour: unknown key (`coid config default` lists every key)"])
    }

    @Test func aWrongLogLevelSuggestsTheClosest() throws {
        let path = try Self.file("log_level = \"warn\"\n")
        let problems = Self.problems(.init(file: path))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("unknown level \"warn\"; did you mean \"warning\"?") == true, "\(problems)")
    }

    @Test func environmentVariablesAreNamed() throws {
        let problems = Self.problems(.init(), environment: ["COID_LOG_LEVEL": "loud", "COID_STATE_DIR": "", "COID_SOCKET": ""])
        #expect(problems.contains { $0.hasPrefix("environment variable COID_LOG_LEVEL: unknown level \"loud\"") }, "\(problems)")
        #expect(problems.contains("environment variable COID_STATE_DIR: must not be empty"), "\(problems)")
        #expect(problems.contains("environment variable COID_SOCKET: must not be empty"), "\(problems)")
        // The same value given as a flag names the flag.
        let flag = Self.problems(.init(logLevel: "loud"), environment: ["COID_LOG_LEVEL": "info"])
        #expect(flag.count == 1 && flag[0].hasPrefix("option --log-level: unknown level \"loud\""), "\(flag)")
    }

    @Test func aMissingFileSaysSo() {
        let missing = "/nonexistent/coid-æøå.toml"
        #expect(Self.problems(.init(file: missing)) == ["\(missing): no such file (given with --config)"])
        #expect(Self.problems(.init(), environment: ["COID_CONFIG": missing]) == ["\(missing): no such file (named by environment variable COID_CONFIG)"])
        let directory = FileManager.default.temporaryDirectory.path
        #expect(Self.problems(.init(file: directory)) == ["\(directory): is a directory, not a config file (given with --config)"])
    }

    @Test func fileAndEnvironmentProblemsComeTogether() throws {
        let path = try Self.file("[server]\nmax_conections = 5\n")
        let problems = Self.problems(.init(file: path), environment: ["COID_LOG_LEVEL": "verbose"])
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first?.contains("did you mean server.max_connections?") == true)
        #expect(problems.last?.hasPrefix("environment variable COID_LOG_LEVEL") == true)
    }

    @Test func aSyntaxErrorStillNamesTheLine() throws {
        let path = try Self.file("version = 1\n[server\n")
        let problems = Self.problems(.init(file: path))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("\(path): line 2") == true, "\(problems)")
    }

    @Test(arguments: [("log_levle", "log_level", 1), ("rate_limit_per_secnd", "rate_limit_per_second", 1), ("abc", "xyz", 3), ("", "ab", 2)])
    func editDistance(_ a: String, _ b: String, _ expected: Int) {
        #expect(ConfigProblems.distance(a, b) == expected)
    }
}

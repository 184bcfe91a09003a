import Foundation
import Testing

/// The real coictl against one real coid, for the identity tests.
///
/// Tests run as root, so a call without `token` is made by a local admin over the Unix socket.
struct IdentityCLI {
    typealias Outcome = (status: Int32, stdout: String, stderr: String)

    let daemon: DaemonProcess

    /// Starts a fresh daemon.
    static func start() async throws -> IdentityCLI {
        IdentityCLI(daemon: try await DaemonProcess())
    }

    /// Runs coictl with `arguments`, then the socket and, if given, `--token` and `--act-as`.
    /// $COI_TOKEN is cleared unless `environment` sets it, so the caller is exactly the one asked for.
    func run(_ arguments: [String], token: String? = nil, actAs: String? = nil,
             environment: [String: String] = [:]) async throws -> Outcome {
        var tail = ["--socket", daemon.socketPath]
        if let token { tail += ["--token", token] }
        if let actAs { tail += ["--act-as", actAs] }
        return try await runCommand(DaemonProcess.coictl, arguments + tail, environment: ["COI_TOKEN": ""].merging(environment) { $1 })
    }

    /// Runs coictl, expects exit 0 and returns stdout.
    @discardableResult
    func ok(_ arguments: [String], token: String? = nil, actAs: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(arguments, token: token, actAs: actAs)
        #expect(result.status == 0, "coictl \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs coictl with --json, expects exit 0 and returns the parsed output.
    func json(_ arguments: [String], token: String? = nil, actAs: String? = nil,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> Any {
        let stdout = try await ok(arguments + ["--json"], token: token, actAs: actAs, sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }

    func object(_ arguments: [String], token: String? = nil, actAs: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let value = try await json(arguments, token: token, actAs: actAs, sourceLocation: sourceLocation)
        return try #require(value as? [String: Any], sourceLocation: sourceLocation)
    }

    /// Runs a list command with --json, expects exit 0 and returns its JSON lines.
    func array(_ arguments: [String], token: String? = nil, actAs: String? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> [[String: Any]] {
        try jsonLines(try await ok(arguments + ["--json"], token: token, actAs: actAs, sourceLocation: sourceLocation))
    }

    /// `accounts add` as the local admin; returns the new id.
    func add(_ name: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let id = try await ok(["accounts", "add", "--name", name] + extra, sourceLocation: sourceLocation)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("acc_"), "accounts add printed \(id)", sourceLocation: sourceLocation)
        return id
    }

    /// `tokens issue` as the local admin; returns the secret.
    func issue(_ account: String, _ extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let secret = try await ok(["tokens", "issue", account] + extra, sourceLocation: sourceLocation)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("coi_"), sourceLocation: sourceLocation)
        return secret
    }

    /// Expects coictl to fail with exit 1 and `status` (and every one of `mentions`) on stderr.
    @discardableResult
    func rejected(_ arguments: [String], _ status: String, mentions: [String] = [], token: String? = nil, actAs: String? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> Outcome {
        let result = try await run(arguments, token: token, actAs: actAs)
        #expect(result.status == 1, "coictl \(arguments.joined(separator: " ")) exited \(result.status): \(result.stdout) \(result.stderr)",
                sourceLocation: sourceLocation)
        #expect(result.stderr.contains(status), "expected \(status): \(result.stderr)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(result.stderr.contains(text), "expected \"\(text)\" in: \(result.stderr)", sourceLocation: sourceLocation)
        }
        if let token {
            #expect(!result.stderr.contains(token) && !result.stdout.contains(token), "the token was printed", sourceLocation: sourceLocation)
        }
        return result
    }
}

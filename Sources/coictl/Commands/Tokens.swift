import ArgumentParser
import COIProto
import Foundation

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, list and revoke bearer tokens.",
        discussion: "A token authenticates as its account: pass it with --token or $COI_TOKEN, or as metadata \"authorization: Bearer <token>\".",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token for an account and print its secret (shown this once only).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Option(help: "What the token is for, e.g. \"campaign website\".") var description = ""
        @Option(help: ArgumentHelp("Lifetime: seconds, or a number with s, m, h, d or w (90d, 12h, 3600s); default never.",
                                   valueName: "duration"))
        var expiresIn: DurationArgument?

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let request = Coi_Identity_V1_IssueTokenRequest.with {
                $0.accountID = account
                $0.description_p = description
                $0.expiresInSeconds = expiresIn?.seconds ?? 0
            }
            let reply = try await session.call(Coi_Identity_V1_Tokens.Method.issue, request)
            if options.json {
                Output.json(["token": IdentityFormat.json(reply.token), "secret": reply.secret] as [String: Any])
            } else {
                print(reply.secret)
            }
            let expiry = reply.token.expiresAt.isEmpty ? "never expires" : "expires \(reply.token.expiresAt)"
            Output.error("token \(reply.token.id) for \(reply.token.accountID) (\(expiry)): store the secret now, it cannot be shown again")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List tokens (never their secrets).")
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Only this account's tokens.", valueName: "id")) var account = ""
        @Flag(help: "Include revoked tokens.") var revoked = false

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            var request = Coi_Identity_V1_ListTokensRequest.with {
                $0.accountID = account
                $0.includeRevoked = revoked
            }
            let (tokens, _) = try await session.pages(all: true) { token in
                request.pageToken = token
                let reply = try await session.call(Coi_Identity_V1_Tokens.Method.list, request)
                return (reply.tokens, reply.nextPageToken)
            }
            if options.json {
                Output.json(tokens.map(IdentityFormat.json))
                return
            }
            var header = ["ID", "ACCOUNT", "CREATED", "EXPIRES", "LAST USED"]
            if revoked { header.append("REVOKED") }
            header.append("DESCRIPTION")
            Output.table(header, tokens.map { token in
                var row = [token.id, token.accountID, token.createdAt, token.expiresAt.isEmpty ? "never" : token.expiresAt,
                           token.lastUsedAt.isEmpty ? "never" : token.lastUsedAt]
                if revoked { row.append(IdentityFormat.cell(token.revokedAt)) }
                row.append(IdentityFormat.cell(token.description_p))
                return row
            })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it fails from its very next call.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The token's id (tok_…), not its secret.") var id: String

        func validate() throws {
            // A secret given by mistake must not travel further (or be echoed in an error).
            if id.hasPrefix("coi_") {
                throw ValidationError("give the token's id (tok_…), not its secret; find it with `coictl tokens ls`")
            }
        }

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let token = try await session.call(Coi_Identity_V1_Tokens.Method.revoke, Coi_Identity_V1_RevokeTokenRequest.with { $0.id = id })
            if options.json {
                Output.json(IdentityFormat.json(token))
            } else {
                print("\(token.id) revoked at \(token.revokedAt)")
            }
        }
    }
}

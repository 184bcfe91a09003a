import ArgumentParser
import COIProto
import COIRPC

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, list and revoke bearer tokens.",
        discussion: "A token authenticates as its account: pass it with --token or $COI_TOKEN, or as metadata \"authorization: Bearer <token>\".",
        subcommands: [Issue.self, List.self, Revoke.self])

    struct Issue: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token for an account and print its secret (shown this once only).")
        static let rpc = Coi_Identity_V1_Tokens.Method.issue
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Option(help: "What the token is for, e.g. \"campaign website\".") var description = ""
        @Option(help: ArgumentHelp("Lifetime: seconds, or a number with s, m, h, d or w (90d, 12h, 3600s) (default: never expires).",
                                   valueName: "duration"))
        var expiresIn: DurationArgument?

        func request() -> Coi_Identity_V1_IssueTokenRequest {
            .with {
                $0.accountID = account
                $0.description_p = description
                $0.expiresInSeconds = expiresIn?.seconds ?? 0
            }
        }

        func render(_ reply: Coi_Identity_V1_IssueTokenReply) {
            render(reply, text: reply.secret)
            let expiry = reply.token.expiresAt.isEmpty ? "never expires" : "expires \(reply.token.expiresAt)"
            Output.error("token \(reply.token.id) for \(reply.token.accountID) (\(expiry)): store the secret now, it cannot be shown again")
        }
    }

    struct List: ListCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List tokens (never their secrets).",
                                                        discussion: "Without identity.tokens.manage: your own tokens only.", aliases: ["list"])
        static let rpc = Coi_Identity_V1_Tokens.Method.list
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Option(help: ArgumentHelp("Only this account's tokens.", valueName: "id")) var account = ""
        @Flag(help: "Include revoked tokens.") var revoked = false

        func request() -> Coi_Identity_V1_ListTokensRequest {
            .with {
                $0.accountID = account
                $0.includeRevoked = revoked
            }
        }

        func render(_ tokens: [Coi_Identity_V1_Token]) {
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

    struct Revoke: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it fails from its very next call.")
        static let rpc = Coi_Identity_V1_Tokens.Method.revoke
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The token's id (tok_…), not its secret.") var id: String

        func validate() throws {
            // A secret given by mistake must not travel further (or be echoed in an error).
            if id.hasPrefix("coi_") {
                throw ValidationError("give the token's id (tok_…), not its secret; find it with `coictl tokens ls`")
            }
        }

        func request() -> Coi_Identity_V1_RevokeTokenRequest { .with { $0.id = id } }

        func render(_ token: Coi_Identity_V1_Token) { render(token, text: "\(token.id) revoked at \(token.revokedAt)") }
    }
}

import ArgumentParser
import COIProto

struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who coid takes you for: principal, account, act-as, admin, permissions.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let reply = try await session.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest())
        if options.json {
            var object: [String: Any] = [
                "principal": reply.principal, "acting_for": reply.actingFor, "admin": reply.admin,
                "permissions": reply.permissions, "transport": reply.transport,
            ]
            if reply.hasAccount { object["account"] = IdentityFormat.json(reply.account) }
            Output.json(object)
            return
        }
        var rows = [["principal", reply.principal]]
        if reply.hasAccount {
            rows.append(["account", "\(reply.account.id) (\(reply.account.fullName), \(IdentityFormat.name(reply.account.kind)))"])
        } else {
            rows.append(["account", "-"])
        }
        rows += [
            ["acting for", IdentityFormat.cell(reply.actingFor)],
            ["admin", reply.admin ? "yes" : "no"],
            ["transport", reply.transport],
            ["permissions", IdentityFormat.cell(reply.permissions.joined(separator: ","))],
        ]
        Output.table(["FIELD", "VALUE"], rows)
    }
}

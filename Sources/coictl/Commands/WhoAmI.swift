import ArgumentParser
import COIProto
import COIRPC

struct WhoAmI: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who coid takes you for: principal, account, act-as, admin, permissions.")
    static let rpc = Coi_Identity_V1_Accounts.Method.whoAmI
    @OptionGroup var options: GlobalOptions

    func request() -> Coi_Identity_V1_WhoAmIRequest { .init() }

    func render(_ reply: Coi_Identity_V1_WhoAmIReply) {
        if options.json { return Output.show(reply, options) }
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

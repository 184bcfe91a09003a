import ArgumentParser
import COIProto
import COIRPC

struct Roles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List roles and bind them to accounts.",
        discussion: "admin, moderator and member are built in (every active person is a member); plugins declare more.",
        subcommands: [List.self, Bind.self, Unbind.self])

    struct List: UnaryCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List roles with the permissions they grant.", aliases: ["list"])
        static let rpc = Coi_Identity_V1_Roles.Method.list
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Identity_V1_ListRolesRequest { .init() }

        func render(_ reply: Coi_Identity_V1_ListRolesReply) {
            if options.json { return Output.jsonLines(reply.roles.map(ProtoJSON.value)) }
            Output.table(["ROLE", "DECLARED BY", "PERMISSIONS", "DESCRIPTION"], reply.roles.map {
                [$0.name, $0.declaredBy, IdentityFormat.cell($0.permissions.joined(separator: ",")), $0.description_p]
            })
        }
    }

    struct Bind: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Give an account a role, everywhere or in one scope.")
        static let rpc = Coi_Identity_V1_Roles.Method.bind
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Argument(help: "The role (see `coictl roles ls`).") var role: String
        @Option(help: ArgumentHelp("Only in this scope, e.g. campaign:cmp_12 (not for built-in roles).", valueName: "kind:id")) var scope = ""

        func request() -> Coi_Identity_V1_BindRoleRequest {
            .with {
                $0.accountID = account
                $0.role = role
                $0.scope = scope
            }
        }

        func render(_ binding: Coi_Identity_V1_RoleBinding) {
            render(binding, text: "\(binding.accountID) has role \(binding.role)\(binding.scope.isEmpty ? "" : " in \(binding.scope)")")
        }
    }

    struct Unbind: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role away from an account.")
        static let rpc = Coi_Identity_V1_Roles.Method.unbind
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Argument(help: "The role.") var role: String
        @Option(help: ArgumentHelp("The scope the role was bound in; empty for a global binding.", valueName: "kind:id")) var scope = ""

        func request() -> Coi_Identity_V1_UnbindRoleRequest {
            .with {
                $0.accountID = account
                $0.role = role
                $0.scope = scope
            }
        }

        func render(_ reply: Coi_Identity_V1_UnbindRoleReply) {
            if options.json {
                Output.json(["account_id": account, "role": role, "scope": scope])
            } else {
                Output.line("\(account) no longer has role \(role)\(scope.isEmpty ? "" : " in \(scope)")")
            }
        }
    }
}

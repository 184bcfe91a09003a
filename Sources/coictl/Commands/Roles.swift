import ArgumentParser
import COIProto

struct Roles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List roles and bind them to accounts.",
        discussion: "admin, moderator and member are built in (every active person is a member); plugins declare more.",
        subcommands: [List.self, Bind.self, Unbind.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List roles with the permissions they grant.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let reply = try await session.call(Coi_Identity_V1_Roles.Method.list, Coi_Identity_V1_ListRolesRequest())
            if options.json {
                Output.json(reply.roles.map {
                    ["name": $0.name, "description": $0.description_p, "declared_by": $0.declaredBy, "permissions": $0.permissions] as [String: Any]
                })
                return
            }
            Output.table(["ROLE", "DECLARED BY", "PERMISSIONS", "DESCRIPTION"], reply.roles.map {
                [$0.name, $0.declaredBy, IdentityFormat.cell($0.permissions.joined(separator: ",")), $0.description_p]
            })
        }
    }

    struct Bind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give an account a role, everywhere or in one scope.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Argument(help: "The role (see `coictl roles ls`).") var role: String
        @Option(help: ArgumentHelp("Only in this scope, e.g. campaign:cmp_12 (not for built-in roles).", valueName: "kind:id")) var scope = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let request = Coi_Identity_V1_BindRoleRequest.with {
                $0.accountID = account
                $0.role = role
                $0.scope = scope
            }
            let binding = try await session.call(Coi_Identity_V1_Roles.Method.bind, request)
            if options.json {
                Output.json(IdentityFormat.json(binding))
            } else {
                print("\(binding.accountID) has role \(binding.role)\(binding.scope.isEmpty ? "" : " in \(binding.scope)")")
            }
        }
    }

    struct Unbind: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a role away from an account.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var account: String
        @Argument(help: "The role.") var role: String
        @Option(help: ArgumentHelp("The scope the role was bound in; empty for a global binding.", valueName: "kind:id")) var scope = ""

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let request = Coi_Identity_V1_UnbindRoleRequest.with {
                $0.accountID = account
                $0.role = role
                $0.scope = scope
            }
            _ = try await session.call(Coi_Identity_V1_Roles.Method.unbind, request)
            if options.json {
                Output.json(["account_id": account, "role": role, "scope": scope])
            } else {
                print("\(account) no longer has role \(role)\(scope.isEmpty ? "" : " in \(scope)")")
            }
        }
    }
}

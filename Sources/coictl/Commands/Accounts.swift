import ArgumentParser
import COIProto
import COIRPC
import Foundation

struct Accounts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts: named persons and integrating systems.",
        subcommands: [Add.self, List.self, Show.self, Update.self, Suspend.self, Resume.self, Export.self, Erase.self])

    enum KindArgument: String, ExpressibleByArgument, CaseIterable {
        case person, service
    }

    enum StatusArgument: String, ExpressibleByArgument, CaseIterable {
        case active, suspended, erased
    }

    /// Prints an account as a table, or as JSON with --json.
    static func show(_ account: Coi_Identity_V1_Account, _ options: GlobalOptions) {
        options.json ? Output.show(account, options) : Output.table(["FIELD", "VALUE"], IdentityFormat.rows(account))
    }

    struct Add: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account and print its id.",
            discussion: "A person by default; --service for an integrating system (which may then get the role \"integration\").")
        @OptionGroup var options: GlobalOptions
        @Option(help: "The person's full name, or the system's name.") var name: String
        @Option(help: "E-mail address.") var email = ""
        @Option(help: "Workplace.") var workplace = ""
        @Option(help: ArgumentHelp("The municipality: a code (101) or a name in any spelling (København, Lyngby-Taarbaek).",
                                   valueName: "municipality")) var municipality: String?
        @Option(help: ArgumentHelp("Local Unix user to map to this account.", valueName: "user")) var osUser = ""
        @Flag(help: "An integrating system rather than a person.") var service = false
        @Option(help: ArgumentHelp("A global role to bind at once (repeatable).", valueName: "role")) var role: [String] = []
        static let rpc = Coi_Identity_V1_Accounts.Method.create

        func request() -> Coi_Identity_V1_CreateAccountRequest {
            .with {
                $0.kind = service ? .service : .person
                $0.fullName = name
                $0.email = email
                $0.workplace = workplace
                $0.osUser = osUser
                $0.roles = role
            }
        }

        func resolve(_ request: Coi_Identity_V1_CreateAccountRequest, _ session: Session) async throws -> Coi_Identity_V1_CreateAccountRequest {
            var request = request
            request.municipalityCode = try await Places.municipalityCode(municipality, session)
            return request
        }

        func render(_ account: Coi_Identity_V1_Account) { render(account, text: account.id) }
    }

    struct List: ListCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List accounts.", aliases: ["list"])
        static let rpc = Coi_Identity_V1_Accounts.Method.list
        @OptionGroup var options: GlobalOptions
        @OptionGroup var paging: PageOptions
        @Option(help: "Only persons or only services.") var kind: KindArgument?
        @Option(help: "Only accounts with this status.") var status: StatusArgument?
        @Option(help: ArgumentHelp("Only names or e-mails containing this text (any case).", valueName: "text")) var query = ""

        func request() -> Coi_Identity_V1_ListAccountsRequest {
            .with {
                $0.query = query
                $0.kind = switch kind {
                case .person: .person
                case .service: .service
                case nil: .unspecified
                }
                $0.status = switch status {
                case .active: .active
                case .suspended: .suspended
                case .erased: .erased
                case nil: .unspecified
                }
            }
        }

        func render(_ accounts: [Coi_Identity_V1_Account]) {
            Output.table(["ID", "KIND", "STATUS", "NAME", "EMAIL", "WORKPLACE", "MUNICIPALITY", "ROLES"], accounts.map {
                [$0.id, IdentityFormat.name($0.kind), IdentityFormat.name($0.status), IdentityFormat.cell($0.fullName),
                 IdentityFormat.cell($0.email), IdentityFormat.cell($0.workplace),
                 $0.municipality.isEmpty ? ($0.municipalityCode == 0 ? "-" : "\($0.municipalityCode)") : $0.municipality, IdentityFormat.cell(IdentityFormat.roles($0.roles))]
            })
        }
    }

    struct Show: UnaryCommand {
        static let configuration = CommandConfiguration(abstract: "Show one account with its roles.")
        static let rpc = Coi_Identity_V1_Accounts.Method.get
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var id: String

        func request() -> Coi_Identity_V1_GetAccountRequest { .with { $0.id = id } }
        func render(_ account: Coi_Identity_V1_Account) { Accounts.show(account, options) }
    }

    struct Update: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change an account's details.",
            discussion: "Only the options given change; give an empty value (e.g. --email \"\") to clear a field.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var id: String
        @Option(help: "Full name.") var name: String?
        @Option(help: "E-mail address.") var email: String?
        @Option(help: "Workplace.") var workplace: String?
        @Option(help: ArgumentHelp("The municipality: a code or a name (København); 0 or \"\" for none.", valueName: "municipality"))
        var municipality: String?
        @Option(help: ArgumentHelp("Local Unix user; empty to unlink.", valueName: "user")) var osUser: String?

        func validate() throws {
            if name == nil && email == nil && workplace == nil && municipality == nil && osUser == nil {
                throw ValidationError("nothing to change: give at least one of --name, --email, --workplace, --municipality, --os-user")
            }
        }

        static let rpc = Coi_Identity_V1_Accounts.Method.update

        func request() -> Coi_Identity_V1_UpdateAccountRequest {
            var request = Coi_Identity_V1_UpdateAccountRequest.with { $0.id = id }
            if let name {
                request.updateMask.append("full_name")
                request.fullName = name
            }
            if let email {
                request.updateMask.append("email")
                request.email = email
            }
            if let workplace {
                request.updateMask.append("workplace")
                request.workplace = workplace
            }
            if municipality != nil { request.updateMask.append("municipality_code") }
            if let osUser {
                request.updateMask.append("os_user")
                request.osUser = osUser
            }
            return request
        }

        func resolve(_ request: Coi_Identity_V1_UpdateAccountRequest, _ session: Session) async throws -> Coi_Identity_V1_UpdateAccountRequest {
            var request = request
            if municipality != nil { request.municipalityCode = try await Places.municipalityCode(municipality, session) }
            return request
        }

        func render(_ account: Coi_Identity_V1_Account) { Accounts.show(account, options) }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend an account: its tokens and Unix mapping stop working; its contributions stay credited.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var id: String
        @Option(help: "Why (sent with the request).") var reason = ""

        func run() async throws {
            try await Accounts.setStatus(id, .suspended, reason: reason, options: options)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a suspended account active again.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var id: String

        func run() async throws {
            try await Accounts.setStatus(id, .active, reason: "", options: options)
        }
    }

    static func setStatus(_ id: String, _ status: Coi_Identity_V1_AccountStatus, reason: String, options: GlobalOptions) async throws {
        let request = Coi_Identity_V1_SetAccountStatusRequest.with {
            $0.id = id
            $0.status = status
            $0.reason = reason
        }
        let account = try await Session.with(options) { try await $0.call(Coi_Identity_V1_Accounts.Method.setStatus, request) }
        options.json ? Output.show(account, options) : Output.line("\(account.id) is \(IdentityFormat.name(account.status))")
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export everything coid holds about an account as one JSON document (right of access).",
            discussion: "Anyone may export their own account (leave out the id); another's needs identity.accounts.personal-data.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id (default: your own).") var id = ""
        @Option(help: ArgumentHelp("Write the document to this file (mode 0600) instead of stdout.", valueName: "file")) var output: String?

        func run() async throws {
            let reply = try await Session.with(options) {
                try await $0.call(Coi_Identity_V1_Accounts.Method.export, Coi_Identity_V1_ExportAccountRequest.with { $0.id = id })
            }
            let document = reply.json.hasSuffix("\n") ? reply.json : reply.json + "\n"
            guard let output else {
                Output.out(document)
                return
            }
            // Personal data: readable by the owner of the file only.
            guard FileManager.default.createFile(atPath: output, contents: Data(document.utf8), attributes: [.posixPermissions: 0o600]) else {
                Output.error("cannot write \(output)")
                throw ExitCode.failure
            }
            Output.error("wrote \(output)")
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a person's data (right to erasure); cannot be undone.",
            discussion: """
                Removes the name, e-mail, workplace, municipality and Unix mapping, revokes every token and \
                removes every role. The account id stays, so contributions and audit entries stay credited \
                to "former contributor N". Needs --yes.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The account's id.") var id: String
        @Option(help: "Why (sent with the request).") var reason = ""
        @Flag(help: "Confirm: erase for good.") var yes = false

        func run() async throws {
            guard yes else {
                Output.error("erasing \(id) removes the person's name, e-mail, workplace, municipality and Unix user, revokes")
                Output.error("every token and role, and cannot be undone; their contributions stay as \"former contributor N\".")
                Output.error("Run again with --yes to erase (consider `coictl accounts export \(id)` first).")
                throw ExitCode(64)
            }
            let request = Coi_Identity_V1_EraseAccountRequest.with {
                $0.id = id
                $0.reason = reason
            }
            let account = try await Session.with(options) { try await $0.call(Coi_Identity_V1_Accounts.Method.erase, request) }
            options.json ? Output.show(account, options) : Output.line("\(account.id) erased: now \"\(account.fullName)\"")
        }
    }
}

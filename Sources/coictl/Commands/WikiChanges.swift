import ArgumentParser
import COIProto

struct WikiUndo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo one revision's changes as a new revision (rejected when later edits conflict).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The revision to undo.") var revision: String
    @Option(help: "Why.") var summary = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        WikiFormat.saved(try await session.wiki(Coi_Wiki_V1_Pages.Method.undo, Coi_Wiki_V1_UndoRequest.with {
            $0.revisionID = revision
            $0.summary = summary
        }), options)
    }
}

struct WikiRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Roll back the latest run of edits by one author (moderators).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("The author of the latest revision, whose run of edits is rolled back.", valueName: "account-id"))
    var author: String
    @Option(help: "Why.") var summary = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        WikiFormat.saved(try await session.wiki(Coi_Wiki_V1_Pages.Method.rollback, Coi_Wiki_V1_RollbackRequest.with {
            $0.title = title
            $0.authorID = author
            $0.summary = summary
        }), options)
    }
}

struct WikiRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Make an old revision's content the page's latest, as a new revision.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The old revision.") var revision: String
    @Option(help: ArgumentHelp("Refuse unless this is still the latest revision.", valueName: "id")) var base = ""
    @Option(help: "Why.") var summary = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        WikiFormat.saved(try await session.wiki(Coi_Wiki_V1_Pages.Method.restore, Coi_Wiki_V1_RestoreRevisionRequest.with {
            $0.revisionID = revision
            $0.baseRevisionID = base
            $0.summary = summary
        }), options)
    }
}

struct WikiRename: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Rename a page, leaving a redirect at the old title unless --no-redirect.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Argument(help: "The new title.") var newTitle: String
    @Flag(help: "Leave no redirect behind.") var noRedirect = false
    @Option(help: "Why.") var summary = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let page = try await session.wiki(Coi_Wiki_V1_Pages.Method.rename, Coi_Wiki_V1_RenameRequest.with {
            $0.title = title
            $0.newTitle = newTitle
            $0.noRedirect = noRedirect
            $0.summary = summary
        })
        options.json ? WikiFormat.printJSON(page) : print(page.title)
    }
}

struct WikiDelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a page; its history is kept (moderators).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: "Why.") var reason = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let page = try await session.wiki(Coi_Wiki_V1_Pages.Method.delete, Coi_Wiki_V1_DeletePageRequest.with {
            $0.title = title
            $0.reason = reason
        })
        options.json ? WikiFormat.printJSON(page) : print("deleted \(page.title)")
    }
}

struct WikiUndelete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "undelete", abstract: "Restore a deleted page with its history (moderators).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: "Why.") var reason = ""

    func run() async throws {
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let page = try await session.wiki(Coi_Wiki_V1_Pages.Method.undelete, Coi_Wiki_V1_UndeletePageRequest.with {
            $0.title = title
            $0.reason = reason
        })
        options.json ? WikiFormat.printJSON(page) : print("undeleted \(page.title)")
    }
}

struct WikiProtect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect", abstract: "Set who may change a page: open, moderated or admin-only.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Argument(help: "open, moderated or admin-only.") var level: String
    @Option(help: "Why.") var reason = ""

    func run() async throws {
        let protection: Coi_Wiki_V1_Protection = switch level.lowercased() {
        case "open": .open
        case "moderated": .moderated
        case "admin-only", "admin": .adminOnly
        default: throw ValidationError("level must be open, moderated or admin-only")
        }
        let session = try await Session.open(options)
        defer { Task { await session.close() } }
        let page = try await session.wiki(Coi_Wiki_V1_Pages.Method.protect, Coi_Wiki_V1_ProtectRequest.with {
            $0.title = title
            $0.level = protection
            $0.reason = reason
        })
        options.json ? WikiFormat.printJSON(page) : print("\(page.title) protection \(level.lowercased())")
    }
}

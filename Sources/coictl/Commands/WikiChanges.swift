import ArgumentParser
import COIProto
import COIRPC

struct WikiUndo: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo", abstract: "Undo one revision's changes as a new revision (rejected when later edits conflict).")
    static let rpc = Coi_Wiki_V1_Pages.Method.undo
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The revision to undo.") var revision: String
    @Option(help: "Why.") var summary = ""

    func request() -> Coi_Wiki_V1_UndoRequest {
        .with {
            $0.revisionID = revision
            $0.summary = summary
        }
    }

    func render(_ reply: Coi_Wiki_V1_SaveReply) { WikiFormat.saved(reply, options) }
}

struct WikiRollback: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "Roll back the latest run of edits by one author (moderators).")
    static let rpc = Coi_Wiki_V1_Pages.Method.rollback
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("The author of the latest revision, whose run of edits is rolled back.", valueName: "account-id"))
    var author: String
    @Option(help: "Why.") var summary = ""

    func request() -> Coi_Wiki_V1_RollbackRequest {
        .with {
            $0.title = title
            $0.authorID = author
            $0.summary = summary
        }
    }

    func render(_ reply: Coi_Wiki_V1_SaveReply) { WikiFormat.saved(reply, options) }
}

struct WikiRestore: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Make an old revision's content the page's latest, as a new revision.")
    static let rpc = Coi_Wiki_V1_Pages.Method.restore
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The old revision.") var revision: String
    @Option(help: ArgumentHelp("Refuse unless this is still the latest revision.", valueName: "id")) var base = ""
    @Option(help: "Why.") var summary = ""

    func request() -> Coi_Wiki_V1_RestoreRevisionRequest {
        .with {
            $0.revisionID = revision
            $0.baseRevisionID = base
            $0.summary = summary
        }
    }

    func render(_ reply: Coi_Wiki_V1_SaveReply) { WikiFormat.saved(reply, options) }
}

struct WikiRename: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename", abstract: "Rename a page, leaving a redirect at the old title unless --no-redirect.")
    static let rpc = Coi_Wiki_V1_Pages.Method.rename
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Argument(help: "The new title.") var newTitle: String
    @Flag(help: "Leave no redirect behind.") var noRedirect = false
    @Option(help: "Why.") var summary = ""

    func request() -> Coi_Wiki_V1_RenameRequest {
        .with {
            $0.title = title
            $0.newTitle = newTitle
            $0.noRedirect = noRedirect
            $0.summary = summary
        }
    }

    func render(_ page: Coi_Wiki_V1_Page) { render(page, text: page.title) }
}

struct WikiDelete: UnaryCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a page; its history is kept (moderators).")
    static let rpc = Coi_Wiki_V1_Pages.Method.delete
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: "Why.") var reason = ""

    func request() -> Coi_Wiki_V1_DeletePageRequest {
        .with {
            $0.title = title
            $0.reason = reason
        }
    }

    func render(_ page: Coi_Wiki_V1_Page) { render(page, text: "deleted \(page.title)") }
}

struct WikiUndelete: UnaryCommand {
    static let configuration = CommandConfiguration(commandName: "undelete", abstract: "Restore a deleted page with its history (moderators).")
    static let rpc = Coi_Wiki_V1_Pages.Method.undelete
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: "Why.") var reason = ""

    func request() -> Coi_Wiki_V1_UndeletePageRequest {
        .with {
            $0.title = title
            $0.reason = reason
        }
    }

    func render(_ page: Coi_Wiki_V1_Page) { render(page, text: "undeleted \(page.title)") }
}

struct WikiProtect: UnaryCommand {
    static let configuration = CommandConfiguration(
        commandName: "protect", abstract: "Set who may change a page: open, moderated or admin-only.")
    static let rpc = Coi_Wiki_V1_Pages.Method.protect
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Argument(help: "open, moderated or admin-only.") var level: String
    @Option(help: "Why.") var reason = ""

    func request() throws -> Coi_Wiki_V1_ProtectRequest {
        let protection: Coi_Wiki_V1_Protection = switch level.lowercased() {
        case "open": .open
        case "moderated": .moderated
        case "admin-only", "admin": .adminOnly
        default: throw ValidationError("level must be open, moderated or admin-only")
        }
        return .with {
            $0.title = title
            $0.level = protection
            $0.reason = reason
        }
    }

    func render(_ page: Coi_Wiki_V1_Page) { render(page, text: "\(page.title) protection \(level.lowercased())") }
}

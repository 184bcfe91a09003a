import COIPluginKit
import COIWire
import GRDB

/// One row of wiki_pages.
struct PageRecord: Sendable, FetchableRecord {
    var seq: Int64
    var id: String
    var title: PageTitle
    var latestRev: Int64
    var redirectTo: String?
    var protection: String
    var deleted: Bool
    var createdAt: String
    var updatedAt: String

    static let columns = "seq, id, namespace, title, latest_rev, redirect_to, protection, deleted, created_at, updated_at"

    init(row: Row) throws {
        seq = row["seq"]
        id = row["id"]
        title = PageTitle(namespace: PageTitle.Namespace(rawValue: row["namespace"]) ?? .main, name: row["title"])
        latestRev = row["latest_rev"]
        redirectTo = row["redirect_to"]
        protection = row["protection"]
        deleted = row["deleted"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
    }

    /// The page at a title, deleted or not.
    static func fetch(_ db: Database, title: PageTitle) throws -> PageRecord? {
        try PageRecord.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM wiki_pages WHERE namespace = ? AND title_key = ?"),
                                arguments: [title.namespace.rawValue, title.key])
    }

    static func fetch(_ db: Database, seq: Int64) throws -> PageRecord? {
        try PageRecord.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM wiki_pages WHERE seq = ?"), arguments: [seq])
    }

    /// The page at a title, or NOT_FOUND naming the field; deleted pages only when `deletedToo`.
    static func require(_ db: Database, title text: String, field: String = "title", deletedToo: Bool = false) throws -> PageRecord {
        let title = try PageTitle(parsing: text, field: field)
        guard let page = try fetch(db, title: title) else {
            throw RPCError(.notFound, "no page \"\(title.full)\"", reason: "PAGE_NOT_FOUND",
                           fieldViolations: [.init(field: field, description: "no such page")])
        }
        if page.deleted && !deletedToo {
            throw RPCError(.notFound, "page \"\(title.full)\" is deleted (a moderator can undelete it)", reason: "PAGE_DELETED",
                           fieldViolations: [.init(field: field, description: "the page is deleted")])
        }
        return page
    }

    /// Fails with FAILED_PRECONDITION when the page is deleted: changes need a live page.
    func requireLive() throws {
        if deleted {
            throw RPCError(.failedPrecondition, "page \"\(title.full)\" is deleted; undelete it first", reason: "PAGE_DELETED")
        }
    }

    /// Fails unless the caller may change a page at this protection level.
    /// - Parameter context: The call.
    func requireMayChange(_ context: RequestContext) throws {
        switch protection {
        case "moderated":
            try context.require("wiki.edit-protected", in: "page:\(id)")
        case "admin":
            guard context.principal.isAdmin else {
                throw RPCError(.permissionDenied, "page \"\(title.full)\" is protected at level ADMIN_ONLY; only admins may change it",
                               reason: "PAGE_PROTECTED")
            }
        default:
            break
        }
    }
}

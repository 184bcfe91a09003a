import COIPluginKit
import COIProto
import GRDB

/// A stored essential task with its author's name and endorsing parties.
struct TaskRecord: Sendable {
    var seq: Int64
    var id: String
    var title: String
    var statement: String
    var state: Coi_Network_V1_TaskState
    var authorMemberID: String
    var authorAccountID: String
    var authorName: String
    var revision: Int
    var version: Int64
    var createdAt: String
    var updatedAt: String
    var publishedAt: String

    static let select = """
        SELECT t.*, m.account_id AS author_account_id, COALESCE(a.full_name, '') AS author_name FROM network_tasks t
        JOIN network_members m ON m.id = t.author_member_id \(AccountNames.join(on: "m.account_id"))
        """

    init(row: Row) {
        seq = row["seq"]
        id = row["id"]
        title = row["title"]
        statement = row["statement"]
        state = Coi_Network_V1_TaskState(rawValue: row["state"]) ?? .draft
        authorMemberID = row["author_member_id"]
        authorAccountID = row["author_account_id"]
        authorName = row["author_name"]
        revision = row["revision"]
        version = row["version"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        publishedAt = row["published_at"]
    }

    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments = []) throws -> [TaskRecord] {
        try Row.cachedAll(db, sql: select + " " + clause, arguments: arguments).map(TaskRecord.init(row:))
    }

    /// The task with this id; a draft is visible to its author and managers only.
    /// - Throws: NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String = "id", viewer: String? = nil, manager: Bool = true) throws -> TaskRecord {
        guard let record = try fetch(db, "WHERE t.id = ?", [id]).first,
              manager || record.state != .draft || record.authorAccountID == viewer else {
            throw RPCError(.notFound, "no essential task \(id)", reason: "NOT_FOUND",
                           fieldViolations: [.init(field: field, description: "no essential task \(id)")])
        }
        return record
    }

    /// The distinct parties of the task's endorsers, in ballot-letter order.
    static func parties(_ db: Database, _ id: String) throws -> [String] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT DISTINCT party FROM network_endorsements WHERE task_id = ? ORDER BY party"),
                            arguments: [id])
    }

    func message(_ db: Database) throws -> Coi_Network_V1_EssentialTask {
        let endorsements = try Int.cachedOne(db, sql: "SELECT COUNT(*) FROM network_endorsements WHERE task_id = ?", arguments: [id]) ?? 0
        let parties = try Self.parties(db, id)
        return .with {
            $0.id = id
            $0.title = title
            $0.statement = statement
            $0.state = state
            $0.authorMemberID = authorMemberID
            $0.authorName = authorName
            $0.revision = Int32(revision)
            $0.endorsements = Int32(endorsements)
            $0.parties = parties
            $0.version = version
            $0.createdAt = createdAt
            $0.updatedAt = updatedAt
            $0.publishedAt = publishedAt
        }
    }
}

extension Coi_Network_V1_TaskState {
    /// The name as in the .proto.
    var name: String {
        switch self {
        case .draft: "DRAFT"
        case .open: "OPEN"
        case .published: "PUBLISHED"
        case .withdrawn: "WITHDRAWN"
        default: "UNSPECIFIED"
        }
    }
}

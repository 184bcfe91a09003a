import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

/// One row of wiki_revisions, with its author's current display name.
struct RevisionRecord: Sendable, FetchableRecord {
    var seq: Int64
    var id: String
    var pageSeq: Int64
    var pageID: String
    var parentSeq: Int64
    var parentID: String
    var title: String
    var authorID: String
    var authorName: String
    var createdAt: String
    var summary: String
    var minor: Bool
    var size: Int64
    var sha256: String
    var tags: [String]
    var text: String
    var caseFields: String
    /// The parent revision's case fields ("" for none), for `changedFields`.
    var parentCaseFields: String

    /// Reads the name at query time, so an erased person shows as "former contributor N" everywhere;
    /// a generated summary's account references (`AccountNames.reference`) are rendered the same way.
    static let select = """
        SELECT r.seq, r.id, r.page_seq, p.id AS page_id, r.parent_seq, COALESCE(pr.id, '') AS parent_id, r.title, r.author_id,
               COALESCE(a.full_name, r.author_id) AS author_name, r.created_at, r.summary, r.minor, r.size, r.sha256, r.tags,
               \(AccountNames.referencedNames(in: "r.summary")) AS summary_names, r.case_fields, COALESCE(pr.case_fields, '') AS parent_case_fields,
               r.text
        FROM wiki_revisions r
        JOIN wiki_pages p ON p.seq = r.page_seq
        LEFT JOIN wiki_revisions pr ON pr.seq = r.parent_seq
        \(AccountNames.join(on: "r.author_id"))
        """

    /// The same without texts, for lists (case fields stay: lists show which of them changed).
    static let selectMeta = select.replacingOccurrences(of: "r.text\n", with: "'' AS text\n")

    init(row: Row) throws {
        seq = row["seq"]
        id = row["id"]
        pageSeq = row["page_seq"]
        pageID = row["page_id"]
        parentSeq = row["parent_seq"]
        parentID = row["parent_id"]
        title = row["title"]
        authorID = row["author_id"]
        authorName = row["author_name"]
        createdAt = row["created_at"]
        summary = AccountNames.render(row["summary"], names: row["summary_names"])
        minor = row["minor"]
        size = row["size"]
        sha256 = row["sha256"]
        let tagText: String = row["tags"]
        tags = tagText.isEmpty ? [] : tagText.split(separator: ",").map(String.init)
        text = row["text"]
        caseFields = row["case_fields"]
        parentCaseFields = row["parent_case_fields"]
    }

    static func fetch(_ db: Database, seq: Int64) throws -> RevisionRecord? {
        try RevisionRecord.fetchOne(db.cachedStatement(sql: select + " WHERE r.seq = ?"), arguments: [seq])
    }

    /// A revision by id, or NOT_FOUND naming the field.
    static func require(_ db: Database, id: String, field: String) throws -> RevisionRecord {
        guard !id.isEmpty else { throw RPCError.invalidField(field, "is required") }
        guard let revision = try RevisionRecord.fetchOne(db.cachedStatement(sql: select + " WHERE r.id = ?"), arguments: [id]) else {
            throw RPCError(.notFound, "no revision \(id)", reason: "REVISION_NOT_FOUND",
                           fieldViolations: [.init(field: field, description: "no such revision")])
        }
        return revision
    }

    /// The latest revision of a page.
    static func latest(_ db: Database, page: PageRecord) throws -> RevisionRecord {
        guard let revision = try fetch(db, seq: page.latestRev) else {
            throw RPCError(.internal, "page \(page.id) has no revision \(page.latestRev)")
        }
        return revision
    }

    /// The case fields stored with the revision; nil when the revision has none.
    var fields: Coi_Wiki_V1_CaseFields? {
        caseFields.isEmpty ? nil : try? Coi_Wiki_V1_CaseFields(jsonString: caseFields)
    }

    /// The case fields this revision changed from its parent (every field set, for a first revision).
    var changedFields: [String] {
        guard caseFields != parentCaseFields else { return [] }
        let parent = parentCaseFields.isEmpty ? Coi_Wiki_V1_CaseFields() : (try? Coi_Wiki_V1_CaseFields(jsonString: parentCaseFields)) ?? .init()
        return CaseRules.changes(from: parent, to: fields ?? .init()).map(\.field)
    }

    var message: Coi_Wiki_V1_Revision {
        .with {
            $0.id = id
            $0.pageID = pageID
            $0.title = title
            $0.parentID = parentID
            $0.authorID = authorID
            $0.authorName = authorName
            $0.createdAt = createdAt
            $0.summary = summary
            $0.minor = minor
            $0.size = size
            $0.sha256 = sha256
            $0.tags = tags
            $0.changedFields = changedFields
        }
    }
}

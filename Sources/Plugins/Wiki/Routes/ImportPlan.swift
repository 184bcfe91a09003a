import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

/// An export stream checked before anything is written: every revision's hash matches its
/// Markdown, times are RFC 3339 and in order, case fields are valid.
struct ImportPlan: Sendable {
    struct Revision: Sendable {
        var id: String
        var authorID: String
        var createdAt: String
        var summary: String
        var minor: Bool
        var tags: [String]
        var text: String
        var caseFields: String
    }

    var title: PageTitle
    var revisions: [Revision]

    /// Reads and checks the chunks.
    /// - Throws: INVALID_ARGUMENT naming the chunk and field at fault.
    init(chunks: [Coi_Wiki_V1_ExportChunk], maxPageBytes: Int) throws {
        guard let first = chunks.first else { throw RPCError.invalidField("chunks", "an import needs the page's metadata then its revisions") }
        guard let header = try? JSONSerialization.jsonObject(with: Data(first.metadataJson.utf8)) as? [String: Any],
              header["format"] as? String == "coi.wiki.export/1" else {
            throw RPCError.invalidField("chunks[0].metadata_json", "is not the metadata of a coi.wiki export (format coi.wiki.export/1)")
        }
        let titleText = first.title.isEmpty ? (header["title"] as? String ?? "") : first.title
        title = try PageTitle(parsing: titleText, field: first.title.isEmpty ? "chunks[0].metadata_json.title" : "chunks[0].title")
        guard chunks.count > 1 else { throw RPCError.invalidField("chunks", "the export has no revisions") }
        var previous = ""
        revisions = try chunks.dropFirst().enumerated().map { offset, chunk in
            let index = offset + 1
            let field = "chunks[\(index)]"
            guard let meta = try? JSONSerialization.jsonObject(with: Data(chunk.metadataJson.utf8)) as? [String: Any] else {
                throw RPCError.invalidField("\(field).metadata_json", "is not a JSON object")
            }
            let text = chunk.markdown
            guard text.utf8.count <= maxPageBytes else { throw RPCError.invalidField("\(field).markdown", "is larger than \(maxPageBytes) bytes") }
            guard let sha = meta["sha256"] as? String, sha == ContentHash.sha256Hex(text) else {
                throw RPCError.invalidField("\(field).metadata_json.sha256", "does not match the revision's Markdown")
            }
            guard let created = meta["created_at"] as? String, let date = Timestamp.parse(created) else {
                throw RPCError.invalidField("\(field).metadata_json.created_at", "must be an RFC 3339 time")
            }
            let createdAt = Timestamp.string(date)
            guard createdAt >= previous else {
                throw RPCError.invalidField("\(field).metadata_json.created_at", "is earlier than the revision before it")
            }
            previous = createdAt
            guard let author = meta["author_id"] as? String, !author.isEmpty else {
                throw RPCError.invalidField("\(field).metadata_json.author_id", "is required: every revision has a named author")
            }
            var caseFields = ""
            if let object = meta["case_fields"] {
                let json = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
                guard let fields = try? Coi_Wiki_V1_CaseFields(jsonString: json) else {
                    throw RPCError.invalidField("\(field).metadata_json.case_fields", "are not case fields")
                }
                caseFields = try CaseRules.validate(fields).jsonString()
            }
            // Strings inside the JSON never passed the request screen: check them here.
            let tags = try (meta["tags"] as? [String] ?? []).filter { !$0.isEmpty && !$0.contains(",") }
                .map { try TextRules.line($0, field: "\(field).metadata_json.tags") }
            return Revision(id: try TextRules.text(meta["id"] as? String ?? "", field: "\(field).metadata_json.id"),
                            authorID: try TextRules.text(author, field: "\(field).metadata_json.author_id"), createdAt: createdAt,
                            summary: try TextRules.line(String((meta["summary"] as? String ?? "").prefix(500)),
                                                        field: "\(field).metadata_json.summary"),
                            minor: meta["minor"] as? Bool ?? false, tags: tags, text: text, caseFields: caseFields)
        }
        if title.namespace == .case, revisions.last?.caseFields.isEmpty != false {
            throw RPCError.invalidField("chunks", "a case page's latest revision must carry case fields")
        }
    }

    /// Writes the page and its revisions in the caller's transaction. Revision ids are kept when
    /// free here and replaced when taken (importing a copy into the wiki it came from).
    /// - Returns: The imported page.
    func apply(_ db: Database, importer: String, context: RequestContext) throws -> Coi_Wiki_V1_Page {
        if let existing = try PageRecord.fetch(db, title: title) {
            throw RPCError(.alreadyExists, "a page \"\(existing.title.full)\" already exists\(existing.deleted ? " (deleted)" : ""); "
                           + "import under another title", reason: "PAGE_EXISTS", fieldViolations: [.init(field: "title", description: "taken")])
        }
        for (index, revision) in revisions.enumerated() {
            guard try AccountNames.exists(db, id: revision.authorID) else {
                throw RPCError.invalidField("chunks[\(index + 1)].metadata_json.author_id",
                                            "no account \(revision.authorID) here; create the author's account first")
            }
        }
        let now = Timestamp.now()
        var page = try PageWriter.createPage(db, title: title, now: now)
        context.audit.target = "page:\(page.id)"
        var latest: RevisionRecord?
        for revision in revisions {
            let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM wiki_revisions WHERE id = ?)", arguments: [revision.id])
            let taken = revision.id.isEmpty || exists != false
            let tags = revision.tags.contains("import") ? revision.tags : revision.tags + ["import"]
            (page, latest) = try PageWriter.append(db, page: page, author: revision.authorID, edit: .init(
                text: revision.text, summary: revision.summary, minor: revision.minor, tags: tags, caseFields: revision.caseFields,
                kind: "import", watch: false), now: now, revisionID: taken ? Identifier.make("rev") : revision.id, createdAt: revision.createdAt)
        }
        // The change log credits the importer; revisions keep their authors.
        try db.execute(sql: "UPDATE wiki_changes SET actor_id = ? WHERE page_seq = ?", arguments: [importer, page.seq])
        guard let latest else { throw RPCError(.internal, "import without revisions") }
        return Wiki.pageMessage(db, page: page, revision: latest)
    }
}

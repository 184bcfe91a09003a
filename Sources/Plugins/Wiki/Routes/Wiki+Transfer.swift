import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension Wiki {
    /// Export of a page with its full history, and import of the same.
    ///
    /// The stream is the page's metadata as JSON, then each revision oldest first as JSON metadata
    /// plus its Markdown. `coictl wiki export` writes it as `page.json` and one `.md` file per
    /// revision; `coictl wiki import` sends those files back.
    func registerTransfer(_ router: inout Router) {
        let wiki = self
        router.serverStreaming(Coi_Wiki_V1_Pages.Method.export, .read("wiki.read")) { (request: Coi_Wiki_V1_ExportRequest, _, writer: ResponseWriter<Coi_Wiki_V1_ExportChunk>) in
            let (page, count) = try await wiki.store.pool.read { db in
                let page = try PageRecord.require(db, title: request.title, deletedToo: true)
                return (page, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wiki_revisions WHERE page_seq = ?", arguments: [page.seq]) ?? 0)
            }
            let header: [String: Any] = [
                "format": "coi.wiki.export/1", "exported_at": Timestamp.now(), "id": page.id, "title": page.title.full,
                "namespace": page.title.namespace.rawValue, "protection": page.protection, "deleted": page.deleted,
                "created_at": page.createdAt, "revisions": count,
            ]
            try await writer.send(.with { $0.metadataJson = Self.json(header) })
            var after: Int64 = 0
            while true {
                // Batches keep memory flat for pages with long histories.
                let start = after
                let batch = try await wiki.store.pool.read { db in
                    try RevisionRecord.fetchAll(db, sql: RevisionRecord.select + " WHERE r.page_seq = ? AND r.seq > ? ORDER BY r.seq LIMIT 200",
                                                arguments: [page.seq, start])
                }
                guard let last = batch.last else { break }
                for revision in batch {
                    try await writer.send(.with {
                        $0.metadataJson = Self.json(Self.revisionMetadata(revision))
                        $0.markdown = revision.text
                    })
                }
                after = last.seq
            }
        }
        router.clientStreaming(Coi_Wiki_V1_Pages.Method.import, .write("wiki.import")) { (stream: RequestStream<Coi_Wiki_V1_ExportChunk>, context) -> Coi_Wiki_V1_Page in
            let importer = try context.requireAccount()
            var chunks: [Coi_Wiki_V1_ExportChunk] = []
            for try await chunk in stream { chunks.append(chunk) }
            let plan = try ImportPlan(chunks: chunks, maxPageBytes: wiki.settings.maxPageBytes)
            context.audit.target = "page:\(plan.title.full)"
            let page = try await wiki.store.pool.write { db in try plan.apply(db, importer: importer.id, context: context) }
            wiki.changes.publish()
            return page
        }
    }

    static func revisionMetadata(_ revision: RevisionRecord) -> [String: Any] {
        var metadata: [String: Any] = [
            "id": revision.id, "parent_id": revision.parentID, "title": revision.title, "author_id": revision.authorID,
            "author_name": revision.authorName, "created_at": revision.createdAt, "summary": revision.summary,
            "minor": revision.minor, "size": revision.size, "sha256": revision.sha256, "tags": revision.tags,
        ]
        if let fields = revision.fields, let text = try? fields.jsonString(),
           let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
            metadata["case_fields"] = object
        }
        return metadata
    }

    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .prettyPrinted])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

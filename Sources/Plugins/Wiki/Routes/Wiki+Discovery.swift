import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension Wiki {
    /// Search, links, categories, cases and contributions: every list keyset-paginated.
    func registerDiscovery(_ router: inout Router) {
        let wiki = self
        router.unary(Coi_Wiki_V1_Discovery.Method.search, .read("wiki.read")) { (request: Coi_Wiki_V1_SearchRequest, _) -> Coi_Wiki_V1_SearchReply in
            try await wiki.search(request)
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.backlinks, .read("wiki.read")) { (request: Coi_Wiki_V1_ListRequest, _) -> Coi_Wiki_V1_PageRefsReply in
            let title = try PageTitle(parsing: request.title)
            return try await wiki.pageRefs(request, sql: """
                SELECT p.seq, p.id, p.namespace, p.title FROM wiki_link_targets t
                JOIN wiki_links l ON l.target_seq = t.seq JOIN wiki_pages p ON p.seq = l.page_seq
                WHERE t.namespace = ? AND t.title_key = ? AND p.seq > ? %NS% ORDER BY p.seq LIMIT ?
                """, arguments: [title.namespace.rawValue, title.key])
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.orphans, .read("wiki.read")) { (request: Coi_Wiki_V1_ListRequest, _) -> Coi_Wiki_V1_PageRefsReply in
            try await wiki.pageRefs(request, sql: """
                SELECT p.seq, p.id, p.namespace, p.title FROM wiki_pages p
                WHERE p.deleted = 0 AND p.redirect_to IS NULL AND p.seq > ? %NS%
                  AND NOT EXISTS (SELECT 1 FROM wiki_link_targets t JOIN wiki_links l ON l.target_seq = t.seq
                                  WHERE t.namespace = p.namespace AND t.title_key = p.title_key AND l.page_seq <> p.seq)
                ORDER BY p.seq LIMIT ?
                """, arguments: [])
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.category, .read("wiki.read")) { (request: Coi_Wiki_V1_ListRequest, _) -> Coi_Wiki_V1_PageRefsReply in
            var name = request.title
            if name.lowercased().hasPrefix(WikiMarkup.categoryPrefix) { name = String(name.dropFirst(WikiMarkup.categoryPrefix.count)) }
            guard let category = PageTitle(name), category.namespace == .main else {
                throw RPCError.invalidField("title", "must be a category name, e.g. \"Sundhed\"")
            }
            return try await wiki.pageRefs(request, sql: """
                SELECT p.seq, p.id, p.namespace, p.title FROM wiki_categories c JOIN wiki_pages p ON p.seq = c.page_seq
                WHERE c.category_key = ? AND p.seq > ? %NS% ORDER BY p.seq LIMIT ?
                """, arguments: [category.name.lowercased()])
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.wantedPages, .read("wiki.read")) { (request: Coi_Wiki_V1_ListRequest, _) -> Coi_Wiki_V1_WantedPagesReply in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            let namespace = try Self.namespaceFilter(request.namespace)
            return try await wiki.store.pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT t.seq, t.title, COUNT(*) AS links FROM wiki_link_targets t JOIN wiki_links l ON l.target_seq = t.seq
                    WHERE t.seq > ? \(namespace == nil ? "" : "AND t.namespace = ?")
                      AND NOT EXISTS (SELECT 1 FROM wiki_pages p WHERE p.namespace = t.namespace AND p.title_key = t.title_key AND p.deleted = 0)
                    GROUP BY t.seq ORDER BY t.seq LIMIT ?
                    """, arguments: bind([after] + (namespace.map { [$0] } ?? []) + [Int64(size + 1)]))
                return .with {
                    $0.pages = rows.prefix(size).map { row in .with { $0.title = row["title"]; $0.links = row["links"] } }
                    if rows.count > size { $0.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
                }
            }
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.cases, .read("wiki.read")) { (request: Coi_Wiki_V1_ListCasesRequest, _) -> Coi_Wiki_V1_ListCasesReply in
            try await wiki.cases(request)
        }
        router.unary(Coi_Wiki_V1_Discovery.Method.contributions, .read("wiki.read")) { (request: Coi_Wiki_V1_ContributionsRequest, context) -> Coi_Wiki_V1_ContributionsReply in
            let account = request.accountID.isEmpty ? try context.requireAccount().id : request.accountID
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken)
            var values: [any DatabaseValueConvertible] = [account]
            if let after { values.append(after) }
            values.append(size + 1)
            let arguments = bind(values)
            return try await wiki.store.pool.read { db in
                guard try AccountNames.exists(db, id: account) else {
                    throw RPCError(.notFound, "no account \(account)", reason: "NOT_FOUND",
                                   fieldViolations: [.init(field: "account_id", description: "no such account")])
                }
                // Newest first by time, not by insertion: an import stores old revisions after
                // today's. The token is the last revision's seq; its time is looked up here.
                let revisions = try RevisionRecord.fetchAll(db, sql: RevisionRecord.selectMeta + """
                     WHERE r.author_id = ? \(after == nil ? "" : "AND (r.created_at, r.seq) < (SELECT created_at, seq FROM wiki_revisions WHERE seq = ?)")
                     ORDER BY r.created_at DESC, r.seq DESC LIMIT ?
                    """, arguments: arguments)
                return .with {
                    $0.revisions = revisions.prefix(size).map(\.message)
                    if revisions.count > size { $0.nextPageToken = PageToken.encode(revisions[size - 1].seq) }
                }
            }
        }
    }

    /// Runs a page-list query whose SQL has "p.seq > ?" then "%NS%" then "LIMIT ?" placeholders.
    func pageRefs(_ request: Coi_Wiki_V1_ListRequest, sql: String, arguments: [String]) async throws -> Coi_Wiki_V1_PageRefsReply {
        let size = try PageToken.size(request.pageSize)
        let after = try PageToken.decode(request.pageToken) ?? 0
        let namespace = try Self.namespaceFilter(request.namespace)
        let query = sql.replacingOccurrences(of: "%NS%", with: namespace == nil ? "" : "AND p.namespace = ?")
        var values: [any DatabaseValueConvertible] = arguments
        values.append(after)
        if let namespace { values.append(namespace) }
        values.append(size + 1)
        let bound = bind(values)
        return try await store.pool.read { db in
            let rows = try Row.fetchAll(db, sql: query, arguments: bound)
            return .with {
                $0.pages = rows.prefix(size).map { row in
                    .with {
                        $0.id = row["id"]
                        $0.title = PageTitle(namespace: PageTitle.Namespace(rawValue: row["namespace"]) ?? .main, name: row["title"]).full
                        $0.namespace = Self.namespace(row["namespace"] as String)
                    }
                }
                if rows.count > size { $0.nextPageToken = PageToken.encode(rows[size - 1]["seq"]) }
            }
        }
    }
}

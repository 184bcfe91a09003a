import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension Wiki {
    /// The deepest result a search pages to: ranked results have no keyset, so pages are offsets.
    static let maxSearchOffset: Int64 = 10_000
    /// Indexed terms a prefix word stands for, first in term order, like Elasticsearch's
    /// `max_expansions`: a prefix shared by thousands of words would otherwise make FTS5 merge
    /// every one of their lists (tens of milliseconds on a large wiki).
    static let maxPrefixExpansions = 16

    /// Ranked full-text search over the latest text of live pages.
    ///
    /// bm25 costs about a microsecond per matching page, so only the newest `search_rank_window`
    /// matches (by page creation) are ranked: a query found on most of a large wiki stays fast, and
    /// a query that specific enough to matter (fewer matches than the window) is ranked exactly.
    /// The index holds Danish-folded copies of titles and texts (see `SearchQuery`); the query is
    /// folded the same way. Titles weigh ten times the body in bm25. Snippets are cut from the
    /// original text by `Snippet`, so they read as written.
    func search(_ request: Coi_Wiki_V1_SearchRequest) async throws -> Coi_Wiki_V1_SearchReply {
        guard request.query.count <= 500 else { throw RPCError.invalidField("query", "must be at most 500 characters") }
        let query = request.query
        let match = try await store.pool.read { db in
            try SearchQuery.matchExpression(query) { prefix in
                // Only plain ASCII prefixes are expanded: the tokenizer strips other accents from
                // indexed terms, and FTS5's own prefix query applies it to the query as well.
                guard prefix.allSatisfy({ $0.isASCII }) else { return [] }
                return try String.fetchAll(db.cachedStatement(sql: "SELECT term FROM wiki_search_terms WHERE term >= ? AND term < ? LIMIT ?"),
                                           arguments: [prefix, prefix + "\u{10FFFF}", Self.maxPrefixExpansions])
            }
        }
        guard let match else { throw RPCError.invalidField("query", "must contain at least one word") }
        let size = try PageToken.size(request.pageSize)
        let offset = try PageToken.decode(request.pageToken) ?? 0
        guard offset >= 0, offset <= Self.maxSearchOffset else {
            throw RPCError.invalidField("page_token", "is not a page token this server issued")
        }
        let namespace = try Self.namespaceFilter(request.namespace)
        let words = SearchQuery.queryWords(request.query)
        let window = settings.searchRankWindow
        var values: [any DatabaseValueConvertible] = [match]
        if window > 0 { values += [match, Int64(window)] }
        if let namespace { values.append(namespace) }
        values += [Int64(size + 1), offset]
        let arguments = bind(values)
        return try await store.pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.rowid AS seq, s.rank AS score, p.namespace, p.title, r.text
                FROM (SELECT rowid, rank FROM wiki_search
                      WHERE wiki_search MATCH ? AND rank MATCH 'bm25(10.0, 1.0)'
                      \(window == 0 ? "" : """
                          AND rowid >= (SELECT COALESCE(MIN(rowid), 0) FROM
                                        (SELECT rowid FROM wiki_search WHERE wiki_search MATCH ? ORDER BY rowid DESC LIMIT ?))
                          """)
                      \(namespace == nil ? "" : "AND rowid IN (SELECT seq FROM wiki_pages WHERE namespace = ?)")
                      ORDER BY rank, rowid LIMIT ? OFFSET ?) s
                JOIN wiki_pages p ON p.seq = s.rowid JOIN wiki_revisions r ON r.seq = p.latest_rev
                ORDER BY s.rank, s.rowid
                """, arguments: arguments)
            return .with {
                $0.hits = rows.prefix(size).map { row in
                    let ns = PageTitle.Namespace(rawValue: row["namespace"]) ?? .main
                    return .with {
                        $0.title = PageTitle(namespace: ns, name: row["title"]).full
                        $0.namespace = Self.namespace(ns)
                        $0.score = row["score"]
                        $0.snippet = Snippet.make(row["text"], words: words)
                    }
                }
                if rows.count > size, offset + Int64(size) <= Self.maxSearchOffset {
                    $0.nextPageToken = PageToken.encode(offset + Int64(size))
                }
            }
        }
    }

    /// Case pages by place, sector and level: the map of where innovative work happens.
    func cases(_ request: Coi_Wiki_V1_ListCasesRequest) async throws -> Coi_Wiki_V1_ListCasesReply {
        let size = try PageToken.size(request.pageSize)
        let after = try PageToken.decode(request.pageToken) ?? 0
        var conditions = ["c.page_seq > ?"]
        var values: [any DatabaseValueConvertible] = [after]
        if request.municipalityCode != 0 {
            guard Denmark.municipality(code: Int(request.municipalityCode)) != nil else {
                throw RPCError.invalidField("municipality_code", "\(request.municipalityCode) is not an official Danish municipality code")
            }
            conditions.append("c.municipality_code = ?")
            values.append(request.municipalityCode)
        }
        if request.regionCode != 0 {
            guard Denmark.region(code: Int(request.regionCode)) != nil else {
                throw RPCError.invalidField("region_code", "\(request.regionCode) is not a Danish region code (1081–1085)")
            }
            conditions.append("c.region_code = ?")
            values.append(request.regionCode)
        }
        let sector = request.sector.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if !sector.isEmpty {
            conditions.append("c.sector = ?")
            values.append(sector)
        }
        if request.level != .unspecified {
            let level = CaseRules.levelName(request.level)
            guard !level.isEmpty else { throw RPCError.invalidField("level", "must be STATE, REGION or MUNICIPALITY") }
            conditions.append("c.level = ?")
            values.append(level)
        }
        values.append(Int64(size + 1))
        let arguments = bind(values)
        let condition = conditions.joined(separator: " AND ")
        return try await store.pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.page_seq, p.id, p.title, p.updated_at, r.case_fields FROM wiki_cases c
                JOIN wiki_pages p ON p.seq = c.page_seq JOIN wiki_revisions r ON r.seq = p.latest_rev
                WHERE \(condition) ORDER BY c.page_seq LIMIT ?
                """, arguments: arguments)
            return .with {
                $0.cases = rows.prefix(size).map { row in
                    let fields = (try? Coi_Wiki_V1_CaseFields(jsonString: row["case_fields"] as String)) ?? .init()
                    return .with {
                        $0.title = PageTitle(namespace: .case, name: row["title"]).full
                        $0.pageID = row["id"]
                        $0.fields = fields
                        $0.municipalityName = Denmark.municipality(code: Int(fields.municipalityCode))?.name ?? ""
                        $0.regionName = Denmark.region(code: Int(fields.regionCode))?.name ?? ""
                        $0.updatedAt = row["updated_at"]
                    }
                }
                if rows.count > size { $0.nextPageToken = PageToken.encode(rows[size - 1]["page_seq"]) }
            }
        }
    }
}

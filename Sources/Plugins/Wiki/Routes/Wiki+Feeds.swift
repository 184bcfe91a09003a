import COIPluginKit
import COIProto
import COIWire
import GRDB

extension Wiki {
    /// Recent changes and the watchlist as server-streaming feeds, and the watchlist itself.
    func registerFeeds(_ router: inout Router) {
        let wiki = self
        router.serverStreaming(Coi_Wiki_V1_Feeds.Method.recentChanges, .read("wiki.read"), lifetime: .longLived) { (request: Coi_Wiki_V1_FeedRequest, _, writer: ResponseWriter<Coi_Wiki_V1_Change>) in
            try await wiki.feed(request, watcher: nil, writer)
        }
        router.serverStreaming(Coi_Wiki_V1_Feeds.Method.watchlist, .read("wiki.watch"), lifetime: .longLived) { (request: Coi_Wiki_V1_FeedRequest, context, writer: ResponseWriter<Coi_Wiki_V1_Change>) in
            try await wiki.feed(request, watcher: try context.requireAccount().id, writer)
        }
        router.unary(Coi_Wiki_V1_Feeds.Method.watch, .write("wiki.watch")) { (request: Coi_Wiki_V1_WatchRequest, context) -> Coi_Wiki_V1_WatchReply in
            try await wiki.setWatching(true, request, context)
        }
        router.unary(Coi_Wiki_V1_Feeds.Method.unwatch, .write("wiki.watch")) { (request: Coi_Wiki_V1_WatchRequest, context) -> Coi_Wiki_V1_WatchReply in
            try await wiki.setWatching(false, request, context)
        }
        router.unary(Coi_Wiki_V1_Feeds.Method.listWatched, .read("wiki.watch")) { (request: Coi_Wiki_V1_ListWatchedRequest, context) -> Coi_Wiki_V1_ListWatchedReply in
            let account = try context.requireAccount().id
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await wiki.store.pool.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT p.seq, p.id, p.namespace, p.title FROM wiki_watch w JOIN wiki_pages p ON p.seq = w.page_seq
                    WHERE w.account_id = ? AND p.seq > ? ORDER BY p.seq LIMIT ?
                    """, arguments: [account, after, size + 1])
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

    func setWatching(_ watching: Bool, _ request: Coi_Wiki_V1_WatchRequest, _ context: RequestContext) async throws -> Coi_Wiki_V1_WatchReply {
        let account = try context.requireAccount().id
        return try await write { db in
            let page = try PageRecord.require(db, title: request.title, deletedToo: true)
            context.audit.target = "page:\(page.id)"
            if watching {
                try db.execute(sql: "INSERT OR IGNORE INTO wiki_watch (account_id, page_seq, created_at) VALUES (?, ?, ?)",
                               arguments: [account, page.seq, Timestamp.now()])
            } else {
                try db.execute(sql: "DELETE FROM wiki_watch WHERE account_id = ? AND page_seq = ?", arguments: [account, page.seq])
            }
            return .with {
                $0.title = page.title.full
                $0.watching = watching
            }
        }
    }

    /// Sends the backlog, then (with `follow`) every new change until the caller goes away.
    /// The signal is subscribed before the backlog is read, so nothing committed in between is missed.
    func feed(_ request: Coi_Wiki_V1_FeedRequest, watcher: String?, _ writer: ResponseWriter<Coi_Wiki_V1_Change>) async throws {
        let limit = try PageToken.size(request.limit, field: "limit")
        guard request.afterSequence >= 0 else { throw RPCError.invalidField("after_sequence", "must not be negative") }
        let namespace = try Self.namespaceFilter(request.namespace)
        let signal = request.follow ? changes.subscribe() : nil
        var conditions: [String] = []
        var filters: [any DatabaseValueConvertible] = []
        if let namespace {
            conditions.append("c.namespace = ?")
            filters.append(namespace)
        }
        if request.hideMinor { conditions.append("c.minor = 0") }
        if let watcher {
            conditions.append("c.page_seq IN (SELECT page_seq FROM wiki_watch WHERE account_id = ?)")
            filters.append(watcher)
        }
        let filter = conditions.map { " AND " + $0 }.joined()
        var last = request.afterSequence
        if last == 0 {
            // The latest `limit` changes, sent oldest first.
            let arguments = bind(filters + [Int64(limit)])
            let backlog = try await store.pool.read { db in
                try Self.changes(db, where: "1 = 1" + filter, order: "DESC", arguments: arguments).reversed()
            }
            for change in backlog { try await writer.send(change) }
            if let newest = backlog.last?.sequence {
                last = newest
            } else {
                last = try await store.pool.read { db in
                    try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM wiki_changes") ?? 0
                }
            }
        } else {
            last = try await sendAfter(last, filter: filter, filters: filters, limit: limit, writer)
        }
        guard let signal else { return }
        for await _ in signal {
            try Task.checkCancellation()
            // Drain everything new, a page at a time.
            while true {
                let next = try await sendAfter(last, filter: filter, filters: filters, limit: PageToken.maxSize, writer)
                if next == last { break }
                last = next
            }
        }
    }

    /// Sends up to `limit` changes after `sequence`; returns the last sequence sent (or `sequence`).
    private func sendAfter(_ sequence: Int64, filter: String, filters: [any DatabaseValueConvertible], limit: Int,
                           _ writer: ResponseWriter<Coi_Wiki_V1_Change>) async throws -> Int64 {
        let arguments = bind([sequence] + filters + [Int64(limit)])
        let changes = try await store.pool.read { db in
            try Self.changes(db, where: "c.seq > ?" + filter, order: "ASC", arguments: arguments)
        }
        for change in changes { try await writer.send(change) }
        return changes.last?.sequence ?? sequence
    }

    static func changes(_ db: Database, where condition: String, order: String, arguments: StatementArguments) throws -> [Coi_Wiki_V1_Change] {
        try Row.fetchAll(db, sql: """
            SELECT c.seq, c.time, c.kind, c.namespace, c.title, p.id AS page_id, COALESCE(r.id, '') AS revision_id, c.actor_id,
                   COALESCE(a.full_name, c.actor_id) AS actor_name, c.summary, c.minor, c.size_delta, c.tags,
                   \(AccountNames.referencedNames(in: "c.summary")) AS summary_names
            FROM wiki_changes c JOIN wiki_pages p ON p.seq = c.page_seq
            LEFT JOIN wiki_revisions r ON r.seq = c.revision_seq AND c.revision_seq <> 0
            \(AccountNames.join(on: "c.actor_id"))
            WHERE \(condition) ORDER BY c.seq \(order) LIMIT ?
            """, arguments: arguments).map { row in
            .with {
                $0.sequence = row["seq"]
                $0.time = row["time"]
                $0.kind = row["kind"]
                $0.title = row["title"]
                $0.namespace = namespace(row["namespace"] as String)
                $0.pageID = row["page_id"]
                $0.revisionID = row["revision_id"]
                $0.actorID = row["actor_id"]
                $0.actorName = row["actor_name"]
                $0.summary = AccountNames.render(row["summary"], names: row["summary_names"])
                $0.minor = row["minor"]
                $0.sizeDelta = row["size_delta"]
                let tags: String = row["tags"]
                $0.tags = tags.isEmpty ? [] : tags.split(separator: ",").map(String.init)
            }
        }
    }
}

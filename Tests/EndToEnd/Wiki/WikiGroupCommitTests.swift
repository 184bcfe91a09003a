import COIProto
import COIWire
import Foundation
import Testing

/// Wiki writes are group-committed: concurrent saves share a transaction (and its fsync), each in its
/// own savepoint. Through the real daemon, saves that succeed, saves refused with an edit conflict
/// and saves refused inside the transaction run at once; afterwards, and again after kill -9, every
/// acknowledged save is stored exactly as acknowledged and no refused one left anything behind.
@Suite struct WikiGroupCommitTests {
    enum Kind: Sendable { case create, conflict, exists, missing }

    /// One save as sent, and what the daemon answered.
    struct Attempt: Sendable {
        var writer: Int
        var kind: Kind
        var title: String
        var text: String
        var reply: Coi_Wiki_V1_SaveReply?
        var error: RPCError?
    }

    static func save(_ connection: ClientConnection, token: String, title: String, text: String, base: String) async throws -> Coi_Wiki_V1_SaveReply {
        try await connection.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
            $0.summary = "gemt af testen"
        }, metadata: [(key: "authorization", value: "Bearer \(token)")])
    }

    static func attempt(_ connection: ClientConnection, token: String, writer: Int, kind: Kind, title: String, text: String,
                        base: String) async -> Attempt {
        var attempt = Attempt(writer: writer, kind: kind, title: title, text: text)
        do {
            attempt.reply = try await save(connection, token: token, title: title, text: text, base: base)
        } catch let error as RPCError {
            attempt.error = error
        } catch {
            attempt.error = RPCError(.unknown, "\(error)")
        }
        return attempt
    }

    @Test func concurrentSavesStandAloneInSharedTransactionsAndSurviveKill9() async throws {
        let cli = try await IdentityCLI.start()
        let writers = 8
        let rounds = 5
        var people: [(id: String, token: String)] = []
        for index in 0..<writers {
            let account = try await cli.add("Skribent \(index) Ærø", ["--role", "member"])
            people.append((account, try await cli.issue(account)))
        }
        let tokens = people.map(\.token)
        let shared = "Fælles side"
        // Unchanged lines between the edited ones: diff3 treats changes to adjacent lines as one region.
        let lines = (0..<writers).flatMap { ["linje \($0)", "afsnit \($0) står uændret"] }
        let first = try await cli.daemon.connect()
        let base = try await Self.save(first, token: tokens[0], title: shared, text: lines.joined(separator: "\n"), base: "")
        await first.close()

        // Every writer, every round, four saves at once: a new page (succeeds), line 0 of the shared
        // page from the first revision (one of all these wins, the rest are EDIT_CONFLICT), a create
        // of the existing shared page (PAGE_EXISTS) and an edit of a page that does not exist
        // (PAGE_NOT_FOUND) — the last three refused inside the shared transaction.
        let attempts = try await withThrowingTaskGroup(of: [Attempt].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let connection = try await cli.daemon.connect()
                    var attempts: [Attempt] = []
                    for round in 0..<rounds {
                        var mine = lines
                        mine[0] = "konflikt fra skribent \(writer) i runde \(round)"
                        async let create = Self.attempt(connection, token: tokens[writer], writer: writer, kind: .create,
                                                        title: "Side \(writer)-\(round)",
                                                        text: "Tekst fra skribent \(writer), runde \(round): æøå ÆØÅ\n\n[[\(shared)]]", base: "")
                        async let conflict = Self.attempt(connection, token: tokens[writer], writer: writer, kind: .conflict, title: shared,
                                                          text: mine.joined(separator: "\n"), base: base.revision.id)
                        async let exists = Self.attempt(connection, token: tokens[writer], writer: writer, kind: .exists, title: shared,
                                                        text: "afvist \(writer)-\(round)", base: "")
                        async let missing = Self.attempt(connection, token: tokens[writer], writer: writer, kind: .missing,
                                                         title: "Ingen side \(writer)-\(round)", text: "afvist \(writer)-\(round)",
                                                         base: base.revision.id)
                        attempts += await [create, conflict, exists, missing]
                    }
                    await connection.close()
                    return attempts
                }
            }
            return try await group.reduce(into: [Attempt]()) { $0 += $1 }
        }
        #expect(attempts.count == writers * rounds * 4)
        let creates = attempts.filter { $0.kind == .create }
        let conflicts = attempts.filter { $0.kind == .conflict }
        #expect(creates.allSatisfy { $0.reply != nil }, "\(creates.compactMap(\.error))")
        let winners = conflicts.filter { $0.reply != nil }
        #expect(winners.count == 1)
        #expect(conflicts.compactMap(\.error).allSatisfy { $0.code == .aborted && $0.reason == "EDIT_CONFLICT" },
                "\(conflicts.compactMap(\.error))")
        #expect(attempts.filter { $0.kind == .exists }.allSatisfy { $0.error?.reason == "PAGE_EXISTS" })
        #expect(attempts.filter { $0.kind == .missing }.allSatisfy { $0.error?.code == .notFound && $0.error?.reason == "PAGE_NOT_FOUND" })

        // Every one of these saves reached the wiki's group-commit writer, refused ones too.
        let metrics = try await runCommand(DaemonProcess.coictl, ["metrics", "--socket", cli.daemon.socketPath],
                                           environment: ["COI_TOKEN": ""])
        #expect(MetricsEndToEndTests.value(of: #"coid_group_commit_batch_size_sum{writer="wiki"}"#, in: metrics.stdout)
                == Double(1 + writers * rounds * 4), "\(metrics.stdout)")

        try await Self.expectStored(cli, people: people, attempts: attempts, base: base, shared: shared)
        cli.daemon.signal(SIGKILL)
        #expect(await cli.daemon.waitForExit() == SIGKILL)
        try await cli.daemon.restart()
        try await Self.expectStored(cli, people: people, attempts: attempts, base: base, shared: shared)
        await cli.daemon.stop()
    }

    /// Each acknowledged save is there exactly as acknowledged; refused ones left no page, no
    /// revision and no recent change.
    static func expectStored(_ cli: IdentityCLI, people: [(id: String, token: String)], attempts: [Attempt],
                             base: Coi_Wiki_V1_SaveReply, shared: String) async throws {
        let connection = try await cli.daemon.connect()
        defer { Task { await connection.close() } }
        let reader: ClientConnection.Metadata = [(key: "authorization", value: "Bearer \(people[0].token)")]
        for attempt in attempts where attempt.kind == .create {
            let reply = try #require(attempt.reply)
            let page = try await connection.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = attempt.title }, metadata: reader)
            #expect(page.text == attempt.text && page.id == reply.page.id && page.revision.id == reply.revision.id)
            #expect(page.revision.authorID == people[attempt.writer].id)
        }
        let winner = try #require(attempts.first { $0.kind == .conflict && $0.reply != nil })
        let page = try await connection.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = shared }, metadata: reader)
        #expect(page.text == winner.text && page.revision.id == winner.reply?.revision.id)
        let history = try await connection.call(Coi_Wiki_V1_Pages.Method.history, .with { $0.title = shared }, metadata: reader)
        #expect(history.revisions.map(\.id) == [winner.reply?.revision.id ?? "", base.revision.id])
        for attempt in attempts where attempt.kind == .missing {
            await #expect(throws: RPCError.self) {
                _ = try await connection.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = attempt.title }, metadata: reader)
            }
        }
        // Each writer's contributions are exactly its acknowledged revisions.
        for (writer, person) in people.enumerated() {
            let contributions = try await connection.call(Coi_Wiki_V1_Discovery.Method.contributions, .with {
                $0.accountID = person.id
                $0.pageSize = 500
            }, metadata: reader)
            var expected = Set(attempts.filter { $0.writer == writer }.compactMap { $0.reply?.revision.id })
            if writer == 0 { expected.insert(base.revision.id) }
            #expect(Set(contributions.revisions.map(\.id)) == expected)
            #expect(contributions.revisions.count == expected.count)
        }
        // Recent changes: the first save, every create and the one winning edit.
        let feed = try connection.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, .with { $0.limit = 500 }, metadata: reader,
                                         timeout: .seconds(30))
        var changes: [Coi_Wiki_V1_Change] = []
        for try await change in feed.replies { changes.append(change) }
        #expect(changes.count == 2 + attempts.filter { $0.kind == .create }.count)
        #expect(!changes.contains { $0.title.hasPrefix("Ingen side") })
    }
}

import COIProto
import COIWire
import Foundation
import Testing

/// Many writers saving from the same base revision at once, through the socket of the real daemon:
/// edits to different lines all land (merged), edits to the same line land once and the rest are
/// refused with ABORTED — no acknowledged save is ever lost.
@Suite struct WikiConcurrencyTests {
    static let pages = "coi.wiki.v1.Pages"

    static func save(_ connection: ClientConnection, token: String, title: String, text: String, base: String) async throws -> Coi_Wiki_V1_SaveReply {
        try await connection.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = title
            $0.text = text
            $0.baseRevisionID = base
        }, metadata: [(key: "authorization", value: "Bearer \(token)")])
    }

    @Test func concurrentWritersNeverLoseAnUpdate() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let writers = 8
        var issued: [String] = []
        for index in 0..<writers {
            let account = try await cli.add("Skribent \(index)", ["--role", "member"])
            issued.append(try await cli.issue(account))
        }
        let tokens = issued
        // Unchanged lines between the edited ones: like git, diff3 treats changes to adjacent lines as one region.
        let lines = (0..<writers).flatMap { ["linje \($0)", "afsnit \($0) står uændret"] }
        let first = try await cli.daemon.connect()
        let base = try await Self.save(first, token: tokens[0], title: "Fælles side", text: lines.joined(separator: "\n"), base: "")

        // Different lines from the same base: every save lands, later ones by merging.
        let replies = try await withThrowingTaskGroup(of: Coi_Wiki_V1_SaveReply.self) { group in
            for index in 0..<writers {
                group.addTask {
                    let connection = try await cli.daemon.connect()
                    var mine = lines
                    mine[2 * index] = "linje \(index) rettet af skribent \(index)"
                    let reply = try await Self.save(connection, token: tokens[index], title: "Fælles side",
                                               text: mine.joined(separator: "\n"), base: base.revision.id)
                    await connection.close()
                    return reply
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(replies.count == writers)
        #expect(replies.filter(\.merged).count == writers - 1)
        let page = try await first.call(Coi_Wiki_V1_Pages.Method.get, Coi_Wiki_V1_GetPageRequest.with { $0.title = "Fælles side" }, metadata: [(key: "authorization", value: "Bearer \(tokens[0])")])
        for index in 0..<writers { #expect(page.text.contains("linje \(index) rettet af skribent \(index)")) }

        // The same line from the same base: exactly one lands, the others are told ABORTED.
        let outcomes = await withTaskGroup(of: Result<Coi_Wiki_V1_SaveReply, RPCError>.self) { group in
            for index in 0..<writers {
                group.addTask {
                    do {
                        let connection = try await cli.daemon.connect()
                        defer { Task { await connection.close() } }
                        let text = page.text.replacingOccurrences(of: "linje 0 rettet af skribent 0", with: "konflikt fra \(index)")
                        return .success(try await Self.save(connection, token: tokens[index], title: "Fælles side", text: text,
                                                       base: page.revision.id))
                    } catch let error as RPCError {
                        return .failure(error)
                    } catch {
                        return .failure(RPCError(.unknown, "\(error)"))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let successes = outcomes.compactMap { try? $0.get() }
        let failures = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        #expect(successes.count == 1)
        #expect(failures.count == writers - 1)
        #expect(failures.allSatisfy { $0.code == .aborted && $0.reason == "EDIT_CONFLICT" }, "\(failures)")
        let history = try await first.call(Coi_Wiki_V1_Pages.Method.history, Coi_Wiki_V1_HistoryRequest.with { $0.title = "Fælles side" }, metadata: [(key: "authorization", value: "Bearer \(tokens[0])")])
        #expect(history.revisions.count == 1 + writers + 1)
        #expect(Set(history.revisions.map(\.authorName)).count == writers)
        await first.close()
    }
}

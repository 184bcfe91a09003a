import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10 item 6: one local user cannot take every connection slot, no principal can hold more
/// than its share of long-lived streams, and refusals are logged as one line per interval with a
/// count instead of a line per attempt.
@Suite(.serialized) struct ConnectionLimitsTests {

    /// The `refused=` counts of the refusal lines in a log.
    static func refusalCounts(_ log: String) -> [Int] {
        log.split(separator: "\n").filter { $0.contains("refusing connections: limit reached") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("refused=") }.flatMap { Int($0.dropFirst("refused=".count)) }
        }
    }

    /// A connection that has answered an Echo, retried with fresh connections while slots are still taken.
    static func servedConnection(_ daemon: DaemonProcess) async throws -> ClientConnection {
        for _ in 0..<200 {
            let connection = try await daemon.connect()
            if (try? await connection.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" })) != nil { return connection }
            await connection.close()
            try await Task.sleep(for: .milliseconds(50))
        }
        throw DaemonError("no connection was served")
    }

    @Test func perUserConnectionCapRefusesTheRestAndLogsThemTogether() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let config = dir.appendingPathComponent("coid.toml")
        try "[server]\nmax_connections_per_uid = 3\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path])
        // waitUntilServing's probe connection may still hold a slot for a moment: retry with a fresh connection.
        var held: [ClientConnection] = []
        for _ in 0..<3 { held.append(try await Self.servedConnection(daemon)) }
        // Every further connection of this user is closed unanswered.
        let refused = 40
        for _ in 0..<refused {
            let extra = try RawConnection(path: daemon.socketPath)
            try extra.sendRequest(1, service: Coi_Core_V1_Diagnostics.service.name, method: Coi_Core_V1_Diagnostics.Method.echo.method,
                                  payload: Coi_Core_V1_EchoRequest())
            #expect(extra.readFrame() == nil, "a connection over the per-uid cap is closed")
        }
        // The ones admitted still work.
        let reply = try await held[0].call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "ø" })
        #expect(reply.message == "ø")
        // A slot given back is a slot a new connection gets.
        await held.removeLast().close()
        held.append(try await Self.servedConnection(daemon))
        for connection in held { await connection.close() }
        #expect(await daemon.stop() == 0)
        // 40 refusals, logged as a line or two with their count (the rest is flushed at stop), not 40 lines.
        let counts = Self.refusalCounts(daemon.log)
        #expect(counts.reduce(0, +) >= refused && counts.count <= 3, "\(counts)")
        #expect(daemon.log.contains("server.max_connections_per_uid"))
    }

    @Test func longLivedStreamsAreCappedPerPrincipal() async throws {
        let dir = try DaemonProcess.makeDirectory()
        let config = dir.appendingPathComponent("coid.toml")
        try "[server]\nmax_long_lived_streams_per_principal = 2\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try await DaemonProcess(directory: dir, extraArguments: ["--config", config.path])
        let first = try await daemon.connect()
        let second = try await daemon.connect()
        // Two watches on two connections: the cap is per principal, not per connection.
        let a = try first.stream(Grpc_Health_V1_Health.Method.watch)
        let b = try second.stream(Grpc_Health_V1_Health.Method.watch)
        var aUpdates = a.replies.makeAsyncIterator()
        var bUpdates = b.replies.makeAsyncIterator()
        #expect(try await aUpdates.next()?.status == .serving)
        #expect(try await bUpdates.next()?.status == .serving)
        // A third long-lived stream of the same caller (a feed this time) is refused.
        let third = try first.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, .with { $0.follow = true })
        await #expect {
            for try await _ in third.replies {}
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .resourceExhausted && e?.reason == "TOO_MANY_LONG_LIVED_STREAMS"
                && e?.message.contains("max_long_lived_streams_per_principal") == true
        }
        // Ordinary calls are not counted.
        #expect(try await first.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æ" }).message == "æ")
        // Once a watch ends (its connection closes), the caller may open another.
        await second.close()
        var reopened = false
        // The server learns of the close and ends that watch in its own time (slow under a loaded suite).
        for _ in 0..<600 where !reopened {
            let again = try first.stream(Grpc_Health_V1_Health.Method.watch)
            var updates = again.replies.makeAsyncIterator()
            if (try? await updates.next()) != nil { reopened = true } else { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(reopened)
        await first.close()
        await daemon.stop()
    }
}

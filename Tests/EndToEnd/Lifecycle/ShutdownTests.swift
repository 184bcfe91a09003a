import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// Issue 10 item 7: at SIGTERM every call ends with a final Response. Feeds and watches end at once
/// with UNAVAILABLE (one connected feed client does not stretch a stop to the whole grace period);
/// calls still running when the grace period ends are answered UNAVAILABLE before the connection closes.
@Suite(.serialized) struct ShutdownTests {

    /// Reads a stream to its end and returns the status it ended with (nil = OK).
    static func finalStatus<Request: Message, Reply: Message>(_ stream: TypedClientStream<Request, Reply>) async -> RPCError? {
        do {
            for try await _ in stream.replies {}
            return nil
        } catch {
            return error as? RPCError ?? RPCError(.unknown, "not a status: \(error)")
        }
    }

    @Test func feedsAndWatchesEndAtOnceWithUnavailable() async throws {
        // A grace period far longer than the test: what ends the feeds is not its end.
        let daemon = try await DaemonProcess(config: "[server]\nshutdown_grace_seconds = 600\n")
        let client = try await daemon.connect()
        // The test runs as root: a local admin may read every feed.
        let wiki = try client.stream(Coi_Wiki_V1_Feeds.Method.recentChanges, .with { $0.follow = true })
        let nominations = try client.stream(Coi_Nominations_V1_Campaigns.Method.feed, .with { $0.follow = true })
        let placements = try client.stream(Coi_Placements_V1_Seasons.Method.feed, .with { $0.follow = true })
        let network = try client.stream(Coi_Network_V1_Network.Method.feed, .with { $0.follow = true })
        let health = try client.stream(Grpc_Health_V1_Health.Method.watch)
        var healthUpdates = health.replies.makeAsyncIterator()
        #expect(try await healthUpdates.next()?.status == .serving)
        // A call that is not a feed, still running when SIGTERM comes, keeps its grace period.
        let other = try await daemon.connect()
        let sleeping = Task { try await other.call(Coi_Core_V1_Diagnostics.Method.sleep, .with { $0.millis = 600_000 }) }
        // Frames are read in order: once this Echo is answered, every stream above is open on the server.
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" })
        _ = try await other.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "æøå" })

        daemon.signal(SIGTERM)
        for (name, status) in [("wiki recent changes", await Self.finalStatus(wiki)),
                               ("nominations feed", await Self.finalStatus(nominations)),
                               ("placements feed", await Self.finalStatus(placements)),
                               ("network feed", await Self.finalStatus(network))] {
            #expect(status?.code == .unavailable && status?.reason == "SHUTTING_DOWN", "\(name): \(String(describing: status))")
        }
        // Health/Watch may first report NOT_SERVING; then it ends UNAVAILABLE too.
        var healthEnd: RPCError?
        do {
            while let update = try await healthUpdates.next() { #expect(update.status == .notServing) }
        } catch {
            healthEnd = error as? RPCError
        }
        #expect(healthEnd?.code == .unavailable && healthEnd?.reason == "SHUTTING_DOWN", "Health/Watch: \(String(describing: healthEnd))")
        // The feeds ended while the ordinary call was still inside its grace period.
        #expect(daemon.process.isRunning)
        sleeping.cancel()
        await other.close()
        await client.close()
        #expect(await daemon.waitForExit() == 0)
    }

    @Test func callsRunningWhenTheGracePeriodEndsGetAFinalResponse() async throws {
        let daemon = try await DaemonProcess(config: "[server]\nshutdown_grace_seconds = 1\n")
        let raw = try RawConnection(path: daemon.socketPath)
        let diagnostics = Coi_Core_V1_Diagnostics.service.name
        // A unary call and a server stream that would both outlive the grace period.
        try raw.sendRequest(1, service: diagnostics, method: Coi_Core_V1_Diagnostics.Method.sleep.method,
                            payload: Coi_Core_V1_SleepRequest.with { $0.millis = 600_000 })
        try raw.sendRequest(3, service: Coi_Wiki_V1_Feeds.service.name, method: Coi_Wiki_V1_Feeds.Method.recentChanges.method,
                            payload: Coi_Wiki_V1_FeedRequest.with { $0.follow = true }, flags: .remoteClosed)
        try raw.sendRequest(5, service: diagnostics, method: Coi_Core_V1_Diagnostics.Method.echo.method, payload: Coi_Core_V1_EchoRequest())
        let echo = try raw.readResponse()
        #expect(echo.streamID == 5 && echo.response.status.code == 0)
        daemon.signal(SIGTERM)
        var finals: [UInt32: Ttrpc_Response] = [:]
        while finals.count < 2, let frame = raw.readFrame() {
            guard frame.type == .response else { continue }
            finals[frame.streamID] = try Ttrpc_Response(serializedBytes: Array(buffer: frame.payload))
        }
        for id: UInt32 in [1, 3] {
            let status = finals[id]?.status
            #expect(status?.code == StatusCode.unavailable.rawValue, "stream \(id): \(String(describing: status))")
        }
        #expect(await daemon.waitForExit() == 0)
    }
}

import COIProto
import COIWire
import Testing

/// A call on a connection the server has already closed fails with UNAVAILABLE; it must never wait
/// forever (a closed channel has no handlers left to answer it).
@Suite struct ClosedConnectionTests {
    @Test(.timeLimit(.minutes(1))) func callsAfterTheServerWentAwayFailPromptly() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "før" })
        #expect(await daemon.stop() == 0)
        for _ in 0..<100 where client.isActive { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!client.isActive)

        let unary = await #expect(throws: RPCError.self) {
            _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "efter" })
        }
        #expect(unary?.code == .unavailable)
        let stream = try client.stream(Coi_Core_V1_Diagnostics.Method.echoStream, .with { $0.message = "efter" })
        let streamed = await #expect(throws: RPCError.self) {
            for try await _ in stream.replies {}
        }
        #expect(streamed?.code == .unavailable)
    }
}

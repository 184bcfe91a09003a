import COIProto
import COIWire
import Foundation
import Testing

/// Issue 10 item 5: what an anonymous caller can make the daemon hold or send is bounded.
@Suite(.serialized) struct MemoryBoundsTests {

    @Test func echoCollectRefusesMoreThanOneMebibyte() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let collect = try client.stream(Coi_Core_V1_Diagnostics.Method.echoCollect)
        let piece = String(repeating: "æ", count: 32 * 1024)  // 64 KiB of UTF-8
        // 2 MiB in all; the server may end the call before every piece is sent.
        for _ in 0..<32 {
            do { try await collect.send(.with { $0.message = piece }) } catch { break }
        }
        try? await collect.closeSend()
        await #expect {
            for try await _ in collect.replies {}
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .resourceExhausted && e?.reason == "ECHO_COLLECT_LIMIT"
        }
        // The connection goes on.
        let reply = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "ø" })
        #expect(reply.message == "ø")
        await client.close()
        await daemon.stop()
    }
}

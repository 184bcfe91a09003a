import COIProto
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// Unary, server-, client- and bidirectional streaming, interleaved, against the real daemon.
@Suite(.serialized) struct CallShapesTests {
    static let diagnostics = "coi.core.v1.Diagnostics"

    @Test func unaryEcho() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let reply = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "Bedste Mindste Idé" })
        #expect(reply.message == "Bedste Mindste Idé")
        await client.close()
        #expect(await daemon.stop() == 0)
    }

    @Test func manyInterleavedStreamsOnOneConnection() async throws {
        // 300 calls in flight at once: above the default per-connection cap of 128, which
        // BadInputTests covers; here the point is interleaving, so the cap is raised.
        let daemon = try await DaemonProcess(config: "[server]\nmax_concurrent_streams = 1000\n")
        let client = try await daemon.connect()
        let replies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<300 {
                group.addTask {
                    if i % 3 == 0 {
                        let stream = try client.stream(Coi_Core_V1_Diagnostics.Method.echoStream, .with { $0.message = "s\(i)"; $0.repeat = 5 })
                        var got: [String] = []
                        for try await reply in stream.replies { got.append(reply.message) }
                        return (i, got.joined(separator: ","))
                    }
                    let reply = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "u\(i)" })
                    return (i, reply.message)
                }
            }
            var all: [Int: String] = [:]
            for try await (i, message) in group { all[i] = message }
            return all
        }
        #expect(replies.count == 300)
        for (i, message) in replies {
            #expect(message == (i % 3 == 0 ? Array(repeating: "s\(i)", count: 5).joined(separator: ",") : "u\(i)"))
        }
        await client.close()
        await daemon.stop()
    }

    @Test func clientStreamingAndBidirectional() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        let collect = try client.stream(Coi_Core_V1_Diagnostics.Method.echoCollect)
        for word in ["små", "idéer", "gør", "en", "forskel"] {
            try await collect.send(.with { $0.message = word })
        }
        try await collect.closeSend()
        var collected: [String] = []
        for try await reply in collect.replies { collected.append(reply.message) }
        #expect(collected == ["små\nidéer\ngør\nen\nforskel"])

        let chat = try client.stream(Coi_Core_V1_Diagnostics.Method.echoChat)
        var iterator = chat.replies.makeAsyncIterator()
        for i in 0..<3 {
            try await chat.send(.with { $0.message = "m\(i)" })
            let reply = try #require(try await iterator.next())
            #expect(reply.message == "m\(i)" && reply.index == UInt32(i))
        }
        try await chat.closeSend()
        #expect(try await iterator.next() == nil)
        await client.close()
        await daemon.stop()
    }

    @Test func deadlineCancelsTheHandlerAndTheConnectionGoesOn() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        await #expect {
            _ = try await client.call(Coi_Core_V1_Diagnostics.Method.sleep, Coi_Core_V1_SleepRequest.with { $0.millis = 60_000 }, timeout: .milliseconds(200))
        } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
        let reply = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest.with { $0.message = "still here" })
        #expect(reply.message == "still here")
        await client.close()
        await daemon.stop()
    }

    @Test func metadataKeysMustBeLowerCase() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        await #expect {
            _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest(),
                                      metadata: [("coi-request-id", "r1"), ("Authorization", "x")])
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .invalidArgument && e?.fieldViolations.first?.field == "metadata[1].key"
        }
        _ = try await client.call(Coi_Core_V1_Diagnostics.Method.echo, Coi_Core_V1_EchoRequest(),
                                  metadata: [("coi-request-id", "r2")])
        await client.close()
        await daemon.stop()
    }

    @Test func unknownServiceAndMethodAreUnimplemented() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        await #expect {
            _ = try await client.unary(service: "coi.nope.v1.Nope", method: "X", payload: [])
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .unimplemented && e?.message.contains("service coi.nope.v1.Nope") == true
        }
        await #expect {
            _ = try await client.unary(service: Self.diagnostics, method: "Nope", payload: [])
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .unimplemented && e?.message.contains("method Nope") == true
        }
        await client.close()
        await daemon.stop()
    }

    @Test func fieldValidationNamesTheField() async throws {
        let daemon = try await DaemonProcess()
        let client = try await daemon.connect()
        await #expect {
            _ = try await client.call(Coi_Core_V1_Diagnostics.Method.sleep, Coi_Core_V1_SleepRequest.with { $0.millis = 700_000 })
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .invalidArgument && e?.fieldViolations.first?.field == "millis"
        }
        await client.close()
        await daemon.stop()
    }
}

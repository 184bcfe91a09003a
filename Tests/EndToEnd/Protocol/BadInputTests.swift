import COIProto
import COIWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// Every bad-input case of docs/protocol.md, sent as raw bytes: the stated status on the stated
/// stream, and the connection and daemon alive afterwards.
@Suite(.serialized) struct BadInputTests {
    let echo = Coi_Core_V1_EchoRequest.with { $0.message = "ok?" }

    func expectAlive(_ raw: RawConnection, id: UInt32) throws {
        try raw.sendRequest(id, service: "coi.core.v1.Diagnostics", method: "Echo", payload: echo)
        let (streamID, response) = try raw.readResponse()
        #expect(streamID == id)
        #expect(response.status.code == 0)
        #expect(try Coi_Core_V1_EchoReply(serializedBytes: response.payload).message == "ok?")
    }

    func expectStatus(_ raw: RawConnection, id: UInt32, _ code: StatusCode, contains text: String) throws {
        let (streamID, response) = try raw.readResponse()
        #expect(streamID == id)
        #expect(StatusCode(wireValue: response.status.code) == code, "\(response.status.message)")
        #expect(response.status.message.contains(text), "\(response.status.message)")
    }

    @Test func streamIdRules() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        try raw.sendRequest(2, service: "coi.core.v1.Diagnostics", method: "Echo", payload: echo)
        try expectStatus(raw, id: 2, .invalidArgument, contains: "even")
        try expectAlive(raw, id: 5)
        try raw.sendRequest(5, service: "coi.core.v1.Diagnostics", method: "Echo", payload: echo)
        try expectStatus(raw, id: 5, .invalidArgument, contains: "reused or decreasing")
        try raw.sendRequest(3, service: "coi.core.v1.Diagnostics", method: "Echo", payload: echo)
        try expectStatus(raw, id: 3, .invalidArgument, contains: "reused or decreasing")
        try expectAlive(raw, id: 7)
        await daemon.stop()
    }

    @Test func dataFrameRules() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        raw.send(Frame(streamID: 41, type: .data, payload: ByteBuffer(bytes: [1, 2, 3])))
        try expectStatus(raw, id: 41, .invalidArgument, contains: "unknown stream")
        // A client stream, closed, then Data with payload after remote-closed.
        try raw.sendRequest(43, service: "coi.core.v1.Diagnostics", method: "EchoCollect", payload: Coi_Core_V1_EchoRequest(), flags: .remoteOpen)
        raw.send(Frame(streamID: 43, type: .data, flags: .remoteClosed, payload: ByteBuffer(bytes: try echo.serializedBytes() as [UInt8])))
        let (id, response) = try raw.readResponse()
        #expect(id == 43 && response.status.code == 0)
        raw.send(Frame(streamID: 43, type: .data, payload: ByteBuffer(bytes: [1])))
        try expectStatus(raw, id: 43, .invalidArgument, contains: "unknown stream")
        // Bad flags on Data and on Request.
        try raw.sendRequest(45, service: "coi.core.v1.Diagnostics", method: "EchoCollect", payload: Coi_Core_V1_EchoRequest(), flags: .remoteOpen)
        raw.send(Frame(streamID: 45, rawType: 3, flags: FrameFlags(rawValue: 0x40), payload: ByteBuffer()))
        try expectStatus(raw, id: 45, .invalidArgument, contains: "flags")
        try raw.sendRequest(47, service: "coi.core.v1.Diagnostics", method: "Echo", payload: echo, flags: FrameFlags(rawValue: 0x03))
        try expectStatus(raw, id: 47, .invalidArgument, contains: "flags")
        // Data on a unary stream: the stream fails, others go on.
        try raw.sendRequest(49, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: Coi_Core_V1_SleepRequest.with { $0.millis = 300 })
        raw.send(Frame(streamID: 49, type: .data, payload: ByteBuffer(bytes: [1])))
        try expectStatus(raw, id: 49, .invalidArgument, contains: "unary")
        try expectAlive(raw, id: 51)
        await daemon.stop()
    }

    @Test func oversizedPayloadIsRefusedAndTheConnectionSurvives() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        var header = ByteBuffer()
        header.writeInteger(UInt32(Frame.maxPayloadSize + 1))
        header.writeInteger(UInt32(1))
        header.writeInteger(UInt8(1))
        header.writeInteger(UInt8(0))
        raw.write(Array(buffer: header) + [UInt8](repeating: 0x55, count: Frame.maxPayloadSize + 1))
        try expectStatus(raw, id: 1, .resourceExhausted, contains: "4 MiB")
        try expectAlive(raw, id: 3)
        // Exactly 4 MiB is allowed: an Echo whose whole Request is 4 MiB.
        var request = Ttrpc_Request()
        request.service = "coi.core.v1.Diagnostics"
        request.method = "Echo"
        let overhead = (try request.serializedBytes() as [UInt8]).count + 2 + 4 + 4 // payload tag+len, message tag+len
        request.payload = try Coi_Core_V1_EchoRequest.with { $0.message = String(repeating: "a", count: Frame.maxPayloadSize - overhead) }.serializedData()
        let bytes: [UInt8] = try request.serializedBytes()
        #expect(bytes.count <= Frame.maxPayloadSize)
        raw.send(Frame(streamID: 5, type: .request, payload: ByteBuffer(bytes: bytes)))
        let (id, response) = try raw.readResponse()
        #expect(id == 5)
        // The reply is as big as the request; it fits the same limit.
        #expect(response.status.code == 0, "\(response.status.message)")
        try expectAlive(raw, id: 7)
        await daemon.stop()
    }

    @Test func undecodableRequestAndPayload() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        raw.send(Frame(streamID: 1, type: .request, payload: ByteBuffer(bytes: [0xff, 0xff, 0xff])))
        try expectStatus(raw, id: 1, .invalidArgument, contains: "ttrpc.Request")
        var request = Ttrpc_Request()
        request.service = "coi.core.v1.Diagnostics"
        request.method = "Echo"
        request.payload = Data([0x0a, 0x05, 0x61])  // string field claiming 5 bytes, only 1 present
        raw.send(Frame(streamID: 3, type: .request, payload: ByteBuffer(bytes: try request.serializedBytes() as [UInt8])))
        try expectStatus(raw, id: 3, .invalidArgument, contains: "coi.core.v1.EchoRequest")
        try expectAlive(raw, id: 5)
        await daemon.stop()
    }

    @Test func impossibleHeaderClosesOnlyThatConnection() async throws {
        let daemon = try await DaemonProcess()
        let raw = try RawConnection(path: daemon.socketPath)
        raw.write(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(raw.readFrame() == nil, "the server closes a connection that does not speak ttrpc")
        let fresh = try RawConnection(path: daemon.socketPath)
        try expectAlive(fresh, id: 1)
        await daemon.stop()
    }

    @Test func concurrentStreamCapAndStreamingFlagRules() async throws {
        let daemon = try await DaemonProcess(config: "[server]\nmax_concurrent_streams = 2\n")
        let raw = try RawConnection(path: daemon.socketPath)
        let sleep = Coi_Core_V1_SleepRequest.with { $0.millis = 500 }
        try raw.sendRequest(1, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: sleep)
        try raw.sendRequest(3, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: sleep)
        try raw.sendRequest(5, service: "coi.core.v1.Diagnostics", method: "Sleep", payload: sleep)
        try expectStatus(raw, id: 5, .resourceExhausted, contains: "concurrent streams")
        var done: Set<UInt32> = []
        for _ in 0..<2 {
            let (id, response) = try raw.readResponse()
            #expect(response.status.code == 0)
            done.insert(id)
        }
        #expect(done == [1, 3])
        try raw.sendRequest(7, service: "coi.core.v1.Diagnostics", method: "EchoStream", payload: echo)
        try expectStatus(raw, id: 7, .invalidArgument, contains: "remote-closed")
        try expectAlive(raw, id: 9)
        await daemon.stop()
    }
}

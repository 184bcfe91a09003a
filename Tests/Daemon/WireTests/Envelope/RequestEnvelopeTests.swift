import COIProto
import COIWire
import Foundation
import NIOCore
import SwiftProtobuf
import Testing

/// The hand-written Request decoder against swift-protobuf, the reference.
@Suite struct RequestEnvelopeTests {
    func decode(_ bytes: [UInt8]) -> RequestEnvelope? { try? RequestEnvelope(decoding: ByteBuffer(bytes: bytes)) }

    @Test func decodesWhatSwiftProtobufEncodes() throws {
        let request = Ttrpc_Request.with {
            $0.service = "coi.wiki.v1.Wiki"
            $0.method = "Save"
            $0.payload = Data([0, 1, 2, 255])
            $0.timeoutNano = 5_000_000_000
            $0.metadata = [.with { $0.key = "authorization"; $0.value = "Bearer coi_abc" },
                           .with { $0.key = "coi-request-id"; $0.value = "Århus-1" }]
        }
        let envelope = try #require(decode(try request.serializedBytes()))
        #expect(envelope.service == "coi.wiki.v1.Wiki" && envelope.method == "Save")
        #expect(envelope.payload == [0, 1, 2, 255] && envelope.timeoutNano == 5_000_000_000)
        #expect(envelope.metadata.map(\.key) == ["coi-request-id"], "the bearer secret is kept out of the metadata handlers see")
        #expect(envelope.metadata.map(\.value) == ["Århus-1"])
        #expect(envelope.authorization == "Bearer coi_abc")
        #expect(decode([])?.service == "", "the empty message is a valid Request")
        let negative = try Ttrpc_Request.with { $0.timeoutNano = -1 }.serializedBytes() as [UInt8]
        #expect(decode(negative)?.timeoutNano == -1)
    }

    @Test func findsTheRequestIDAndTheFirstBadMetadataKey() throws {
        func envelope(_ keys: [String]) throws -> RequestEnvelope {
            try #require(decode(try Ttrpc_Request.with {
                $0.metadata = keys.map { key in .with { $0.key = key; $0.value = "v-\(key)" } }
            }.serializedBytes()))
        }
        #expect(try envelope(["a", "coi-request-id", "b"]).requestID == "v-coi-request-id")
        #expect(try envelope(["authorization", "coi-act-as"]).invalidMetadataKey == nil)
        #expect(try envelope(["authorization", "Upper"]).invalidMetadataKey == 1, "indices count every entry sent")
        #expect(try envelope(["a"]).authorization == nil)
        #expect(try envelope(["ok", "Upper"]).invalidMetadataKey == 1)
        #expect(try envelope(["with space", "Upper"]).invalidMetadataKey == 0)
        #expect(try envelope(["", "x"]).invalidMetadataKey == 0)
        #expect(try envelope(["ok", "æøå"]).invalidMetadataKey == 1)
    }

    @Test func keepsTheFirstAuthorization() throws {
        let request = Ttrpc_Request.with {
            $0.metadata = [.with { $0.key = "authorization"; $0.value = "Bearer first" },
                           .with { $0.key = "authorization"; $0.value = "Bearer second" }]
        }
        let envelope = try #require(decode(try request.serializedBytes()))
        #expect(envelope.authorization == "Bearer first" && envelope.metadata.isEmpty)
    }

    @Test func skipsUnknownFieldsAndKeepsTheLastValue() throws {
        // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then service twice.
        var bytes: [UInt8] = [0x48, 0x96, 0x01, 0x51] + Array(repeating: 7, count: 8) + [0x5a, 0x02, 0x61, 0x62, 0x65, 1, 2, 3, 4]
        bytes += [0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62]
        let reference = try Ttrpc_Request(serializedBytes: bytes)
        #expect(decode(bytes)?.service == reference.service)
        #expect(reference.service == "b")
    }

    @Test func refusesInvalidUTF8AndKeepsValidText() throws {
        // service (field 1) with the given bytes, then method "Echo".
        func request(service: [UInt8]) -> [UInt8] {
            [0x0a, UInt8(service.count)] + service + [0x12, 0x04] + Array("Echo".utf8)
        }
        #expect(decode(request(service: Array("coi.æøå.ÆØÅ".utf8)))?.service == "coi.æøå.ÆØÅ")
        // A truncated 4-byte sequence repairs to one U+FFFD of the same length: still refused.
        #expect(decode(request(service: [0x61, 0xf0, 0x9f, 0x98])) == nil)
        #expect(decode(request(service: [0xe0, 0x80, 0x80])) == nil, "an overlong encoding")
        #expect(decode(request(service: [0xed, 0xa0, 0x80])) == nil, "a surrogate")
        #expect(decode(request(service: [0xef, 0xbf, 0xbd]))?.service == "\u{FFFD}", "U+FFFD itself is valid text")
        for bad in [[0xff], [0xc3], [0x80, 0x61]] as [[UInt8]] {
            let metadata: [UInt8] = [0x2a, UInt8(5 + bad.count), 0x0a, 0x01, 0x6b, 0x12, UInt8(bad.count)] + bad
            #expect(decode(request(service: [0x61]) + metadata) == nil, "metadata value \(bad)")
            #expect((try? Ttrpc_Request(serializedBytes: request(service: [0x61]) + metadata)) == nil, "the reference agrees")
        }
    }

    @Test func agreesWithSwiftProtobufOnRandomAndMutatedInput() throws {
        var generator = SeededGenerator(seed: 20261123)
        let valid: [UInt8] = try Ttrpc_Request.with {
            $0.service = "coi.core.v1.Diagnostics"
            $0.method = "Echo"
            $0.payload = Data("hej".utf8)
            $0.metadata = [.with { $0.key = "k"; $0.value = "v" }]
        }.serializedBytes()
        for round in 0..<5_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let reference = try? Ttrpc_Request(serializedBytes: bytes)
            let ours = decode(bytes)
            // We may refuse more (groups, which proto3 never sends) but never accept what the
            // reference refuses, and never read a different value.
            if reference == nil { #expect(ours == nil, "accepted \(bytes)") }
            if let reference, let ours {
                #expect(ours.service == reference.service && ours.method == reference.method && ours.payload == Array(reference.payload)
                        && ours.timeoutNano == reference.timeoutNano
                        && ours.metadata.map(\.key) == reference.metadata.map(\.key).filter { $0 != "authorization" }
                        && ours.metadata.map(\.value) == reference.metadata.filter { $0.key != "authorization" }.map(\.value),
                        "differs on \(bytes)")
            }
        }
    }
}

/// A deterministic generator so that a failure can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        var z = state
        z = (z ^ (z >> 33)) &* 0xff51afd7ed558ccd
        return z ^ (z >> 33)
    }
}

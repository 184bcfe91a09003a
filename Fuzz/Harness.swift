// libFuzzer harnesses for coid's parsers, built and run by scripts/fuzz.sh (not in CI). The sources
// under test are compiled into this module with -sanitize=fuzzer, so coverage guides the fuzzer
// through them; their dependencies (NIOCore, SwiftProtobuf, the generated protos) are linked from
// the debug build. FUZZ_TARGET picks the harness: frame, envelope, streams, toml, json.
import COIProto
import Foundation
import NIOCore
import SwiftProtobuf

/// The harness chosen by FUZZ_TARGET, read once.
let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "frame"

/// The API's descriptors, for the JSON codec harness.
let pool = try! DescriptorPool(serializedFileDescriptorSet: Data(base64Encoded: coiDescriptorSetBase64)!)
let messageNames = pool.messageNames

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch target {
    case "frame": fuzzFrames(bytes)
    case "envelope": fuzzEnvelope(bytes)
    case "streams": fuzzStreams(bytes)
    case "toml": fuzzTOML(bytes)
    case "json": fuzzJSON(bytes)
    default: fatalError("unknown FUZZ_TARGET \(target)")
    }
    return 0
}

/// Every event the parser yields from `chunks`, fed one after another, until it needs more or fails.
func parse(_ chunks: [ArraySlice<UInt8>], maxPayloadSize: Int) -> (events: [FrameEvent], failed: Bool) {
    var parser = FrameParser(maxPayloadSize: maxPayloadSize)
    var buffer = ByteBuffer()
    var events: [FrameEvent] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        do {
            while let event = try parser.next(from: &buffer) { events.append(event) }
        } catch {
            return (events, true)
        }
    }
    return (events, false)
}

/// The frame parser must yield the same events however the bytes are split (the network may
/// split or coalesce them anywhere), and never more payload than arrived.
func fuzzFrames(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let limit = Int(first % 64) + 1  // small limits reach the oversized path
    let input = bytes.dropFirst()
    let whole = parse([input], maxPayloadSize: limit)
    var chunks: [ArraySlice<UInt8>] = []
    var index = input.startIndex
    var step = 1
    while index < input.endIndex {
        let end = min(input.endIndex, index + step)
        chunks.append(input[index..<end])
        index = end
        step = step % 7 + 1
    }
    let split = parse(chunks, maxPayloadSize: limit)
    precondition(whole.events == split.events && whole.failed == split.failed, "frame events depend on how bytes were split")
    var payload = 0
    for case let .frame(frame) in whole.events { payload += frame.payload.readableBytes }
    precondition(payload <= input.count, "more payload than input")
}

/// The hand-written envelope decoder must not crash, and when it and SwiftProtobuf both accept a
/// request they must agree on what it says.
func fuzzEnvelope(_ bytes: [UInt8]) {
    let ours = try? RequestEnvelope(decoding: ByteBuffer(bytes: bytes))
    guard let ours, let theirs = try? Ttrpc_Request(serializedBytes: bytes) else { return }
    precondition(ours.service == theirs.service && ours.method == theirs.method, "service/method differ from SwiftProtobuf")
    precondition(ours.payload == Array(theirs.payload), "payload differs from SwiftProtobuf")
    precondition(ours.timeoutNano == theirs.timeoutNano, "timeout differs from SwiftProtobuf")
}

/// Any sequence of frames: the stream table never holds more streams than its cap, and a stream
/// it calls active is one it admitted.
func fuzzStreams(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    var table = ServerStreamTable(maxConcurrentStreams: Int(first % 8) + 1)
    var index = 1
    while index + 3 <= bytes.count {
        let streamID = UInt32(bytes[index] % 16)
        let rawType = bytes[index + 1] % 4
        let flags = bytes[index + 2]
        index += 3
        if rawType == 0 {
            table.finish(streamID)
            continue
        }
        let event: FrameEvent = flags & 0x80 != 0
            ? .oversized(streamID: streamID, rawType: rawType, length: 5_000_000)
            : .frame(Frame(streamID: streamID, rawType: rawType, flags: FrameFlags(rawValue: flags & 0x7), payload: ByteBuffer()))
        _ = table.receive(event)
        precondition(table.activeCount <= table.maxConcurrentStreams, "more active streams than the cap")
    }
}

/// The TOML parser must answer every text with a table or an error, never crash or hang.
func fuzzTOML(_ bytes: [UInt8]) {
    _ = try? TOML.parse(String(decoding: bytes, as: UTF8.self))
}

/// The dynamic JSON codec: JSON text → protobuf for a message type chosen by the first byte must
/// not crash; what it accepts must decode back to JSON that encodes to the same bytes; arbitrary
/// bytes as protobuf must not crash the JSON encoder either.
func fuzzJSON(_ bytes: [UInt8]) {
    guard let first = bytes.first, !messageNames.isEmpty else { return }
    let type = messageNames[Int(first) % messageNames.count]
    let rest = Data(bytes.dropFirst())
    let encoder = DynamicJSONEncoder(pool: pool)
    let decoder = DynamicJSONDecoder(pool: pool)
    _ = try? decoder.decode(Array(rest), as: type)
    guard let binary = try? encoder.encode(jsonText: rest, as: type) else { return }
    guard let json = try? decoder.decode(binary, as: type) else {
        preconditionFailure("the JSON encoder produced bytes its decoder refuses (\(type))")
    }
    guard let again = try? encoder.encode(json, as: type) else {
        preconditionFailure("decoded JSON does not encode again (\(type))")
    }
    guard let json2 = try? decoder.decode(again, as: type) else {
        preconditionFailure("re-encoded bytes do not decode (\(type))")
    }
    precondition(NSDictionary(dictionary: json2 as? [String: Any] ?? [:]).isEqual(to: json as? [String: Any] ?? [:]),
                 "JSON round trip is not stable (\(type))")
}

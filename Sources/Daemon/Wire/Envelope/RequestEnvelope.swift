public import NIOCore

/// A `ttrpc.Request` read straight from a frame's bytes.
///
/// Every call starts by decoding one of these, so the server reads the five fields by hand rather
/// than through swift-protobuf's generic decoder: no intermediate array, no per-field generic
/// dispatch, metadata straight into the entries the request context keeps. The rules are the
/// protobuf wire format's (unknown fields skipped, last value of a singular field wins, strings
/// must be UTF-8); `RequestEnvelopeTests` checks it against swift-protobuf on valid and random
/// input.
public struct RequestEnvelope: Sendable {
    public var service = ""
    public var method = ""
    public var payload: [UInt8] = []
    public var timeoutNano: Int64 = 0
    /// Metadata except `authorization`.
    public var metadata: [MetadataEntry] = []
    /// The first value of metadata `authorization`, kept apart from `metadata` so that the bearer
    /// secret reaches authentication and nothing else (handlers and logs see `metadata` only), and
    /// so that a token call allocates no metadata array.
    public var authorization: String?
    /// The value of metadata `coi-request-id`, or "".
    public var requestID = ""
    /// The index of the first metadata key that is not lower-case printable ASCII without spaces
    /// (the protocol's rule), or nil. Checked here, on the bytes, because it runs on every call.
    public var invalidMetadataKey: Int?

    init() {}

    /// Why bytes are not a Request.
    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Decodes a Request.
    /// - Parameter buffer: The Request frame's payload.
    /// - Throws: `DecodingError` naming what is malformed.
    public init(decoding buffer: ByteBuffer) throws(DecodingError) {
        let result: Result<RequestEnvelope, DecodingError> = buffer.withUnsafeReadableBytes { bytes in
            var reader = WireReader(bytes: bytes)
            var envelope = RequestEnvelope()
            var entries = 0
            do throws(DecodingError) {
                while !reader.isAtEnd {
                    let key = try reader.varint()
                    switch (key >> 3, key & 7) {
                    case (1, 2): envelope.service = try reader.string("service")
                    case (2, 2): envelope.method = try reader.string("method")
                    case (3, 2): envelope.payload = Array(try reader.lengthDelimited("payload"))
                    case (4, 0): envelope.timeoutNano = Int64(bitPattern: try reader.varint())
                    case (5, 2):
                        var entry = WireReader(bytes: try reader.lengthDelimited("metadata"))
                        var pair = MetadataEntry("", "")
                        var keyIsValid = false
                        var isRequestID = false
                        var isAuthorization = false
                        while !entry.isAtEnd {
                            let entryKey = try entry.varint()
                            switch (entryKey >> 3, entryKey & 7) {
                            case (1, 2):
                                let raw = try entry.lengthDelimited("metadata.key")
                                keyIsValid = Self.isValidKey(raw)
                                isRequestID = raw.count == Self.requestIDKey.count && raw.elementsEqual(Self.requestIDKey)
                                isAuthorization = raw.count == Self.authorizationKey.count && raw.elementsEqual(Self.authorizationKey)
                                if !isAuthorization { pair.key = try WireReader.string(raw, "metadata.key") }
                            case (2, 2): pair.value = try entry.string("metadata.value")
                            case (1, _), (2, _): throw DecodingError(description: "metadata field \(entryKey >> 3) has the wrong wire type")
                            default: try entry.skip(entryKey)
                            }
                        }
                        if !keyIsValid && envelope.invalidMetadataKey == nil { envelope.invalidMetadataKey = entries }
                        entries += 1
                        if isRequestID { envelope.requestID = pair.value }
                        if isAuthorization {
                            if envelope.authorization == nil { envelope.authorization = pair.value }
                        } else {
                            envelope.metadata.append(pair)
                        }
                    case (1...5, _): throw DecodingError(description: "field \(key >> 3) has the wrong wire type \(key & 7)")
                    default: try reader.skip(key)
                    }
                }
            } catch {
                return .failure(error)
            }
            return .success(envelope)
        }
        self = try result.get()
    }

    static let requestIDKey = Array("coi-request-id".utf8)
    static let authorizationKey = Array("authorization".utf8)

    /// Non-empty, printable ASCII (0x21–0x7e) and no upper-case letters.
    static func isValidKey(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte < 0x21 || byte > 0x7e || (byte >= 0x41 && byte <= 0x5a) {
            return false
        }
        return true
    }
}

/// Reads protobuf wire-format primitives from a buffer.
struct WireReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func varint() throws(RequestEnvelope.DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { break }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { break }
        }
        throw RequestEnvelope.DecodingError(description: "malformed varint at byte \(offset)")
    }

    mutating func lengthDelimited(_ field: String) throws(RequestEnvelope.DecodingError) -> UnsafeRawBufferPointer {
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else {
            throw RequestEnvelope.DecodingError(description: "field \(field) claims \(length) bytes, only \(bytes.count - offset) remain")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return slice
    }

    mutating func string(_ field: String) throws(RequestEnvelope.DecodingError) -> String {
        try Self.string(try lengthDelimited(field), field)
    }

    static func string(_ raw: UnsafeRawBufferPointer, _ field: String) throws(RequestEnvelope.DecodingError) -> String {
        // `String(validating:as:)` is generic and looks up its type metadata at run time on every
        // call; decoding (specialised, repairs bad sequences with U+FFFD) and comparing the bytes is
        // exact and cheaper: a valid input decodes to itself, an invalid one never does (issue 15).
        let string = String(decoding: raw, as: UTF8.self)
        guard string.utf8.elementsEqual(raw) else {
            throw RequestEnvelope.DecodingError(description: "field \(field) is not valid UTF-8")
        }
        return string
    }

    /// Skips a field of any wire type; groups (3/4) are refused as proto3 does not have them.
    mutating func skip(_ key: UInt64) throws(RequestEnvelope.DecodingError) {
        guard key >> 3 != 0, key >> 3 <= 536_870_911 else {
            throw RequestEnvelope.DecodingError(description: "invalid field number \(key >> 3) at byte \(offset)")
        }
        switch key & 7 {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try lengthDelimited("unknown")
        case 5: try advance(4)
        default: throw RequestEnvelope.DecodingError(description: "unsupported wire type \(key & 7) at byte \(offset)")
        }
    }

    private mutating func advance(_ count: Int) throws(RequestEnvelope.DecodingError) {
        guard bytes.count - offset >= count else { throw RequestEnvelope.DecodingError(description: "truncated field at byte \(offset)") }
        offset += count
    }
}

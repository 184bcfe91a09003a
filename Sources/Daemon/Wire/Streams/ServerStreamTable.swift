public import NIOCore

/// The server side of ttrpc's stream rules for one connection, free of I/O so it can be tested alone.
///
/// It decides, frame by frame, whether a frame opens a stream, feeds an open one, or must be
/// answered with an error on its stream id. The connection acts on the verdicts.
public struct ServerStreamTable: Sendable {
    /// The verdict on one inbound frame.
    public enum Verdict: Sendable, Equatable {
        /// A valid Request frame opening stream `streamID`.
        case open(streamID: UInt32, flags: FrameFlags, payload: ByteBuffer)
        /// A message (nil for a bare close) for an open client stream; `endOfStream` when the client closed its side.
        case data(streamID: UInt32, payload: ByteBuffer?, endOfStream: Bool)
        /// Answer `error` on `streamID`; when `cancelsStream`, an open stream of that id is cancelled
        /// first because the error Response ends it.
        case reject(streamID: UInt32, error: RPCError, cancelsStream: Bool)
        /// Nothing to do (an empty close for a stream already closed by the client).
        case ignore
    }

    /// Most streams one connection may have open at once.
    public var maxConcurrentStreams: Int
    private var lastOpened: UInt32 = 0
    private var active: Set<UInt32> = []
    private var acceptingData: Set<UInt32> = []

    /// Creates a table.
    /// - Parameter maxConcurrentStreams: Requests beyond this many open streams are refused with RESOURCE_EXHAUSTED.
    public init(maxConcurrentStreams: Int) {
        self.maxConcurrentStreams = maxConcurrentStreams
    }

    /// Streams opened and not yet finished.
    public var activeCount: Int { active.count }

    /// Whether a stream is open (opened and not yet finished).
    /// - Parameter streamID: The stream.
    /// - Returns: True while its final Response is still due.
    public func isActive(_ streamID: UInt32) -> Bool { active.contains(streamID) }

    /// Marks a stream finished (its final Response was sent or it was cancelled).
    /// - Parameter streamID: The stream.
    public mutating func finish(_ streamID: UInt32) {
        active.remove(streamID)
        acceptingData.remove(streamID)
    }

    /// Judges one inbound event.
    /// - Parameter event: What the frame parser produced.
    /// - Returns: What the connection must do.
    public mutating func receive(_ event: FrameEvent) -> Verdict {
        switch event {
        case let .oversized(streamID, rawType, length):
            let error = RPCError(.resourceExhausted,
                                 "frame payload of \(length) bytes exceeds the limit of \(Frame.maxPayloadSize) bytes (4 MiB)",
                                 reason: "PAYLOAD_TOO_LARGE")
            if rawType == MessageType.request.rawValue, streamID % 2 == 1, streamID > lastOpened {
                lastOpened = streamID
            }
            return .reject(streamID: streamID, error: error, cancelsStream: active.contains(streamID))
        case let .frame(frame):
            switch frame.type {
            case .request: return receiveRequest(frame)
            case .data: return receiveData(frame)
            case .response:
                return .reject(streamID: frame.streamID,
                               error: RPCError(.invalidArgument, "clients may not send Response frames (stream \(frame.streamID))",
                                               reason: "PROTOCOL_VIOLATION"),
                               cancelsStream: active.contains(frame.streamID))
            case nil:
                let hex = String(frame.rawType, radix: 16)
                return .reject(streamID: frame.streamID,
                               error: RPCError(.invalidArgument, "unknown message type 0x\(hex) (stream \(frame.streamID))",
                                               reason: "PROTOCOL_VIOLATION"),
                               cancelsStream: active.contains(frame.streamID))
            }
        }
    }

    private mutating func receiveRequest(_ frame: Frame) -> Verdict {
        let id = frame.streamID
        func reject(_ code: StatusCode, _ message: String) -> Verdict {
            .reject(streamID: id, error: RPCError(code, message, reason: code == .resourceExhausted ? "TOO_MANY_STREAMS" : "PROTOCOL_VIOLATION"),
                    cancelsStream: false)
        }
        if id % 2 == 0 {
            return reject(.invalidArgument, "stream id \(id) is even; client-initiated streams use odd ids")
        }
        if id <= lastOpened {
            return reject(.invalidArgument, "stream id \(id) is not greater than the last stream id \(lastOpened) (reused or decreasing)")
        }
        lastOpened = id
        if !FrameFlags.validForRequest.isSuperset(of: frame.flags) || frame.flags == [.remoteClosed, .remoteOpen] {
            return reject(.invalidArgument, "Request flags 0x\(String(frame.flags.rawValue, radix: 16)) are invalid; allowed: 0, 0x1 (remote closed) or 0x2 (remote open)")
        }
        if active.count >= maxConcurrentStreams {
            return reject(.resourceExhausted, "too many concurrent streams on this connection (limit \(maxConcurrentStreams))")
        }
        active.insert(id)
        if frame.flags.contains(.remoteOpen) { acceptingData.insert(id) }
        return .open(streamID: id, flags: frame.flags, payload: frame.payload)
    }

    private mutating func receiveData(_ frame: Frame) -> Verdict {
        let id = frame.streamID
        guard active.contains(id) else {
            return .reject(streamID: id, error: RPCError(.invalidArgument, "Data frame on unknown stream \(id)", reason: "PROTOCOL_VIOLATION"),
                           cancelsStream: false)
        }
        func reject(_ message: String) -> Verdict {
            .reject(streamID: id, error: RPCError(.invalidArgument, message, reason: "PROTOCOL_VIOLATION"), cancelsStream: true)
        }
        if !FrameFlags.validForData.isSuperset(of: frame.flags) {
            return reject("Data flags 0x\(String(frame.flags.rawValue, radix: 16)) are invalid on stream \(id); allowed: 0x1 (remote closed), 0x4 (no data)")
        }
        let noData = frame.flags.contains(.noData)
        if noData && frame.payload.readableBytes > 0 {
            return reject("Data frame on stream \(id) has the no-data flag but carries \(frame.payload.readableBytes) bytes")
        }
        guard acceptingData.contains(id) else {
            if noData || frame.payload.readableBytes == 0 { return .ignore }
            return reject("Data frame with payload on stream \(id) after the client closed it (remote closed) or on a unary stream")
        }
        let end = frame.flags.contains(.remoteClosed)
        if end { acceptingData.remove(id) }
        return .data(streamID: id, payload: noData ? nil : frame.payload, endOfStream: end)
    }
}

public import NIOCore

/// NIO decoder that turns inbound bytes into `FrameEvent`s; all rules live in `FrameParser`.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = FrameEvent
    private var parser: FrameParser

    /// Creates a decoder.
    /// - Parameter maxPayloadSize: Payloads above this size are reported as oversized.
    public init(maxPayloadSize: Int = Frame.maxPayloadSize) {
        parser = FrameParser(maxPayloadSize: maxPayloadSize)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let event = try parser.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(event))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // A truncated trailing frame is dropped: its sender is gone and cannot be answered.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}

/// NIO encoder that writes `Frame`s.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Frame
    public init() {}
    public func encode(data: Frame, out: inout ByteBuffer) throws {
        data.encode(into: &out)
    }
}

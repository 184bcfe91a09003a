import COIProto
import NIOCore
import SwiftProtobuf

/// Commands the async client sends down the pipeline.
enum ClientCommand: Sendable {
    case start(ClientCall, Ttrpc_Request, FrameFlags)
    case send(ClientCall, ByteBuffer?, end: Bool)
}

/// Assigns stream ids, writes frames and routes inbound frames to their calls. Runs on the event loop.
final class ClientHandler: ChannelDuplexHandler {
    typealias InboundIn = FrameEvent
    typealias OutboundIn = ClientCommand
    typealias OutboundOut = Frame

    private var nextStreamID: UInt32 = 1
    private var calls: [UInt32: ClientCall] = [:]

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case let .start(call, request, flags):
            let id = nextStreamID
            nextStreamID &+= 2
            call.streamID = id
            calls[id] = call
            let payload: [UInt8]
            do { payload = try request.serializedBytes() } catch {
                calls[id] = nil
                promise?.fail(error)
                return
            }
            let buffer = context.channel.allocator.buffer(bytes: payload)
            context.write(wrapOutboundOut(Frame(streamID: id, type: .request, flags: flags, payload: buffer)), promise: promise)
        case let .send(call, payload, end):
            var flags: FrameFlags = end ? .remoteClosed : []
            if payload == nil { flags.insert(.noData) }
            let frame = Frame(streamID: call.streamID, type: .data, flags: flags,
                              payload: payload ?? context.channel.allocator.buffer(capacity: 0))
            context.write(wrapOutboundOut(frame), promise: promise)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .frame(frame) = unwrapInboundIn(data), let call = calls[frame.streamID] else { return }
        switch frame.type {
        case .data:
            let end = frame.flags.contains(.remoteClosed)
            if end { calls[frame.streamID] = nil }
            call.deliver(.data(frame.payload, endOfStream: end))
        case .response:
            calls[frame.streamID] = nil
            do {
                let response = try Ttrpc_Response(serializedBytes: Array(buffer: frame.payload))
                call.deliver(.response(response))
            } catch {
                call.deliver(.failed(RPCError(.internal, "undecodable Response from server: \(error)")))
            }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RPCError(.unavailable, "connection closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RPCError(.unavailable, "connection error: \(error)"))
        context.close(promise: nil)
    }

    private func failAll(_ error: RPCError) {
        let pending = calls
        calls = [:]
        for call in pending.values { call.deliver(.failed(error)) }
    }
}

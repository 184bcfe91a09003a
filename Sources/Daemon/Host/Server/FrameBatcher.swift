import COIWire
import NIOCore

/// Hands the frames of one socket read to the connection's read loop together (issue 15).
///
/// The read loop receives from an `NIOAsyncChannel`, whose every element costs a hand-over through
/// its async sequence (a lock, a state machine, executor checks). A client with many calls in
/// flight sends dozens of frames per read; passed one by one, those hand-overs were the largest
/// single cost of a call in the profile. Passed as one batch per read, they are paid once. The
/// frames keep their order, and each is still checked on its own by the read loop.
final class FrameBatcher: ChannelInboundHandler {
    typealias InboundIn = FrameEvent
    typealias InboundOut = [FrameEvent]

    private var pending: [FrameEvent] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        pending.append(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelReadComplete()
    }

    // Frames decoded at end of input (or before an error) arrive without a read-complete: they go
    // ahead of the event, in order.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        flush(context)
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        flush(context)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        flush(context)
        context.fireChannelInactive()
    }

    private func flush(_ context: ChannelHandlerContext) {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        context.fireChannelRead(wrapInboundOut(batch))
    }
}

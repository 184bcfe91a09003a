import NIOCore

/// A connection as its listener hands it over: the channel, and the pipeline handler that will
/// start its calls once the connection is admitted and set up.
struct AcceptedConnection: Sendable {
    let channel: NIOAsyncChannel<Never, ByteBuffer>
    let reader: NIOLoopBound<ConnectionReader>
}

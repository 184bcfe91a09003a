import Synchronization

/// The client's record of one stream. Its id is assigned on the event loop when the Request is
/// written, so ids reach the server strictly increasing whatever order callers start calls in.
final class ClientCall: Sendable {
    private let state = Mutex<UInt32>(0)
    let deliver: @Sendable (ClientCallEvent) -> Void

    init(deliver: @escaping @Sendable (ClientCallEvent) -> Void) {
        self.deliver = deliver
    }

    var streamID: UInt32 {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}

import Synchronization

/// The client's record of one stream. Its id is assigned on the event loop when the Request is
/// written, so ids reach the server strictly increasing whatever order callers start calls in.
final class ClientCall: Sendable {
    private struct State {
        var streamID: UInt32 = 0
        var ended = false
    }
    private let state = Mutex(State())
    private let handler: @Sendable (ClientCallEvent) -> Void

    init(deliver: @escaping @Sendable (ClientCallEvent) -> Void) {
        self.handler = deliver
    }

    var streamID: UInt32 {
        get { state.withLock { $0.streamID } }
        set { state.withLock { $0.streamID = newValue } }
    }

    /// Hands an event to the caller; nothing after the call's end. A call can be ended twice, by
    /// the server's Response and by the connection failing, or by a write that failed and the
    /// handler's own bookkeeping; the caller must see exactly one end.
    /// - Parameter event: What happened.
    func deliver(_ event: ClientCallEvent) {
        let terminal: Bool = switch event {
        case .response, .failed: true
        case let .data(_, endOfStream): endOfStream
        }
        let deliver = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            if terminal { state.ended = true }
            return true
        }
        if deliver { handler(event) }
    }
}

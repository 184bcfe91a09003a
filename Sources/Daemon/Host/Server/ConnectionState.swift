import COIWire
import Synchronization

/// The mutable per-connection state shared by the read loop and the stream tasks.
final class ConnectionState: Sendable {
    private struct State {
        var table: ServerStreamTable
        var queues: [UInt32: InboundQueue] = [:]
        var cancels: [UInt32: CancelSignal] = [:]
        var lastActivity = ContinuousClock.now
    }
    private let state: Mutex<State>
    let budget: ByteBudget

    init(maxConcurrentStreams: Int, budget: ByteBudget) {
        state = Mutex(State(table: ServerStreamTable(maxConcurrentStreams: maxConcurrentStreams)))
        self.budget = budget
    }

    func receive(_ event: FrameEvent, maxConcurrentStreams: Int) -> ServerStreamTable.Verdict {
        state.withLock { state in
            state.lastActivity = .now
            state.table.maxConcurrentStreams = maxConcurrentStreams
            return state.table.receive(event)
        }
    }

    func attach(_ streamID: UInt32, queue: InboundQueue?, cancel: CancelSignal?) {
        state.withLock { state in
            if let queue { state.queues[streamID] = queue }
            if let cancel { state.cancels[streamID] = cancel }
        }
    }

    func queue(_ streamID: UInt32) -> InboundQueue? {
        state.withLock { $0.queues[streamID] }
    }

    /// Ends a stream; true if it was still open, i.e. its final Response must be sent.
    func complete(_ streamID: UInt32) -> Bool {
        let (wasActive, queue) = state.withLock { state -> (Bool, InboundQueue?) in
            let wasActive = state.table.isActive(streamID)
            state.table.finish(streamID)
            state.cancels[streamID] = nil
            state.lastActivity = .now
            return (wasActive, state.queues.removeValue(forKey: streamID))
        }
        queue?.discard()
        return wasActive
    }

    /// Cancels an open stream because an error Response has ended it.
    func cancel(_ streamID: UInt32) {
        let (queue, cancel) = state.withLock { state -> (InboundQueue?, CancelSignal?) in
            state.table.finish(streamID)
            return (state.queues.removeValue(forKey: streamID), state.cancels.removeValue(forKey: streamID))
        }
        queue?.finish(CancellationError())
        queue?.discard()
        cancel?.fire()
    }

    func isActive(_ streamID: UInt32) -> Bool {
        state.withLock { $0.table.isActive(streamID) }
    }

    /// Streams open and how long the connection has been without traffic.
    var idleness: (openStreams: Int, idleFor: Duration) {
        state.withLock { ($0.table.activeCount, ContinuousClock.now - $0.lastActivity) }
    }

    /// Fails every client stream still reading (the connection is going away).
    func failAll() {
        let queues = state.withLock { state -> [InboundQueue] in
            defer { state.queues = [:] }
            return Array(state.queues.values)
        }
        for queue in queues {
            queue.finish(CancellationError())
            queue.discard()
        }
    }
}

/// Fired to cancel one streaming call.
typealias CancelSignal = ShutdownSignal

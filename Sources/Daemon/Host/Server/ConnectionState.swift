import COIWire
import Synchronization

/// The mutable per-connection state shared by the connection reader and the stream tasks.
final class ConnectionState: Sendable {
    private struct State {
        var table: ServerStreamTable
        var queues: [UInt32: InboundQueue] = [:]
        var cancels: [UInt32: CancelSignal] = [:]
        /// Streams of long-lived methods (feeds, watches), ended first at shutdown.
        var longLived: Set<UInt32> = []
        /// Set when shutdown's grace period has passed: calls ending now end UNAVAILABLE.
        var stopping = false
        /// Set when shutdown began: a long-lived stream opened from now on ends at once.
        var endingLongLived = false
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

    /// Records what a running call needs from the connection reader.
    /// - Parameters:
    ///   - streamID: The call's stream.
    ///   - queue: Where its client-streamed messages go.
    ///   - cancel: Fired to end it early.
    ///   - longLived: Whether its method follows changes until the caller leaves.
    func attach(_ streamID: UInt32, queue: InboundQueue?, cancel: CancelSignal?, longLived: Bool = false) {
        let endNow = state.withLock { state -> Bool in
            if let queue { state.queues[streamID] = queue }
            if let cancel { state.cancels[streamID] = cancel }
            if longLived { state.longLived.insert(streamID) }
            return longLived && (state.endingLongLived || state.stopping)
        }
        if endNow { cancel?.fire(.shutdown) }
    }

    /// Shutdown has begun: every long-lived stream ends now with UNAVAILABLE.
    func endLongLived() {
        let signals = state.withLock { state -> [CancelSignal] in
            state.endingLongLived = true
            return state.longLived.compactMap { state.cancels[$0] }
        }
        for signal in signals { signal.fire(.shutdown) }
    }

    /// Shutdown's grace period has passed: every call still running ends with UNAVAILABLE.
    func endAll() {
        let signals = state.withLock { state -> [CancelSignal] in
            state.stopping = true
            return Array(state.cancels.values)
        }
        for signal in signals { signal.fire(.shutdown) }
    }

    /// Whether shutdown's grace period has passed (a cancelled call then answers UNAVAILABLE).
    var isStopping: Bool { state.withLock { $0.stopping } }

    func queue(_ streamID: UInt32) -> InboundQueue? {
        state.withLock { $0.queues[streamID] }
    }

    /// Ends a stream; true if it was still open, i.e. its final Response must be sent.
    func complete(_ streamID: UInt32) -> Bool {
        let (wasActive, queue) = state.withLock { state -> (Bool, InboundQueue?) in
            let wasActive = state.table.isActive(streamID)
            state.table.finish(streamID)
            state.cancels[streamID] = nil
            state.longLived.remove(streamID)
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
            state.longLived.remove(streamID)
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

/// Ends one call early, and says why: its peer cancelled it, or the server is shutting down.
final class CancelSignal: Sendable {
    /// Why a call was ended.
    enum Reason: Sendable {
        /// The peer cancelled the stream: CANCELLED (nothing is sent; the stream is gone).
        case cancelled
        /// The server is shutting down: a final UNAVAILABLE.
        case shutdown
    }
    private let signal = ShutdownSignal()
    private let reason = Mutex<Reason?>(nil)

    init() {}

    /// Ends the call; the first reason given wins.
    func fire(_ why: Reason = .cancelled) {
        reason.withLock { if $0 == nil { $0 = why } }
        signal.fire()
    }

    /// Returns when fired, with the reason, or nil when the waiting task is cancelled first.
    func wait() async -> Reason? {
        await signal.wait()
        return reason.withLock { $0 }
    }
}

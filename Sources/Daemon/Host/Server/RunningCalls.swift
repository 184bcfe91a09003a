import Synchronization

/// The tasks of one connection's calls: started at once on the connection's event loop, and all
/// cancelled and awaited when the connection ends.
///
/// The calls are unstructured tasks because they are started from the channel pipeline
/// (`ConnectionReader`), which is not inside a task; this registry gives them back what a task group
/// gave them before (issue 15): the connection does not end while one of them still runs, and its
/// end cancels every one.
final class RunningCalls: Sendable {
    private struct State {
        var nextID = 0
        /// A call's entry exists from before its task starts until it ends; its handle is filled in
        /// once `Task.immediate` returns (a call that ended before that has no entry left).
        var tasks: [Int: Task<Void, Never>?] = [:]
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())
    /// Where the calls run (the connection's event loop).
    let executor: any TaskExecutor

    /// - Parameter executor: Where the calls run (the connection's event loop).
    init(executor: any TaskExecutor) {
        self.executor = executor
    }

    /// Starts `body` now, on the calling thread, until its first suspension; it resumes on the
    /// connection's executor.
    /// - Returns: false (and `body` does not run) once the connection has ended.
    @discardableResult
    func start(_ body: @escaping @Sendable () async -> Void) -> Bool {
        guard let id = begin() else { return false }
        attach(id, Task.immediate(executorPreference: executor) {
            await body()
            self.end(id)
        })
        return true
    }

    /// Registers a call about to start; the caller starts its task, which calls `end` last, and
    /// hands it to `attach`. (`start` in two halves: the hot path builds one closure, not two.)
    /// - Returns: The call's id, or nil once the connection has ended (the call must not start).
    func begin() -> Int? {
        state.withLock { state -> Int? in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.tasks[state.nextID] = .some(nil)
            return state.nextID
        }
    }

    /// Keeps the task of a call `begin` registered, unless it has ended already.
    func attach(_ id: Int, _ task: Task<Void, Never>) {
        let cancel = state.withLock { state -> Bool in
            guard state.tasks[id] != nil else { return false }
            state.tasks[id] = task
            // The connection ended while the call ran up to its first suspension.
            return state.closed
        }
        if cancel { task.cancel() }
    }

    /// Cancels every running call and returns when all have ended; later `start`s are refused.
    func cancelAllAndWait() async {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            state.closed = true
            return state.tasks.values.compactMap { $0 }
        }
        for task in tasks { task.cancel() }
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.tasks.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// A call's task has ended.
    func end(_ id: Int) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.tasks[id] = nil
            guard state.tasks.isEmpty, !state.waiters.isEmpty else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

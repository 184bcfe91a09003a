import NIOCore

/// Runs Swift tasks on a NIO event loop: a connection's tasks and its calls run on the event
/// loop that reads and writes its socket, as their task executor preference (issue 15).
///
/// Without it every call crossed threads twice — the event loop handed each frame to a task on the
/// global concurrency pool (a futex wake-up), and the pool handed each reply back to the event loop
/// (an eventfd wake-up). Profiles put those hand-overs above a third of the server's CPU per call.
/// On the loop, a frame read, its call and its reply run in the same thread, and the replies of one
/// read are still written with one flush (`ResponseBatcher`).
///
/// Handlers do their SQLite work through GRDB's async API, which runs it on GRDB's own queues, so a
/// database read does not block the loop. Work that a handler awaits elsewhere (an actor with its
/// own executor, GRDB, `Task.detached`) resumes on the loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Run as a task executor (not as the loop's serial executor): nonisolated code then keeps
        // running here without switching at every `await`.
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

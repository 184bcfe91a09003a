@testable import COIHost
import NIOCore
import NIOPosix
import Testing

/// A connection's read loop and calls run on its event loop (issue 15): code under the preference,
/// its child tasks, and whatever resumes after an `await` elsewhere all run on that loop.
@Suite struct EventLoopTaskExecutorTests {
    @Test func tasksUnderThePreferenceRunOnTheLoopAndStayThere() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let onLoop = await withTaskExecutorPreference(executor) { () async -> [Bool] in
            var seen = [loop.inEventLoop]
            // Resumes here after a timer (another thread fires it).
            try? await Task.sleep(for: .milliseconds(5))
            seen.append(loop.inEventLoop)
            // Child tasks inherit the preference, as the calls of a connection do.
            let children = await withTaskGroup(of: Bool.self) { tasks -> [Bool] in
                for _ in 0..<8 {
                    tasks.addTask {
                        await Task.yield()
                        return loop.inEventLoop
                    }
                }
                return await tasks.reduce(into: []) { $0.append($1) }
            }
            seen += children
            // Work another executor runs (here: a detached task on the global pool) comes back.
            let elsewhere = await Task.detached { loop.inEventLoop }.value
            seen.append(!elsewhere)
            seen.append(loop.inEventLoop)
            return seen
        }
        #expect(onLoop == [Bool](repeating: true, count: onLoop.count) && onLoop.count == 12, "\(onLoop)")
        try await group.shutdownGracefully()
    }
}

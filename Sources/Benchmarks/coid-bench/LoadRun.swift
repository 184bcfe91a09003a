import COIProto
import COIWire
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// Closed-loop load: each caller keeps exactly one call outstanding and sends the next as soon as
/// its reply arrives. Callers run as state machines on the event loop so that the client spends
/// as little CPU as possible on the shared 2-core machine.
struct LoadRun {
    let socketPath: String
    let callers: Int
    let connections: Int
    /// What the callers send (Echo, WriteCanary, wiki saves, nominations).
    let workload: any Workload

    struct Result {
        var rate: Double
        var p50: Double
        var p99: Double
        var rssKiB: Int?
        /// Daemon CPU time (user + system) per call, in microseconds: the figure that does not
        /// depend on how the 2 cores are shared with this client.
        var cpuMicrosPerCall: Double?
    }

    func measure(warmup: Double, seconds: Double, pid: Int32?) async throws -> Result {
        try await workload.prepare(callers: callers)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let recorder = Recorder()
        let workload = self.workload
        var channels: [any Channel] = []
        var firstCaller = 0
        for index in 0..<connections {
            let share = callers / connections + (index < callers % connections ? 1 : 0)
            guard share > 0 else { continue }
            let first = firstCaller
            firstCaller += share
            let channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(FrameDecoder()),
                            BenchHandler(callers: first..<(first + share), workload: workload, recorder: recorder),
                        ])
                    }
                }
                .connect(unixDomainSocketPath: socketPath).get()
            channels.append(channel)
        }
        try await Task.sleep(for: .milliseconds(Int(warmup * 1000)))
        let cpuBefore = pid.flatMap(Self.cpuTicks)
        recorder.start()
        var rss: Int?
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            if let pid, let now = EchoBenchmark.rss(pid) { rss = max(rss ?? 0, now) }
        }
        let (count, elapsed, latencies) = recorder.stop()
        let cpuAfter = pid.flatMap(Self.cpuTicks)
        if recorder.failed > 0 {
            throw BenchError(description: "\(recorder.failed) calls failed (first: \(recorder.firstFailure)); figures would be meaningless")
        }
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        var cpu: Double?
        if let cpuBefore, let cpuAfter, count > 0 {
            cpu = Double(cpuAfter - cpuBefore) / Double(sysconf(Int32(_SC_CLK_TCK))) * 1e6 / Double(count)
        }
        return Result(rate: Double(count) / elapsed, p50: percentile(0.50), p99: percentile(0.99), rssKiB: rss, cpuMicrosPerCall: cpu)
    }

    /// utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15).
    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may contain spaces), starting at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }
}

/// Collects latencies (nanoseconds) while recording is on.
final class Recorder: Sendable {
    private struct State {
        var recording = false
        var started: UInt64 = 0
        var latencies: [UInt64] = []
    }
    private let state = Mutex(State())

    func start() {
        state.withLock {
            $0.latencies.reserveCapacity(2_000_000)
            $0.recording = true
            $0.started = DispatchTime.now().uptimeNanoseconds
        }
    }

    func stop() -> (Int, Double, [UInt64]) {
        state.withLock {
            $0.recording = false
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - $0.started) / 1e9
            return ($0.latencies.count, elapsed, $0.latencies)
        }
    }

    private let failures = Mutex((count: 0, first: ""))
    var failed: Int { failures.withLock { $0.count } }
    var firstFailure: String { failures.withLock { $0.first } }
    func fail(_ why: String) {
        failures.withLock {
            if $0.count == 0 { $0.first = why }
            $0.count += 1
        }
    }

    func record(_ batch: [UInt64]) {
        state.withLock { if $0.recording { $0.latencies.append(contentsOf: batch) } }
    }
}

/// Runs the closed loops of `callers` on one connection.
final class BenchHandler: ChannelInboundHandler {
    typealias InboundIn = FrameEvent
    private let callers: Range<Int>
    private let workload: any Workload
    private let recorder: Recorder
    private var nextID: UInt32 = 1
    /// Each call in flight: its caller and when it was sent.
    private var sentAt: [UInt32: (caller: Int, time: UInt64)] = [:]
    private var batch: [UInt64] = []

    init(callers: Range<Int>, workload: any Workload, recorder: Recorder) {
        self.callers = callers
        self.workload = workload
        self.recorder = recorder
    }

    func channelActive(context: ChannelHandlerContext) {
        for caller in callers { send(context, caller: caller) }
        context.flush()
        context.fireChannelActive()
    }

    private func send(_ context: ChannelHandlerContext, caller: Int) {
        let id = nextID
        nextID &+= 2
        let payload = workload.request(caller: caller)
        var buffer = context.channel.allocator.buffer(capacity: payload.count + Frame.headerSize)
        buffer.writeInteger(UInt32(payload.count))
        buffer.writeInteger(id)
        buffer.writeInteger(MessageType.request.rawValue)
        buffer.writeInteger(UInt8(0))
        buffer.writeBytes(payload)
        sentAt[id] = (caller, DispatchTime.now().uptimeNanoseconds)
        context.write(NIOAny(buffer), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .frame(frame) = unwrapInboundIn(data), let sent = sentAt.removeValue(forKey: frame.streamID) else { return }
        // A benchmark that counts failures as calls would lie: every reply must be OK.
        guard let response = try? Ttrpc_Response(serializedBytes: Array(buffer: frame.payload)), response.status.code == 0 else {
            recorder.fail((try? Ttrpc_Response(serializedBytes: Array(buffer: frame.payload)))?.status.message ?? "unreadable reply")
            send(context, caller: sent.caller)
            return
        }
        batch.append(DispatchTime.now().uptimeNanoseconds - sent.time)
        if batch.count >= 32 {
            recorder.record(batch)
            batch.removeAll(keepingCapacity: true)
        }
        workload.replied(caller: sent.caller, payload: response.payload)
        send(context, caller: sent.caller)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

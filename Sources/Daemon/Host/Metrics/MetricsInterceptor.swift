import COIPluginKit
import COIRPC
import COIWire
import CoreMetrics
import Synchronization

/// The outermost step of every call: counts it by final status, times it, and keeps the number of
/// calls in progress. Outermost, so calls refused by authentication, rate limiting or
/// authorisation are counted under the status they were refused with, and the time is the whole
/// call as the pipeline sees it.
struct MetricsInterceptor: ServerInterceptor {
    let metrics: CallMetrics

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        let start = ContinuousClock.now
        metrics.openStreams.increment()
        defer { metrics.openStreams.decrement() }
        do {
            let reply = try await next(call)
            metrics.finished(call.route, .ok, after: ContinuousClock.now - start)
            return reply
        } catch {
            // Mapped here once; the executor passes an RPCError through unchanged.
            let status = CallExecutor.status(for: error, context: call.context)
            metrics.finished(call.route, status.code, after: ContinuousClock.now - start)
            throw status
        }
    }
}

/// The per-method instruments, made on a method's first call: series exist only for methods that
/// were called, and the labels come from the route table, never from what a client sent.
final class CallMetrics: Sendable {
    /// The route's index in the route table (`MethodRoute.index`): no names are hashed per call
    /// (issue 15). Routes built outside the table get negative slots by name.
    private struct Key: Hashable {
        let slot: Int
        let code: StatusCode
    }

    private struct Instruments {
        var calls: [Key: CoreMetrics.Counter] = [:]
        /// Each slot's method with its timer: a route table of other routes cannot mislabel.
        var durations: [Int: (rpc: AnyRPC, timer: CoreMetrics.Timer)] = [:]
        var unindexed: [String: Int] = [:]
    }

    private let factory: any MetricsFactory
    private let instruments = Mutex(Instruments())
    /// Calls between their Request and their final status.
    let openStreams: Meter

    init(factory: any MetricsFactory) {
        self.factory = factory
        openStreams = Meter(label: MetricCatalog.openStreams, factory: factory)
        openStreams.set(0)
    }

    /// Records one finished call.
    func finished(_ route: MethodRoute, _ code: StatusCode, after duration: Duration) {
        let (counter, timer) = instruments.withLock { instruments -> (CoreMetrics.Counter, CoreMetrics.Timer) in
            var slot = route.index
            if slot >= 0, let known = instruments.durations[slot], known.rpc != route.rpc {
                slot = -1
            }
            if slot < 0 {
                slot = instruments.unindexed[route.path] ?? {
                    let made = -1 - instruments.unindexed.count
                    instruments.unindexed[route.path] = made
                    return made
                }()
            }
            let key = Key(slot: slot, code: code)
            let counter = instruments.calls[key] ?? {
                let made = CoreMetrics.Counter(label: MetricCatalog.calls,
                                   dimensions: [("service", route.service), ("method", route.method), ("code", code.name)],
                                   factory: factory)
                instruments.calls[key] = made
                return made
            }()
            let timer = instruments.durations[slot]?.timer ?? {
                let made = CoreMetrics.Timer(label: MetricCatalog.callDuration, dimensions: [("service", route.service), ("method", route.method)],
                                 factory: factory)
                instruments.durations[slot] = (route.rpc, made)
                return made
            }()
            return (counter, timer)
        }
        counter.increment()
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

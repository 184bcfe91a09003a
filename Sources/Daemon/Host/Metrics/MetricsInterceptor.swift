import COIPluginKit
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
    /// The method's two names as the route holds them: no "service/method" string is built per
    /// call (issue 15).
    private struct Method: Hashable {
        let service: String
        let method: String
    }

    private struct Key: Hashable {
        let method: Method
        let code: StatusCode
    }

    private struct Instruments {
        var calls: [Key: CoreMetrics.Counter] = [:]
        var durations: [Method: CoreMetrics.Timer] = [:]
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
            let method = Method(service: route.service, method: route.method)
            let key = Key(method: method, code: code)
            let counter = instruments.calls[key] ?? {
                let made = CoreMetrics.Counter(label: MetricCatalog.calls,
                                   dimensions: [("service", route.service), ("method", route.method), ("code", code.name)],
                                   factory: factory)
                instruments.calls[key] = made
                return made
            }()
            let timer = instruments.durations[method] ?? {
                let made = CoreMetrics.Timer(label: MetricCatalog.callDuration, dimensions: [("service", route.service), ("method", route.method)],
                                 factory: factory)
                instruments.durations[method] = made
                return made
            }()
            return (counter, timer)
        }
        counter.increment()
        let (seconds, attoseconds) = duration.components
        timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

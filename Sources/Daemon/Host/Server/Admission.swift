import COIPluginKit
import COIWire
import Foundation
import Logging
import NIOCore
import Synchronization

/// Counts open connections per local user and without credentials, so that one user, or every
/// anonymous TCP client together, cannot take all of `max_connections`.
final class ConnectionCaps: Sendable {
    /// Which cap refused a connection.
    enum Refusal: Sendable, Equatable {
        case perUID(UInt32)
        case anonymous

        /// The config key, and the user, for the log line.
        var description: String {
            switch self {
            case let .perUID(uid): "server.max_connections_per_uid (uid \(uid))"
            case .anonymous: "server.max_anonymous_connections"
            }
        }
    }
    private struct Counts {
        var perUID: [UInt32: Int] = [:]
        var anonymous = 0
    }
    private let counts = Mutex(Counts())

    /// Admits a connection if its user (or, without Unix credentials, the anonymous pool) is under its cap.
    /// - Parameters:
    ///   - peer: The peer's Unix credentials; nil over TCP, where callers are anonymous until a call presents a token.
    ///   - limits: The current limits.
    /// - Returns: nil when admitted (call `release(peer)` when it closes), else the cap that refused it.
    func admit(_ peer: PeerCredentials?, limits: ServerLimits) -> Refusal? {
        counts.withLock { counts in
            if let peer {
                let open = counts.perUID[peer.uid, default: 0]
                guard open < limits.maxConnectionsPerUID else { return .perUID(peer.uid) }
                counts.perUID[peer.uid] = open + 1
            } else {
                guard counts.anonymous < limits.maxAnonymousConnections else { return .anonymous }
                counts.anonymous += 1
            }
            return nil
        }
    }

    /// Releases an admitted connection.
    func release(_ peer: PeerCredentials?) {
        counts.withLock { counts in
            if let peer {
                let open = counts.perUID[peer.uid, default: 1] - 1
                counts.perUID[peer.uid] = open > 0 ? open : nil
            } else {
                counts.anonymous -= 1
            }
        }
    }
}

/// The long-lived streams (feeds, watches) each principal holds, over all its connections.
final class LongLivedStreams: Sendable {
    private let open = Mutex<[String: Int]>([:])

    /// Takes a slot for `key` if fewer than `limit` are taken.
    func take(_ key: String, limit: Int) -> Bool {
        open.withLock { open in
            let count = open[key, default: 0]
            guard count < limit else { return false }
            open[key] = count + 1
            return true
        }
    }

    /// Gives a slot back.
    func give(_ key: String) {
        open.withLock { open in
            let count = open[key, default: 1] - 1
            open[key] = count > 0 ? count : nil
        }
    }

    /// Slots taken by `key` (tests).
    func count(_ key: String) -> Int { open.withLock { $0[key, default: 0] } }
}

/// Refuses a long-lived stream (`StreamLifetime.longLived`) when its principal already holds its
/// cap: `server.max_long_lived_streams_per_principal` for an identified caller,
/// `server.max_long_lived_streams_anonymous` for all anonymous callers together, so anonymous
/// `Health/Watch` streams cannot hold every connection's slots. Runs after authentication (it
/// needs the principal) and authorisation (a refused call takes no slot).
struct LongLivedStreamCap: ServerInterceptor {
    let streams: LongLivedStreams
    let settings: LiveSettings

    func applies(to route: MethodRoute) -> Bool { route.lifetime == .longLived }

    nonisolated(nonsending) func intercept(_ call: ServerCall, next: nonisolated(nonsending) @Sendable (ServerCall) async throws -> [UInt8]) async throws -> [UInt8] {
        guard call.route.lifetime == .longLived else { return try await next(call) }
        let principal = call.context.principal
        let limits = settings.limits
        let anonymous = !principal.isIdentified
        let key = anonymous ? "anonymous" : principal.caller
        let limit = anonymous ? limits.maxLongLivedStreamsAnonymous : limits.maxLongLivedStreamsPerPrincipal
        guard streams.take(key, limit: limit) else {
            let setting = anonymous ? "server.max_long_lived_streams_anonymous" : "server.max_long_lived_streams_per_principal"
            throw RPCError(.resourceExhausted,
                           "\(anonymous ? "anonymous callers" : principal.caller) already hold \(limit) long-lived streams (feeds, watches; \(setting)); close one first",
                           reason: "TOO_MANY_LONG_LIVED_STREAMS")
        }
        defer { streams.give(key) }
        return try await next(call)
    }
}

/// Logs refusals of one kind at most once per interval, with how many there were: the first at
/// once, the rest as one line with their count when the interval has passed (or at `flush`).
/// A flood of refused connections thus costs a line per interval, not a line per attempt.
final class RefusalLog: Sendable {
    private struct Entry {
        var pending = 0
        var lastLogged: ContinuousClock.Instant?
    }
    private let entries = Mutex<[String: Entry]>([:])
    private let interval: Duration
    private let logger: Logger
    private let message: Logger.Message

    /// Creates the log.
    /// - Parameters:
    ///   - message: The line logged, at warning.
    ///   - interval: At most one line per kind this often.
    ///   - logger: Where.
    init(_ message: Logger.Message, interval: Duration = .seconds(10), logger: Logger) {
        self.message = message
        self.interval = interval
        self.logger = logger
    }

    /// Counts one refusal of `kind` and logs if the interval allows.
    func note(_ kind: String) {
        let now = ContinuousClock.now
        let count = entries.withLock { entries -> Int? in
            var entry = entries[kind, default: Entry()]
            defer { entries[kind] = entry }
            entry.pending += 1
            if let last = entry.lastLogged, now - last < interval { return nil }
            defer {
                entry.pending = 0
                entry.lastLogged = now
            }
            return entry.pending
        }
        if let count { log(kind, count) }
    }

    /// Logs the refusals counted and not yet logged; with `force`, even inside the interval (shutdown).
    func flush(force: Bool = false) {
        let now = ContinuousClock.now
        let due = entries.withLock { entries -> [(String, Int)] in
            var due: [(String, Int)] = []
            for (kind, entry) in entries where entry.pending > 0 {
                if !force, let last = entry.lastLogged, now - last < interval { continue }
                due.append((kind, entry.pending))
                entries[kind] = Entry(pending: 0, lastLogged: now)
            }
            return due
        }
        for (kind, count) in due { log(kind, count) }
    }

    private func log(_ kind: String, _ count: Int) {
        logger.warning(message, metadata: ["limit": "\(kind)", "refused": "\(count)",
                                           "interval": "\(interval)"])
    }
}

/// Sits on each listener. Counts every connection as it is accepted (`DescriptorGate`, shared by
/// all listeners) and stops accepting while the connections the open-file limit allows are all
/// open, so that coid never runs out of descriptors (`DescriptorLimit.reserve` says why that is
/// fatal); new clients wait in the listen backlog until a connection closes. Should `accept` fail
/// all the same because descriptors (or kernel memory) ran out, stops accepting for a moment, logs
/// the first failure of such an episode once, and with the next connection accepted logs that
/// accepting has recovered and how many attempts failed.
///
/// swift-nio's own `AcceptBackoffHandler` (installed by `ServerBootstrap` behind this one) does not
/// stop the loop: after a failed accept the listener's read stays pending, so it stays in epoll,
/// level-triggered on the waiting connections, and `accept` fails again at once — under
/// `ulimit -n 64` with 100 connections waiting we counted 184,389 failed accepts in eight seconds
/// at half a core. Turning `autoRead` off takes the listener out of epoll; turning it on again
/// after `retry` re-registers it.
final class AcceptBackoff: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel
    typealias OutboundIn = any Channel
    typealias OutboundOut = any Channel

    /// How long accepting pauses after a failure.
    static let retry = TimeAmount.milliseconds(250)

    private let logger: Logger
    private let listener: String
    private let gate: DescriptorGate
    private let refusals: RefusalLog
    private var failures = 0
    private var paused = false
    private var readWanted = false
    /// Paused because every connection the open-file limit allows is open.
    private var full = false
    /// The pending retry while paused.
    private var retry: Scheduled<Void>?
    /// When the listener last said it was full.
    private var lastFullLog: NIODeadline?
    /// At most one line this often that the listener is full.
    static let fullLogInterval = TimeAmount.seconds(10)

    /// Creates the handler.
    /// - Parameters:
    ///   - logger: Where the episode's lines go.
    ///   - listener: The listener, for the log.
    ///   - gate: The count of accepted connections every listener shares.
    ///   - refusals: Where a connection refused for want of descriptors is counted.
    init(logger: Logger, listener: String, gate: DescriptorGate, refusals: RefusalLog) {
        self.logger = logger
        self.listener = listener
        self.gate = gate
        self.refusals = refusals
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if failures > 0 {
            logger.notice("accepting connections again", metadata: ["listener": "\(listener)", "failed_accepts": "\(failures)"])
            failures = 0
        }
        // Counted here, as accepted, before anything buffers it. At the ceiling the listener stops
        // accepting (new clients wait in the backlog) until a connection closes; the few a read
        // had already accepted beyond it are closed at once.
        let child = Self.unwrapInboundIn(data)
        guard gate.admit() else {
            refusals.note(gate.refusalKind)
            child.close(promise: nil)
            pauseWhileFull(context: context)
            return
        }
        let gate = self.gate
        let listener = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        child.closeFuture.whenComplete { _ in
            gate.release()
            // A slot is free: a listener paused because it was full accepts again at once.
            listener.eventLoop.execute { listener.value.handler.resumeIfRoom(context: listener.value.context) }
        }
        context.fireChannelRead(data)
        if !gate.hasRoom { pauseWhileFull(context: context) }
    }

    /// Stops accepting while every connection the open-file limit allows is open; says so at most
    /// once per `fullLogInterval` (with a low limit every connection may fill it).
    private func pauseWhileFull(context: ChannelHandlerContext) {
        if !full {
            full = true
            let now = NIODeadline.now()
            if lastFullLog.map({ now - $0 >= Self.fullLogInterval }) ?? true {
                lastFullLog = now
                logger.notice("the open-file limit admits no more connections: new connections wait until one closes",
                              metadata: ["listener": "\(listener)", "limit": "\(gate.refusalKind)"])
            }
        }
        pause(context: context)
    }

    /// Takes the listener out of epoll and retries after `retry`; while full, retries until a
    /// connection has closed.
    private func pause(context: ChannelHandlerContext) {
        guard !paused else { return }
        paused = true
        try? context.channel.syncOptions?.setOption(.autoRead, value: false)
        scheduleRetry(context: context)
    }

    /// Accepts again if the listener was paused only because it was full and a connection has closed.
    private func resumeIfRoom(context: ChannelHandlerContext) {
        guard full, gate.hasRoom, context.channel.isActive else { return }
        retry?.cancel()
        retry = nil
        full = false
        paused = false
        readWanted = false
        try? context.channel.syncOptions?.setOption(.autoRead, value: true)
    }

    private func scheduleRetry(context: ChannelHandlerContext) {
        retry = context.eventLoop.assumeIsolated().scheduleTask(in: Self.retry) {
            self.retry = nil
            guard context.channel.isActive else { return }
            if self.full {
                guard self.gate.hasRoom else {
                    self.scheduleRetry(context: context)
                    return
                }
                self.full = false
            }
            self.paused = false
            self.readWanted = false
            // Registers the listener for reading again: the next accept is tried.
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }

    func read(context: ChannelHandlerContext) {
        guard !paused else {
            readWanted = true
            return
        }
        context.read()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let error = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(error.errnoCode) else {
            context.fireErrorCaught(error)
            return
        }
        if failures == 0 {
            logger.error("cannot accept connections: \(error.description); pausing accepts until descriptors are free (retrying every \(Self.retry.nanoseconds / 1_000_000) ms)",
                         metadata: ["listener": "\(listener)", "open_file_limit": "\(DescriptorLimit.current.map { "\($0)" } ?? "?")"])
        }
        failures += 1
        pause(context: context)
    }
}

/// The connections every listener has accepted and not yet closed, against the ceiling the
/// open-file limit allows (`DescriptorLimit.connectionCeiling`). coid must never run out of
/// descriptors: out of them, libdispatch's worker monitor traps the process (`DescriptorLimit.reserve`).
final class DescriptorGate: Sendable {
    private let open = Atomic<Int>(0)
    private let ceilingValue = Atomic<Int>(Int.max)

    init() {}

    /// The most connections held at once; set once the listeners are bound.
    var ceiling: Int {
        get { ceilingValue.load(ordering: .relaxed) }
        set { ceilingValue.store(newValue, ordering: .relaxed) }
    }

    /// Connections accepted and not yet closed.
    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Counts an accepted connection; false (not counted) when it would exceed the ceiling.
    func admit() -> Bool {
        let count = open.wrappingAdd(1, ordering: .relaxed).newValue
        guard count <= ceiling else {
            open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Whether one more connection fits.
    var hasRoom: Bool { openConnections < ceiling }

    /// Uncounts a closed connection.
    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// The refusal's name in the log: the limit, what is kept free, and the ceiling.
    var refusalKind: String {
        "open-file limit (\(DescriptorLimit.current.map { "\($0)" } ?? "?") descriptors, \(DescriptorLimit.reserve) kept free: \(ceiling) connections)"
    }
}

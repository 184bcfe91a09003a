import COIPluginKit
import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Puts phases reached by date into the event feed.
///
/// A campaign's phase follows its schedule without anyone calling (the phase is computed from the
/// dates on every read), but a campaign website following the feed must hear "nominations open"
/// when the date comes. The announcer sleeps until the next scheduled start (at most a minute, and
/// is woken when a campaign's schedule changes), then appends a `phase.changed` event for every
/// campaign whose current phase is not the last one announced. Comparing with the feed itself
/// makes it idempotent and lets it catch up after a restart.
final class PhaseAnnouncer: Service {
    private let service: NominationsService
    private let logger: Logger
    private var wake: ChangeSignal { service.schedulesChanged }

    init(service: NominationsService, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    /// Announces until the daemon shuts down (a background service of the plugin).
    func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    private func loop() async {
        while !Task.isCancelled {
            var wait = Duration.seconds(60)
            do {
                if let next = try await announceDue(), let date = Timestamp.parse(next) {
                    wait = min(wait, .milliseconds(max(10, Int64(date.timeIntervalSinceNow * 1000) + 5)))
                }
            } catch {
                logger.warning("announcing dated phase changes failed", metadata: ["error": "\(error)"])
            }
            if Task.isCancelled { return }
            await wake.wait(timeout: wait)
        }
    }

    /// Announces every campaign whose phase moved by date since the last announcement.
    /// - Parameter now: The current time.
    /// - Returns: The next scheduled phase start after `now`, if any.
    @discardableResult
    func announceDue(now: String = Timestamp.now()) async throws -> String? {
        let (due, next) = try await service.read { db in try Self.due(db, now: now) }
        guard !due.isEmpty else { return next }
        try await service.write { db in
            // Checked again inside the write: an admin may have set the phase meanwhile.
            for id in try Self.due(db, now: now).due {
                let campaign = try CampaignRecord.require(db, id: id)
                let current = campaign.phase(now: now)
                try Events.append(db, campaignID: id, kind: "phase.changed", subject: id, detail: current.phase.name, time: current.since)
                self.logger.info("campaign reached its next phase by date",
                                 metadata: ["campaign": "\(id)", "phase": "\(current.phase.name)"])
            }
        }
        return next
    }

    private static func due(_ db: Database, now: String) throws -> (due: [String], next: String?) {
        var due: [String] = []
        var next: String?
        for id in try String.fetchAll(db, sql: "SELECT id FROM nominations_campaigns ORDER BY id") {
            let campaign = try CampaignRecord.require(db, id: id)
            for entry in campaign.schedule where entry.startsAt > now {
                next = min(next ?? entry.startsAt, entry.startsAt)
            }
            let current = campaign.phase(now: now).phase
            let announced = try String.fetchOne(db, sql: """
                SELECT detail FROM nominations_events WHERE campaign_id = ? AND kind = 'phase.changed' ORDER BY cursor DESC LIMIT 1
                """, arguments: [id])
            if announced ?? CampaignPhase.draft.name != current.name { due.append(id) }
        }
        return (due, next)
    }
}

import COIPluginKit
import COIProto
import COIWire
import GRDB

extension PlacementsService {
    func registerSeasons(_ router: inout Router) {
        router.unary(Coi_Placements_V1_Seasons.Method.create, .write("placements.manage")) { (request: Coi_Placements_V1_CreateSeasonRequest, context) in
            guard (2000...2100).contains(request.year) else { throw RPCError.invalidField("year", "must be 2000–2100, is \(request.year)") }
            let week: PlacementWeek
            switch Result(catching: { () throws(PlacementWeek.InvalidWeek) in try PlacementWeek(year: Int(request.year), week: Int(request.week)) }) {
            case let .success(valid): week = valid
            case .failure(.yearOutOfRange): throw RPCError.invalidField("year", "must be 2000–2100, is \(request.year)")
            case let .failure(.weekOutOfRange(year, given, weeks)):
                throw RPCError.invalidField("week", "must be 1–\(weeks) (ISO weeks of \(year)), is \(given)")
            }
            let dates = try Self.seasonDates(request, week: week)
            guard (0...50).contains(request.maxChoices) else {
                throw RPCError.invalidField("max_choices", "must be 1–50 (0 = 10), is \(request.maxChoices)")
            }
            let title = try Validation.text(request.title.isEmpty ? "Innovationspraktik \(request.year), uge \(request.week)" : request.title,
                                            "title", limit: 200)
            let id = Identifier.make("sea")
            let caller = context.principal.caller
            context.audit.target = "season:\(id)"
            return try await self.write { db in
                let now = Timestamp.now()
                try db.run(sql: """
                    INSERT INTO placements_seasons (id, year, week, title, offers_open_on, applications_open_on, matching_on,
                        confirmation_deadline, max_choices, phase, phase_set_at, version, created_by, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, ?, ?)
                    """, arguments: [id, request.year, request.week, title, dates[0], dates[1], dates[2], dates[3],
                                     request.maxChoices == 0 ? 10 : request.maxChoices, SeasonPhase.draft.rawValue, caller, now, now])
                try Events.append(db, seasonID: id, kind: "season.created", subject: id, detail: week.description)
                return try SeasonRecord.require(db, id: id).message
            }
        }
        router.unary(Coi_Placements_V1_Seasons.Method.get, .read("placements.read")) { (request: Coi_Placements_V1_GetSeasonRequest, _) in
            try await self.read { db in try SeasonRecord.require(db, id: request.id, field: "id").message }
        }
        router.unary(Coi_Placements_V1_Seasons.Method.list, .read("placements.read")) { (request: Coi_Placements_V1_ListSeasonsRequest, _) in
            let size = try PageToken.size(request.pageSize)
            let after = try PageToken.decode(request.pageToken) ?? 0
            return try await self.read { db in
                let rows = try Row.cachedAll(db, sql: """
                    SELECT * FROM placements_seasons WHERE seq > ? AND (? = 0 OR year = ?) ORDER BY seq LIMIT ?
                    """, arguments: [after, request.year, request.year, size + 1])
                return Coi_Placements_V1_ListSeasonsReply.with {
                    $0.seasons = rows.prefix(size).map { SeasonRecord(row: $0).message }
                    if rows.count > size, let last = rows.prefix(size).last { $0.nextPageToken = PageToken.encode(last["seq"]) }
                }
            }
        }
        router.unary(Coi_Placements_V1_Seasons.Method.setPhase, .write("placements.manage")) { (request: Coi_Placements_V1_SetPhaseRequest, context) in
            let phase = try Validation.phase(request.phase, "phase")
            if phase == .matched {
                throw RPCError.invalidField("phase", "MATCHED is set by running the matching (`Matching/Match`), not by hand")
            }
            context.audit.target = "season:\(request.id)"
            context.audit.reason = request.reason
            return try await self.write { db in
                let season = try SeasonRecord.require(db, id: request.id, field: "id")
                let current = season.phase().phase
                if phase < .matched, !season.matchedAt.isEmpty {
                    throw RPCError(.failedPrecondition, "season \(season.id) is in phase \(current.name) and has been matched; "
                                   + "it cannot go back before MATCHED (run the matching again while it is MATCHED instead)",
                                   reason: "ALREADY_MATCHED")
                }
                if phase >= .confirmed, phase != .archived, season.matchedAt.isEmpty {
                    throw RPCError(.failedPrecondition, "season \(season.id) has not been matched; \(phase.name) follows MATCHED",
                                   reason: "NOT_MATCHED")
                }
                let now = Timestamp.now()
                try db.run(sql: "UPDATE placements_seasons SET phase = ?, phase_set_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
                           arguments: [phase.rawValue, now, now, season.id])
                try Events.append(db, seasonID: season.id, kind: "phase.changed", subject: season.id, detail: phase.name)
                return try SeasonRecord.require(db, id: season.id).message
            }
        }
    }

    /// The four dates, each the request's or its default before the week's Monday (8, 6, 3 and 1
    /// weeks), checked to be in order and before the week.
    static func seasonDates(_ request: Coi_Placements_V1_CreateSeasonRequest, week: PlacementWeek) throws -> [String] {
        let fields = [("offers_open_on", request.offersOpenOn, 56), ("applications_open_on", request.applicationsOpenOn, 42),
                      ("matching_on", request.matchingOn, 21), ("confirmation_deadline", request.confirmationDeadline, 7)]
        var dates: [(field: String, date: CivilDate)] = []
        for (field, value, daysBefore) in fields {
            dates.append((field, try Validation.date(value, field) ?? week.monday.adding(days: -daysBefore)))
        }
        for (earlier, later) in zip(dates, dates.dropFirst()) where later.date <= earlier.date {
            throw RPCError.invalidField(later.field, "\(later.date) must be after \(earlier.field) \(earlier.date)")
        }
        if let last = dates.last, last.date > week.sunday {
            throw RPCError.invalidField(last.field, "\(last.date) must not be after the placement week (\(week.monday)–\(week.sunday))")
        }
        return dates.map(\.date.description)
    }
}

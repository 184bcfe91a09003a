import COIPluginKit
import COIWire
import GRDB

/// A season's matching input read from the store: approved seekers' choices of published offers,
/// and each offer's ranking of its applicants, straight into `MatchingInstance`'s index form.
///
/// The big scans (choices and host ranks, ~100,000 rows each for 10,000 seekers) read only the
/// seekers' and offers' integer row numbers, packed into one integer per row, and map them to
/// indices through arrays: no id string is decoded, hashed or compared per preference. Seekers
/// and offers come out sorted by id (SQLite's byte order, which is Swift's for the ASCII ids),
/// checked by `MatchingInstance.init?(seekerIDs:…)`; if that ever fails the records go through
/// the general initializer instead, with the same result.
enum SeasonInstance {
    static func load(_ db: Database, seasonID: String) throws -> MatchingInstance {
        var seekerIDs: [String] = [], eligible: [Bool] = []
        var seekerIndex = RowIndex()
        let seekerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, seq, approval FROM placements_seekers WHERE season_id = ?1
            AND id NOT IN (SELECT seeker_id FROM placements_results WHERE season_id = ?1 AND source = 'exchange')
            ORDER BY id
            """), arguments: [seasonID])
        while let row = try seekerRows.next() {
            seekerIndex.add(row[1], seekerIDs.count)
            seekerIDs.append(row[0])
            eligible.append(row[2] as Int == ApprovalCode.approved)
        }
        var offerIDs: [String] = [], capacities: [Int] = []
        var offerIndex = RowIndex()
        let offerRows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT id, seq, capacity FROM placements_offers WHERE season_id = ? AND published = 1 ORDER BY id
            """), arguments: [seasonID])
        while let row = try offerRows.next() {
            offerIndex.add(row[1], offerIDs.count)
            offerIDs.append(row[0])
            capacities.append(row[2])
        }
        seekerIndex.finish()
        offerIndex.finish()
        // Each row is (owner's row number) << 32 | (item's row number) and the rank, in no order:
        // `grouped` groups and orders them, which costs less than SQLite sorting 100,000 rows by id
        // text. The seeker's season is not tested in SQL (that would read every seeker row, not
        // only its id index): pairs whose seeker is not one of this season's are dropped by
        // `seekerIndex`.
        let (choiceStart, choiceOffer) = try grouped(db, sql: """
            SELECT (s.seq << 32) | o.seq, c.rank FROM placements_choices c JOIN placements_offers o ON o.id = c.offer_id
            JOIN placements_seekers s ON s.id = c.seeker_id
            WHERE o.season_id = ? AND o.published = 1
            """, seasonID: seasonID, owners: seekerIndex, owned: offerIndex, ownerCount: seekerIDs.count)
        let (rankingStart, rankingSeeker) = try grouped(db, sql: """
            SELECT (o.seq << 32) | s.seq, h.rank FROM placements_host_ranks h JOIN placements_offers o ON o.id = h.offer_id
            JOIN placements_seekers s ON s.id = h.seeker_id
            WHERE o.season_id = ? AND o.published = 1
            """, seasonID: seasonID, owners: offerIndex, owned: seekerIndex, ownerCount: offerIDs.count)
        if let instance = MatchingInstance(seekerIDs: seekerIDs, eligible: eligible, offerIDs: offerIDs, capacities: capacities,
                                           choiceStart: choiceStart, choiceOffer: choiceOffer, rankingStart: rankingStart,
                                           rankingSeeker: rankingSeeker) {
            return instance
        }
        // Not in index form (ids that sort differently in Swift than in SQLite): the general path.
        let seekers = seekerIDs.indices.map { seeker in
            MatchingInstance.Seeker(id: seekerIDs[seeker], choices: choiceOffer[choiceStart[seeker]..<choiceStart[seeker + 1]].map { offerIDs[$0] },
                                    eligible: eligible[seeker])
        }
        let offers = offerIDs.indices.map { offer in
            MatchingInstance.Offer(id: offerIDs[offer], capacity: capacities[offer],
                                   ranking: rankingSeeker[rankingStart[offer]..<rankingStart[offer + 1]].map { seekerIDs[$0] })
        }
        do {
            return try MatchingInstance(seekers: seekers, offers: offers)
        } catch {
            // Ids are primary keys and capacities are checked 1–3: this cannot happen with a sound store.
            throw RPCError(.internal, "season \(seasonID)'s matching input is inconsistent: \(error)")
        }
    }

    /// Reads packed (owner, item) row numbers with their ranks, in any order, and groups them by
    /// owner index with a counting sort, then orders each owner's list by rank (lists are short: a
    /// seeker's choices, an offer's applicants); pairs whose owner or item is not in the instance
    /// are dropped.
    private static func grouped(_ db: Database, sql: String, seasonID: String, owners: RowIndex, owned: RowIndex,
                                ownerCount: Int) throws -> (start: [Int], items: [Int]) {
        var pairOwner: [Int] = [], pairItem: [(rank: Int64, item: Int)] = []
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [seasonID])
        while let row = try cursor.next() {
            let packed: Int64 = row[0]
            guard let owner = owners[packed >> 32], let item = owned[packed & 0xFFFF_FFFF] else { continue }
            pairOwner.append(owner)
            pairItem.append((row[1], item))
        }
        var start = [Int](repeating: 0, count: ownerCount + 1)
        for owner in pairOwner { start[owner + 1] += 1 }
        for owner in 0..<ownerCount { start[owner + 1] += start[owner] }
        var fill = start
        var ranked = [(rank: Int64, item: Int)](repeating: (0, 0), count: pairItem.count)
        // An index loop: a zip iterator was a third of this function's time in a debug build.
        for pair in pairOwner.indices {
            let owner = pairOwner[pair]
            ranked[fill[owner]] = pairItem[pair]
            fill[owner] += 1
        }
        for owner in 0..<ownerCount where start[owner + 1] - start[owner] > 1 {
            ranked[start[owner]..<start[owner + 1]].sort { $0.rank < $1.rank }
        }
        return (start, ranked.map(\.item))
    }
}

/// Row number (`seq`) → index in the instance: an array over the season's range of row numbers
/// (rows of one season are mostly contiguous), a dictionary when the range is very sparse.
private struct RowIndex {
    private var entries: [(seq: Int64, index: Int)] = []
    private var base: Int64 = 0
    private var table: [Int32] = []
    private var sparse: [Int64: Int]?

    mutating func add(_ seq: Int64, _ index: Int) {
        entries.append((seq, index))
    }

    /// The index of `seq`, or nil when it is not in the instance (after `finish`).
    subscript(seq: Int64) -> Int? {
        get {
            if let sparse { return sparse[seq] }
            let offset = seq - base
            guard offset >= 0, offset < Int64(table.count) else { return nil }
            let index = table[Int(offset)]
            return index >= 0 ? Int(index) : nil
        }
    }

    /// Builds the lookup once every row was added.
    mutating func finish() {
        guard let low = entries.map(\.seq).min(), let high = entries.map(\.seq).max() else {
            table = []
            return
        }
        // Row numbers are positive and below 2^31 in any real database; beyond that, or when the
        // range is far wider than the rows, a dictionary.
        if high - low < Int64(max(64 * entries.count, 1 << 16)) && high < Int64(Int32.max) && low > 0 {
            base = low
            table = [Int32](repeating: -1, count: Int(high - low) + 1)
            for entry in entries { table[Int(entry.seq - low)] = Int32(entry.index) }
            sparse = nil
        } else {
            sparse = Dictionary(entries.map { ($0.seq, $0.index) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

/// The stored approval codes (the proto's values), for SQL that cannot name the enum.
enum ApprovalCode {
    static let pending = 1
    static let approved = 2
    static let declined = 3
}

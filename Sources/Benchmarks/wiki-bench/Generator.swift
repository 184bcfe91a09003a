import COIWiki
import Foundation
import GRDB

/// Deterministic Danish-ish pages: ~80 words from a fixed vocabulary (place names with æ, ø, å
/// among them), three links and a category; each revision changes one word of the one before.
struct Generator {
    var pages: Int
    var revisions: Int
    var hotRevisions: Int
    var authors: [String]

    static let vocabulary: [String] = {
        let base = ["borgerinddragelse", "velfærd", "kommune", "region", "innovation", "sundhed", "skole", "ældrepleje", "klima",
                    "budget", "borger", "medarbejder", "ledelse", "digitalisering", "samarbejde", "frivillig", "forening", "virksomhed",
                    "projekt", "effekt", "proces", "forudsætning", "dokumentation", "kontakt", "læring", "erfaring", "udvikling",
                    "Aarhus", "Århus", "København", "Odense", "Aalborg", "Ærø", "Sønderborg", "Næstved", "Køge", "Åbenrå", "Brøndby",
                    "plejehjem", "daginstitution", "bibliotek", "trafik", "grøn", "omstilling", "energi", "vand", "affald", "data"]
        // Variants make a vocabulary of a few thousand words, so searches hit a realistic share of pages.
        return base + base.flatMap { word in (1...60).map { "\(word.lowercased())\($0)" } }
    }()

    /// SplitMix64: reproducible runs without depending on the platform's generator.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func title(_ index: Int) -> String { index == 0 ? "Hot page" : "Side \(index)" }

    func generate(databasePath: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: databasePath, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -200000")
        }
        var random = Random(state: 42)
        let rest = revisions - hotRevisions
        let perPage = rest / max(1, pages - 1), extra = rest % max(1, pages - 1)
        let start = Int64(Date(timeIntervalSince1970: 1_700_000_000).timeIntervalSince1970 * 1_000_000)
        let batch = 1000
        var index = 0
        let clock = ContinuousClock.now
        while index < pages {
            let end = min(pages, index + batch)
            try queue.write { db in
                for page in index..<end {
                    let count = page == 0 ? hotRevisions : perPage + (page - 1 < extra ? 1 : 0)
                    try WikiBulkLoad.insertPage(db, title: Self.title(page), texts: texts(page, count: max(1, count), &random),
                                                authors: authors, startMicros: start + Int64(page) * 1_000_000)
                }
            }
            index = end
            if index % 10_000 == 0 || index == pages {
                print(String(format: "  %d/%d pages (%.0f s)", index, pages, (ContinuousClock.now - clock).seconds))
            }
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    func texts(_ page: Int, count: Int, _ random: inout Random) -> [String] {
        var words = (0..<80).map { _ in Self.vocabulary[random.below(Self.vocabulary.count)] }
        let links = (0..<3).map { _ in "[[\(Self.title(1 + random.below(pages * 11 / 10)))]]" }
        let category = "[[Category:\(Self.vocabulary[random.below(48)].capitalized)]]"
        var result: [String] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            result.append("# \(Self.title(page))\n\n" + words[0..<40].joined(separator: " ") + ".\n\nSe \(links.joined(separator: ", ")).\n\n"
                          + words[40...].joined(separator: " ") + ".\n\n\(category)\n")
            words[random.below(words.count)] = Self.vocabulary[random.below(Self.vocabulary.count)]
        }
        return result
    }
}

import COIPlacements
import Foundation

/// Writes a generated instance as the four import files, with refs equal to the generator's ids.
enum SeasonFiles {
    static func write(_ records: (seekers: [MatchingInstance.Seeker], offers: [MatchingInstance.Offer])) throws -> URL {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("placements-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Municipal, regional and state hosts across the country; Danish letters in names and places.
        let municipalities = [101, 147, 751, 461, 851, 330, 259, 657]
        let levels = ["municipal", "regional", "state"]
        var offers = "ref,title,host_workplace,level,municipality_code,capacity,days,contact_email\n"
        for (index, offer) in records.offers.enumerated() {
            offers += "\(offer.id),Praktik hos vært \(index),\"Forvaltning \(index), Sundhedsområdet\",\(levels[index % 3]),"
                + "\(municipalities[index % municipalities.count]),\(offer.capacity),\(1 + index % 3),vaert\(index)@bench.example.dk\n"
        }
        var seekers = "ref,full_name,email,home_workplace,level,municipality_code,manager_email,manager_approval\n"
        for (index, seeker) in records.seekers.enumerated() {
            seekers += "\(seeker.id),Søren Ærø \(index),soeger\(index)@bench.example.dk,Borgerservice \(index % 97),"
                + "\(levels[(index / 7) % 3]),\(municipalities[(index / 3) % municipalities.count]),leder\(index / 10)@bench.example.dk,"
                + "\(seeker.eligible ? "approved" : "pending")\n"
        }
        var preferences = "seeker_ref,rank,offer_ref\n"
        for seeker in records.seekers {
            for (rank, offer) in seeker.choices.enumerated() { preferences += "\(seeker.id),\(rank + 1),\(offer)\n" }
        }
        var rankings = "offer_ref,rank,seeker_ref\n"
        for offer in records.offers {
            for (rank, seeker) in offer.ranking.enumerated() { rankings += "\(offer.id),\(rank + 1),\(seeker)\n" }
        }
        for (name, text) in [("offers.csv", offers), ("seekers.csv", seekers), ("preferences.csv", preferences), ("host_rankings.csv", rankings)] {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        return directory
    }
}

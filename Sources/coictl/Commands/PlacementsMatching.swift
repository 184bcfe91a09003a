import ArgumentParser
import COIProto

extension Placements {
    struct Match: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the matching of a season (coordinators); the season moves to matched.",
            discussion: """
                Seeker-proposing deferred acceptance: stable and seeker-optimal. Possible in any phase before \
                confirmed; running it again replaces earlier placements, adjustments and bookings. --dry-run shows \
                the result and stores nothing.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String
        @Flag(help: "Compute and show, store nothing.") var dryRun = false
        @Flag(help: "List every placement and unplaced seeker, not only the summary.") var verbose = false

        func run() async throws {
            let reply = try await Placements.call(options, Coi_Placements_V1_Matching.Method.match, .with {
                $0.seasonID = season
                $0.dryRun = dryRun
            })
            Placements.printMatching(reply, options, verbose: verbose)
        }
    }

    struct Matching: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a season's placements and unplaced seekers with reasons.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String

        func run() async throws {
            let reply = try await Placements.call(options, Coi_Placements_V1_Matching.Method.get, .with { $0.seasonID = season })
            Placements.printMatching(reply, options, verbose: true)
        }
    }

    struct Adjust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a seeker to another offer, or unplace them (coordinators; audited, capacity checked).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The season's id.") var season: String
        @Argument(help: "The seeker's id.") var seeker: String
        @Option(help: ArgumentHelp("The offer to place them at; leave out to unplace.", valueName: "offer-id")) var offer = ""
        @Option(help: "Why (required, for the audit log).") var reason: String

        func run() async throws {
            Placements.show(try await Placements.call(options, Coi_Placements_V1_Matching.Method.adjust, .with {
                $0.seasonID = season
                $0.seekerID = seeker
                $0.offerID = offer
                $0.reason = reason
            }), options)
        }
    }

    struct Book: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book a free place after the matching, first come first served.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The offer's id.") var offer: String
        @Argument(help: "Your seeker id.") var seeker: String

        func run() async throws {
            Placements.show(try await Placements.call(options, Coi_Placements_V1_Matching.Method.book, .with {
                $0.offerID = offer
                $0.seekerID = seeker
            }), options)
        }
    }

    /// A matching: JSON, or a summary line with (verbose) the placements and unplaced seekers.
    static func printMatching(_ reply: Coi_Placements_V1_MatchingReply, _ options: GlobalOptions, verbose: Bool) {
        if options.json {
            show(reply, options)
            return
        }
        print("\(reply.dryRun ? "dry run: " : "")\(reply.placed) of \(reply.seekers) seekers placed at \(reply.offers) offers "
              + "(\(reply.places) places); \(reply.stable ? "stable" : "NOT stable (adjusted)")")
        let reasons = Dictionary(grouping: reply.unplaced, by: \.reason)
        for (reason, seekers) in reasons.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print("unplaced, \(reasonText(reason)): \(seekers.count)")
        }
        guard verbose else { return }
        list(reply.placements, options, columns: ["seeker_ref", "seeker_name", "offer_ref", "offer_title", "choice", "host_rank", "source"])
        if !reply.unplaced.isEmpty { list(reply.unplaced, options, columns: ["seeker_ref", "seeker_name", "reason"]) }
    }

    static func reasonText(_ reason: Coi_Placements_V1_UnmatchedReason) -> String {
        switch reason {
        case .noApproval: "no approval from the home manager"
        case .noAcceptableOffer: "no acceptable offer"
        case .allFull: "all acceptable offers full"
        default: "unplaced by a coordinator"
        }
    }
}

import ArgumentParser
import COIProto
import COIWire
import Foundation

extension Network {
    struct Breadth: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Breadth of support: active members by party, body and region, and whether the network is viable.",
            discussion: """
                --json prints one object: active_members, by_party (ballot letter → count), by_body, by_region \
                (region code → count), party_body, effective_parties, viable, missing (in words), criteria and as_of.
                """)
        @OptionGroup var options: GlobalOptions
        @Option(name: .customLong("as-of"), help: "A past date YYYY-MM-DD (the end of that day) or an RFC 3339 time.") var asOf = ""

        func run() async throws {
            try await Network.run(options, Coi_Network_V1_Network.Method.getBreadth, .with { $0.asOf = asOf }) { breadth in
                if options.json {
                    Output.json(Self.object(breadth))
                } else {
                    Self.print(breadth)
                }
            }
        }

        /// Every key, zeros and false included (the proto3 JSON mapping would leave them out).
        static func object(_ breadth: Coi_Network_V1_Breadth) -> [String: Any] {
            ["as_of": breadth.asOf,
             "active_members": Int(breadth.activeMembers),
             "by_party": breadth.byParty.mapValues { Int($0) },
             "by_body": breadth.byBody.mapValues { Int($0) },
             "by_region": breadth.byRegion.mapValues { Int($0) },
             "party_body": breadth.partyBody.map { ["party": $0.party, "body": slug($0.body), "count": Int($0.count)] as [String: Any] },
             "effective_parties": (breadth.effectiveParties * 1000).rounded() / 1000,
             "viable": breadth.viable,
             "missing": breadth.missing,
             "criteria": ["min_members": Int(breadth.criteria.minMembers), "min_parties": Int(breadth.criteria.minParties),
                          "min_bodies": Int(breadth.criteria.minBodies), "min_regions": Int(breadth.criteria.minRegions)]]
        }

        static func slug(_ body: Coi_Network_V1_Body) -> String {
            switch body {
            case .municipalCouncil: "municipal_council"
            case .regionalCouncil: "regional_council"
            case .folketing: "folketing"
            default: "unspecified"
            }
        }

        static func print(_ breadth: Coi_Network_V1_Breadth) {
            Swift.print("as of \(breadth.asOf): \(breadth.activeMembers) active members, effective number of parties "
                        + String(format: "%.2f", breadth.effectiveParties))
            Swift.print(breadth.viable ? "VIABLE" : "NOT YET VIABLE")
            for line in breadth.missing { Swift.print("  missing: \(line)") }
            Swift.print("")
            let bodies: [Coi_Network_V1_Body] = [.municipalCouncil, .regionalCouncil, .folketing]
            var rows = breadth.byParty.keys.sorted().map { party -> [String] in
                [party] + bodies.map { body in
                    String(breadth.partyBody.first { $0.party == party && $0.body == body }?.count ?? 0)
                } + [String(breadth.byParty[party] ?? 0)]
            }
            rows.append(["total"] + bodies.map { String(breadth.byBody[slug($0)] ?? 0) } + [String(breadth.activeMembers)])
            Output.table(["PARTY", "MUNICIPAL", "REGIONAL", "FOLKETING", "TOTAL"], rows)
            Swift.print("")
            Output.table(["REGION", "MEMBERS"], breadth.byRegion.keys.sorted().map { [$0, String(breadth.byRegion[$0] ?? 0)] })
        }
    }

    struct Feed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the network's event feed, one JSON line per event.",
            discussion: "Resume with --after CURSOR (the last cursor you saw); --follow keeps waiting for new events.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Events after this cursor.") var after: Int64 = 0
        @Flag(help: "Keep the stream open for new events.") var follow = false

        func run() async throws {
            try await Session.with(options) { session in
                do {
                    let stream = try session.connection.stream(Coi_Network_V1_Network.Method.feed, .with {
                        $0.after = after
                        $0.follow = follow
                    }, metadata: options.metadata, timeout: follow ? nil : options.deadline)
                    for try await event in stream.replies {
                        let object: [String: Any] = ["cursor": event.cursor, "time": event.time, "kind": event.kind, "subject": event.subject,
                                                     "detail": event.detail]
                        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) {
                            Output.out(data + Data("\n".utf8))
                        }
                    }
                } catch let error as RPCError {
                    throw Session.fail(error)
                }
            }
        }
    }
}

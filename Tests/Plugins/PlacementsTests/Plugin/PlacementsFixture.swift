import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import Foundation
import SwiftProtobuf
@testable import COIPlacements

/// The real core, identity and placements plugins on a temporary database, called through the
/// daemon's own call pipeline by `PluginTestHost`.
struct PlacementsFixture {
    let bench: PluginTestHost

    /// - Parameter others: Further plugins beside placements (the wiki, for case pages).
    init(others: [any Plugin] = []) async throws {
        bench = try await PluginTestHost(plugins: [PlacementsPlugin()] + others)
    }

    /// Calls a unary method; no token means the local admin (root, without an account).
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> Reply {
        try await bench.call(rpc, request, token: token)
    }

    /// Creates a person with roles and returns their id and a token.
    func person(_ name: String, roles: [String] = ["member"]) async throws -> (id: String, token: String) {
        try await bench.person(name, roles: roles)
    }

    /// A season in week 37 of 2027 (all dates in the future: phase DRAFT).
    func season(maxChoices: Int32 = 0) async throws -> Coi_Placements_V1_Season {
        try await call(Coi_Placements_V1_Seasons.Method.create, .with {
            $0.year = 2027
            $0.week = 37
            $0.maxChoices = maxChoices
        })
    }

    /// Imports the four files (text) into `season`.
    @discardableResult
    func importFiles(_ season: String, _ files: ImportCSV, token: String? = nil) async throws -> Coi_Placements_V1_ImportReply {
        let chunks = [("offers.csv", files.offers), ("seekers.csv", files.seekers), ("preferences.csv", files.preferences),
                      ("host_rankings.csv", files.rankings)].map { name, text in
            Coi_Placements_V1_ImportChunk.with {
                $0.seasonID = season
                $0.file = name
                $0.data = Data(text.utf8)
            }
        }
        return try await bench.upload(Coi_Placements_V1_Seasons.Method.import, chunks, token: token)
    }

    /// The MATCHES export as records of fields (header first).
    func exportMatches(_ season: String) async throws -> [[String]] {
        let chunks = try await bench.stream(Coi_Placements_V1_Seasons.Method.export, Coi_Placements_V1_ExportRequest.with {
            $0.seasonID = season
            $0.table = .matches
        })
        let text = String(decoding: chunks.reduce(Data()) { $0 + $1.data }, as: UTF8.self)
        return try CSVTable(text, expected: ["seeker_ref", "seeker_id", "seeker_name", "offer_ref", "offer_id", "offer_title", "choice",
                                             "host_rank", "source", "reason"]).records.map(\.fields)
    }
}

/// The four import files as text, with a small default season: three offers, five seekers.
struct ImportCSV {
    var offers = """
        ref,title,host_workplace,level,municipality_code,capacity,days,contact_email
        O1,Digital borgerservice,Gladsaxe Kommune,kommune,159,1,3,vaert1@gladsaxe.dk
        O2,Sundhedsområdet i praksis,Region Hovedstaden,regional,101,2,2,vaert2@regionh.dk
        O3,Ministeriets departement,Finansministeriet,state,101,1,5,vaert3@fm.dk

        """
    var seekers = """
        ref,full_name,email,home_workplace,level,municipality_code,manager_email,manager_approval
        S1,Søren Ærø,soeren@aarhus.dk,Aarhus Kommune,municipal,751,leder@aarhus.dk,approved
        S2,Åse Øster,aase@odense.dk,Odense Kommune,municipal,461,leder@odense.dk,approved
        S3,Ib Lund,ib@rm.dk,Region Midtjylland,regional,751,chef@rm.dk,approved
        S4,Eva Holm,eva@stm.dk,Statsministeriet,state,101,chef@stm.dk,pending
        S5,Kaj Berg,kaj@aalborg.dk,Aalborg Kommune,municipal,851,leder@aalborg.dk,approved

        """
    var preferences = """
        seeker_ref,rank,offer_ref
        S1,1,O1
        S1,2,O2
        S2,1,O1
        S2,2,O3
        S3,1,O1
        S3,2,O2
        S4,1,O2
        S5,1,O3

        """
    var rankings = """
        offer_ref,rank,seeker_ref
        O1,1,S2
        O1,2,S1
        O1,3,S3
        O2,1,S3
        O2,2,S1
        O2,3,S4
        O3,1,S2

        """
}

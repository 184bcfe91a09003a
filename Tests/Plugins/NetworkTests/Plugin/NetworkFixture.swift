import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import Foundation
import SwiftProtobuf
@testable import COINetwork

/// The real core, identity and network plugins on a temporary database, called through the
/// daemon's own call pipeline by `PluginTestHost`.
struct NetworkFixture {
    let bench: PluginTestHost

    static let header = "ref,full_name,email,party,body,municipality_code,region_code,role,term_start,term_end,status,public_consent"

    init(config: TOMLTable = TOMLTable()) async throws {
        bench = try await PluginTestHost(plugins: [NetworkPlugin()], config: ["coi.network": config])
    }

    /// Calls a unary method; no token means the local admin.
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request, token: String? = nil) async throws -> Reply {
        try await bench.call(rpc, request, token: token)
    }

    /// Imports CSV rows (the header is added) as the local admin.
    @discardableResult
    func importRows(_ rows: [String], dryRun: Bool = false) async throws -> Coi_Network_V1_ImportMembersReply {
        try await call(Coi_Network_V1_Members.Method.import, .with {
            $0.csv = Data(([Self.header] + rows).joined(separator: "\n").utf8)
            $0.dryRun = dryRun
        })
    }

    func members(_ token: String? = nil) async throws -> [Coi_Network_V1_Member] {
        try await call(Coi_Network_V1_Members.Method.list, Coi_Network_V1_ListMembersRequest.with { $0.pageSize = 500 }, token: token).members
    }

    func breadth(asOf: String = "") async throws -> Coi_Network_V1_Breadth {
        try await call(Coi_Network_V1_Network.Method.getBreadth, .with { $0.asOf = asOf })
    }

    /// A member's token: the imported person's account gets one.
    func token(for member: Coi_Network_V1_Member) async throws -> String {
        try await call(Coi_Identity_V1_Tokens.Method.issue, .with { $0.accountID = member.accountID }).secret
    }

    func export(publicOnly: Bool, token: String? = nil) async throws -> String {
        let chunks = try await bench.stream(Coi_Network_V1_Members.Method.export, .with { $0.publicOnly = publicOnly }, token: token)
        return String(decoding: chunks.reduce(Data()) { $0 + $1.data }, as: UTF8.self)
    }

    /// Active members: one per party and region across all three bodies.
    static func rows(_ count: Int, parties: [String] = ["A", "V", "Ø", "C", "F"], status: String = "active") -> [String] {
        let municipalities = [851, 751, 461, 101, 330] // Aalborg, Aarhus, Odense, København, Slagelse: one per region
        let regions = [1081, 1082, 1083, 1084, 1085]
        return (0..<count).map { index in
            let party = parties[index % parties.count]
            let consent = index % 2 == 0 ? "yes" : "no"
            switch index % 3 {
            case 0: return "r\(index),Politiker \(index),p\(index)@example.dk,\(party),municipal_council,\(municipalities[index % 5]),,member,2026-01-01,2029-12-31,\(status),\(consent)"
            case 1: return "r\(index),Politiker \(index),p\(index)@example.dk,\(party),regional_council,,\(regions[index % 5]),member,,,\(status),\(consent)"
            default: return "r\(index),Politiker \(index),p\(index)@example.dk,\(party),folketing,,\(regions[index % 5]),member,,,\(status),\(consent)"
            }
        }
    }
}

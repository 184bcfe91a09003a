import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Foundation
import GRDB
import SwiftProtobuf
@testable import COIHost

/// Identity, wiki and nominations on one database, with an admin account, for the reliability
/// tests. Every call goes through `call` or `outcome`, so moving to the shared harness means
/// changing these two functions.
struct ReliabilityWorld {
    let fixture: IdentityFixture
    let adminID: String
    let token: String

    init() async throws {
        fixture = try await IdentityFixture()
        adminID = try await fixture.account("Rita Reliability", roles: ["admin"])
        token = try await fixture.token(for: adminID)
    }

    /// Calls a unary method as the admin account.
    func call<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async throws -> Reply {
        try await fixture.call(rpc, request, peer: nil, token: token)
    }

    /// A call's result: the reply, or the error it failed with.
    func outcome<Request: Message, Reply: Message>(_ rpc: RPC<Request, Reply>, _ request: Request) async -> Result<Reply, RPCError> {
        do {
            return .success(try await call(rpc, request))
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(RPCError(.internal, "\(error)"))
        }
    }

    /// A column read as bytes, so a value cut at NUL by the reader could not hide a cut in storage.
    func stored(_ sql: String, _ arguments: StatementArguments) async throws -> String? {
        try await fixture.store.pool.read { db in
            try Data.fetchOne(db, sql: sql, arguments: arguments).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

/// Seeded random text that mixes what breaks text handling: NUL and other controls, escapes,
/// zero-width and bidirectional characters, combining marks, Danish letters, emoji, CJK.
struct RandomText {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64: reproducible from the seed alone.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    static let pools: [[UInt32]] = [
        Array(0x61...0x7A), Array(0x41...0x5A), [0x20, 0x20, 0x2D, 0x2E],
        [0xE6, 0xF8, 0xE5, 0xC6, 0xD8, 0xC5],
        [0x00], Array(0x01...0x1F), [0x7F, 0x85, 0x9B],
        [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD],
        [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F],
        [0x0301, 0x0308, 0x030A], [0x1F600, 0x1F469, 0x2028, 0x2029], [0x4E2D, 0x6587, 0x3042],
    ]

    /// Pools without NUL, controls or invisible characters: what a careful person types.
    static let printable = [0, 1, 2, 3, 9, 11]

    /// A string of up to `maxLength` scalars, never empty.
    /// - Parameter pools: Indexes into `pools` to draw from; all of them by default.
    mutating func string(maxLength: Int = 24, pools: [Int]? = nil) -> String {
        let chosen = pools ?? Array(Self.pools.indices)
        var result = String.UnicodeScalarView()
        for _ in 0..<(1 + below(maxLength)) {
            let pool = Self.pools[chosen[below(chosen.count)]]
            result.append(Unicode.Scalar(pool[below(pool.count)])!)
        }
        return String(result)
    }
}

import COIHostTesting
import COIProto
import COIWire
import Foundation
import Testing
@testable import COIHost

/// Token lifetimes against a clock the test moves: no sleeping.
@Suite struct TokenExpiryTests {
    @Test func expiredTokenIsRejectedAndALongerOneStillWorks() async throws {
        let clock = ManualClock()
        let fixture = try await IdentityFixture(clock: clock)
        let anna = try await fixture.account("Anna Jensen")
        let secret = try await fixture.token(for: anna, expiresIn: 60)
        let before = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest(), peer: nil, token: secret)
        #expect(before.principal == "account:\(anna)")

        clock.advance(by: 59)
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest(), peer: nil, token: secret)
        // Past the expiry (stored to the microsecond, so not exactly on the boundary).
        clock.advance(by: 1.5)
        let error = await rpcError {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest(), peer: nil, token: secret)
        }
        #expect(error?.code == .unauthenticated && error?.message.contains("expired") == true, "\(String(describing: error))")

        // A token with a longer life, issued now, still works.
        let fresh = try await fixture.token(for: anna, expiresIn: 12 * 3600)
        let after = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest(), peer: nil, token: fresh)
        #expect(after.principal == "account:\(anna)")
    }
}

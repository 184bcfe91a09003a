import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIHost

/// Issue 13, items 10 and 13: errors name who was turned away and why, and a diagnostic that
/// holds a stream open is not open to unknown callers.
@Suite struct CallerMessagesTests {
    @Test func aSuspendedUnixUserIsToldTheAccountIsSuspended() async throws {
        let fixture = try await IdentityFixture()
        let id = try await fixture.account("Nora Nobody", osUser: UnixPeerTests.nobodyName)
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.setStatus, .with {
            $0.id = id
            $0.status = .suspended
        })
        await #expect {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.whoAmI, Coi_Identity_V1_WhoAmIRequest(), peer: IdentityFixture.nobody)
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .unauthenticated && e?.reason == "ACCOUNT_SUSPENDED"
                && e?.message.contains(id) == true && e?.message.contains("suspended") == true
        }
    }

    @Test func aPermissionErrorWhileActingForAPersonNamesBoth() async throws {
        let fixture = try await IdentityFixture()
        let service = try await fixture.account("Borger.dk", kind: .service, roles: ["integration"])
        let person = try await fixture.account("Søren Ærø")
        let token = try await fixture.token(for: service)
        await #expect {
            _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.list, Coi_Identity_V1_ListAccountsRequest(), token: token, actAs: person)
        } throws: { error in
            let e = error as? RPCError
            return e?.code == .permissionDenied && e?.message.contains("account:\(person)") == true
                && e?.message.contains("account:\(service)") == true
        }
    }

    @Test func sleepNeedsAnIdentity() async throws {
        let fixture = try await IdentityFixture()
        await #expect {
            _ = try await fixture.call(Coi_Core_V1_Diagnostics.Method.sleep, .with { $0.millis = 0 }, peer: IdentityFixture.nobody)
        } throws: { ($0 as? RPCError)?.code == .unauthenticated }
        _ = try await fixture.call(Coi_Core_V1_Diagnostics.Method.sleep, .with { $0.millis = 0 })
        // Echo stays open: it holds nothing.
        _ = try await fixture.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "hej" }, peer: IdentityFixture.nobody)
    }
}

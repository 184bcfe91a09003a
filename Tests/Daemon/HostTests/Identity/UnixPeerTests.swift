import COIPluginKit
import COIProto
import COIWire
import Testing
@testable import COIHost

/// Local callers known by their Unix credentials.
@Suite struct UnixPeerTests {
    /// uid/gid 65534 is "nobody"/"nogroup" on Debian, the machine this suite runs on.
    static let nobodyName = UnixUsers.name(of: 65534)

    @Test func rootIsAdminAndAnUnknownUserIsAnonymous() async throws {
        let fixture = try await IdentityFixture()
        let root = try await fixture.identity.authenticate(IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: IdentityFixture.root))
        #expect(root.isAdmin && root.account == nil && root.caller == "unix:uid=0(root)")
        let nobody = try await fixture.identity.authenticate(IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: IdentityFixture.nobody))
        #expect(!nobody.isAdmin && !nobody.isIdentified && nobody.caller == "unix:uid=65534(\(Self.nobodyName))")
    }

    @Test func aLinkedUserIsTheirAccountUntilSuspended() async throws {
        let fixture = try await IdentityFixture()
        let id = try await fixture.account("Nora Nobody", osUser: Self.nobodyName)
        let context = IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: IdentityFixture.nobody)
        let linked = try await fixture.identity.authenticate(context)
        #expect(linked.account?.id == id && linked.holds("jury.nominate") && !linked.isAdmin)
        _ = try await fixture.call(Coi_Identity_V1_Accounts.Method.setStatus, Coi_Identity_V1_SetAccountStatusRequest.with {
            $0.id = id
            $0.status = .suspended
        })
        // Issue 13 item 10: told why, on the next call, instead of silently becoming anonymous.
        await #expect {
            _ = try await fixture.identity.authenticate(context)
        } throws: { ($0 as? RPCError)?.reason == "ACCOUNT_SUSPENDED" }
    }

    @Test func membersOfTheAdminGroupAreAdmins() async throws {
        var settings = IdentitySettings()
        settings.adminGroup = UnixUsers.groupName(of: 65534) ?? "nogroup"
        let fixture = try await IdentityFixture(settings: settings)
        let member = try await fixture.identity.authenticate(IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: IdentityFixture.nobody))
        #expect(member.isAdmin)
        let other = PeerCredentials(pid: 1, uid: 65534, gid: 0)
        let notMember = try await IdentityFixture(settings: IdentitySettings()).identity
            .authenticate(IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: other))
        #expect(!notMember.isAdmin)
    }
}

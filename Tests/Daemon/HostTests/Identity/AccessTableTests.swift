import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Testing
@testable import COIHost

/// Every registered method, called with no identity, with a role that lacks its permission, and
/// with one that holds it.
@Suite struct AccessTableTests {
    /// Writes any identified caller may make, each limited by its handler to the caller's own records.
    static let selfService: Set<String> = [Coi_Identity_V1_Tokens.Method.revoke.path]

    @Test func everyMethodWithNoIdentityWrongRoleAndRightRole() async throws {
        let fixture = try await IdentityFixture()
        let member = try await fixture.account("Mette Member")
        let memberToken = try await fixture.token(for: member)
        let routes = fixture.router.routes.values.sorted { $0.path < $1.path }
        #expect(routes.count >= 25)
        var checked = 0
        for route in routes {
            let access = route.access
            // No identity: a local user with no account, and a TLS caller without a token.
            let local = await admitted(fixture, route, peer: IdentityFixture.nobody)
            #expect(local == (access.needsIdentity ? .unauthenticated : nil), "\(route.path) [\(access)] without identity: \(String(describing: local))")
            let remote = await admitted(fixture, route, peer: nil)
            #expect(remote == .unauthenticated, "\(route.path) over TLS without token")

            // Wrong role: a plain member.
            let memberHolds = access.permission.map { fixture.identity.catalog.roles["member"]!.permissions.contains($0) } ?? true
            let asMember = await admitted(fixture, route, peer: nil, token: memberToken)
            #expect(asMember == (memberHolds ? nil : .permissionDenied), "\(route.path) [\(access)] as member: \(String(describing: asMember))")

            // Right role: the narrowest role that grants the permission, else admin.
            if let permission = access.permission {
                let role = fixture.identity.catalog.roles.values.filter { $0.permissions.contains(permission) }
                    .min { $0.permissions.count < $1.permissions.count }?.name ?? "admin"
                let holder = try await fixture.account("Holder of \(permission)", roles: [role])
                let holderToken = try await fixture.token(for: holder)
                let asHolder = await admitted(fixture, route, peer: nil, token: holderToken)
                #expect(asHolder == nil, "\(route.path) as \(role): \(String(describing: asHolder))")
            }
            checked += 1
        }
        #expect(checked == routes.count)
    }

    @Test func writesAreNeverOpenAndEveryPermissionIsDeclared() async throws {
        let fixture = try await IdentityFixture()
        for route in fixture.router.routes.values {
            // The exceptions: a write whose handler checks a credential the request carries (an
            // invitation token), and self-service writes whose handler limits them to the caller's own records.
            if route.access.effect == .write && !route.access.credentialInRequest {
                #expect(route.access.needsIdentity, "\(route.path)")
                #expect(route.access.permission != nil || Self.selfService.contains(route.path), "\(route.path)")
            }
            if let permission = route.access.permission {
                #expect(fixture.identity.catalog.permissions[permission] != nil, "\(route.path) names undeclared \(permission)")
            }
        }
    }

    /// A real campaign, since a binding's scope must name one (issue 13 item 11).
    func campaign(_ fixture: IdentityFixture, _ title: String = "Bedste Mindste Idé") async throws -> String {
        try await fixture.call(Coi_Nominations_V1_Campaigns.Method.create, Coi_Nominations_V1_CreateCampaignRequest.with {
            $0.kind = .ideaAward
            $0.year = 2026
            $0.title = title
        }).id
    }

    @Test func aScopeMustNameAnExistingRecordOfADeclaredKind() async throws {
        let fixture = try await IdentityFixture()
        let juror = try await fixture.account("Jens Juror")
        for (scope, words) in [("campaign:cmp_findes_ikke", ["campaign", "cmp_findes_ikke"]), ("season:sea_x", ["season", "sea_x"]),
                               ("kommune:751", ["unknown scope kind", "campaign", "season"])] {
            let error = await #expect(throws: RPCError.self) {
                _ = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                    $0.accountID = juror
                    $0.role = "nominations.juror"
                    $0.scope = scope
                })
            }
            #expect(error?.code == .invalidArgument && error?.fieldViolations.first?.field == "scope", "\(scope)")
            #expect(words.allSatisfy { error?.message.contains($0) == true }, "\(String(describing: error))")
        }
        let id = try await campaign(fixture)
        let bound = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
            $0.accountID = juror
            $0.role = "nominations.juror"
            $0.scope = "campaign:\(id)"
        })
        #expect(bound.scope == "campaign:\(id)")
    }

    @Test func scopedRoleGrantsOnlyInItsScope() async throws {
        let fixture = try await IdentityFixture()
        let cmp1 = try await campaign(fixture)
        let juror = try await fixture.account("Jens Juror")
        _ = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
            $0.accountID = juror
            $0.role = "jury.juror"
            $0.scope = "campaign:\(cmp1)"
        })
        let token = try await fixture.token(for: juror)
        let context = IdentityFixture.context(Coi_Identity_V1_Accounts.Method.whoAmI.path, peer: nil)
        let principal = try await fixture.identity.authenticate(context, authorization: "Bearer \(token)")
        #expect(principal.holds("jury.score"))
        #expect(principal.can("jury.score", in: "campaign:\(cmp1)"))
        #expect(!principal.can("jury.score", in: "campaign:cmp_2"))
        #expect(principal.can("jury.nominate", in: "campaign:cmp_2"))
        await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                $0.accountID = juror
                $0.role = "admin"
                $0.scope = "campaign:\(cmp1)"
            })
        }
    }

    @Test func pluginRolesAreNamespaced() async throws {
        let fixture = try await IdentityFixture()
        let cmp1 = try await campaign(fixture)
        let roles = fixture.identity.catalog.roles
        #expect(roles["jury.juror"]?.permissions == ["jury.score"])
        #expect(roles["nominations.juror"]?.permissions == ["nominations.score"])
        #expect(roles["juror"] == nil)
        // The plain name is ambiguous once two plugins declare it; a unique one still resolves.
        let someone = try await fixture.account("Signe Scoped")
        let error = await #expect(throws: RPCError.self) {
            _ = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
                $0.accountID = someone
                $0.role = "juror"
                $0.scope = "campaign:\(cmp1)"
            })
        }
        #expect(error?.code == .invalidArgument && error?.message.contains("nominations.juror") == true)
        let screener = try await fixture.call(Coi_Identity_V1_Roles.Method.bind, Coi_Identity_V1_BindRoleRequest.with {
            $0.accountID = someone
            $0.role = "screener"
            $0.scope = "campaign:\(cmp1)"
        })
        #expect(screener.role == "nominations.screener")
    }

    @Test func declarationsOutsideThePluginNamespaceAreAStartError() async throws {
        struct Squatter: Plugin {
            var id: String { "coi.squatter" }
            var services: [RPCService] { [] }
            var permissions: [PermissionDeclaration] { [PermissionDeclaration("wiki.edit", "Not ours")] }
            var roles: [RoleDeclaration] { [RoleDeclaration("admin", "Not ours either", permissions: [])] }
            func start(context: PluginContext, router: inout Router) async throws {}
        }
        let started = try await PluginHost(plugins: [Squatter()], policy: .init(), logger: IdentityFixture.logger)
            .start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        #expect(started.states[0].status == .error)
        #expect(started.states[0].reason.contains("permission wiki.edit must be named squatter.<action>"))
        #expect(started.states[0].reason.contains("role \"admin\""))
    }

    /// The status admission fails with, or nil when the call is admitted.
    func admitted(_ fixture: IdentityFixture, _ route: MethodRoute, peer: PeerCredentials?, token: String? = nil) async -> StatusCode? {
        do {
            try await fixture.admit(route, peer: peer, token: token)
            return nil
        } catch let error as RPCError {
            return error.code
        } catch {
            return .internal
        }
    }
}

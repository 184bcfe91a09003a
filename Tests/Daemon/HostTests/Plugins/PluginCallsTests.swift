import COIBuiltInPlugins
import COIHostTesting
import COIPluginKit
import COIProto
import COIRPC
import Logging
import Synchronization
import Testing

/// Keeps the `PluginCalls` a plugin was started with, for the test to call through.
final class CallsBox: Sendable {
    let calls = Mutex<PluginCalls?>(nil)
}

/// A plugin with no routes of its own: it only receives `context.calls`.
struct CallsCatcher: Plugin {
    let box = CallsBox()
    var id: String { "coi.catcher" }
    var services: [RPCService] { [] }

    func start(context: PluginContext, router: inout Router) async throws {
        box.calls.withLock { $0 = context.calls }
    }
}

/// Serves the wiki's Get (no wiki runs beside it) by calling Get again through `PluginCalls`:
/// a plugin that calls back into itself.
struct Looper: Plugin {
    final class Count: Sendable {
        let value = Mutex(0)
    }
    let seen = Count()
    var id: String { "coi.looper" }
    var services: [RPCService] { [Coi_Wiki_V1_Pages.service] }

    func start(context: PluginContext, router: inout Router) async throws {
        let calls = context.calls
        router.unary(Coi_Wiki_V1_Pages.Method.get, .open) { [self] (request: Coi_Wiki_V1_GetPageRequest, context) in
            seen.value.withLock { $0 += 1 }
            return try await calls.call(Coi_Wiki_V1_Pages.Method.get, request, as: context)
        }
    }
}

/// `PluginCalls` runs the other plugin's method through the whole pipeline as the person of the
/// outer call: the route's permission is checked against that person, the request is screened,
/// and writes are audited under their account.
@Suite struct PluginCallsTests {
    /// An outer call's context as authentication would have left it.
    func context(_ principal: Principal) -> RequestContext {
        var context = RequestContext(service: "coi.catcher.v1.X", method: "Y", metadata: [], requestID: "req-outer-1", deadline: nil,
                                     peer: nil, baseLogger: Logger(label: "test"))
        context.principal = principal
        return context
    }

    @Test func innerCallsActAsThePersonAndGainNoRights() async throws {
        let catcher = CallsCatcher()
        let bench = try await PluginTestHost(plugins: BuiltInPlugins.all + [catcher])
        let calls = try #require(catcher.box.calls.withLock { $0 })
        let person = try await bench.person("Mia Medlem")
        let account = AccountRef(id: person.id, kind: .person, displayName: "Mia Medlem")
        let editor = Principal(credential: .token(id: "tok_x"), account: account,
                               grants: [.init(role: "member", scope: "", permissions: ["wiki.read", "wiki.edit"])])

        let saved = try await calls.call(Coi_Wiki_V1_Pages.Method.save, .with {
            $0.title = "Fælles side"
            $0.text = "Skrevet gennem PluginCalls"
        }, as: context(editor))
        #expect(saved.revision.authorID == person.id)

        // The same person without the permission the route needs is refused by authorisation.
        let protect = await rpcError {
            _ = try await calls.call(Coi_Wiki_V1_Pages.Method.protect, .with {
                $0.title = "Fælles side"
                $0.level = .moderated
            }, as: context(editor))
        }
        #expect(protect?.code == .permissionDenied)
        // Nobody at all: authentication does not invent one.
        let anonymous = await rpcError {
            _ = try await calls.call(Coi_Wiki_V1_Pages.Method.save, .with { $0.title = "Anden side"; $0.text = "x" }, as: context(.anonymous))
        }
        #expect(anonymous?.code == .unauthenticated)
        // The request is screened like a socket call's.
        let nul = await rpcError {
            _ = try await calls.call(Coi_Wiki_V1_Pages.Method.save, .with { $0.title = "Nul\u{0}side"; $0.text = "x" }, as: context(editor))
        }
        #expect(nul?.code == .invalidArgument)

        let audit = try await bench.call(Coi_Identity_V1_Audit.Method.list, .with { $0.method = "coi.wiki.v1.Pages/" })
        let entries = audit.entries.map { [$0.method, $0.principal, $0.outcome, $0.requestID] }
        #expect(entries.contains([Coi_Wiki_V1_Pages.Method.save.path, "account:\(person.id)", "OK", "req-outer-1"]))
        #expect(entries.contains([Coi_Wiki_V1_Pages.Method.protect.path, "account:\(person.id)", "PERMISSION_DENIED", "req-outer-1"]))
    }

    /// A plugin calling itself is stopped at `PluginCalls.maxDepth` with a status that names the
    /// loop, and the daemon carries on.
    @Test func aPluginCallingItselfStopsAtTheDepthLimit() async throws {
        let looper = Looper()
        let bench = try await PluginTestHost(plugins: [looper])
        let error = await rpcError {
            _ = try await bench.call(Coi_Wiki_V1_Pages.Method.get, .with { $0.title = "Rundt" })
        }
        #expect(error?.code == .resourceExhausted && error?.reason == "CALL_DEPTH", "\(String(describing: error))")
        #expect(error?.message.contains("coi.looper → coi.looper") == true, "\(String(describing: error))")
        // The socket's call and one handler per allowed nesting, then the refusal.
        #expect(looper.seen.value.withLock { $0 } == PluginCalls.maxDepth + 1)
        let health = try await bench.call(Coi_Core_V1_Diagnostics.Method.echo, .with { $0.message = "stadig her" })
        #expect(health.message == "stadig her")
    }
}

public import COIPluginKit
import COIProto
public import COIRPC
import COIWire
import GRDB

/// The innovation wiki (id "coi.wiki"): pages in namespaces with immutable revisions credited to
/// named accounts, saves that merge or reject instead of overwriting, Danish-aware search, links,
/// watchlists, and case pages with structured fields. See docs/wiki.md.
public struct WikiPlugin: Plugin {
    /// Pushes "something changed" to open feeds; one per plugin instance.
    let changes = ChangeSignal()

    /// Creates the plugin.
    public init() {}

    public var id: String { "coi.wiki" }
    /// Authors are accounts: revisions name them by id and read their names from identity's table.
    public var requires: [String] { ["coi.identity"] }
    public var services: [RPCService] {
        [Coi_Wiki_V1_Pages.service, Coi_Wiki_V1_Discovery.service, Coi_Wiki_V1_Feeds.service]
    }
    public var migrations: [Migration] { WikiSchema.migrations }

    public var scopeKinds: [ScopeKind] { [ScopeKind("page", table: "wiki_pages")] }
    public var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("wiki.read", "Read pages, history, diffs, search and feeds", grantedTo: ["member"]),
         PermissionDeclaration("wiki.edit", "Create and edit pages, undo and restore revisions", grantedTo: ["member"]),
         PermissionDeclaration("wiki.move", "Rename pages", grantedTo: ["member"]),
         PermissionDeclaration("wiki.watch", "Keep a watchlist and follow it", grantedTo: ["member"]),
         PermissionDeclaration("wiki.rollback", "Roll back a run of edits by one author", grantedTo: ["moderator"]),
         PermissionDeclaration("wiki.delete", "Delete and undelete pages (history is kept)", grantedTo: ["moderator"]),
         PermissionDeclaration("wiki.protect", "Set a page's protection level", grantedTo: ["moderator"]),
         PermissionDeclaration("wiki.edit-protected", "Change pages protected at level MODERATED", grantedTo: ["moderator"]),
         PermissionDeclaration("wiki.import", "Import pages with their full history")]
    }

    public var defaultConfig: String {
        """
        # Largest page text accepted by a save, in bytes.
        max_page_bytes = \(WikiSettings.defaultMaxPageBytes)
        # Search ranks at most this many matches of a query, newest pages first (0 = all of them).
        search_rank_window = \(WikiSettings.defaultSearchRankWindow)
        """
    }

    public func start(context: PluginContext, router: inout Router) async throws {
        let settings = try WikiSettings(config: context.config)
        let wiki = Wiki(store: context.store, settings: settings, changes: changes,
                        writer: GroupCommitWriter(store: context.store, name: "wiki"))
        wiki.registerPages(&router)
        wiki.registerRevisionTools(&router)
        wiki.registerPageAdmin(&router)
        wiki.registerTransfer(&router)
        wiki.registerDiscovery(&router)
        wiki.registerFeeds(&router)
    }
}

/// What the handlers share: the store, the settings, the change signal and the group-commit writer.
struct Wiki: Sendable {
    let store: Store
    let settings: WikiSettings
    let changes: ChangeSignal
    /// Every write but an import goes through it: concurrent saves share one transaction and one
    /// fsync, each in its own savepoint, so a save that fails (an edit conflict, a protected page)
    /// rolls back alone and the others commit.
    let writer: GroupCommitWriter

    /// Runs a write through the group commit; returns once the transaction holding it committed.
    /// - Parameter work: The write; throwing rolls back this write alone.
    /// - Returns: What `work` returned.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(work)
    }
}

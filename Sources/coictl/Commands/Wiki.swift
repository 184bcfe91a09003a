import ArgumentParser

struct Wiki: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The innovation wiki: pages, history, merges, search, cases, feeds.",
        discussion: """
            Titles are "Page", "Talk:Page" or "Case:Page". Edits name the revision they started from \
            (--base); when the page moved on, the save is merged or rejected with the conflicting hunks.
            """,
        subcommands: [WikiGet.self, WikiEdit.self, WikiHistory.self, WikiDiff.self, WikiCredits.self,
                      WikiUndo.self, WikiRollback.self, WikiRestore.self,
                      WikiRename.self, WikiDelete.self, WikiUndelete.self, WikiProtect.self,
                      WikiSearch.self, WikiBacklinks.self, WikiWanted.self, WikiOrphans.self, WikiCategory.self,
                      WikiCases.self, WikiContributions.self,
                      WikiRecent.self, WikiWatch.self, WikiUnwatch.self, WikiWatched.self, WikiWatchlist.self,
                      WikiExport.self, WikiImport.self])

}

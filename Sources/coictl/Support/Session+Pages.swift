extension Session {
    /// Follows page tokens through `fetch` (for lists whose replies do not conform to `PagedReply`):
    /// the first page only, or every page when `all`.
    /// - Parameters:
    ///   - all: Whether to fetch every page.
    ///   - fetch: Fetches the page for a token ("" = the first), returning its items and the next token.
    /// - Returns: The items, and whether pages remain unfetched.
    func pages<Item>(all: Bool, _ fetch: (String) async throws -> (items: [Item], next: String)) async throws -> (items: [Item], more: Bool) {
        var items: [Item] = []
        var token = ""
        repeat {
            let page = try await fetch(token)
            items += page.items
            token = page.next
        } while all && !token.isEmpty
        return (items, !token.isEmpty)
    }
}

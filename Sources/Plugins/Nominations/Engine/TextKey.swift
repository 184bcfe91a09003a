import COIPluginKit

/// Keys that make differently written names and titles compare equal, for the duplicate heuristic.
///
/// A likely duplicate is a nomination in the same campaign that names the same person at the same
/// workplace (`nominee`), or whose title has the same words in any order (`title`). Both compare
/// folded text: lower case, æ/ø/å and their substitutes (ae/oe/aa) made equal, punctuation and
/// spacing ignored. Exact keys rather than fuzzy similarity keep the check an index lookup at
/// submission, so it costs nothing at 2,000 submissions a second, and never flags two unrelated
/// ideas that merely share words.
public enum TextKey {
    /// Folds text with the kit's `DanishFolding` (lower case, Danish letters and substitutes
    /// unified, only letters and digits kept, words separated by one space).
    /// - Parameter text: Any text.
    /// - Returns: The folded text.
    public static func fold(_ text: String) -> String { DanishFolding.fold(text) }

    /// The key of a nominee: folded name and folded workplace.
    /// - Parameters:
    ///   - name: The nominee's name.
    ///   - workplace: The nomination's workplace.
    /// - Returns: The key.
    public static func nominee(name: String, workplace: String) -> String {
        fold(name) + "|" + fold(workplace)
    }

    /// The key of a title: its distinct folded words, sorted.
    /// - Parameter title: The title.
    /// - Returns: The key.
    public static func title(_ title: String) -> String {
        Set(words(title)).sorted().joined(separator: " ")
    }

    /// The folded words, by the kit's one Danish folding.
    static func words(_ text: String) -> [String] { DanishFolding.words(text) }
}

public import COIPluginKit
import COIBarometer
import COINetwork
import COINominations
import COIPlacements
import COIWiki

/// The plugins compiled into coid, in registration order: the one list a new plugin is added to.
///
/// `coid`, every test fixture and the access-table test read it, so a plugin added here is served,
/// tested for access rules and listed by Introspection without further edits.
public enum BuiltInPlugins {
    /// A fresh instance of every built-in plugin (plugins keep per-run state, so each daemon or test
    /// fixture gets its own).
    public static var all: [any Plugin] {
        [WikiPlugin(), NominationsPlugin(), NetworkPlugin(), PlacementsPlugin(), BarometerPlugin()]
    }
}

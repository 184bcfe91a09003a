/// When a juror may not score a nomination: conflicts of interest found automatically, or declared.
public enum Recusal {
    /// A juror as recusal sees them.
    public struct Juror: Sendable {
        public var id: String
        public var name: String
        public var workplace: String
        /// Creates a juror.
        /// - Parameters:
        ///   - id: The account id.
        ///   - name: The account's full name.
        ///   - workplace: The account's workplace.
        public init(id: String, name: String, workplace: String) {
            self.id = id
            self.name = name
            self.workplace = workplace
        }
    }

    /// A nomination as recusal sees it.
    public struct Nomination: Sendable {
        public var nominatorID: String
        public var nomineeNames: [String]
        public var nomineeAccounts: [String]
        public var workplace: String
        /// Creates a nomination.
        /// - Parameters:
        ///   - nominatorID: The nominator's account id.
        ///   - nomineeNames: The nominees' names.
        ///   - nomineeAccounts: The nominees' account ids ("" for none).
        ///   - workplace: The nominees' workplace.
        public init(nominatorID: String, nomineeNames: [String], nomineeAccounts: [String], workplace: String) {
            self.nominatorID = nominatorID
            self.nomineeNames = nomineeNames
            self.nomineeAccounts = nomineeAccounts
            self.workplace = workplace
        }
    }

    /// Why `juror` is recused from `nomination`, or nil.
    ///
    /// In order: the juror nominated it; the juror is a nominee (by account, or by name, since most
    /// nominees have no account); the juror works at the nominees' workplace (folded text equal); the
    /// juror declared a conflict.
    /// - Parameters:
    ///   - juror: The juror.
    ///   - nomination: The nomination.
    ///   - declared: The reason the juror declared, if any.
    /// - Returns: "nominator", "nominee", "same workplace", "declared: …", or nil.
    public static func reason(_ juror: Juror, _ nomination: Nomination, declared: String? = nil) -> String? {
        if nomination.nominatorID == juror.id { return "nominator" }
        let name = TextKey.fold(juror.name)
        if nomination.nomineeAccounts.contains(juror.id) || (!name.isEmpty && nomination.nomineeNames.contains { TextKey.fold($0) == name }) {
            return "nominee"
        }
        let workplace = TextKey.fold(juror.workplace)
        if !workplace.isEmpty && workplace == TextKey.fold(nomination.workplace) { return "same workplace" }
        if let declared { return "declared: \(declared)" }
        return nil
    }
}

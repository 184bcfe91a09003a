extension NominationRecord {
    /// The nomination as recusal sees it.
    var recusal: Recusal.Nomination {
        Recusal.Nomination(nominatorID: nominatorID, nomineeNames: nominees.map(\.name), nomineeAccounts: nominees.map(\.accountID),
                           workplace: workplace)
    }
}

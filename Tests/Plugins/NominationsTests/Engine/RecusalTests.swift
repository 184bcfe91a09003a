import COINominations
import Testing

@Suite struct RecusalTests {
    let juror = Recusal.Juror(id: "acc_j", name: "Jens Juul", workplace: "Aarhus Rådhus")

    func nomination(nominator: String = "acc_n", names: [String] = ["Mette Hansen"], accounts: [String] = [""],
                    workplace: String = "Odense Bibliotek") -> Recusal.Nomination {
        Recusal.Nomination(nominatorID: nominator, nomineeNames: names, nomineeAccounts: accounts, workplace: workplace)
    }

    @Test func noConflictMeansNoRecusal() {
        #expect(Recusal.reason(juror, nomination()) == nil)
    }

    @Test func conflictsAreFoundAutomatically() {
        #expect(Recusal.reason(juror, nomination(nominator: "acc_j")) == "nominator")
        #expect(Recusal.reason(juror, nomination(accounts: ["acc_j"])) == "nominee")
        #expect(Recusal.reason(juror, nomination(names: ["Mette Hansen", "jens juul"], accounts: ["", ""])) == "nominee")
        #expect(Recusal.reason(juror, nomination(workplace: "aarhus radhus")) == "same workplace")
    }

    @Test func declaredConflictsRecuse() {
        #expect(Recusal.reason(juror, nomination(), declared: "my sister's team") == "declared: my sister's team")
    }

    @Test func aJurorWithoutWorkplaceIsNotRecusedFromEveryNominationWithout() {
        let loner = Recusal.Juror(id: "acc_x", name: "Xenia", workplace: "")
        #expect(Recusal.reason(loner, nomination(workplace: "")) == nil)
    }
}

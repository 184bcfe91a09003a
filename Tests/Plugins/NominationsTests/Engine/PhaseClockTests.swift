import COINominations
import Testing

@Suite struct PhaseClockTests {
    let schedule: [(phase: CampaignPhase, startsAt: String)] = [
        (.nominationsOpen, "2026-03-01T00:00:00.000000Z"),
        (.screening, "2026-04-01T00:00:00.000000Z"),
        (.jury, "2026-05-01T00:00:00.000000Z"),
    ]
    let created = "2026-01-01T00:00:00.000000Z"

    @Test func datesMoveTheCampaignForward() {
        #expect(PhaseClock.current(set: .draft, setAt: created, schedule: schedule, now: "2026-02-01T00:00:00.000000Z").phase == .draft)
        let open = PhaseClock.current(set: .draft, setAt: created, schedule: schedule, now: "2026-03-15T00:00:00.000000Z")
        #expect(open.phase == .nominationsOpen && open.since == "2026-03-01T00:00:00.000000Z")
        #expect(PhaseClock.current(set: .draft, setAt: created, schedule: schedule, now: "2026-06-01T00:00:00.000000Z").phase == .jury)
    }

    @Test func aNewCampaignFollowsDatesAlreadyPast() {
        let current = PhaseClock.current(set: .draft, setAt: "", schedule: schedule, now: "2026-04-15T00:00:00.000000Z")
        #expect(current.phase == .screening && current.since == "2026-04-01T00:00:00.000000Z")
        let untouched = PhaseClock.current(set: .draft, setAt: "", schedule: [], now: "2026-04-15T00:00:00.000000Z")
        #expect(untouched.phase == .draft && untouched.since.isEmpty)
    }

    @Test func anAdminsChoiceStandsUntilTheNextDate() {
        // Reopened during screening: the screening date already passed, so it does not overrule the admin.
        let reopenedAt = "2026-04-10T00:00:00.000000Z"
        let reopened = PhaseClock.current(set: .nominationsOpen, setAt: reopenedAt, schedule: schedule, now: "2026-04-20T00:00:00.000000Z")
        #expect(reopened.phase == .nominationsOpen && reopened.since == reopenedAt)
        // The jury date comes after the admin's choice, and moves the campaign on.
        #expect(PhaseClock.current(set: .nominationsOpen, setAt: reopenedAt, schedule: schedule, now: "2026-05-02T00:00:00.000000Z").phase == .jury)
    }

    @Test func datesNeverMoveACampaignBack() {
        // An admin opened the jury early; the screening date passing later does not move it back.
        let current = PhaseClock.current(set: .jury, setAt: "2026-03-20T00:00:00.000000Z", schedule: schedule,
                                         now: "2026-04-15T00:00:00.000000Z")
        #expect(current.phase == .jury)
    }
}

/// What the network needs before it runs: the seeds say it runs only with sufficiently broad support
/// from members of municipal councils, regional councils and the Folketing. From the config section
/// `[plugins."coi.network"]`.
public struct LaunchCriteria: Sendable, Equatable {
    /// Active members at least.
    public var minMembers = 25
    /// Distinct parties among active members at least.
    public var minParties = 5
    /// Bodies (of 3) with at least one active member.
    public var minBodies = 3
    /// Regions (of 5) with at least one active member.
    public var minRegions = 5

    public init(minMembers: Int = 25, minParties: Int = 5, minBodies: Int = 3, minRegions: Int = 5) {
        self.minMembers = minMembers
        self.minParties = minParties
        self.minBodies = minBodies
        self.minRegions = minRegions
    }
}

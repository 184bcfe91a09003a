import COIProto

extension Coi_Nominations_V1_NominationState {
    /// The state's name as in the .proto, for messages.
    var name: String {
        switch self {
        case .unspecified: "UNSPECIFIED"
        case .submitted: "SUBMITTED"
        case .eligible: "ELIGIBLE"
        case .ineligible: "INELIGIBLE"
        case .shortlisted: "SHORTLISTED"
        case .regionalWinner: "REGIONAL_WINNER"
        case .nationalWinner: "NATIONAL_WINNER"
        case .notSelected: "NOT_SELECTED"
        case .withdrawn: "WITHDRAWN"
        case .UNRECOGNIZED(let value): "\(value)"
        }
    }
}

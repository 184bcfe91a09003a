import COIProto

// The generated list requests and replies, as `PagedRequest` and `PagedReply`. A new list method
// adds two lines here and is then a `ListCommand`.

extension Coi_Identity_V1_ListAccountsRequest: PagedRequest {}
extension Coi_Identity_V1_ListAccountsReply: PagedReply { var items: [Coi_Identity_V1_Account] { accounts } }
extension Coi_Identity_V1_ListTokensRequest: PagedRequest {}
extension Coi_Identity_V1_ListTokensReply: PagedReply { var items: [Coi_Identity_V1_Token] { tokens } }
extension Coi_Identity_V1_ListAuditRequest: PagedRequest {}
extension Coi_Identity_V1_ListAuditReply: PagedReply { var items: [Coi_Identity_V1_AuditEntry] { entries } }

extension Coi_Wiki_V1_HistoryRequest: PagedRequest {}
extension Coi_Wiki_V1_HistoryReply: PagedReply { var items: [Coi_Wiki_V1_Revision] { revisions } }
extension Coi_Wiki_V1_CreditsRequest: PagedRequest {}
extension Coi_Wiki_V1_CreditsReply: PagedReply { var items: [Coi_Wiki_V1_Credit] { credits } }
extension Coi_Wiki_V1_SearchRequest: PagedRequest {}
extension Coi_Wiki_V1_SearchReply: PagedReply { var items: [Coi_Wiki_V1_SearchHit] { hits } }
extension Coi_Wiki_V1_ListRequest: PagedRequest {}
extension Coi_Wiki_V1_PageRefsReply: PagedReply { var items: [Coi_Wiki_V1_PageRef] { pages } }
extension Coi_Wiki_V1_WantedPagesReply: PagedReply { var items: [Coi_Wiki_V1_WantedPage] { pages } }
extension Coi_Wiki_V1_ListCasesRequest: PagedRequest {}
extension Coi_Wiki_V1_ListCasesReply: PagedReply { var items: [Coi_Wiki_V1_CaseSummary] { cases } }
extension Coi_Wiki_V1_ContributionsRequest: PagedRequest {}
extension Coi_Wiki_V1_ContributionsReply: PagedReply { var items: [Coi_Wiki_V1_Revision] { revisions } }
extension Coi_Wiki_V1_ListWatchedRequest: PagedRequest {}
extension Coi_Wiki_V1_ListWatchedReply: PagedReply { var items: [Coi_Wiki_V1_PageRef] { pages } }

extension Coi_Nominations_V1_ListCampaignsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListCampaignsReply: PagedReply { var items: [Coi_Nominations_V1_Campaign] { campaigns } }
extension Coi_Nominations_V1_ListNominationsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListNominationsReply: PagedReply { var items: [Coi_Nominations_V1_Nomination] { nominations } }
extension Coi_Nominations_V1_ListReportsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListReportsReply: PagedReply { var items: [Coi_Nominations_V1_NominationReport] { reports } }
extension Coi_Nominations_V1_ListJurorsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListJurorsReply: PagedReply { var items: [Coi_Nominations_V1_Juror] { jurors } }
extension Coi_Nominations_V1_ListScoresRequest: PagedRequest {}
extension Coi_Nominations_V1_ListScoresReply: PagedReply { var items: [Coi_Nominations_V1_ScoreSheet] { sheets } }
extension Coi_Nominations_V1_ListStormsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListStormsReply: PagedReply { var items: [Coi_Nominations_V1_Storm] { storms } }
extension Coi_Nominations_V1_ListProposalsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListProposalsReply: PagedReply { var items: [Coi_Nominations_V1_Proposal] { proposals } }
extension Coi_Nominations_V1_ListCommentsRequest: PagedRequest {}
extension Coi_Nominations_V1_ListCommentsReply: PagedReply { var items: [Coi_Nominations_V1_Comment] { comments } }

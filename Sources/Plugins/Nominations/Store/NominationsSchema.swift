/// The plugin's tables. Accounts are stored by id and joined to identity_accounts for names at
/// read time, so an erased account reads as "former contributor N" everywhere without rewriting.
enum NominationsSchema {
    /// Who created and last changed campaigns, idea storms and juror seats, as every other record
    /// says. Rows from before keep "" where nobody recorded it (juror seats) and their creator as
    /// the last to change them otherwise.
    static let v2 = """
        ALTER TABLE nominations_campaigns ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
        UPDATE nominations_campaigns SET updated_by = created_by;
        ALTER TABLE nominations_storms ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE nominations_storms ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        UPDATE nominations_storms SET updated_by = created_by, updated_at = created_at;
        ALTER TABLE nominations_jurors ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE nominations_jurors ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
        ALTER TABLE nominations_jurors ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        UPDATE nominations_jurors SET updated_at = added_at;
        """

    /// Reports are history: a second report by the same person after a restore is a new row beside
    /// the first (which keeps its note), and a Restore marks open reports dismissed, when and by whom,
    /// instead of overwriting them. At most one open report per person and nomination. Rows from
    /// before get an id and keep their order.
    static let v3 = """
        CREATE TABLE nominations_reports_v3 (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            account_id TEXT NOT NULL,
            reason INTEGER NOT NULL,
            note TEXT NOT NULL,
            created_at TEXT NOT NULL,
            dismissed INTEGER NOT NULL DEFAULT 0,
            dismissed_at TEXT NOT NULL DEFAULT '',
            dismissed_by TEXT NOT NULL DEFAULT ''
        );
        INSERT INTO nominations_reports_v3 (seq, id, nomination_id, account_id, reason, note, created_at, dismissed)
            SELECT rowid, 'rep_' || lower(hex(randomblob(8))), nomination_id, account_id, reason, note, created_at, dismissed
            FROM nominations_reports ORDER BY rowid;
        DROP TABLE nominations_reports;
        ALTER TABLE nominations_reports_v3 RENAME TO nominations_reports;
        CREATE INDEX nominations_reports_by_nomination ON nominations_reports(nomination_id, seq);
        CREATE INDEX nominations_reports_by_account ON nominations_reports(account_id);
        CREATE UNIQUE INDEX nominations_reports_open ON nominations_reports(nomination_id, account_id) WHERE dismissed = 0;
        """

    static let v1 = """
        CREATE TABLE nominations_campaigns (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            kind INTEGER NOT NULL,
            year INTEGER NOT NULL,
            title TEXT NOT NULL,
            prize TEXT NOT NULL,
            phase INTEGER NOT NULL,
            phase_set_at TEXT NOT NULL,
            blind_review INTEGER NOT NULL,
            normalise INTEGER NOT NULL,
            nominator_limit INTEGER NOT NULL,
            version INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE nominations_schedule (
            campaign_id TEXT NOT NULL REFERENCES nominations_campaigns(id),
            phase INTEGER NOT NULL,
            starts_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, phase)
        );
        CREATE TABLE nominations_criteria (
            campaign_id TEXT NOT NULL REFERENCES nominations_campaigns(id),
            position INTEGER NOT NULL,
            key TEXT NOT NULL,
            name TEXT NOT NULL,
            weight REAL NOT NULL,
            PRIMARY KEY (campaign_id, position)
        );
        CREATE TABLE nominations_nominations (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            campaign_id TEXT NOT NULL REFERENCES nominations_campaigns(id),
            nominator_id TEXT NOT NULL,
            workplace TEXT NOT NULL,
            municipality_code INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            title TEXT NOT NULL,
            title_key TEXT NOT NULL,
            idea TEXT NOT NULL,
            difference TEXT NOT NULL,
            origin TEXT NOT NULL,
            origin_wiki_case TEXT NOT NULL,
            state INTEGER NOT NULL,
            state_reason TEXT NOT NULL DEFAULT '',
            hidden INTEGER NOT NULL DEFAULT 0,
            endorsements INTEGER NOT NULL DEFAULT 0,
            duplicate_of TEXT NOT NULL DEFAULT '',
            submitted_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX nominations_by_campaign ON nominations_nominations(campaign_id, seq);
        CREATE INDEX nominations_by_nominator ON nominations_nominations(nominator_id, campaign_id);
        CREATE INDEX nominations_by_title_key ON nominations_nominations(campaign_id, title_key);
        CREATE TABLE nominations_nominees (
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            position INTEGER NOT NULL,
            campaign_id TEXT NOT NULL,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            account_id TEXT NOT NULL DEFAULT '',
            consented_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (nomination_id, position)
        );
        CREATE INDEX nominations_nominees_by_key ON nominations_nominees(campaign_id, name_key);
        CREATE INDEX nominations_nominees_by_account ON nominations_nominees(account_id);
        CREATE TABLE nominations_endorsements (
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            account_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (nomination_id, account_id)
        );
        CREATE INDEX nominations_endorsements_by_account ON nominations_endorsements(account_id);
        CREATE TABLE nominations_reports (
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            account_id TEXT NOT NULL,
            reason INTEGER NOT NULL,
            note TEXT NOT NULL,
            created_at TEXT NOT NULL,
            dismissed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (nomination_id, account_id)
        );
        CREATE INDEX nominations_reports_by_account ON nominations_reports(account_id);
        CREATE TABLE nominations_jurors (
            campaign_id TEXT NOT NULL REFERENCES nominations_campaigns(id),
            account_id TEXT NOT NULL,
            region_code INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (campaign_id, account_id)
        );
        CREATE INDEX nominations_jurors_by_account ON nominations_jurors(account_id);
        CREATE TABLE nominations_conflicts (
            campaign_id TEXT NOT NULL,
            juror_id TEXT NOT NULL,
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (juror_id, nomination_id)
        );
        CREATE TABLE nominations_scores (
            campaign_id TEXT NOT NULL,
            juror_id TEXT NOT NULL,
            nomination_id TEXT NOT NULL REFERENCES nominations_nominations(id),
            scores TEXT NOT NULL,
            weighted REAL NOT NULL,
            comment TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (juror_id, nomination_id)
        );
        CREATE INDEX nominations_scores_by_campaign ON nominations_scores(campaign_id, nomination_id);
        CREATE TABLE nominations_results (
            campaign_id TEXT NOT NULL REFERENCES nominations_campaigns(id),
            region_code INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            nomination_id TEXT NOT NULL,
            score REAL NOT NULL,
            sheets INTEGER NOT NULL,
            top_ranks INTEGER NOT NULL,
            endorsements INTEGER NOT NULL,
            excluded INTEGER NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (campaign_id, region_code, rank)
        );
        CREATE TABLE nominations_results_meta (
            campaign_id TEXT PRIMARY KEY REFERENCES nominations_campaigns(id),
            normalised INTEGER NOT NULL,
            national_winner_id TEXT NOT NULL,
            published_at TEXT NOT NULL,
            published_by TEXT NOT NULL
        );
        CREATE TABLE nominations_storms (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            topic TEXT NOT NULL,
            description TEXT NOT NULL,
            opens_at TEXT NOT NULL,
            closes_at TEXT NOT NULL,
            votes_per_person INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE nominations_proposals (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            storm_id TEXT NOT NULL REFERENCES nominations_storms(id),
            author_id TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            assessment INTEGER NOT NULL DEFAULT 1,
            answer TEXT NOT NULL DEFAULT '',
            answered_at TEXT NOT NULL DEFAULT '',
            votes INTEGER NOT NULL DEFAULT 0,
            comments INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX nominations_proposals_by_storm ON nominations_proposals(storm_id, seq);
        CREATE INDEX nominations_proposals_by_author ON nominations_proposals(author_id);
        CREATE TABLE nominations_comments (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            proposal_id TEXT NOT NULL REFERENCES nominations_proposals(id),
            author_id TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX nominations_comments_by_proposal ON nominations_comments(proposal_id, seq);
        CREATE INDEX nominations_comments_by_author ON nominations_comments(author_id);
        CREATE TABLE nominations_votes (
            proposal_id TEXT NOT NULL REFERENCES nominations_proposals(id),
            storm_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (proposal_id, account_id)
        );
        CREATE INDEX nominations_votes_by_voter ON nominations_votes(storm_id, account_id);
        CREATE INDEX nominations_votes_by_account ON nominations_votes(account_id);
        CREATE TABLE nominations_events (
            cursor INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            campaign_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """
}

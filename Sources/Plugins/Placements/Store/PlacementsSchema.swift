/// The plugin's tables. People are stored by account id and joined to identity_accounts for names
/// at read time, so an erased account reads as "former contributor N" everywhere without rewriting.
enum PlacementsSchema {
    static let v1 = """
        CREATE TABLE placements_seasons (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            week INTEGER NOT NULL,
            title TEXT NOT NULL,
            offers_open_on TEXT NOT NULL,
            applications_open_on TEXT NOT NULL,
            matching_on TEXT NOT NULL,
            confirmation_deadline TEXT NOT NULL,
            max_choices INTEGER NOT NULL,
            phase INTEGER NOT NULL,
            phase_set_at TEXT NOT NULL,
            matched_at TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE placements_offers (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            season_id TEXT NOT NULL REFERENCES placements_seasons(id),
            ref TEXT NOT NULL,
            title TEXT NOT NULL,
            host_workplace TEXT NOT NULL,
            level INTEGER NOT NULL,
            municipality_code INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            sector TEXT NOT NULL,
            description TEXT NOT NULL,
            capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 3),
            days INTEGER NOT NULL,
            dates TEXT NOT NULL,
            conditions TEXT NOT NULL,
            contact_id TEXT NOT NULL,
            published INTEGER NOT NULL,
            search_text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX placements_offers_ref ON placements_offers(season_id, ref) WHERE ref != '';
        CREATE INDEX placements_offers_season ON placements_offers(season_id, seq);
        CREATE INDEX placements_offers_contact ON placements_offers(contact_id);
        CREATE TABLE placements_seekers (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            season_id TEXT NOT NULL REFERENCES placements_seasons(id),
            ref TEXT NOT NULL,
            account_id TEXT NOT NULL,
            home_workplace TEXT NOT NULL,
            level INTEGER NOT NULL,
            municipality_code INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            role TEXT NOT NULL,
            learning_goals TEXT NOT NULL,
            manager_id TEXT NOT NULL,
            approval INTEGER NOT NULL,
            approval_reason TEXT NOT NULL,
            approval_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (season_id, account_id)
        );
        CREATE UNIQUE INDEX placements_seekers_ref ON placements_seekers(season_id, ref) WHERE ref != '';
        CREATE INDEX placements_seekers_manager ON placements_seekers(manager_id);
        CREATE INDEX placements_seekers_account ON placements_seekers(account_id);
        CREATE TABLE placements_choices (
            seeker_id TEXT NOT NULL REFERENCES placements_seekers(id),
            rank INTEGER NOT NULL,
            offer_id TEXT NOT NULL REFERENCES placements_offers(id),
            motivation TEXT NOT NULL,
            PRIMARY KEY (seeker_id, rank),
            UNIQUE (seeker_id, offer_id)
        );
        CREATE INDEX placements_choices_offer ON placements_choices(offer_id);
        CREATE TABLE placements_host_ranks (
            offer_id TEXT NOT NULL REFERENCES placements_offers(id),
            rank INTEGER NOT NULL,
            seeker_id TEXT NOT NULL REFERENCES placements_seekers(id),
            PRIMARY KEY (offer_id, rank),
            UNIQUE (offer_id, seeker_id)
        );
        CREATE TABLE placements_results (
            season_id TEXT NOT NULL REFERENCES placements_seasons(id),
            seeker_id TEXT NOT NULL PRIMARY KEY REFERENCES placements_seekers(id),
            offer_id TEXT REFERENCES placements_offers(id),
            choice INTEGER NOT NULL,
            host_rank INTEGER NOT NULL,
            source TEXT NOT NULL,
            reason INTEGER NOT NULL,
            placed_at TEXT NOT NULL
        );
        CREATE INDEX placements_results_season ON placements_results(season_id);
        CREATE INDEX placements_results_offer ON placements_results(offer_id);
        CREATE TABLE placements_events (
            cursor INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            season_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        """

    /// Exchanges (two seekers hosting each other) and agreements per placement. An exchange's two
    /// placements are at two unpublished offers made for it (`exchange_id`), so every placement
    /// has an offer and the exports, reports and agreements treat them alike.
    static let v2 = """
        ALTER TABLE placements_offers ADD COLUMN exchange_id TEXT NOT NULL DEFAULT '';
        CREATE TABLE placements_exchanges (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            season_id TEXT NOT NULL REFERENCES placements_seasons(id),
            seeker_id TEXT NOT NULL REFERENCES placements_seekers(id),
            partner_id TEXT NOT NULL REFERENCES placements_seekers(id),
            days INTEGER NOT NULL,
            note TEXT NOT NULL,
            status INTEGER NOT NULL,
            reason TEXT NOT NULL,
            seeker_offer_id TEXT NOT NULL,
            partner_offer_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            decided_at TEXT NOT NULL
        );
        CREATE INDEX placements_exchanges_season ON placements_exchanges(season_id, seq);
        CREATE INDEX placements_exchanges_seeker ON placements_exchanges(seeker_id);
        CREATE INDEX placements_exchanges_partner ON placements_exchanges(partner_id);
        CREATE TABLE placements_agreements (
            id TEXT NOT NULL PRIMARY KEY,
            seeker_id TEXT NOT NULL UNIQUE REFERENCES placements_seekers(id),
            season_id TEXT NOT NULL REFERENCES placements_seasons(id),
            offer_id TEXT NOT NULL,
            goals TEXT NOT NULL,
            days INTEGER NOT NULL,
            tasks TEXT NOT NULL,
            contact TEXT NOT NULL,
            confidentiality TEXT NOT NULL,
            version INTEGER NOT NULL,
            seeker_version INTEGER NOT NULL DEFAULT 0,
            seeker_at TEXT NOT NULL DEFAULT '',
            host_version INTEGER NOT NULL DEFAULT 0,
            host_at TEXT NOT NULL DEFAULT '',
            host_by TEXT NOT NULL DEFAULT '',
            manager_version INTEGER NOT NULL DEFAULT 0,
            manager_at TEXT NOT NULL DEFAULT '',
            manager_by TEXT NOT NULL DEFAULT '',
            learned TEXT NOT NULL DEFAULT '',
            ideas_home TEXT NOT NULL DEFAULT '',
            completed_at TEXT NOT NULL DEFAULT '',
            case_page_id TEXT NOT NULL DEFAULT '',
            case_page_title TEXT NOT NULL DEFAULT '',
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX placements_agreements_season ON placements_agreements(season_id);
        """

    /// Covering indexes for reading a season's matching input: the choices and host rankings of
    /// the season's offers are read from the indexes alone, without a lookup of each of the
    /// ~100,000 rows in its table (issue 11, item 12: that lookup was a quarter of `Match`).
    static let v3 = """
        DROP INDEX placements_choices_offer;
        CREATE INDEX placements_choices_offer ON placements_choices(offer_id, seeker_id, rank);
        CREATE INDEX placements_host_ranks_list ON placements_host_ranks(offer_id, rank, seeker_id);
        """
}

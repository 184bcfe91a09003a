/// The plugin's tables. People are stored by account id and joined to identity for names at read
/// time, so an erased account reads as "former contributor N" everywhere.
enum NetworkSchema {
    /// Today's national parties by ballot letter, seeded as defaults; admins add local lists.
    static let nationalParties: [(letter: String, name: String)] = [
        ("A", "Socialdemokratiet"), ("B", "Radikale Venstre"), ("C", "Det Konservative Folkeparti"), ("F", "SF"),
        ("H", "Borgernes Parti"), ("I", "Liberal Alliance"), ("K", "Kristendemokraterne"), ("M", "Moderaterne"),
        ("O", "Dansk Folkeparti"), ("V", "Venstre"), ("Ø", "Enhedslisten"), ("Å", "Alternativet"), ("Æ", "Danmarksdemokraterne"),
    ]

    static let v1 = """
        CREATE TABLE network_parties (
            letter TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            national INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE network_members (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ref TEXT NOT NULL DEFAULT '',
            account_id TEXT NOT NULL,
            party TEXT NOT NULL REFERENCES network_parties(letter),
            body INTEGER NOT NULL,
            municipality_code INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            role TEXT NOT NULL,
            term_start TEXT NOT NULL,
            term_end TEXT NOT NULL,
            status INTEGER NOT NULL,
            invited_at TEXT NOT NULL,
            active_since TEXT NOT NULL DEFAULT '',
            ceased_at TEXT NOT NULL DEFAULT '',
            public_consent INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX network_members_by_ref ON network_members(ref) WHERE ref <> '';
        CREATE UNIQUE INDEX network_members_current ON network_members(account_id) WHERE status <> 3;
        CREATE INDEX network_members_by_account ON network_members(account_id);
        -- Each member's seat and status from a time on, appended at every change: breadth as of a
        -- past date reads the latest row at or before it.
        CREATE TABLE network_member_history (
            seq INTEGER PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES network_members(id),
            valid_from TEXT NOT NULL,
            party TEXT NOT NULL,
            body INTEGER NOT NULL,
            region_code INTEGER NOT NULL,
            status INTEGER NOT NULL
        );
        CREATE INDEX network_member_history_by_member ON network_member_history(member_id, valid_from);
        CREATE TABLE network_events (
            cursor INTEGER PRIMARY KEY,
            time TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE TABLE network_meetings (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            place TEXT NOT NULL,
            online_url TEXT NOT NULL,
            agenda TEXT NOT NULL,
            capacity INTEGER NOT NULL,
            minutes TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        -- An invitation is a row in state 0; registering moves it on. `queued` orders the waitlist.
        CREATE TABLE network_registrations (
            meeting_id TEXT NOT NULL REFERENCES network_meetings(id),
            member_id TEXT NOT NULL REFERENCES network_members(id),
            state INTEGER NOT NULL,
            queued INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, member_id)
        );
        CREATE INDEX network_registrations_by_member ON network_registrations(member_id);
        CREATE TABLE network_tasks (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            statement TEXT NOT NULL,
            state INTEGER NOT NULL,
            author_member_id TEXT NOT NULL REFERENCES network_members(id),
            revision INTEGER NOT NULL DEFAULT 1,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            published_at TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE network_task_revisions (
            task_id TEXT NOT NULL REFERENCES network_tasks(id),
            revision INTEGER NOT NULL,
            title TEXT NOT NULL,
            statement TEXT NOT NULL,
            summary TEXT NOT NULL,
            author_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (task_id, revision)
        );
        CREATE TABLE network_task_comments (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            task_id TEXT NOT NULL REFERENCES network_tasks(id),
            member_id TEXT NOT NULL REFERENCES network_members(id),
            body TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX network_task_comments_by_task ON network_task_comments(task_id, seq);
        -- One endorsement per member; the party is the member's when they endorsed.
        CREATE TABLE network_endorsements (
            task_id TEXT NOT NULL REFERENCES network_tasks(id),
            member_id TEXT NOT NULL REFERENCES network_members(id),
            party TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (task_id, member_id)
        );
        CREATE INDEX network_endorsements_by_member ON network_endorsements(member_id);
        """
}

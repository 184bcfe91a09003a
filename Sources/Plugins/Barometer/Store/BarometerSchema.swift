/// The plugin's tables. Frame values are stored as a JSON array in the wave's variable order, so any
/// auxiliary columns of the frame survive without a schema change.
enum BarometerSchema {
    static let v1 = """
        CREATE TABLE barometer_waves (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            reference_period TEXT NOT NULL DEFAULT '',
            min_respondents INTEGER NOT NULL,
            frame_variables TEXT NOT NULL DEFAULT '[]',
            frame_units INTEGER NOT NULL DEFAULT 0,
            questionnaire_version INTEGER NOT NULL DEFAULT 0,
            design BLOB,
            drawn_at TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE barometer_frame (
            wave_id TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            line INTEGER NOT NULL,
            name TEXT NOT NULL,
            contact_name TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            vals TEXT NOT NULL,
            PRIMARY KEY (wave_id, unit_id)
        ) WITHOUT ROWID;
        CREATE INDEX barometer_frame_email ON barometer_frame (contact_email) WHERE contact_email <> '';
        CREATE TABLE barometer_questionnaires (
            wave_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            document TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (wave_id, version)
        );
        CREATE TABLE barometer_strata (
            wave_id TEXT NOT NULL,
            key TEXT NOT NULL,
            population INTEGER NOT NULL,
            sample_size INTEGER NOT NULL,
            take_all INTEGER NOT NULL,
            PRIMARY KEY (wave_id, key)
        );
        CREATE TABLE barometer_sample (
            wave_id TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            stratum TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            status INTEGER NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            source TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            completed_at TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (wave_id, unit_id)
        );
        CREATE INDEX barometer_sample_status ON barometer_sample (wave_id, status);
        """
}

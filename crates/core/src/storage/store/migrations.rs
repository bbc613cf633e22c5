//! The schema, as the list of migrations that build it (`PRAGMA user_version` counts them).

/// Migrations in order; migration `i` brings the database to `user_version = i + 1`.
/// Never edit a shipped entry: append a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE environments (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        kind          TEXT NOT NULL,
        auth_url      TEXT NOT NULL,
        api_url       TEXT NOT NULL,
        client_id     TEXT NOT NULL,
        redirect_uris TEXT NOT NULL,          -- JSON array of strings
        active        INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE TABLE connections (
        id                      TEXT PRIMARY KEY,
        environment_id          TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        label                   TEXT NOT NULL,
        provider_id             TEXT NOT NULL,
        provider_name           TEXT NOT NULL,
        provider_logo_url       TEXT,
        scopes                  TEXT NOT NULL,  -- JSON array of strings
        credentials_id          TEXT,
        consent_status          TEXT,
        consent_created_at      TEXT NOT NULL,
        consent_expires_at      TEXT,
        access_token_expires_at TEXT,
        has_refresh_token       INTEGER NOT NULL,
        status                  TEXT NOT NULL,
        saved                   INTEGER NOT NULL,
        created_at              TEXT NOT NULL,
        last_refresh_at         TEXT
    );
    CREATE INDEX connections_environment ON connections(environment_id);
    CREATE TABLE provider_cache (
        environment_id TEXT PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
        fetched_at     TEXT NOT NULL,
        body           TEXT NOT NULL          -- JSON array of dto::Provider
    );
    CREATE TABLE request_log (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        at               TEXT NOT NULL,
        connection_id    TEXT,
        environment_id   TEXT,
        method           TEXT NOT NULL,
        url              TEXT NOT NULL,
        endpoint         TEXT NOT NULL,
        status           INTEGER,
        duration_ms      INTEGER NOT NULL,
        trace_id         TEXT,
        correlation_id   TEXT,
        request_headers  TEXT NOT NULL,       -- JSON object, redacted
        request_body     TEXT,                -- redacted
        response_headers TEXT NOT NULL,       -- JSON object, redacted
        response_body    TEXT,                -- redacted
        error            TEXT,
        body_bytes       INTEGER NOT NULL
    );
    CREATE INDEX request_log_connection ON request_log(connection_id, id);
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
    // 2: nothing ever read or wrote a setting (preferences live in the UI's local storage).
    "DROP TABLE settings;",
    // 3: an environment can be marked live by the user (a custom one in front of live hosts);
    // the secret-store keys a link writes before its connection row (swept at start).
    r#"
    ALTER TABLE environments ADD COLUMN marked_live INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE pending_secrets (
        key        TEXT PRIMARY KEY,    -- a SecretKey, never a secret
        created_at TEXT NOT NULL
    );
    "#,
    // 4: snapshots of a connection's data (never a secret), deleted with their connection.
    r#"
    CREATE TABLE snapshots (
        id            TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        label         TEXT NOT NULL,
        taken_at      TEXT NOT NULL,
        from_day      TEXT NOT NULL,
        to_day        TEXT NOT NULL,
        accounts      INTEGER NOT NULL,
        cards         INTEGER NOT NULL,
        transactions  INTEGER NOT NULL,
        body          TEXT NOT NULL            -- JSON: snapshots::diff::Reading
    );
    CREATE INDEX snapshots_connection ON snapshots(connection_id, taken_at);
    "#,
    // 5 (issue 14): the built-in sandbox's client-tracking host
    // (TrueLayer's hosts follow from the kind), and every link attempt with its tracking_id, so
    // the auth-journey trail of an abandoned link can still be fetched.
    r#"
    ALTER TABLE environments ADD COLUMN tracking_url TEXT;
    CREATE TABLE link_attempts (
        id             TEXT PRIMARY KEY,      -- the link session's id
        environment_id TEXT NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        tracking_id    TEXT NOT NULL,         -- not a secret: it only names the dialog's events
        provider_id    TEXT,
        scopes         TEXT NOT NULL,         -- JSON array of strings
        renews         TEXT,                  -- the connection a re-consent renews
        created_at     TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        opened_at      TEXT,                  -- when it was handed to a browser, if it was
        outcome        TEXT NOT NULL,         -- waiting | completed | failed | cancelled
        ended_at       TEXT,
        connection_id  TEXT,                  -- the connection a completed link made or renewed
        error_code     TEXT                   -- the ErrorCode a failed one ended with
    );
    CREATE INDEX link_attempts_environment ON link_attempts(environment_id, created_at);
    "#,
];

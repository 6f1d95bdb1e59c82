//! The schema, as an ordered list of migrations.
//!
//! Migration `i` (1-based) takes a database from schema version `i − 1` to `i`. They are applied in one
//! transaction together with `PRAGMA user_version` and `PRAGMA application_id`, so a database is always at
//! one of the versions listed here, never between two. A migration, once released, is never edited: a
//! change of schema is a new migration at the end.

/// `PRAGMA application_id` of a credence track record: the bytes `CRED`.
pub const APPLICATION_ID: i32 = 0x4352_4544;

/// Version 1: the record of stories, sources and who said what.
pub(crate) const V1: &str = r"
CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    recordings  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sources (
    id    INTEGER PRIMARY KEY,
    key   TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL,
    kind  TEXT NOT NULL
);

CREATE TABLE source_keys (
    kind    TEXT NOT NULL CHECK (kind IN ('id', 'label', 'domain')),
    key     TEXT NOT NULL,
    source  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    text    TEXT NOT NULL,
    PRIMARY KEY (kind, key, source)
) WITHOUT ROWID;
CREATE UNIQUE INDEX source_keys_one_id ON source_keys(key) WHERE kind = 'id';
CREATE INDEX source_keys_by_source ON source_keys(source);

CREATE TABLE story_sources (
    story     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    local_id  TEXT NOT NULL,
    source    INTEGER NOT NULL REFERENCES sources(id),
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    PRIMARY KEY (story, local_id)
) WITHOUT ROWID;
CREATE INDEX story_sources_by_source ON story_sources(source);

CREATE TABLE claims (
    id        INTEGER PRIMARY KEY,
    story     INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    local_id  TEXT NOT NULL,
    text      TEXT NOT NULL,
    UNIQUE (story, local_id)
);
CREATE INDEX claims_by_local_id ON claims(local_id);

CREATE TABLE origins (
    id        INTEGER PRIMARY KEY,
    claim     INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    stance    TEXT NOT NULL CHECK (stance IN ('asserts', 'refutes')),
    local_id  TEXT NOT NULL,
    UNIQUE (claim, position)
);

CREATE TABLE origin_members (
    origin  INTEGER NOT NULL REFERENCES origins(id) ON DELETE CASCADE,
    source  INTEGER NOT NULL REFERENCES sources(id),
    PRIMARY KEY (origin, source)
) WITHOUT ROWID;
CREATE INDEX origin_members_by_source ON origin_members(source);

CREATE TABLE origin_outlets (
    origin  INTEGER NOT NULL REFERENCES origins(id) ON DELETE CASCADE,
    source  INTEGER NOT NULL REFERENCES sources(id),
    PRIMARY KEY (origin, source)
) WITHOUT ROWID;
CREATE INDEX origin_outlets_by_source ON origin_outlets(source);
";

/// Version 2: settled outcomes with their provenance.
pub(crate) const V2: &str = r"
CREATE TABLE outcomes (
    story           INTEGER NOT NULL REFERENCES stories(id),
    claim           TEXT NOT NULL,
    value           INTEGER CHECK (value IN (0, 1)),
    method          TEXT NOT NULL CHECK (method IN ('manual', 'claimreview')),
    rating          REAL,
    worst_rating    REAL,
    best_rating     REAL,
    verdict         TEXT,
    reviewer        TEXT,
    review_url      TEXT,
    review_file     TEXT,
    claim_reviewed  TEXT,
    revision        INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (story, claim)
) WITHOUT ROWID;
";

/// Every migration, in order; the schema version of a fully migrated database is their number.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

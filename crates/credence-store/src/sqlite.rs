//! The embedded track record: one `SQLite` file, shared by every command and process.
//!
//! - **WAL mode** (readers never block the writer, nor it them) and a **busy timeout**: a command that finds
//!   the database locked waits up to [`DEFAULT_BUSY_TIMEOUT`] before giving up with [`Error::Busy`].
//! - **One transaction per command**: `record` and `settle` start with `BEGIN IMMEDIATE`, so they take the
//!   write lock before reading and two writers can never interleave; listings read one snapshot.
//! - **Versioned**: `PRAGMA user_version` is the schema version, `PRAGMA application_id` marks the file as
//!   credence's. Opening applies the missing migrations in one transaction; a file of another program, a
//!   newer schema, or a damaged file is refused with an error and left as it is.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::error::{Error, Result};
use crate::evidence::Evidence;
use crate::identity::{IdentityRules, Keys, SourceKey, normalize_domain, normalize_label};
use crate::input::{self, Checked, RecordedStory};
use crate::schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
use crate::{
    ClaimRef, Identity, Match, OutcomeRecord, Provenance, RecordSummary, SettleSummary, SourceBinding, SourceChange,
    SourceRecord, TrackRecord, Verdict,
};

/// How long a command waits for a lock another process holds.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest busy timeout `SQLite` takes (`i32::MAX` milliseconds, about 24 days).
pub const MAX_BUSY_TIMEOUT: Duration = Duration::from_millis(i32::MAX as u64);

/// The `SQLite` track record.
pub struct SqliteStore {
    conn: Connection,
    file: PathBuf,
    rules: IdentityRules,
    timeout: Duration,
    /// Schema version of the open database (always [`SCHEMA_VERSION`] outside tests of old versions).
    version: u32,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").field("file", &self.file).field("version", &self.version).finish()
    }
}

/// A failure inside a command: an `SQLite` error (mapped to an [`Error`] naming the file at the boundary) or
/// an error of the command itself.
enum Fail {
    Sql(rusqlite::Error),
    Store(Error),
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Sql(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Store(e)
    }
}

type Step<T> = std::result::Result<T, Fail>;

/// The file's identity as read from its header.
struct Header {
    application_id: i32,
    user_version: u32,
    tables: Vec<String>,
}

impl SqliteStore {
    /// Opens the track record at `path` for reading and writing, creating it if it does not exist and
    /// upgrading its schema if it is older.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        SqliteStore::open_with_timeout(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`SqliteStore::open`] with another busy timeout (at most [`MAX_BUSY_TIMEOUT`]; longer is shortened).
    pub fn open_with_timeout(path: impl AsRef<Path>, timeout: Duration) -> Result<SqliteStore> {
        SqliteStore::open_writable(path.as_ref(), timeout.min(MAX_BUSY_TIMEOUT), SCHEMA_VERSION)
    }

    /// Opens a track record at an older schema version, migrating a new file only that far. For tests of
    /// upgrades (the v1 fixture is made with it); not for use.
    #[doc(hidden)]
    pub fn open_at_version(path: impl AsRef<Path>, version: u32) -> Result<SqliteStore> {
        SqliteStore::open_writable(path.as_ref(), DEFAULT_BUSY_TIMEOUT, version.clamp(1, SCHEMA_VERSION))
    }

    /// Opens an existing, current track record read-only: nothing is ever written, so a read-only file works.
    /// A file that does not exist is [`Error::NotFound`]; an older schema is [`Error::NeedsUpgrade`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let file = path.as_ref().to_path_buf();
        match std::fs::metadata(&file) {
            Ok(m) if m.is_dir() => return Err(Error::Open { file, reason: "it is a directory".into() }),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NotFound { file }),
            Err(e) => return Err(Error::Open { file, reason: e.to_string() }),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&file, flags).map_err(|e| map_sql(&file, DEFAULT_BUSY_TIMEOUT, e))?;
        let store = SqliteStore {
            conn,
            file,
            rules: IdentityRules::default(),
            timeout: DEFAULT_BUSY_TIMEOUT,
            version: SCHEMA_VERSION,
        };
        store.conn.busy_timeout(store.timeout).map_err(|e| store.sql(e))?;
        // One read transaction, one state of the file (see `open_writable`).
        let header = {
            let tx =
                Transaction::new_unchecked(&store.conn, TransactionBehavior::Deferred).map_err(|e| store.sql(e))?;
            let h = store.header(&tx).map_err(|e| store.fail(e))?;
            tx.commit().map_err(|e| store.sql(e))?;
            h
        };
        store.check_header(&header, SCHEMA_VERSION)?;
        if header.user_version < SCHEMA_VERSION {
            return Err(Error::NeedsUpgrade {
                file: store.file,
                found: header.user_version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(store)
    }

    /// A private track record in memory (for tests and examples).
    pub fn open_in_memory() -> Result<SqliteStore> {
        let file = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| map_sql(&file, DEFAULT_BUSY_TIMEOUT, e))?;
        let mut store =
            SqliteStore { conn, file, rules: IdentityRules::default(), timeout: DEFAULT_BUSY_TIMEOUT, version: 0 };
        store.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| store.sql(e))?;
        store.migrate(SCHEMA_VERSION)?;
        Ok(store)
    }

    /// Uses other identity rules (see [`crate::identity`]).
    pub fn with_rules(mut self, rules: IdentityRules) -> SqliteStore {
        self.rules = rules;
        self
    }

    /// The database file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Schema version of the open database.
    pub fn schema_version(&self) -> u32 {
        self.version
    }

    /// Runs `SQLite`'s full integrity check; a damaged file is [`Error::Corrupt`] with what `SQLite` found.
    pub fn check_integrity(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check").map_err(|e| self.sql(e))?;
        let rows: Vec<String> =
            stmt.query_map([], |r| r.get::<_, String>(0)).and_then(|rows| rows.collect()).map_err(|e| self.sql(e))?;
        if rows == ["ok"] { Ok(()) } else { Err(Error::Corrupt { file: self.file.clone(), detail: rows.join("; ") }) }
    }

    fn open_writable(path: &Path, timeout: Duration, target: u32) -> Result<SqliteStore> {
        let file = path.to_path_buf();
        if file.is_dir() {
            return Err(Error::Open { file, reason: "it is a directory".into() });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&file, flags).map_err(|e| map_sql(&file, timeout, e))?;
        let mut store = SqliteStore { conn, file, rules: IdentityRules::default(), timeout, version: 0 };
        store.conn.busy_timeout(timeout).map_err(|e| store.sql(e))?;
        // Reading the header is the first access: a file that is not a database, or is truncated, fails here,
        // before anything could be written to it. Its three reads are one read transaction, so they see one
        // state of the file: read one by one, they could see another process's first migration half done
        // (the tables, not yet the application id) and refuse a good file.
        let header = {
            let tx =
                Transaction::new_unchecked(&store.conn, TransactionBehavior::Deferred).map_err(|e| store.sql(e))?;
            let h = store.header(&tx).map_err(|e| store.fail(e))?;
            tx.commit().map_err(|e| store.sql(e))?;
            h
        };
        store.check_header(&header, target)?;
        store.enable_wal()?;
        store.conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| store.sql(e))?;
        if header.user_version < target {
            store.migrate(target)?;
        }
        store.version = target;
        Ok(store)
    }

    fn header(&self, conn: &Connection) -> Step<Header> {
        let application_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             ORDER BY name",
        )?;
        let tables = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Header { application_id, user_version: u32::try_from(user_version).unwrap_or(u32::MAX), tables })
    }

    /// Refuses files of other programs and newer schemas.
    fn check_header(&self, h: &Header, supported: u32) -> Result<()> {
        let file = self.file.clone();
        if h.application_id != APPLICATION_ID && h.application_id != 0 {
            return Err(Error::NotCredence {
                file,
                detail: format!("application id {:#010x}, not credence's {APPLICATION_ID:#010x}", h.application_id),
            });
        }
        if h.application_id == 0 && (h.user_version != 0 || !h.tables.is_empty()) {
            let mut shown: Vec<&str> = h.tables.iter().take(5).map(String::as_str).collect();
            if h.tables.len() > 5 {
                shown.push("...");
            }
            return Err(Error::NotCredence {
                file,
                detail: if h.tables.is_empty() {
                    format!("user version {} and no application id", h.user_version)
                } else {
                    format!("tables {} and no application id", shown.join(", "))
                },
            });
        }
        if h.user_version > supported {
            return Err(Error::TooNew { file, found: h.user_version, supported });
        }
        Ok(())
    }

    fn enable_wal(&self) -> Result<()> {
        let start = Instant::now();
        loop {
            match self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(mode) => {
                    return Err(Error::Database {
                        file: self.file.clone(),
                        reason: format!(
                            "cannot switch to write-ahead logging (journal mode stays `{mode}`); keep the track record \
                             on a local file system"
                        ),
                    });
                }
                Err(e) if is_busy(&e) && start.elapsed() < self.timeout => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(self.sql(e)),
            }
        }
    }

    /// Applies the migrations from the file's version up to `target` in one `BEGIN IMMEDIATE` transaction.
    /// The version is read again under the lock: another process may have migrated meanwhile.
    fn migrate(&mut self, target: u32) -> Result<()> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(|e| self.sql(e))?;
        let header = self.header(&tx).map_err(|e| self.fail(e))?;
        self.check_header(&header, target)?;
        let from = header.user_version as usize;
        for sql in MIGRATIONS.iter().take(target as usize).skip(from) {
            tx.execute_batch(sql).map_err(|e| self.sql(e))?;
        }
        if header.user_version < target {
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {target};"))
                .map_err(|e| self.sql(e))?;
        }
        tx.commit().map_err(|e| self.sql(e))?;
        self.version = target;
        Ok(())
    }

    fn sql(&self, e: rusqlite::Error) -> Error {
        map_sql(&self.file, self.timeout, e)
    }

    fn fail(&self, f: Fail) -> Error {
        match f {
            Fail::Sql(e) => self.sql(e),
            Fail::Store(e) => e,
        }
    }

    fn write(&self) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate).map_err(|e| self.sql(e))
    }

    fn read(&self) -> Result<Transaction<'_>> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred).map_err(|e| self.sql(e))
    }

    fn lenient_keys(&self, key: &SourceKey) -> Keys {
        let domains: Vec<String> = key.domains.iter().filter(|d| normalize_domain(d).is_ok()).cloned().collect();
        let names: Vec<&str> = key.names.iter().map(String::as_str).collect();
        Keys::of(&key.id, &key.kind, &names, &domains, &self.rules).unwrap_or_default()
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

/// Maps an `SQLite` error to an [`Error`] naming the file.
fn map_sql(file: &Path, timeout: Duration, e: rusqlite::Error) -> Error {
    let file = file.to_path_buf();
    let reason = e.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Error::Corrupt { file, detail: format!("not an SQLite database: {reason}") },
        Some(ErrorCode::DatabaseCorrupt) => Error::Corrupt { file, detail: reason },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Error::Busy { file, timeout_ms: u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX) }
        }
        Some(ErrorCode::ReadOnly) => Error::ReadOnly { file, reason },
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => Error::Open { file, reason },
        _ => Error::Database { file, reason },
    }
}

// ---------------------------------------------------------------------------------------------------------
// record

/// The result of matching one tier.
enum Tier {
    None,
    One(i64, String),
    Many(Vec<i64>, String),
}

/// Sources having any of `keys` of `kind`, leaving out `taken`.
fn tier(tx: &Connection, kind: &str, keys: &[&str], taken: &[i64]) -> rusqlite::Result<Tier> {
    let mut found: BTreeMap<i64, String> = BTreeMap::new();
    let mut stmt = tx.prepare("SELECT source FROM source_keys WHERE kind = ?1 AND key = ?2 ORDER BY source")?;
    for key in keys {
        for src in stmt.query_map(params![kind, key], |r| r.get::<_, i64>(0))? {
            let src = src?;
            if !taken.contains(&src) {
                found.entry(src).or_insert_with(|| key.to_string());
            }
        }
    }
    Ok(match found.len() {
        0 => Tier::None,
        1 => {
            let (src, key) = found.into_iter().next().unwrap_or_default();
            Tier::One(src, key)
        }
        _ => {
            let by = found.values().next().cloned().unwrap_or_default();
            Tier::Many(found.into_keys().collect(), by)
        }
    })
}

fn source_key_of(tx: &Connection, src: i64) -> rusqlite::Result<String> {
    tx.query_row("SELECT key FROM sources WHERE id = ?1", [src], |r| r.get(0))
}

fn keys_of_sources(tx: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<String>> {
    let mut out = ids.iter().map(|id| source_key_of(tx, *id)).collect::<rusqlite::Result<Vec<_>>>()?;
    out.sort_by(|a, b| key_order(a, b));
    Ok(out)
}

fn create_source(tx: &Connection, id: &str, name: &str, kind: &str) -> rusqlite::Result<i64> {
    let base = id.trim();
    let mut key = base.to_string();
    let mut n = 1;
    while tx.query_row("SELECT 1 FROM sources WHERE key = ?1", [&key], |_| Ok(())).optional()?.is_some() {
        n += 1;
        key = format!("{base}~{n}");
    }
    tx.execute("INSERT INTO sources (key, name, kind) VALUES (?1, ?2, ?3)", params![key, name, kind])?;
    Ok(tx.last_insert_rowid())
}

fn add_keys(tx: &Connection, src: i64, local_id: &str, keys: &Keys) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare("INSERT OR IGNORE INTO source_keys (kind, key, source, text) VALUES (?1, ?2, ?3, ?4)")?;
    if let Some(id) = &keys.id {
        stmt.execute(params!["id", id, src, local_id.trim()])?;
    }
    for (label, text) in &keys.labels {
        stmt.execute(params!["label", label, src, text])?;
    }
    for d in &keys.domains {
        stmt.execute(params!["domain", d, src, d])?;
    }
    Ok(())
}

fn record_one(tx: &Connection, checked: &Checked<'_>, version: u32) -> Step<RecordSummary> {
    let story: &RecordedStory = checked.story;
    let existing: Option<(i64, u32)> = tx
        .query_row("SELECT id, recordings FROM stories WHERE key = ?1", [&story.key], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (story_id, recordings) = if let Some((id, n)) = existing {
        tx.execute(
            "DELETE FROM origin_members WHERE origin IN \
             (SELECT o.id FROM origins o JOIN claims c ON c.id = o.claim WHERE c.story = ?1)",
            [id],
        )?;
        tx.execute(
            "DELETE FROM origin_outlets WHERE origin IN \
             (SELECT o.id FROM origins o JOIN claims c ON c.id = o.claim WHERE c.story = ?1)",
            [id],
        )?;
        tx.execute("DELETE FROM origins WHERE claim IN (SELECT id FROM claims WHERE story = ?1)", [id])?;
        tx.execute("DELETE FROM claims WHERE story = ?1", [id])?;
        tx.execute("DELETE FROM story_sources WHERE story = ?1", [id])?;
        tx.execute(
            "UPDATE stories SET title = ?2, recordings = recordings + 1 WHERE id = ?1",
            params![id, story.title],
        )?;
        (id, n.saturating_add(1))
    } else {
        tx.execute("INSERT INTO stories (key, title) VALUES (?1, ?2)", params![story.key, story.title])?;
        (tx.last_insert_rowid(), 1)
    };

    // Bind every story source to a known source, or create one. Pass 1: ids; pass 2: domains, then labels.
    let n = story.sources.len();
    let mut bound: Vec<Option<(i64, Match)>> = vec![None; n];
    let mut taken: Vec<i64> = Vec::new();
    let mut notes = Vec::new();
    for (i, keys) in checked.keys.iter().enumerate() {
        let Some(id) = &keys.id else { continue };
        let hit: Option<i64> = tx
            .query_row("SELECT source FROM source_keys WHERE kind = 'id' AND key = ?1", [id], |r| r.get(0))
            .optional()?;
        if let Some(src) = hit {
            if taken.contains(&src) {
                notes.push(format!(
                    "source `{}` has an id of known source `{}`, which another source of this story already is; \
                     recorded as a separate source",
                    story.sources[i].id,
                    source_key_of(tx, src)?
                ));
            } else {
                taken.push(src);
                bound[i] = Some((src, Match::Id));
            }
        }
    }
    for ((slot, keys), s) in bound.iter_mut().zip(&checked.keys).zip(&story.sources) {
        if slot.is_some() {
            continue;
        }
        let domains: Vec<&str> = keys.domains.iter().map(String::as_str).collect();
        let labels: Vec<&str> = keys.labels.iter().map(|(k, _)| k.as_str()).collect();
        let mut decided = None;
        for (kind, list) in [("domain", &domains), ("label", &labels)] {
            match tier(tx, kind, list, &taken)? {
                Tier::None => continue,
                Tier::One(src, key) => {
                    decided = Some((src, if kind == "domain" { Match::Domain(key) } else { Match::Label(key) }));
                }
                Tier::Many(srcs, key) => {
                    notes.push(format!(
                        "source `{}` matches several known sources by {kind} `{key}` ({}); recorded as a separate \
                         source (give it the id of the one it is to merge them)",
                        s.id,
                        keys_of_sources(tx, &srcs)?.join(", ")
                    ));
                }
            }
            break;
        }
        let (src, how) = match decided {
            Some(d) => d,
            None => (create_source(tx, &s.id, &s.name, &s.kind)?, Match::New),
        };
        taken.push(src);
        *slot = Some((src, how));
    }

    let mut local: HashMap<&str, i64> = HashMap::new();
    let mut bindings = Vec::with_capacity(n);
    for (i, s) in story.sources.iter().enumerate() {
        let Some((src, how)) = bound[i].clone() else { continue };
        add_keys(tx, src, &s.id, &checked.keys[i])?;
        tx.execute(
            "INSERT INTO story_sources (story, local_id, source, name, kind) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![story_id, s.id, src, s.name, s.kind],
        )?;
        local.insert(s.id.as_str(), src);
        bindings.push(SourceBinding { local_id: s.id.clone(), source: source_key_of(tx, src)?, matched: how });
    }

    {
        let mut claim_stmt = tx.prepare("INSERT INTO claims (story, local_id, text) VALUES (?1, ?2, ?3)")?;
        let mut origin_stmt =
            tx.prepare("INSERT INTO origins (claim, position, stance, local_id) VALUES (?1, ?2, ?3, ?4)")?;
        let mut member_stmt = tx.prepare("INSERT OR IGNORE INTO origin_members (origin, source) VALUES (?1, ?2)")?;
        let mut outlet_stmt = tx.prepare("INSERT OR IGNORE INTO origin_outlets (origin, source) VALUES (?1, ?2)")?;
        for c in &story.claims {
            claim_stmt.execute(params![story_id, c.id, c.text])?;
            let claim_id = tx.last_insert_rowid();
            let origins =
                c.asserted_by.iter().map(|o| ("asserts", o)).chain(c.refuted_by.iter().map(|o| ("refutes", o)));
            for (pos, (stance, o)) in origins.enumerate() {
                origin_stmt.execute(params![claim_id, pos as i64, stance, o.source])?;
                let origin_id = tx.last_insert_rowid();
                for m in o.members() {
                    if let Some(src) = local.get(m) {
                        member_stmt.execute(params![origin_id, src])?;
                    }
                }
                for t in &o.outlets {
                    if let Some(src) = local.get(t.as_str()) {
                        outlet_stmt.execute(params![origin_id, src])?;
                    }
                }
            }
        }
    }

    // Sources no story lists any more (a story re-recorded with other ids) go, with their keys.
    tx.execute(
        "DELETE FROM source_keys WHERE source IN \
         (SELECT id FROM sources WHERE id NOT IN (SELECT source FROM story_sources))",
        [],
    )?;
    tx.execute("DELETE FROM sources WHERE id NOT IN (SELECT source FROM story_sources)", [])?;

    let detached = if version >= 2 {
        let mut stmt = tx.prepare(
            "SELECT claim FROM outcomes WHERE story = ?1 AND value IS NOT NULL \
             AND claim NOT IN (SELECT local_id FROM claims WHERE story = ?1) ORDER BY claim",
        )?;
        stmt.query_map([story_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?
    } else {
        Vec::new()
    };
    Ok(RecordSummary {
        story: story.key.clone(),
        replaced: existing.is_some(),
        recordings,
        sources: bindings,
        claims: story.claims.len(),
        detached,
        notes,
    })
}

// ---------------------------------------------------------------------------------------------------------
// claims

struct FoundClaim {
    id: i64,
    story: i64,
    r#ref: ClaimRef,
    text: String,
}

fn find_claims(tx: &Connection, story_key: Option<&str>, claim: &str) -> rusqlite::Result<Vec<FoundClaim>> {
    let map = |r: &rusqlite::Row<'_>| {
        Ok(FoundClaim {
            id: r.get(0)?,
            story: r.get(1)?,
            r#ref: ClaimRef { story: r.get(2)?, claim: r.get(3)? },
            text: r.get(4)?,
        })
    };
    let base = "SELECT c.id, c.story, s.key, c.local_id, c.text FROM claims c JOIN stories s ON s.id = c.story";
    if let Some(k) = story_key {
        let mut stmt = tx.prepare(&format!("{base} WHERE s.key = ?1 AND c.local_id = ?2"))?;
        stmt.query_map(params![k, claim], map)?.collect()
    } else {
        let mut stmt = tx.prepare(&format!("{base} WHERE c.local_id = ?1 ORDER BY s.key"))?;
        stmt.query_map([claim], map)?.collect()
    }
}

fn resolve(tx: &Connection, file: &Path, query: &str) -> Step<FoundClaim> {
    let q = query.trim();
    let mut found = Vec::new();
    if let Some((story, claim)) = q.split_once('/') {
        found = find_claims(tx, Some(story), claim)?;
    }
    if found.is_empty() {
        found = find_claims(tx, None, q)?;
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => {
            let mut stmt = tx.prepare(
                "SELECT s.key, c.local_id FROM claims c JOIN stories s ON s.id = c.story ORDER BY s.key, c.local_id",
            )?;
            let all: Vec<(String, String)> =
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            let (story, claim) = q.split_once('/').unwrap_or(("", q));
            let suggestions = crate::suggest::close(story, claim, &all);
            Err(Error::UnknownClaim { file: file.to_path_buf(), query: q.escape_debug().to_string(), suggestions }
                .into())
        }
        _ => Err(Error::AmbiguousClaim {
            file: file.to_path_buf(),
            query: q.escape_debug().to_string(),
            candidates: found.iter().map(|f| f.r#ref.to_string()).collect(),
        }
        .into()),
    }
}

// ---------------------------------------------------------------------------------------------------------
// evidence

/// The part of the evidence query that is the same for one source and for all: per (source, settled claim,
/// stance) one unit, correct when the stance agrees with the outcome.
const JUDGED: &str = "SELECT x.source AS source, x.claim AS claim, (x.stance = 'asserts') = (oc.value = 1) AS right \
     FROM (SELECT DISTINCT m.source AS source, o.claim AS claim, o.stance AS stance \
           FROM origin_members m JOIN origins o ON o.id = m.origin {filter}) x \
     JOIN claims c ON c.id = x.claim \
     JOIN outcomes oc ON oc.story = c.story AND oc.claim = c.local_id AND oc.value IS NOT NULL";

fn evidence_of(tx: &Connection, src: i64) -> rusqlite::Result<Evidence> {
    let sql = format!(
        "SELECT COALESCE(SUM(right), 0), COALESCE(SUM(1 - right), 0), COUNT(DISTINCT claim) FROM ({})",
        JUDGED.replace("{filter}", "WHERE m.source = ?1")
    );
    let (correct, wrong, claims): (i64, i64, i64) =
        tx.query_row(&sql, [src], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let stories: i64 =
        tx.query_row("SELECT COUNT(DISTINCT story) FROM story_sources WHERE source = ?1", [src], |r| r.get(0))?;
    Ok(Evidence { correct: correct as f64, wrong: wrong as f64, claims: to_u32(claims), stories: to_u32(stories) })
}

/// The order of every listing of source keys and names: case-blind, then byte order (so it is total).
pub(crate) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

fn to_u32(x: i64) -> u32 {
    u32::try_from(x.max(0)).unwrap_or(u32::MAX)
}

fn identify_in(tx: &Connection, keys: &Keys) -> rusqlite::Result<(Identity, Option<i64>)> {
    let known = |src: i64, matched: Match| -> rusqlite::Result<(Identity, Option<i64>)> {
        let (source, name) =
            tx.query_row("SELECT key, name FROM sources WHERE id = ?1", [src], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((Identity::Known { source, name, matched }, Some(src)))
    };
    if let Some(id) = &keys.id {
        let hit: Option<i64> = tx
            .query_row("SELECT source FROM source_keys WHERE kind = 'id' AND key = ?1", [id], |r| r.get(0))
            .optional()?;
        if let Some(src) = hit {
            return known(src, Match::Id);
        }
    }
    let domains: Vec<&str> = keys.domains.iter().map(String::as_str).collect();
    let labels: Vec<&str> = keys.labels.iter().map(|(k, _)| k.as_str()).collect();
    for (kind, list) in [("domain", &domains), ("label", &labels)] {
        match tier(tx, kind, list, &[])? {
            Tier::None => continue,
            Tier::One(src, key) => {
                return known(src, if kind == "domain" { Match::Domain(key) } else { Match::Label(key) });
            }
            Tier::Many(srcs, key) => {
                return Ok((
                    Identity::Ambiguous { by: format!("{kind} {key}"), candidates: keys_of_sources(tx, &srcs)? },
                    None,
                ));
            }
        }
    }
    Ok((Identity::Unknown, None))
}

impl TrackRecord for SqliteStore {
    fn record(&mut self, stories: &[RecordedStory]) -> Result<Vec<RecordSummary>> {
        let mut checked = Vec::with_capacity(stories.len());
        for (i, s) in stories.iter().enumerate() {
            if stories[..i].iter().any(|o| o.key == s.key) {
                return Err(Error::InvalidStory {
                    story: s.key.escape_debug().to_string(),
                    problem: "two stories of one record command have this key; give each story its own key".into(),
                });
            }
            checked.push(input::check(s, &self.rules)?);
        }
        let tx = self.write()?;
        let mut out = Vec::with_capacity(checked.len());
        for c in &checked {
            out.push(record_one(&tx, c, self.version).map_err(|e| self.fail(e))?);
        }
        tx.commit().map_err(|e| self.sql(e))?;
        Ok(out)
    }

    fn settle(&mut self, claim: &str, verdict: &Verdict) -> Result<SettleSummary> {
        let tx = self.write()?;
        let step = || -> Step<SettleSummary> {
            let found = resolve(&tx, &self.file, claim)?;
            let mut stmt = tx.prepare(
                "SELECT DISTINCT s.id, s.key, s.name FROM origins o JOIN origin_members m ON m.origin = o.id \
                 JOIN sources s ON s.id = m.source WHERE o.claim = ?1 ORDER BY s.key",
            )?;
            let affected: Vec<(i64, String, String)> = stmt
                .query_map([found.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let before: Vec<Evidence> =
                affected.iter().map(|a| evidence_of(&tx, a.0)).collect::<rusqlite::Result<_>>()?;
            let previous: Option<Option<bool>> = tx
                .query_row(
                    "SELECT value FROM outcomes WHERE story = ?1 AND claim = ?2",
                    params![found.story, found.r#ref.claim],
                    |r| r.get::<_, Option<i64>>(0),
                )
                .optional()?
                .map(|v| v.map(|v| v == 1));
            let review = match &verdict.provenance {
                Provenance::Manual => None,
                Provenance::ClaimReview(r) => Some(r),
            };
            tx.execute(
                "INSERT INTO outcomes (story, claim, value, method, rating, worst_rating, best_rating, verdict, reviewer, \
                 review_url, review_file, claim_reviewed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 ON CONFLICT (story, claim) DO UPDATE SET value = excluded.value, method = excluded.method, \
                 rating = excluded.rating, worst_rating = excluded.worst_rating, best_rating = excluded.best_rating, \
                 verdict = excluded.verdict, reviewer = excluded.reviewer, review_url = excluded.review_url, \
                 review_file = excluded.review_file, claim_reviewed = excluded.claim_reviewed, \
                 revision = outcomes.revision + 1",
                params![
                    found.story,
                    found.r#ref.claim,
                    verdict.outcome.map(i64::from),
                    if review.is_some() { "claimreview" } else { "manual" },
                    review.and_then(|r| r.rating),
                    review.map(|r| r.worst),
                    review.map(|r| r.best),
                    review.and_then(|r| r.verdict.clone()),
                    review.and_then(|r| r.reviewer.clone()),
                    review.and_then(|r| r.url.clone()),
                    review.map(|r| r.file.clone()),
                    review.and_then(|r| r.claim_reviewed.clone()),
                ],
            )?;
            let mut changes = Vec::with_capacity(affected.len());
            for ((src, key, name), before) in affected.into_iter().zip(before) {
                changes.push(SourceChange { source: key, name, before, after: evidence_of(&tx, src)? });
            }
            changes.sort_by(|a, b| key_order(&a.source, &b.source));
            Ok(SettleSummary { claim: found.r#ref, text: found.text, previous, outcome: verdict.outcome, changes })
        };
        let summary = step().map_err(|e| self.fail(e))?;
        tx.commit().map_err(|e| self.sql(e))?;
        Ok(summary)
    }

    fn resolve_claim(&self, claim: &str) -> Result<ClaimRef> {
        let tx = self.read()?;
        resolve(&tx, &self.file, claim).map(|f| f.r#ref).map_err(|e| self.fail(e))
    }

    fn identify(&self, key: &SourceKey) -> Result<Identity> {
        let keys = self.lenient_keys(key);
        let tx = self.read()?;
        identify_in(&tx, &keys).map(|(i, _)| i).map_err(|e| self.sql(e))
    }

    fn reliability(&self, key: &SourceKey) -> Result<Option<Evidence>> {
        let keys = self.lenient_keys(key);
        let tx = self.read()?;
        let step = || -> rusqlite::Result<Option<Evidence>> {
            match identify_in(&tx, &keys)? {
                (_, Some(src)) => Ok(Some(evidence_of(&tx, src)?)),
                _ => Ok(None),
            }
        };
        step().map_err(|e| self.sql(e))
    }

    fn sources(&self) -> Result<Vec<SourceRecord>> {
        let tx = self.read()?;
        let step = || -> rusqlite::Result<Vec<SourceRecord>> {
            let mut out: BTreeMap<i64, SourceRecord> = BTreeMap::new();
            let mut stmt = tx.prepare("SELECT id, key, name, kind FROM sources")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))? {
                let (id, key, name, kind) = row?;
                out.insert(
                    id,
                    SourceRecord {
                        key,
                        name,
                        kind,
                        ids: Vec::new(),
                        aliases: Vec::new(),
                        domains: Vec::new(),
                        evidence: Evidence::default(),
                        asserted: 0,
                        refuted: 0,
                        relayed: 0,
                    },
                );
            }
            let mut labels: Vec<(i64, String, String)> = Vec::new();
            let mut stmt = tx.prepare("SELECT source, kind, key, text FROM source_keys")?;
            for row in stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })? {
                let (src, kind, key, text) = row?;
                let Some(rec) = out.get_mut(&src) else { continue };
                match kind.as_str() {
                    "id" => rec.ids.push(text),
                    "domain" => rec.domains.push(key),
                    _ => labels.push((src, key, text)),
                }
            }
            // Aliases: the labels that are neither the name nor one of the ids.
            for (src, key, text) in labels {
                let Some(rec) = out.get_mut(&src) else { continue };
                let is_id = rec.ids.iter().any(|id| normalize_label(id).as_deref() == Some(key.as_str()));
                if !is_id && normalize_label(&rec.name).as_deref() != Some(key.as_str()) {
                    rec.aliases.push(text);
                }
            }
            let sql = format!(
                "SELECT source, COALESCE(SUM(right), 0), COALESCE(SUM(1 - right), 0), COUNT(DISTINCT claim) FROM ({}) \
                 GROUP BY source",
                JUDGED.replace("{filter}", "")
            );
            let mut stmt = tx.prepare(&sql)?;
            for row in stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })? {
                let (src, correct, wrong, claims) = row?;
                if let Some(rec) = out.get_mut(&src) {
                    rec.evidence.correct = correct as f64;
                    rec.evidence.wrong = wrong as f64;
                    rec.evidence.claims = to_u32(claims);
                }
            }
            let mut stmt = tx.prepare("SELECT source, COUNT(DISTINCT story) FROM story_sources GROUP BY source")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (src, n) = row?;
                if let Some(rec) = out.get_mut(&src) {
                    rec.evidence.stories = to_u32(n);
                }
            }
            let mut stmt = tx.prepare(
                "SELECT m.source, o.stance, COUNT(DISTINCT o.claim) FROM origin_members m \
                 JOIN origins o ON o.id = m.origin GROUP BY m.source, o.stance",
            )?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
                let (src, stance, n) = row?;
                if let Some(rec) = out.get_mut(&src) {
                    if stance == "asserts" {
                        rec.asserted = to_u32(n);
                    } else {
                        rec.refuted = to_u32(n);
                    }
                }
            }
            let mut stmt = tx.prepare(
                "SELECT t.source, COUNT(DISTINCT o.claim) FROM origin_outlets t JOIN origins o ON o.id = t.origin \
                 GROUP BY t.source",
            )?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (src, n) = row?;
                if let Some(rec) = out.get_mut(&src) {
                    rec.relayed = to_u32(n);
                }
            }
            let mut list: Vec<SourceRecord> = out.into_values().collect();
            for r in &mut list {
                r.ids.sort_by(|a, b| key_order(a, b));
                r.aliases.sort_by(|a, b| key_order(a, b));
                r.domains.sort();
            }
            list.sort_by(|a, b| key_order(&a.key, &b.key));
            Ok(list)
        };
        step().map_err(|e| self.sql(e))
    }

    fn outcomes(&self) -> Result<Vec<OutcomeRecord>> {
        let tx = self.read()?;
        let step = || -> rusqlite::Result<Vec<OutcomeRecord>> {
            let mut stmt = tx.prepare(
                "SELECT s.key, o.claim, s.title, c.text, o.value, o.method, o.rating, o.worst_rating, o.best_rating, \
                 o.verdict, o.reviewer, o.review_url, o.review_file, o.claim_reviewed, o.revision, c.id \
                 FROM outcomes o JOIN stories s ON s.id = o.story \
                 LEFT JOIN claims c ON c.story = o.story AND c.local_id = o.claim ORDER BY s.key, o.claim",
            )?;
            let mut by = tx.prepare(
                "SELECT DISTINCT s.key, o.stance FROM origins o JOIN origin_members m ON m.origin = o.id \
                 JOIN sources s ON s.id = m.source WHERE o.claim = ?1 ORDER BY s.key",
            )?;
            let rows = stmt.query_map([], |r| {
                let rating: Option<f64> = r.get(6)?;
                let worst: Option<f64> = r.get(7)?;
                let best: Option<f64> = r.get(8)?;
                Ok((
                    OutcomeRecord {
                        claim: ClaimRef { story: r.get(0)?, claim: r.get(1)? },
                        title: r.get(2)?,
                        text: r.get(3)?,
                        outcome: r.get::<_, Option<i64>>(4)?.map(|v| v == 1),
                        method: r.get(5)?,
                        rating: rating.map(|v| (v, worst.unwrap_or(1.0), best.unwrap_or(5.0))),
                        verdict: r.get(9)?,
                        reviewer: r.get(10)?,
                        review_url: r.get(11)?,
                        review_file: r.get(12)?,
                        claim_reviewed: r.get(13)?,
                        revision: to_u32(r.get(14)?),
                        asserted_by: Vec::new(),
                        refuted_by: Vec::new(),
                    },
                    r.get::<_, Option<i64>>(15)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (mut rec, claim_id) = row?;
                if let Some(id) = claim_id {
                    for pair in by.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
                        let (key, stance) = pair?;
                        if stance == "asserts" {
                            rec.asserted_by.push(key);
                        } else {
                            rec.refuted_by.push(key);
                        }
                    }
                    rec.asserted_by.sort_by(|a, b| key_order(a, b));
                    rec.refuted_by.sort_by(|a, b| key_order(a, b));
                }
                out.push(rec);
            }
            Ok(out)
        };
        step().map_err(|e| self.sql(e))
    }
}

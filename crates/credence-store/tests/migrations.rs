//! Opening files: new, empty, older (the v1 fixture), newer, foreign, corrupt, truncated, read-only.
//! Every refusal names the file and leaves it byte for byte as it was.

mod common;

use std::path::{Path, PathBuf};

use common::{HOMS, QUSAYR, TempDir, generated, homs, qusayr};
use credence_store::{APPLICATION_ID, Error, SCHEMA_VERSION, SourceKey, SqliteStore, TrackRecord, Verdict};
use rusqlite::Connection;

/// The committed fixture: a track record made by the version 1 migration code with [`qusayr`] and [`homs`]
/// recorded (regenerate with `CREDENCE_STORE_WRITE_FIXTURE=1 cargo test -p credence-store --test migrations`).
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1.sqlite3")
}

fn pragma(path: &Path, name: &str) -> String {
    let c = Connection::open(path).unwrap();
    c.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0))
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .unwrap()
}

/// The schema of a database: every object's type, name and SQL, sorted, with the two pragmas.
fn schema_of(path: &Path) -> Vec<String> {
    let c = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt =
        c.prepare("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master ORDER BY name").unwrap();
    let mut out: Vec<String> = stmt
        .query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    out.push(format!("user_version={}", c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap()));
    out.push(format!("application_id={}", c.query_row("PRAGMA application_id", [], |r| r.get::<_, i64>(0)).unwrap()));
    out
}

fn make_v1(path: &Path) {
    let mut s = SqliteStore::open_at_version(path, 1).unwrap();
    assert_eq!(s.schema_version(), 1);
    s.record(&[qusayr(), homs()]).unwrap();
}

#[test]
fn a_new_file_and_an_empty_file_are_initialised() {
    let dir = TempDir::new("new");
    let empty = dir.path("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    for path in [dir.path("new.sqlite3"), empty] {
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version(), SCHEMA_VERSION);
        assert!(s.sources().unwrap().is_empty());
        drop(s);
        assert_eq!(pragma(&path, "user_version"), SCHEMA_VERSION.to_string());
        assert_eq!(pragma(&path, "application_id"), APPLICATION_ID.to_string());
        assert_eq!(pragma(&path, "journal_mode"), "wal");
        // Opening again changes nothing.
        let before = schema_of(&path);
        SqliteStore::open(&path).unwrap();
        assert_eq!(schema_of(&path), before);
    }
}

#[test]
fn the_v1_fixture_is_what_the_v1_migration_makes() {
    let dir = TempDir::new("fixture");
    let fresh = dir.path("v1.sqlite3");
    make_v1(&fresh);
    assert!(!dir.path("v1.sqlite3-wal").exists(), "closed cleanly: everything is in the main file");
    if std::env::var_os("CREDENCE_STORE_WRITE_FIXTURE").is_some() {
        std::fs::create_dir_all(fixture().parent().unwrap()).unwrap();
        std::fs::copy(&fresh, fixture()).unwrap();
    }
    // Read a copy: even a read-only open leaves -wal and -shm files beside a WAL database.
    let committed = dir.path("committed.sqlite3");
    std::fs::copy(fixture(), &committed).unwrap();
    let schema = schema_of(&committed);
    assert_eq!(schema, schema_of(&fresh));
    assert!(schema.contains(&"user_version=1".to_string()));
    assert!(!schema.iter().any(|l| l.contains("outcomes")));
}

#[test]
fn a_v1_track_record_is_upgraded_in_place_and_keeps_its_record() {
    let dir = TempDir::new("upgrade");
    let path = dir.path("old.sqlite3");
    std::fs::copy(fixture(), &path).unwrap();

    let e = SqliteStore::open_read_only(&path).unwrap_err();
    assert!(matches!(e, Error::NeedsUpgrade { found: 1, supported: 2, .. }), "{e}");
    assert!(e.to_string().contains("old.sqlite3") && e.to_string().contains("version 1"), "{e}");

    let mut s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version(), 2);
    let keys: Vec<String> = s.sources().unwrap().into_iter().map(|r| r.key).collect();
    assert_eq!(keys, ["afp", "aljazeera", "hezbollah", "reuters", "sana", "sohr"]);
    s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    s.settle(&format!("{HOMS}/shelled"), &Verdict::manual(Some(true))).unwrap();
    let sohr = s.reliability(&SourceKey::id("syrian-observatory")).unwrap().unwrap();
    assert_eq!((sohr.correct, sohr.wrong, sohr.claims, sohr.stories), (2.0, 0.0, 2, 2));
    assert_eq!(s.resolve_claim("held").unwrap().story, QUSAYR);
    drop(s);
    assert_eq!(pragma(&path, "user_version"), "2");
    let mut fresh_v2 = schema_of(&path);
    let dir2 = TempDir::new("fresh");
    let mut direct = schema_of(&{
        let p = dir2.path("v2.sqlite3");
        SqliteStore::open(&p).unwrap();
        p
    });
    fresh_v2.sort();
    direct.sort();
    assert_eq!(fresh_v2, direct, "an upgraded file has the schema of a new one");
    // And the read-only open now works.
    assert_eq!(SqliteStore::open_read_only(&path).unwrap().outcomes().unwrap().len(), 2);
}

fn assert_refused(path: &Path, check: impl Fn(&Error) -> bool) {
    let before = std::fs::read(path).unwrap();
    for (how, result) in [("open", SqliteStore::open(path)), ("open_read_only", SqliteStore::open_read_only(path))] {
        let e = result.expect_err(how);
        assert!(check(&e), "{how}: {e:?}");
        assert!(e.to_string().contains(&path.display().to_string()), "{how}: the message names the file: {e}");
        assert_eq!(std::fs::read(path).unwrap(), before, "{how}: the file is left as it was");
    }
}

#[test]
fn a_newer_schema_is_refused_naming_both_versions() {
    let dir = TempDir::new("newer");
    let path = dir.path("future.sqlite3");
    SqliteStore::open(&path).unwrap().record(&[qusayr()]).unwrap();
    Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 7").unwrap();
    assert_refused(&path, |e| matches!(e, Error::TooNew { found: 7, supported: 2, .. }));
    let msg = SqliteStore::open(&path).unwrap_err().to_string();
    assert!(msg.contains("schema version 7") && msg.contains("version 2") && msg.contains("left unchanged"), "{msg}");
}

/// Deterministic bytes (a linear congruential generator).
fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 33) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_refused_as_not_a_database() {
    let dir = TempDir::new("random");
    for (i, n) in [10, 100, 4096, 65_536].into_iter().enumerate() {
        let path = dir.path(&format!("random-{n}.sqlite3"));
        std::fs::write(&path, noise(n, i as u64 + 1)).unwrap();
        assert_refused(&path, |e| matches!(e, Error::Corrupt { .. }));
    }
    let msg = SqliteStore::open(dir.path("random-4096.sqlite3")).unwrap_err().to_string();
    assert!(msg.contains("not a readable credence track record") && msg.contains("backup"), "{msg}");
}

fn populated(path: &Path) -> u64 {
    let mut s = SqliteStore::open(path).unwrap();
    let stories: Vec<_> = (0..60).map(|i| generated(&format!("story-{i:03}"), &format!("outlet-{i}"))).collect();
    s.record(&stories).unwrap();
    for i in 0..60 {
        s.settle(&format!("story-{i:03}/c1"), &Verdict::manual(Some(i % 2 == 0))).unwrap();
    }
    drop(s);
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn a_truncated_database_is_refused() {
    let dir = TempDir::new("truncated");
    let whole = dir.path("whole.sqlite3");
    let len = populated(&whole);
    assert!(len >= 8 * 4096, "{len}");
    for cut in [len / 2, len - 4096, 4096, 99, 50] {
        let path = dir.path(&format!("cut-{cut}.sqlite3"));
        std::fs::copy(&whole, &path).unwrap();
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(cut).unwrap();
        assert_refused(&path, |e| matches!(e, Error::Corrupt { .. }));
    }
}

#[test]
fn another_programs_sqlite_file_is_refused() {
    let dir = TempDir::new("foreign");
    let tables = dir.path("tables.sqlite3");
    Connection::open(&tables)
        .unwrap()
        .execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);")
        .unwrap();
    assert_refused(&tables, |e| matches!(e, Error::NotCredence { detail, .. } if detail.contains("notes")));
    let app = dir.path("app.sqlite3");
    Connection::open(&app).unwrap().execute_batch("PRAGMA application_id = 305419896; CREATE TABLE t (x);").unwrap();
    assert_refused(&app, |e| matches!(e, Error::NotCredence { detail, .. } if detail.contains("0x12345678")));
    let versioned = dir.path("versioned.sqlite3");
    Connection::open(&versioned).unwrap().execute_batch("PRAGMA user_version = 1;").unwrap();
    assert_refused(&versioned, |e| matches!(e, Error::NotCredence { .. }));
}

#[test]
fn a_read_only_file_serves_the_read_commands() {
    let dir = TempDir::new("readonly");
    let path = dir.path("ro.sqlite3");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.record(&[qusayr(), homs()]).unwrap();
        s.settle("taken", &Verdict::manual(Some(true))).unwrap();
    }
    let mut perms = std::fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&path, perms.clone()).unwrap();
    let before = std::fs::read(&path).unwrap();

    let mut s = SqliteStore::open_read_only(&path).unwrap();
    assert_eq!(s.sources().unwrap().len(), 6);
    assert_eq!(s.outcomes().unwrap().len(), 1);
    assert_eq!(s.reliability(&SourceKey::id("sohr")).unwrap().unwrap().correct, 1.0);
    assert_eq!(s.resolve_claim("held").unwrap().story, QUSAYR);
    let e = s.settle("held", &Verdict::manual(Some(false))).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. }), "{e:?}");
    assert!(e.to_string().contains("ro.sqlite3"), "{e}");
    let e = s.record(&[qusayr()]).unwrap_err();
    assert!(matches!(e, Error::ReadOnly { .. }), "{e:?}");
    drop(s);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).unwrap();
}

#[test]
fn a_missing_file_or_a_folder_is_a_clear_error() {
    let dir = TempDir::new("missing");
    let e = SqliteStore::open_read_only(dir.path("none.sqlite3")).unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }));
    assert!(e.to_string().contains("none.sqlite3") && e.to_string().contains("credence record"), "{e}");
    assert!(!dir.path("none.sqlite3").exists(), "a read command creates nothing");
    for e in [SqliteStore::open(dir.dir()).unwrap_err(), SqliteStore::open_read_only(dir.dir()).unwrap_err()] {
        assert!(matches!(&e, Error::Open { reason, .. } if reason.contains("directory")), "{e}");
    }
    let e = SqliteStore::open(dir.path("no/such/folder/x.sqlite3")).unwrap_err();
    assert!(matches!(e, Error::Open { .. }), "{e:?}");
}

#[test]
fn damaged_files_never_panic_and_refusals_never_write() {
    let dir = TempDir::new("mutate");
    let whole = dir.path("whole.sqlite3");
    let len = populated(&whole) as usize;
    let original = std::fs::read(&whole).unwrap();
    let (mut refused, mut opened) = (0, 0);
    for case in 0..48u64 {
        let mut bytes = original.clone();
        let r = noise(16, case + 100);
        for k in 0..4 {
            let at = (u32::from_le_bytes([r[4 * k], r[4 * k + 1], r[4 * k + 2], r[4 * k + 3]]) as usize)
                % if case % 3 == 0 { 100 } else { len };
            bytes[at] ^= r[k] | 1;
        }
        let path = dir.path(&format!("m{case}.sqlite3"));
        std::fs::write(&path, &bytes).unwrap();
        match SqliteStore::open(&path) {
            Err(_) => {
                refused += 1;
                assert_eq!(std::fs::read(&path).unwrap(), bytes, "case {case}: a refused file is left as it was");
            }
            Ok(mut s) => {
                opened += 1;
                let _ = s.sources();
                let _ = s.outcomes();
                let _ = s.settle("story-001/c1", &Verdict::manual(Some(true)));
                let _ = s.record(&[qusayr()]);
                let _ = s.check_integrity();
            }
        }
    }
    assert!(refused > 0 && refused + opened == 48, "{refused} refused, {opened} opened");
}

//! Several threads and several processes recording and settling in one file at once lose nothing.
//!
//! The processes are this test binary run again: [`worker_process`] does the work of one worker when
//! `CREDENCE_STORE_WORKER` is set, and passes at once otherwise.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TempDir, generated};
use credence_store::{Error, SourceKey, SqliteStore, TrackRecord, Verdict};

const STORIES: usize = 12;

/// One worker's work: for each of its stories, record it, then settle c1 true twice (a repeat), c2 true
/// and then false (a correction), and c3 false and then unsettled. Each call opens the file anew, like a
/// CLI command would.
fn work(db: &Path, worker: &str) {
    for j in 0..STORIES {
        let key = format!("{worker}-story-{j:02}");
        SqliteStore::open(db).unwrap().record(&[generated(&key, &format!("outlet-{worker}"))]).unwrap();
        let mut s = SqliteStore::open(db).unwrap();
        for (claim, outcome) in [("c1", Some(true)), ("c1", Some(true)), ("c2", Some(true)), ("c2", Some(false))] {
            s.settle(&format!("{key}/{claim}"), &Verdict::manual(outcome)).unwrap();
        }
        s.settle(&format!("{key}/c3"), &Verdict::manual(Some(false))).unwrap();
        s.settle(&format!("{key}/c3"), &Verdict::manual(None)).unwrap();
    }
}

/// What the file must hold once `workers` workers are done: SOHR asserted c1 (true) and refuted c2
/// (false), so it was right twice per story; SANA did the opposite; c3 counts for nothing.
fn check(db: &Path, workers: &[String]) {
    let s = SqliteStore::open_read_only(db).unwrap();
    let n = workers.len() * STORIES;
    let sohr = s.reliability(&SourceKey::id("sohr")).unwrap().unwrap();
    assert_eq!((sohr.correct, sohr.wrong, sohr.claims, sohr.stories), (2.0 * n as f64, 0.0, 2 * n as u32, n as u32));
    let sana = s.reliability(&SourceKey::id("sana")).unwrap().unwrap();
    assert_eq!((sana.correct, sana.wrong, sana.claims, sana.stories), (0.0, 2.0 * n as f64, 2 * n as u32, n as u32));
    let outcomes = s.outcomes().unwrap();
    assert_eq!(outcomes.len(), 3 * n);
    for o in &outcomes {
        let want = match o.claim.claim.as_str() {
            "c1" => (Some(true), 2),
            "c2" => (Some(false), 2),
            _ => (None, 2),
        };
        assert_eq!((o.outcome, o.revision), want, "{}", o.claim);
    }
    let sources = s.sources().unwrap();
    assert_eq!(sources.len(), 2 + workers.len(), "SOHR, SANA and one outlet per worker");
    for w in workers {
        let outlet = sources.iter().find(|r| r.key == format!("outlet-{w}")).unwrap();
        assert_eq!((outlet.evidence.stories, outlet.relayed), (STORIES as u32, 2 * STORIES as u32));
    }
}

#[test]
fn worker_process() {
    let Ok(spec) = std::env::var("CREDENCE_STORE_WORKER") else { return };
    let (db, worker) = spec.split_once('|').expect("DB|WORKER");
    work(Path::new(db), worker);
}

#[test]
fn threads_recording_and_settling_at_once_lose_nothing() {
    let dir = TempDir::new("threads");
    let db = dir.path("shared.sqlite3");
    let workers: Vec<String> = (0..4).map(|i| format!("t{i}")).collect();
    std::thread::scope(|scope| {
        for w in &workers {
            let db = &db;
            scope.spawn(move || work(db, w));
        }
        // A reader alongside: every listing it takes is consistent and never fails.
        let (workers, db) = (&workers, &db);
        scope.spawn(move || {
            let mut seen = 0;
            for _ in 0..40 {
                match SqliteStore::open_read_only(db) {
                    Ok(s) => {
                        let list = s.sources().unwrap();
                        if let Some(sohr) = list.iter().find(|r| r.key == "sohr") {
                            // SOHR takes one side on each claim, so its units add up to its settled claims.
                            // It is wrong only while a worker's c2 stands true or its c3 false: at most
                            // twice per worker.
                            let e = sohr.evidence;
                            assert_eq!(e.correct + e.wrong, f64::from(e.claims), "{e:?}");
                            assert!(e.wrong <= 2.0 * workers.len() as f64, "{e:?}");
                            assert!(e.correct <= 2.0 * f64::from(e.stories), "{e:?}");
                            seen += 1;
                        }
                    }
                    // Before the first writer has created and migrated the file.
                    Err(Error::NotFound { .. } | Error::NeedsUpgrade { found: 0, .. }) => {}
                    Err(e) => panic!("reader: {e}"),
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            assert!(seen > 0, "the reader saw the writers' work");
        });
    });
    check(&db, &workers);
}

#[test]
fn processes_and_threads_recording_and_settling_at_once_lose_nothing() {
    let dir = TempDir::new("processes");
    let db = dir.path("shared.sqlite3");
    let exe = std::env::current_exe().unwrap();
    let procs: Vec<String> = (0..3).map(|i| format!("p{i}")).collect();
    let threads: Vec<String> = (0..2).map(|i| format!("t{i}")).collect();
    let children: Vec<_> = procs
        .iter()
        .map(|w| {
            Command::new(&exe)
                .args(["--exact", "worker_process", "--test-threads", "1", "--quiet"])
                .env("CREDENCE_STORE_WORKER", format!("{}|{w}", db.display()))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::scope(|scope| {
        for w in &threads {
            let db = &db;
            scope.spawn(move || work(db, w));
        }
    });
    for (w, child) in procs.iter().zip(children) {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "worker {w}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"), "worker {w} ran");
    }
    let all: Vec<String> = procs.into_iter().chain(threads).collect();
    check(&db, &all);
}

#[test]
fn a_lock_held_past_the_busy_timeout_is_a_clear_error_and_no_harm() {
    let dir = TempDir::new("busy");
    let db = dir.path("busy.sqlite3");
    SqliteStore::open(&db).unwrap().record(&[generated("s", "o")]).unwrap();
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut s = SqliteStore::open_with_timeout(&db, std::time::Duration::from_millis(100)).unwrap();
    let e = s.settle("s/c1", &Verdict::manual(Some(true))).unwrap_err();
    assert!(matches!(e, Error::Busy { timeout_ms: 100, .. }), "{e:?}");
    assert!(e.to_string().contains("busy.sqlite3") && e.to_string().contains("try again"), "{e}");
    // Readers are not blocked by the writer (WAL).
    assert_eq!(s.sources().unwrap().len(), 3);
    holder.execute_batch("COMMIT").unwrap();
    s.settle("s/c1", &Verdict::manual(Some(true))).unwrap();
    assert_eq!(s.reliability(&SourceKey::id("sohr")).unwrap().unwrap().correct, 1.0);
}

#[test]
fn any_busy_timeout_is_accepted() {
    let dir = TempDir::new("timeout");
    for t in [std::time::Duration::ZERO, std::time::Duration::MAX] {
        SqliteStore::open_with_timeout(dir.path("t.sqlite3"), t).unwrap().record(&[generated("s", "o")]).unwrap();
    }
}

//! The track record through the real CLI: `record`, `settle`, `sources`, `score --db`; concurrent writers;
//! damaged, foreign and newer database files.

use std::path::Path;

use crate::common::{run, scratch, write};

/// A story in which a monitor asserts a claim and a ministry refutes it, both through one outlet; every
/// name carries `tag` so that several stories are several sets of sources (except the shared outlet).
fn story(tag: &str) -> String {
    format!(
        r#"[story]
title = "Story {tag}"

[[source]]
id = "paper"
name = "The Paper"
kind = "outlet"
domains = ["paper.example"]

[[source]]
id = "monitor-{tag}"
name = "Monitor {tag}"
kind = "monitor"

[[source]]
id = "ministry-{tag}"
name = "Ministry {tag}"
kind = "government-official"

[[article]]
id = "a1"
outlet = "paper"
url = "https://www.paper.example/{tag}"

[[claim]]
id = "bridge-{tag}"
text = "The bridge at {tag} was destroyed"

[[claim]]
id = "road-{tag}"
text = "The road to {tag} is open"

[[report]]
article = "a1"
claim = "bridge-{tag}"
chain = ["paper", "monitor-{tag}"]
cue = "said"

[[report]]
article = "a1"
claim = "bridge-{tag}"
chain = ["paper", "ministry-{tag}"]
cue = "denied"
stance = "refutes"

[[report]]
article = "a1"
claim = "road-{tag}"
chain = ["paper", "monitor-{tag}"]
cue = "said"
"#
    )
}

/// `credence score STORY --format json [--db DB]`, parsed.
fn score(story: &str, db: Option<&str>) -> serde_json::Value {
    let mut args = vec!["score", story, "--format", "json", "--no-check-files", "-q"];
    if let Some(db) = db {
        args.extend(["--db", db]);
    }
    let out = run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON report")
}

fn claim<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["claims"].as_array().unwrap().iter().find(|c| c["id"] == id).expect("claim in the report")
}

/// The origin hop's trust of the first report of `claim` whose origin is `source`.
fn origin_trust(report: &serde_json::Value, claim_id: &str, source: &str) -> (f64, String) {
    let c = claim(report, claim_id);
    let hop = c["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["trust"].as_array().unwrap().iter())
        .find(|h| h["source"] == source && h["role"] == "origin")
        .expect("origin hop");
    (hop["p"].as_f64().unwrap(), hop["grade_from"].as_str().unwrap().to_string())
}

/// `credence sources --db DB --format json`: reliability by source key.
fn reliability(db: &str) -> serde_json::Value {
    let out = run(&["sources", "--db", db, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON listing")
}

fn source<'a>(listing: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    listing["sources"].as_array().unwrap().iter().find(|s| s["source"] == key).expect("source listed")
}

#[test]
fn help_lists_the_track_record_and_discover_commands() {
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    for word in ["record", "settle", "sources", "discover", "7  the track record", "8  the track record", "--db"] {
        assert!(out.stdout.contains(word), "--help lacks {word:?}:\n{}", out.stdout);
    }
    let out = run(&["score", "--help"]);
    assert!(out.stdout.contains("--db"), "{}", out.stdout);
}

#[test]
fn settling_moves_the_origins_and_a_second_score_reflects_it() {
    let dir = scratch("track-settle");
    let s = write(&dir, "story.toml", &story("x"));
    let db = dir.join("track.sqlite3").display().to_string();

    let out = run(&["record", &s, "--db", &db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("recorded (2 claims; 3 sources, 0 known before)"), "{}", out.stdout);

    let before = score(&s, None);
    let untouched = score(&s, Some(&db));
    assert_eq!(before["claims"], untouched["claims"], "no settled claim: the record changes nothing");

    let out = run(&["settle", "bridge-x", "true", "--db", &db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("monitor-x: correct 0 -> 1, wrong 0 -> 0"), "{}", out.stdout);
    assert!(out.stdout.contains("ministry-x: correct 0 -> 0, wrong 0 -> 1"), "{}", out.stdout);

    let listing = reliability(&db);
    assert!(source(&listing, "monitor-x")["reliability"].as_f64().unwrap() > 0.5);
    assert!(source(&listing, "ministry-x")["reliability"].as_f64().unwrap() < 0.5);
    assert_eq!(source(&listing, "paper")["claims"], 0, "an outlet relaying is not an origin");

    let after = score(&s, Some(&db));
    // The report with learned trust still follows the JSON schema.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::common::root().join("schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let problems: Vec<String> = validator.iter_errors(&after).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(problems.is_empty(), "{problems:?}");
    let (p0, from0) = origin_trust(&before, "bridge-x", "monitor-x");
    let (p1, from1) = origin_trust(&after, "bridge-x", "monitor-x");
    assert!(p1 > p0, "the asserting monitor gains trust: {p0} -> {p1}");
    assert!(from0.starts_with("kind:") && from1.starts_with("track-record: 1 correct, 0 wrong"), "{from1}");
    let (q0, _) = origin_trust(&before, "bridge-x", "ministry-x");
    let (q1, _) = origin_trust(&after, "bridge-x", "ministry-x");
    assert!(q1 < q0, "the refuting ministry loses trust: {q0} -> {q1}");
    let support = |r: &serde_json::Value, id: &str| claim(r, id)["support"].as_f64().unwrap();
    assert!(support(&after, "bridge-x") > support(&before, "bridge-x"));
    // The monitor's other claim, never settled, is scored with its learned trust too.
    assert!(support(&after, "road-x") > support(&before, "road-x"));
    // Relays keep their relay grade.
    let relay = |r: &serde_json::Value| claim(r, "road-x")["reports"][0]["trust"][0]["p"].as_f64().unwrap();
    assert_eq!(relay(&after), relay(&before));

    // `explain --db` shows the learned trust hop.
    let out = run(&["explain", &s, "bridge-x", "--format", "json", "--no-check-files", "-q", "--db", &db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("track-record: 1 correct, 0 wrong on grade C"), "{}", out.stdout);

    // Correcting the outcome moves the units across, never counting twice.
    let out = run(&["settle", "bridge-x", "false", "--db", &db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listing = reliability(&db);
    assert_eq!(
        (source(&listing, "monitor-x")["correct"].as_f64(), source(&listing, "monitor-x")["wrong"].as_f64()),
        (Some(0.0), Some(1.0))
    );
    let corrected = score(&s, Some(&db));
    assert!(origin_trust(&corrected, "bridge-x", "monitor-x").0 < p0);
    assert!(origin_trust(&corrected, "bridge-x", "ministry-x").0 > q0);
    assert!(support(&corrected, "bridge-x") < support(&before, "bridge-x"));

    // The other listings: CSV export, Markdown, the text table; deterministic.
    let csv = run(&["sources", "--db", &db, "--format", "csv"]);
    assert_eq!(csv.code, 0);
    assert!(csv.stdout.starts_with("source,name,kind,ids,aliases,domains,stories,claims,correct,wrong"));
    assert!(csv.stdout.contains("paper.example"), "the article's address gave the outlet's domain");
    assert_eq!(csv.bytes, run(&["sources", "--db", &db, "--format", "csv"]).bytes);
    let md = run(&["sources", "--db", &db, "--format", "md"]);
    assert!(md.stdout.contains("| monitor-x | Monitor x | monitor |"), "{}", md.stdout);
    let outcomes = run(&["outcomes", "--db", &db, "--format", "csv"]);
    assert_eq!(outcomes.code, 0, "{}", outcomes.stderr);
    assert!(outcomes.stdout.starts_with("claim,story,title,text,outcome,method"), "{}", outcomes.stdout);
    assert!(outcomes.stdout.contains("bridge-x,") && outcomes.stdout.contains(",false,manual,"), "{}", outcomes.stdout);
    assert!(run(&["outcomes", "--db", &db]).stdout.contains("bridge-x"));
    let out_file = dir.join("sources.csv");
    let written = run(&["sources", "--db", &db, "-o", &out_file.display().to_string()]);
    assert_eq!(written.code, 0);
    assert_eq!(std::fs::read(&out_file).unwrap(), csv.bytes, "-o x.csv writes CSV");
}

#[test]
fn a_claimreview_settles_and_errors_exit_with_their_codes() {
    let dir = scratch("track-review");
    let s = write(&dir, "story.toml", &story("y"));
    let db = dir.join("track.sqlite3").display().to_string();
    assert_eq!(run(&["record", &s, "--db", &db]).code, 0);
    let review = write(
        &dir,
        "review.json",
        r#"{"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "The bridge was destroyed",
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"}}"#,
    );
    let out = run(&["settle", "bridge-y", "--review", &review, "--db", &db]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(": false (was never settled)"), "{}", out.stdout);
    let listing = reliability(&db);
    assert_eq!(source(&listing, "monitor-y")["wrong"].as_f64(), Some(1.0));

    // An unknown claim: usage error with a suggestion.
    let out = run(&["settle", "brige-y", "true", "--db", &db]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("did you mean") && out.stderr.contains("bridge-y"), "{}", out.stderr);
    // Not an outcome word; both an outcome and a review; neither.
    assert_eq!(run(&["settle", "bridge-y", "maybe", "--db", &db]).code, 2);
    assert_eq!(run(&["settle", "bridge-y", "true", "--review", &review, "--db", &db]).code, 2);
    assert_eq!(run(&["settle", "bridge-y", "--db", &db]).code, 2);
    // A missing track record is never created by a read or a settle.
    let missing = dir.join("none.sqlite3").display().to_string();
    for args in [
        vec!["sources", "--db", missing.as_str()],
        vec!["settle", "bridge-y", "true", "--db", missing.as_str()],
        vec!["score", s.as_str(), "--db", missing.as_str()],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 5, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("no such track record"), "{}", out.stderr);
    }
    assert!(!Path::new(&missing).exists());
}

#[test]
fn concurrent_record_runs_lose_nothing() {
    let dir = scratch("track-concurrent");
    let db = dir.join("track.sqlite3").display().to_string();
    let (procs, per) = (6, 3);
    let mut batches = Vec::new();
    for p in 0..procs {
        let files: Vec<String> =
            (0..per).map(|i| write(&dir, &format!("s{p}-{i}.toml"), &story(&format!("p{p}s{i}")))).collect();
        batches.push(files);
    }
    // All processes at once against one file: each waits for the write lock, none loses a story.
    let handles: Vec<_> = batches
        .iter()
        .map(|files| {
            std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
                .arg("record")
                .args(files)
                .args(["--db", &db, "-q", "--no-check-files"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn credence record")
        })
        .collect();
    for h in handles {
        let out = h.wait_with_output().expect("credence record finished");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let listing = reliability(&db);
    let sources = listing["sources"].as_array().unwrap();
    // Every story's monitor and ministry, and the one shared outlet (matched by its id).
    assert_eq!(sources.len(), procs * per * 2 + 1);
    assert_eq!(source(&listing, "paper")["stories"], procs * per);
    for p in 0..procs {
        for i in 0..per {
            assert_eq!(source(&listing, &format!("monitor-p{p}s{i}"))["stories"], 1);
            // And every claim: each story's claim can be settled by its bare id.
            let out = run(&["settle", &format!("bridge-p{p}s{i}"), "true", "--db", &db]);
            assert_eq!(out.code, 0, "{}", out.stderr);
        }
    }
    let listing = reliability(&db);
    assert!(listing["sources"].as_array().unwrap().iter().all(|s| s["claims"] == u32::from(s["kind"] != "outlet")));
}

#[test]
fn damaged_foreign_and_newer_files_are_refused_unchanged() {
    let dir = scratch("track-corrupt");
    let s = write(&dir, "story.toml", &story("z"));

    let garbage = dir.join("garbage.sqlite3");
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&garbage, &bytes).unwrap();
    let g = garbage.display().to_string();
    for args in [
        vec!["record", s.as_str(), "--db", g.as_str()],
        vec!["sources", "--db", g.as_str()],
        vec!["settle", "bridge-z", "true", "--db", g.as_str()],
        vec!["score", s.as_str(), "--db", g.as_str()],
    ] {
        let out = run(&args);
        assert_eq!(out.code, 7, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("not a readable credence track record"), "{}", out.stderr);
        assert!(!out.stderr.contains("panicked"));
    }
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes, "left byte for byte unchanged");

    // A truncated database: the first half of a real one.
    let db = dir.join("track.sqlite3");
    let d = db.display().to_string();
    assert_eq!(run(&["record", &s, "--db", &d]).code, 0);
    let whole = std::fs::read(&db).unwrap();
    let cut = dir.join("cut.sqlite3");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let out = run(&["sources", "--db", &cut.display().to_string()]);
    assert_eq!(out.code, 7, "{}", out.stderr);

    // A newer schema: user_version (bytes 60..64 of the header, big-endian) raised past this build's.
    let mut newer = whole.clone();
    newer[60..64].copy_from_slice(&99u32.to_be_bytes());
    let n = dir.join("newer.sqlite3");
    std::fs::write(&n, &newer).unwrap();
    for args in [vec!["sources", "--db"], vec!["record", s.as_str(), "--db"]] {
        let mut args = args;
        let file = n.display().to_string();
        args.push(&file);
        let out = run(&args);
        assert_eq!(out.code, 7, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("schema version 99") && out.stderr.contains("use a newer credence"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(std::fs::read(&n).unwrap(), newer);

    // Another program's database: a valid SQLite file with a different application id (bytes 68..72).
    let mut foreign = whole;
    foreign[68..72].copy_from_slice(&0x1234_5678u32.to_be_bytes());
    let f = dir.join("foreign.sqlite3");
    std::fs::write(&f, &foreign).unwrap();
    let out = run(&["sources", "--db", &f.display().to_string()]);
    assert_eq!(out.code, 7, "{}", out.stderr);
    assert!(out.stderr.contains("another program"), "{}", out.stderr);
}

#[test]
fn older_and_empty_files_are_migrated_by_a_write() {
    let dir = scratch("track-migrate");
    let s = write(&dir, "story.toml", &story("m"));
    // The previous schema (version 1, two stories recorded by that version's code).
    let v1 = dir.join("v1.sqlite3");
    std::fs::copy(crate::common::root().join("crates/credence-store/tests/fixtures/v1.sqlite3"), &v1).unwrap();
    let f = v1.display().to_string();
    let out = run(&["sources", "--db", &f]);
    assert_eq!(out.code, 7, "a read never upgrades: {}", out.stderr);
    assert!(out.stderr.contains("open it once for writing"), "{}", out.stderr);
    let before = std::fs::read(&v1).unwrap();
    assert_eq!(run(&["sources", "--db", &f]).code, 7);
    assert_eq!(std::fs::read(&v1).unwrap(), before);
    let out = run(&["record", &s, "--db", &f]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let listing = reliability(&f);
    let n = listing["sources"].as_array().unwrap().len();
    assert!(n > 3, "the old record survives the upgrade, and the new story is added: {n} sources");
    source(&listing, "monitor-m");

    // An empty file is a new track record.
    let empty = dir.join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let e = empty.display().to_string();
    assert_eq!(run(&["record", &s, "--db", &e]).code, 0);
    assert_eq!(reliability(&e)["sources"].as_array().unwrap().len(), 3);
}

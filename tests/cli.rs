//! The real `credence` binary: commands, formats, errors with file and line, exit codes, determinism.

use crate::common::{example, root, run, scratch, write};

const EX: &str = "examples/jisr-al-shughur/story.toml";

#[test]
fn help_lists_commands_examples_and_exit_codes() {
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    for word in
        ["score", "explain", "validate", "check", "config", "Examples:", "Exit codes:", "3  the story file is invalid"]
    {
        assert!(out.stdout.contains(word), "--help lacks {word:?}:\n{}", out.stdout);
    }
    let out = run(&["score", "--help"]);
    assert!(out.stdout.contains("--format") && out.stdout.contains("--config") && out.stdout.contains("-o"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["score"]).code, 2);
    assert_eq!(run(&["score", EX, "--format", "pdf"]).code, 2);
    let out = run(&["explain", EX, "no-such-claim"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("claim `no-such-claim` is not in the story") && out.stderr.contains("jisr-captured"));
}

#[test]
fn score_writes_markdown_to_stdout_by_default() {
    let out = run(&["score", EX]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("# Reliability report: "));
    for section in ["## Claims", "## Evidence", "## Contradictions", "## Sources", "## Articles"] {
        assert!(out.stdout.contains(section), "missing {section}");
    }
    assert!(
        out.stdout
            .contains("Al Jazeera ← Agence France-Presse ← Syrian Observatory for Human Rights (Rami Abdel Rahman)")
    );
}

#[test]
fn output_file_format_follows_its_extension() {
    let dir = scratch("output");
    let json = dir.join("report.json");
    let out = run(&["score", EX, "-o", json.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("wrote"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["schema"], "credence-report/2");
    let dot = dir.join("graph.dot");
    assert_eq!(run(&["score", EX, "-o", dot.to_str().unwrap(), "-q"]).code, 0);
    assert!(std::fs::read_to_string(&dot).unwrap().starts_with("digraph credence {"));
    // --format wins over the extension.
    let md = dir.join("x.json");
    assert_eq!(run(&["score", EX, "-f", "md", "-o", md.to_str().unwrap()]).code, 0);
    assert!(std::fs::read_to_string(&md).unwrap().starts_with("# Reliability report"));
    // An output directory that does not exist is an I/O error, exit 5.
    let bad = dir.join("missing/dir/out.md");
    let out = run(&["score", EX, "-o", bad.to_str().unwrap()]);
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
}

#[test]
fn output_is_byte_identical_across_runs() {
    for format in ["md", "json", "dot"] {
        let first = run(&["score", EX, "--format", format, "-q"]);
        for _ in 0..3 {
            assert_eq!(
                run(&["score", EX, "--format", format, "-q"]).bytes,
                first.bytes,
                "{format} output changed between runs"
            );
        }
    }
}

#[test]
fn a_directory_stands_for_its_story_file() {
    let out = run(&["validate", "examples/jisr-al-shughur"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("story.toml: ok (22 sources"), "{}", out.stdout);
    let dir = scratch("empty-dir");
    let out = run(&["score", dir.to_str().unwrap()]);
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("no article files"), "{}", out.stderr);
}

#[test]
fn explain_traces_one_claim() {
    let out = run(&["explain", EX, "soldiers-killed-60"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("(`soldiers-killed-60`)"));
    assert!(out.stdout.contains("How the score came about"));
    assert!(out.stdout.contains("trust"), "{}", out.stdout);
    let out = run(&["explain", EX, "soldiers-killed-60", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["id"], "soldiers-killed-60");
    assert_eq!(v["independent_origins"], 1);
}

#[test]
fn config_prints_the_embedded_defaults() {
    let out = run(&["config"]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stdout, std::fs::read_to_string(root().join("config/default.toml")).unwrap());
}

#[test]
fn a_config_file_overrides_a_subset() {
    let dir = scratch("config-subset");
    let cfg = write(&dir, "weights.toml", "[interest]\nself_serving = 0.1\n");
    assert_eq!(run(&["config", "--check", &cfg]).code, 0);
    let base = run(&["explain", EX, "aircraft-destroyed-vehicles", "-f", "json"]);
    let harsh = run(&["explain", EX, "aircraft-destroyed-vehicles", "-f", "json", "--config", &cfg]);
    let p = |o: &crate::common::Out| {
        serde_json::from_str::<serde_json::Value>(&o.stdout).unwrap()["support"].as_f64().unwrap()
    };
    assert!(p(&harsh) < p(&base), "a harsher self-serving factor lowers a self-serving claim");
}

#[test]
fn config_errors_name_file_line_and_key_and_exit_4() {
    let dir = scratch("config-errors");
    let cfg = write(&dir, "bad.toml", "[interest]\nadmission = 2.0\n\n[fusion]\nacross_origins = \"sum\"\nfoo = 1\n");
    let out = run(&["score", EX, "--config", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("bad.toml:6:7: fusion.foo: unknown key `foo` in [fusion]"), "{}", out.stderr);
    let cfg = write(&dir, "range.toml", "[interest]\nadmission = 2.0\n\n[fusion]\nacross_origins = \"sum\"\n");
    let out = run(&["config", "--check", &cfg]);
    assert_eq!(out.code, 4);
    assert!(
        out.stderr.contains("range.toml:2:13: interest.admission: `interest.admission` = 2 is out of range [0, 1]"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("range.toml:5:18: fusion.across_origins"), "{}", out.stderr);
    assert!(out.stderr.contains("2 problems"));
    let out = run(&["score", EX, "--config", "no/such/file.toml"]);
    assert_eq!(out.code, 5);
}

const BAD_STORY: &str = r#"[story]
title = "Broken"

[[source]]
id = "paper"
name = "Paper"
kind = "outlet"

[[source]]
id = "paper"
name = "Paper again"
kind = "newspaper"

[[source]]
id = "monitor"
name = "Monitor"
kind = "monitor"
side = "neutral"

[[article]]
id = "a1"
outlet = "paper"

[[claim]]
id = "c1"
text = "Something happened"

[[report]]
article = "a1"
claim = "c1"
chain = []

[[report]]
article = "a1"
claim = "c1"
chain = ["monitor"]

[[report]]
article = "a1"
claim = "c2"
chain = ["paper", "monitor", "paper"]
caveats = ["maybe"]

[[report]]
article = "a9"
claim = "c1"
chain = ["paper", "ghost"]

[[contradiction]]
a = "c1"
b = "c1"
kind = "vibes"
"#;

#[test]
fn story_errors_name_file_line_and_value_and_exit_3() {
    let dir = scratch("bad-story");
    let path = write(&dir, "story.toml", BAD_STORY);
    let out = run(&["score", &path]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let expect = [
        ("story.toml:10:6: source[1].id: duplicate source id \"paper\"", "duplicate id"),
        ("story.toml:12:8: source[1].kind: unknown source kind \"newspaper\"", "unknown kind"),
        ("story.toml:18:8: source[2].side: unknown side \"neutral\"", "unknown side"),
        ("story.toml:31:9: report[0].chain: empty chain", "empty chain"),
        (
            "story.toml:36:10: report[1].chain[0]: chain starts at \"monitor\" but article \"a1\" is published by \"paper\"",
            "chain start",
        ),
        ("story.toml:40:9: report[2].claim: unknown claim id \"c2\"", "unknown claim"),
        ("story.toml:41:30: report[2].chain[2]: chain loops: \"paper\" appears at positions 0 and 2", "loop"),
        ("story.toml:42:12: report[2].caveats[0]: unknown caveat kind \"maybe\"", "caveat"),
        ("story.toml:45:11: report[3].article: unknown article id \"a9\"", "unknown article"),
        ("story.toml:47:19: report[3].chain[1]: unknown source id \"ghost\" in chain", "unknown source"),
        ("story.toml:51:5: contradiction[0].b: claim \"c1\" cannot contradict itself", "self-contradiction"),
        ("story.toml:52:8: contradiction[0].kind: unknown contradiction kind \"vibes\"", "contradiction kind"),
    ];
    for (text, what) in expect {
        assert!(out.stderr.contains(text), "{what}: expected {text:?} in\n{}", out.stderr);
    }
    assert!(out.stderr.contains("help: "), "every problem says what to do");
    assert!(out.stderr.contains("12 problems"), "{}", out.stderr);
    // `check` reports the same problems without scoring.
    assert_eq!(run(&["validate", &path]).code, 3);
}

#[test]
fn syntax_and_type_errors_point_at_the_line() {
    let dir = scratch("syntax");
    let path = write(
        &dir,
        "s.toml",
        "[story]\ntitle = \"x\"\n\n[[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"p\"]\nstance = \"maybe\"\n",
    );
    let out = run(&["validate", &path]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("s.toml:8:10:") && out.stderr.contains("maybe"), "{}", out.stderr);
    let path = write(&dir, "t.toml", "[story]\ntitle = \"x\"\nchian = 1\n");
    let out = run(&["validate", &path]);
    assert!(out.stderr.contains("t.toml:3:1:") && out.stderr.contains("chian"), "{}", out.stderr);
    let path = write(&dir, "u.json", "{\"story\": {\"title\": \"x\"},\n \"claim\": [{\"id\": 3}]}");
    let out = run(&["validate", &path]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("u.json:2:"), "{}", out.stderr);
    let out = run(&["validate", "no/such/story.toml"]);
    assert_eq!(out.code, 5);
    assert!(out.stderr.contains("cannot read no/such/story.toml"), "{}", out.stderr);
    let path = write(&dir, "bin.toml", "");
    std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
    let out = run(&["validate", &path]);
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("not valid UTF-8 at byte 0"), "{}", out.stderr);
}

#[test]
fn spans_and_quotes_are_checked_against_the_article_files() {
    let dir = scratch("spans");
    std::fs::write(dir.join("a.txt"), "The town fell on Saturday, the monitor said.\n").unwrap();
    let story = |span: &str, quote: &str| {
        format!(
            "[story]\ntitle = \"t\"\n[[source]]\nid = \"p\"\nname = \"P\"\nkind = \"outlet\"\n[[article]]\nid = \"a\"\noutlet = \"p\"\npath = \"a.txt\"\n[[claim]]\nid = \"c\"\ntext = \"fell\"\n[[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"p\"]\nquote = \"{quote}\"\nspan = {span}\n"
        )
    };
    let ok = write(&dir, "ok.toml", &story("[0, 25]", "The town fell on Saturday"));
    assert_eq!(run(&["validate", &ok]).code, 0);
    let wrong = write(&dir, "wrong.toml", &story("[4, 25]", "The town fell on Saturday"));
    let out = run(&["validate", &wrong]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains(
            "wrong.toml:19:8: report[0].span: span [4, 25] of \"a.txt\" holds \"town fell on Saturday\", not the quote"
        ),
        "{}",
        out.stderr
    );
    let past = write(&dir, "past.toml", &story("[0, 999]", "x"));
    assert!(run(&["validate", &past]).stderr.contains("runs past the end"));
    // --no-check-files skips opening the articles.
    assert_eq!(run(&["validate", &wrong, "--no-check-files"]).code, 0);
}

#[test]
fn json_and_toml_stories_round_trip_and_score_the_same() {
    let file = credence::model::Story::load(&example()).unwrap();
    let toml_text = file.story.to_toml();
    let json_text = file.story.to_json();
    let from_toml = credence::model::Story::parse("x.toml", &toml_text, credence::locate::Syntax::Toml).unwrap();
    let from_json = credence::model::Story::parse("x.json", &json_text, credence::locate::Syntax::Json).unwrap();
    // TOML groups each claim's reports under it (in their order): the same story, its reports regrouped.
    let mut grouped = file.story.clone();
    let order: std::collections::HashMap<String, usize> =
        grouped.claims.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    grouped.reports.sort_by_key(|r| order.get(&r.claim).copied().unwrap_or(usize::MAX));
    assert_eq!(from_toml, grouped);
    assert_eq!(from_toml.to_toml(), toml_text, "writing the regrouped story again changes nothing");
    assert!(toml_text.contains("\nspan = ["), "spans on one line");
    assert_eq!(from_json, file.story);
    // A JSON copy in a scratch directory, its article paths made absolute so spans are still checked.
    let mut story = file.story.clone();
    let base = example().parent().unwrap().to_path_buf();
    for a in &mut story.articles {
        a.path = a.path.as_ref().map(|p| base.join(p).display().to_string());
    }
    let json_path = scratch("roundtrip").join("story.json");
    std::fs::write(&json_path, story.to_json()).unwrap();
    let a = run(&["score", EX, "-f", "json", "-q"]);
    let b = run(&["score", json_path.to_str().unwrap(), "-f", "json", "-q"]);
    let strip_paths =
        |s: &str| s.lines().filter(|l| !l.trim_start().starts_with("\"path\"")).collect::<Vec<_>>().join("\n");
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(strip_paths(&a.stdout), strip_paths(&b.stdout));
}

#[test]
fn unknown_cues_are_warned_about_and_scored_as_the_default_class() {
    let dir = scratch("cues");
    let path = write(
        &dir,
        "s.toml",
        "[story]\ntitle = \"t\"\n[[source]]\nid = \"p\"\nname = \"P\"\nkind = \"outlet\"\n[[article]]\nid = \"a\"\noutlet = \"p\"\n[[claim]]\nid = \"c\"\ntext = \"x\"\n[[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"p\"]\ncue = \"trumpeted\"\n",
    );
    let out = run(&["score", &path, "-f", "json"]);
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("cue \"trumpeted\" is in no cue class"), "{}", out.stderr);
    assert!(run(&["score", &path, "-q"]).stderr.is_empty());
}

#[test]
fn timings_name_every_stage_on_stderr_and_change_no_output() {
    let articles = "examples/jisr-al-shughur/articles";
    let plain = run(&["score", articles, "--format", "json", "-q"]);
    let timed = run(&["score", articles, "--format", "json", "-q", "--timings"]);
    assert_eq!((plain.code, timed.code), (0, 0), "{}{}", plain.stderr, timed.stderr);
    assert_eq!(plain.bytes, timed.bytes, "--timings changed standard output");
    assert!(!plain.stderr.contains("timings:"), "{}", plain.stderr);
    for stage in ["setup", "read", "extract", "copies", "align", "validate", "graph", "score", "report", "total"] {
        assert!(
            timed
                .stderr
                .lines()
                .any(|l| l.strip_prefix("timings: ").is_some_and(|r| r.starts_with(&format!("{stage} ")))),
            "no line for stage {stage}: {}",
            timed.stderr
        );
    }
    // The report file is the same bytes with and without, written through the streaming exporter.
    let dir = scratch("timings");
    for ext in ["json", "md"] {
        let a = dir.join(format!("plain.{ext}"));
        let b = dir.join(format!("timed.{ext}"));
        assert_eq!(run(&["score", articles, "-o", a.to_str().unwrap(), "-q"]).code, 0);
        let out = run(&["score", articles, "-o", b.to_str().unwrap(), "--timings"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stderr.contains("timings: report"), "{}", out.stderr);
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "{ext} report differs");
        assert_eq!(
            std::fs::read(&a).unwrap(),
            run(&["score", articles, "-f", ext, "-q"]).bytes,
            "{ext} file vs stdout"
        );
    }
    // A story file has no extraction stages, and `extract` times its own.
    let out = run(&["score", EX, "-f", "json", "-q", "--timings"]);
    assert!(out.stderr.contains("timings: read") && out.stderr.contains("timings: score"), "{}", out.stderr);
    assert_eq!(out.bytes, run(&["score", EX, "-f", "json", "-q"]).bytes);
    let out = run(&["extract", articles, "-q", "--timings"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("timings: align") && out.stderr.contains("timings: total"), "{}", out.stderr);
}

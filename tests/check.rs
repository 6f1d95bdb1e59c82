//! `credence check CLAIM PATH...` through the real binary: the claim from an argument, `@FILE` or standard
//! input; every article listed, unrelated ones included; one-line headline articles; refuting coverage gives
//! `debunked`; the JSON matches `schema/check.schema.json`; config problems are located; every format is
//! deterministic.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{root, run, scratch, write};

const CLAIM: &str = "The singer Ana Ruiz is dead";

/// A folder of one-line articles (headlines alone) about a made-up death rumour, and one unrelated article.
fn rumour(name: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    write(&dir, "a-hoax.txt", "Ana Ruiz death report is a hoax, her label says\n");
    write(&dir, "b-alive.txt", "Singer Ana Ruiz is alive and well despite rumours online\n");
    write(&dir, "c-claim.txt", "Ana Ruiz dies at 71\n");
    write(&dir, "d-hedge.txt", "Is singer Ana Ruiz dead? Fans ask after unconfirmed posts\n");
    write(&dir, "e-other.txt", "City council approves new budget for road repairs\n\nThe vote was close.\n");
    dir
}

fn json_of(out: &crate::common::Out) -> Value {
    assert_eq!(out.code, 0, "credence check failed:\n{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", out.stdout))
}

fn article<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["articles"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["path"].as_str().is_some_and(|p| p.ends_with(file))))
        .unwrap_or_else(|| panic!("{file} is not listed in {report:#}"))
}

#[test]
fn refuting_coverage_is_debunked_and_every_article_is_listed() {
    let dir = rumour("check-rumour");
    let report = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "--format", "json"]));
    assert_eq!(report["verdict"], "debunked", "{report:#}");
    let support = report["support"].as_f64().unwrap();
    assert!(support < 0.3, "{support}");
    let iv = &report["interval"];
    assert!(iv[0].as_f64().unwrap() <= support && support <= iv[1].as_f64().unwrap());
    assert_eq!(report["articles"].as_array().unwrap().len(), 5);
    assert_eq!(article(&report, "a-hoax.txt")["stance"], "refutes");
    assert_eq!(article(&report, "b-alive.txt")["stance"], "refutes");
    assert_eq!(article(&report, "c-claim.txt")["stance"], "supports");
    assert_eq!(article(&report, "d-hedge.txt")["stance"], "observing");
    let other = article(&report, "e-other.txt");
    assert_eq!(other["stance"], "unrelated");
    assert!(other["origin"].is_null());
    assert_eq!(other["evidence"].as_array().unwrap().len(), 0);
    assert_eq!(report["counts"]["unrelated"], 1);
    // One-line articles: the headline is the evidence, with its span in the file.
    let hoax = &article(&report, "a-hoax.txt")["evidence"][0];
    assert_eq!(hoax["headline"], true);
    assert_eq!(hoax["cue"], "hoax");
    assert_eq!(hoax["span"][0], 0);
}

#[test]
fn supporting_coverage_from_independent_origins_is_supported() {
    let dir = scratch("check-supported");
    // Three known outlets (front matter): outlets no one can name weigh little (kind unknown-outlet).
    write(
        &dir,
        "a.md",
        "+++\noutlet = \"Reuters\"\n+++\nAna Ruiz dies at 71\n\nThe singer Ana Ruiz died on Sunday at her home in Madrid.\n",
    );
    write(
        &dir,
        "b.md",
        "+++\noutlet = \"BBC News\"\n+++\nSinger Ana Ruiz has died\n\nAna Ruiz, whose records sold millions, died on Sunday.\n",
    );
    write(&dir, "c.md", "+++\noutlet = \"El País\"\n+++\nAna Ruiz, voice of a generation, is dead at 71\n");
    let report = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]));
    assert_eq!(report["verdict"], "supported", "{report:#}");
    assert_eq!(report["counts"]["supports"], 3);
}

#[test]
fn the_claim_comes_from_a_file_or_standard_input() {
    let dir = rumour("check-claim-sources");
    let claim_file = write(&dir.parent().unwrap().join(""), "check-claim.txt", &format!("  {CLAIM}\n"));
    let from_arg = run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]);
    let from_file = run(&["check", &format!("@{claim_file}"), dir.to_str().unwrap(), "-f", "json"]);
    assert_eq!(json_of(&from_file)["claim"], CLAIM);
    assert_eq!(from_arg.stdout, from_file.stdout, "the same claim from a file gives the same bytes");
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["check", "-", dir.to_str().unwrap(), "-f", "json"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("credence runs");
    child.stdin.take().expect("stdin").write_all(format!("{CLAIM}\n").as_bytes()).expect("claim written");
    let out = child.wait_with_output().expect("credence finishes");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), from_arg.stdout);
    // An empty claim is refused.
    let empty = write(&dir.parent().unwrap().join(""), "check-empty-claim.txt", "  \n");
    assert_eq!(run(&["check", &format!("@{empty}"), dir.to_str().unwrap()]).code, 5);
    assert_eq!(run(&["check", "@no/such/claim.txt", dir.to_str().unwrap()]).code, 5);
}

#[test]
fn files_and_folders_can_be_mixed() {
    let dir = rumour("check-paths");
    let one = dir.join("c-claim.txt");
    let report = json_of(&run(&["check", CLAIM, one.to_str().unwrap(), "-f", "json"]));
    assert_eq!(report["articles"].as_array().unwrap().len(), 1);
    assert_eq!(report["articles"][0]["path"], one.to_str().unwrap(), "the path as read");
    assert_eq!(report["verdict"], "unverified", "one supporting origin is too thin: {report:#}");
    let out = run(&["check", CLAIM, one.to_str().unwrap(), "no/such/folder"]);
    assert_eq!(out.code, 5, "{}", out.stderr);
}

#[test]
fn the_json_matches_the_schema() {
    let path = root().join("schema/check.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("schema read")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let dir = rumour("check-schema");
    write(
        &dir,
        "f-dated.md",
        "+++\ntitle = \"Ana Ruiz is dead, agency says\"\npublished = 2024-05-02\n+++\n\nAna Ruiz died, the agency said.\n",
    );
    let report = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]));
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "schema violations:\n{}", errors.join("\n"));
    // Not vacuous: the schema is closed, so an extra field or a wrong verdict fails it.
    let mut broken = report.clone();
    broken["verdict"] = Value::from("true");
    assert!(!validator.is_valid(&broken));
    let mut extra = report;
    extra["articles"][0]["surprise"] = Value::from(1);
    assert!(!validator.is_valid(&extra));
}

#[test]
fn every_format_is_deterministic_and_inert() {
    let dir = rumour("check-formats");
    write(
        &dir,
        "g-hostile.html",
        "<html><head><title>Ana Ruiz dead <script>alert(1)</script></title></head><body><p>Ana Ruiz died \u{202e}today.</p></body></html>",
    );
    for format in ["md", "html", "json", "claimreview"] {
        let a = run(&["check", CLAIM, dir.to_str().unwrap(), "-f", format]);
        let b = run(&["check", CLAIM, dir.to_str().unwrap(), "-f", format]);
        assert_eq!(a.code, 0, "{format}: {}", a.stderr);
        assert_eq!(a.bytes, b.bytes, "{format} is byte-identical run to run");
        assert!(!a.stdout.contains('\u{202e}'), "{format} shows bidi controls as text");
    }
    let html = run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "html"]).stdout;
    assert!(html.contains("name=\"viewport\""));
    assert!(!html.to_ascii_lowercase().contains("<script"), "no script in the page");
    assert!(html.contains("class=\"verdict v-"));
    let md = run(&["check", CLAIM, dir.to_str().unwrap()]).stdout;
    for part in ["**Verdict: ", "## Strongest against", "## Origins", "## Articles and the sentences matched"] {
        assert!(md.contains(part), "{part} missing from:\n{md}");
    }
    let review: Value =
        serde_json::from_str(&run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "claimreview"]).stdout)
            .expect("JSON-LD");
    assert_eq!(review["@type"], "ClaimReview");
    assert_eq!(review["claimReviewed"], CLAIM);
    let verdict = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]))["verdict"].clone();
    assert_eq!(review["reviewRating"]["alternateName"], verdict);
    let expected = match verdict.as_str() {
        Some("debunked") => 1,
        Some("disputed") => 2,
        Some("unverified") => 3,
        _ => 5,
    };
    assert_eq!(review["reviewRating"]["ratingValue"], expected);
    // -o picks the format from the extension.
    let out = dir.parent().unwrap().join("check-out.html");
    assert_eq!(run(&["check", CLAIM, dir.to_str().unwrap(), "-o", out.to_str().unwrap()]).code, 0);
    assert!(std::fs::read_to_string(&out).expect("page written").starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_bad_check_config_is_located() {
    let dir = rumour("check-config");
    let cfg = write(
        &dir.parent().unwrap().join(""),
        "check-bad.toml",
        "[check]\nrefute_weight = 4.0\nsupported = 1.5\nunit_grade = \"Q\"\n",
    );
    let out = run(&["check", CLAIM, dir.to_str().unwrap(), "--config", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("check-bad.toml:3"), "{}", out.stderr);
    assert!(out.stderr.contains("check.supported"), "{}", out.stderr);
    assert!(out.stderr.contains("check-bad.toml:4"), "{}", out.stderr);
    let typo = write(&dir.parent().unwrap().join(""), "check-typo.toml", "[check]\nrefute_wieght = 2.0\n");
    let out = run(&["check", CLAIM, dir.to_str().unwrap(), "--config", &typo]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("check-typo.toml:2"), "{}", out.stderr);
    // A good override changes the verdict's numbers: with refutes weighing little the rumour is disputed.
    let soft = write(&dir.parent().unwrap().join(""), "check-soft.toml", "[check]\nrefute_weight = 0.2\n");
    let report = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "--config", &soft, "-f", "json"]));
    assert_eq!(report["settings"]["refute_weight"], 0.2);
    assert_ne!(report["verdict"], "debunked", "{report:#}");
}

#[test]
fn a_later_retraction_supersedes_an_origin_s_earlier_report() {
    let dir = scratch("check-supersede");
    write(
        &dir,
        "a.md",
        "+++\ntitle = \"Ana Ruiz dies at 71\"\noutlet = \"The Daily Example\"\npublished = 2024-05-01\n+++\n\nThe singer Ana Ruiz died on Sunday.\n",
    );
    write(
        &dir,
        "b.md",
        "+++\ntitle = \"Ana Ruiz is alive: our report of her death was false\"\noutlet = \"The Daily Example\"\npublished = 2024-05-02\n+++\n\nWe retract the report; Ana Ruiz is alive and well.\n",
    );
    let report = json_of(&run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]));
    let origins = report["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 1, "one outlet is one origin: {report:#}");
    assert_eq!(origins[0]["stance"], "refutes");
    assert_eq!(origins[0]["superseded"].as_array().unwrap().len(), 1);
    assert_eq!(report["timeline"].as_array().unwrap().len(), 2);
    assert_eq!(report["timeline"][0]["superseded"], true);
}

#[test]
fn validate_is_the_story_check_s_new_name() {
    let out = run(&["validate", "examples/jisr-al-shughur/story.toml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(": ok ("));
    // `check` now wants a claim and articles.
    assert_eq!(run(&["check", "examples/jisr-al-shughur/story.toml"]).code, 2);
}

#[test]
fn a_stance_lexicon_can_be_given_and_its_errors_are_located() {
    let dir = rumour("check-stance-lexicon");
    let lex_dir = dir.parent().unwrap().join(format!("check-stance-lex-{}", std::process::id()));
    std::fs::create_dir_all(&lex_dir).expect("lexicon dir");
    let builtin = std::fs::read_to_string(root().join("config/lexicons/stance.toml")).expect("built-in lexicon");
    let bad = builtin.replacen("entity = 3.0", "entity = \"three\"", 1);
    assert_ne!(bad, builtin, "the built-in lexicon sets relevance.entity");
    let path = write(&lex_dir, "stance.toml", &bad);
    let out = run(&["check", CLAIM, dir.to_str().unwrap(), "--lexicon", &path]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("stance.toml:") && out.stderr.contains("entity"), "{}", out.stderr);
    // The built-in lexicon given as a file reads the same as no override.
    let good = write(&lex_dir, "stance.toml", &builtin);
    let with = run(&["check", CLAIM, dir.to_str().unwrap(), "--lexicon", &good, "-f", "json"]);
    let without = run(&["check", CLAIM, dir.to_str().unwrap(), "-f", "json"]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert_eq!(with.stdout, without.stdout);
}

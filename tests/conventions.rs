//! The command line's conventions, one test each: errors printed once with their cause, `-` for standard
//! input, unknown output extensions refused, completions and a man page, "did you mean", every config problem
//! at once, one summary line unless `-v`, examples in every subcommand's help, a claim with no report refused.

use crate::common::{example, root, run, run_stdin, scratch, write};

#[test]
fn a_file_error_is_printed_once_with_its_cause() {
    let out = run(&["score", "no/such/story.toml"]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    assert_eq!(out.stderr.lines().filter(|l| l.starts_with("error:")).count(), 1, "{}", out.stderr);
    let cause = "No such file or directory";
    assert_eq!(out.stderr.matches(cause).count(), 1, "the cause is printed once: {}", out.stderr);
    assert!(out.stderr.contains("cannot read no/such/story.toml"), "{}", out.stderr);
}

#[test]
fn dash_reads_a_story_file_from_standard_input() {
    let text = std::fs::read(example()).expect("example");
    let piped = run_stdin(&["score", "-", "--format", "json", "-q"], &text);
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    let from_file = run(&["score", example().to_str().unwrap(), "--format", "json", "-q"]);
    let claims = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap()["claims"].clone();
    assert_eq!(claims(&piped.stdout), claims(&from_file.stdout), "the same story scores the same from a pipe");
}

#[test]
fn dash_reads_one_article_from_standard_input() {
    let article = std::fs::read(root().join("examples/jisr-al-shughur/articles/002-afp-wire.txt")).expect("article");
    let out = run_stdin(&["score", "-", "--format", "json"], &article);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(v["articles"].as_array().map(Vec::len), Some(1));
    assert!(!v["claims"].as_array().unwrap().is_empty(), "claims were extracted from the piped article");
    assert_eq!(out.stderr.lines().filter(|l| l.starts_with("read ")).count(), 1, "{}", out.stderr);
}

#[test]
fn an_output_extension_that_names_no_format_is_a_usage_error() {
    let dir = scratch("bad-ext");
    let pdf = dir.join("report.pdf");
    let out = run(&["score", example().to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot tell the report format") && out.stderr.contains(".html"), "{}", out.stderr);
    assert!(!pdf.exists(), "nothing is written");
    let png = dir.join("graph.png");
    let out = run(&["graph", example().to_str().unwrap(), "-o", png.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let out = run(&["extract", "examples/jisr-al-shughur/articles", "-o", dir.join("draft.yaml").to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // --format still wins over any extension.
    let out = run(&["score", example().to_str().unwrap(), "-q", "-f", "md", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn an_unsupported_format_is_a_usage_error() {
    let out = run(&["score", example().to_str().unwrap(), "--format", "pdf"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

#[test]
fn completions_and_a_man_page_come_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        for word in ["score", "explain", "extract", "format"] {
            assert!(out.stdout.contains(word), "{shell} completions know {word}");
        }
    }
    let man = run(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH credence 1"), "roff");
    assert!(man.stdout.contains(".TH credence-score"), "a page per subcommand");
    assert!(run(&["completions", "tcsh"]).code == 2, "an unknown shell is a usage error");
}

#[test]
fn a_misspelt_claim_id_gets_a_suggestion() {
    let out = run(&["explain", example().to_str().unwrap(), "jisr-capturd"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `jisr-captured`?"), "{}", out.stderr);
    // Nothing close: the known ids are listed instead.
    let out = run(&["explain", example().to_str().unwrap(), "zzzzzzzzzzzz"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("its claims are:"), "{}", out.stderr);
}

#[test]
fn a_misspelt_config_key_gets_a_suggestion() {
    let dir = scratch("misspelt-key");
    let cfg = write(&dir, "c.toml", "[opinion]\nprior_wieght = 3\n");
    let out = run(&["config", "--check", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("did you mean `prior_weight`?"), "{}", out.stderr);
}

#[test]
fn every_config_problem_is_listed_at_once() {
    let dir = scratch("all-config-problems");
    let cfg = write(
        &dir,
        "c.toml",
        "[opinion]\nprior_weight = \"x\"\nbase_rate = \"y\"\n[fusion]\nwithin_origin = 3\n[nope]\n",
    );
    let out = run(&["config", "--check", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("(4 problems)"), "{}", out.stderr);
    for key in ["opinion.prior_weight", "opinion.base_rate", "fusion.within_origin", "unknown key `nope`"] {
        assert!(out.stderr.contains(key), "{key} is listed: {}", out.stderr);
    }
}

#[test]
fn a_line_per_file_only_with_verbose() {
    let dir = "examples/jisr-al-shughur/articles";
    let quiet_lines = |args: &[&str]| {
        let out = run(args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stderr.lines().filter(|l| l.starts_with("read ")).count()
    };
    // Five article files: one summary line by default, a line per file (and the summary) with -v.
    assert_eq!(quiet_lines(&["score", dir, "-f", "json"]), 1);
    assert_eq!(quiet_lines(&["score", dir, "-f", "json", "-v"]), 6);
    assert_eq!(quiet_lines(&["score", dir, "-f", "json", "-q"]), 0);
}

#[test]
fn every_subcommand_has_examples_and_story_help_names_folders_and_stdin() {
    for sub in ["score", "graph", "extract", "explain", "check", "config", "completions", "man"] {
        let out = run(&[sub, "--help"]);
        assert_eq!(out.code, 0, "{sub}");
        assert!(out.stdout.contains("Examples:\n  credence "), "{sub} --help has examples");
    }
    let out = run(&["score", "--help"]);
    assert!(out.stdout.contains("a folder of raw articles") && out.stdout.contains("`-` for standard input"));
}

#[test]
fn a_claim_with_no_report_is_invalid() {
    let dir = scratch("unreported-claim");
    let story = write(
        &dir,
        "story.toml",
        "[story]\ntitle = \"t\"\n[[source]]\nid = \"p\"\nname = \"P\"\nkind = \"outlet\"\n[[article]]\nid = \"a\"\noutlet = \"p\"\n\
         [[claim]]\nid = \"said\"\ntext = \"x\"\n[[claim]]\nid = \"lonely\"\ntext = \"y\"\n\
         [[report]]\narticle = \"a\"\nclaim = \"said\"\nchain = [\"p\"]\ncue = \"said\"\n",
    );
    let out = run(&["validate", &story]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("claim \"lonely\" has no report"), "{}", out.stderr);
    assert!(out.stderr.contains("story.toml:14:"), "located at the claim's id: {}", out.stderr);
}

#[test]
fn the_terminal_width_comes_from_columns_when_set() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["score", example().to_str().unwrap(), "-f", "table", "-q"])
        .current_dir(root())
        .env("COLUMNS", "70")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().all(|l| l.chars().count() <= 70), "{text}");
}

#[test]
fn the_draft_is_compact_grouped_and_its_paths_relative_to_its_folder() {
    let dir = scratch("draft");
    let articles = root().join("examples/jisr-al-shughur/articles");
    // `-o draft.toml` (no folder) and `-o sub/draft.toml` both write paths relative to the draft's folder.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    for out in ["draft.toml", "sub/draft.toml"] {
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_credence"))
            .args(["extract", articles.to_str().unwrap(), "-o", out, "-q"])
            .current_dir(&dir)
            .status()
            .expect("runs");
        assert!(status.success());
        let text = std::fs::read_to_string(dir.join(out)).unwrap();
        let paths: Vec<&str> = text.lines().filter(|l| l.starts_with("path = ")).collect();
        assert!(!paths.is_empty());
        for p in &paths {
            assert!(!p.contains("\"/"), "{out}: an absolute path: {p}");
            let rel = p.trim_start_matches("path = ").trim_matches('"');
            let file = dir.join(out).parent().unwrap().join(rel);
            assert!(file.is_file(), "{out}: {rel} does not lead to the article from the draft's folder");
        }
        // Spans on one line, each claim followed by its reports.
        assert!(text.lines().any(|l| l.starts_with("span = [") && l.ends_with(']')), "{out}");
        let story = credence::model::Story::parse(out, &text, credence::locate::Syntax::Toml).unwrap();
        let mut last = 0;
        for r in &story.reports {
            let i = story.claims.iter().position(|c| c.id == r.claim).unwrap();
            assert!(i >= last, "reports are grouped by claim, in claim order");
            last = i;
        }
        // And it scores.
        let scored = run(&["score", dir.join(out).to_str().unwrap(), "-f", "json", "-q"]);
        assert_eq!(scored.code, 0, "{}", scored.stderr);
    }
}

//! `--threads N`: the per-article stages run on N threads, and the bytes written never depend on N (issue 15).
//!
//! Every report of the reference story, of the shipped example (its story file and its raw articles) and of
//! a folder with many more articles than threads is written with 1, 2 and 4 threads, as JSON and Markdown,
//! through the real binary, and compared byte for byte; so is the extracted story with its summary.

use std::path::PathBuf;

use crate::common::{root, run, scratch};

/// The reference story in `../shared`; `None`, with the reason printed, when it is absent outside CI (in CI,
/// where it is always laid out, its absence fails the test).
fn reference() -> Option<PathBuf> {
    let dir = root().join("../shared/stories/jisr-al-shughur");
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "{} must be present in CI", dir.display());
    println!("skipped: {} not found (CI always has it)", dir.display());
    None
}

/// A folder of 40 articles: the example's five, each under eight names, so every thread gets several and
/// the shared resolver meets the same sources again and again, in an order a race would change.
fn many_articles() -> PathBuf {
    let dir = scratch("threads-many");
    let src = root().join("examples/jisr-al-shughur/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
        .expect("the example's articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for copy in 0..8 {
        for f in &files {
            let name = format!("{copy}-{}", f.file_name().expect("name").to_string_lossy());
            std::fs::copy(f, dir.join(name)).expect("article copied");
        }
    }
    dir
}

/// The bytes `args` writes on standard output and standard error with each number of threads, checked equal.
#[track_caller]
fn same_on_any_threads(args: &[&str]) {
    let mut first: Option<(Vec<u8>, String)> = None;
    for threads in ["1", "2", "4"] {
        let mut all = args.to_vec();
        all.extend(["--threads", threads]);
        let out = run(&all);
        assert_eq!(out.code, 0, "{all:?} failed:\n{}", out.stderr);
        assert!(!out.bytes.is_empty(), "{all:?} wrote nothing");
        match &first {
            None => first = Some((out.bytes, out.stderr)),
            Some((bytes, stderr)) => {
                assert!(*bytes == out.bytes, "{all:?}: standard output differs from --threads 1");
                assert_eq!(*stderr, out.stderr, "{all:?}: standard error differs from --threads 1");
            }
        }
    }
}

#[test]
fn reports_are_the_same_bytes_on_any_number_of_threads() {
    let many = many_articles();
    let mut inputs = vec![
        root().join("examples/jisr-al-shughur/story.toml"),
        root().join("examples/jisr-al-shughur/articles"),
        many,
    ];
    inputs.extend(reference());
    for input in &inputs {
        let input = input.to_str().expect("UTF-8 path");
        for format in ["json", "md"] {
            same_on_any_threads(&["score", input, "--format", format, "--quiet"]);
        }
    }
}

#[test]
fn extracted_stories_and_summaries_are_the_same_on_any_number_of_threads() {
    let mut inputs = vec![root().join("examples/jisr-al-shughur/articles"), many_articles()];
    inputs.extend(reference());
    for input in &inputs {
        same_on_any_threads(&["extract", input.to_str().expect("UTF-8 path"), "--show-dropped"]);
    }
}

#[test]
fn threads_must_be_a_whole_number_of_at_least_one() {
    let example = root().join("examples/jisr-al-shughur/articles");
    let example = example.to_str().expect("UTF-8 path");
    for (bad, says) in [("0", "at least 1 thread"), ("two", "not a number of threads"), ("-1", "not a number")] {
        let out = run(&["score", example, &format!("--threads={bad}")]);
        assert_eq!(out.code, 2, "--threads {bad}: {}", out.stderr);
        assert!(out.stderr.contains("--threads") && out.stderr.contains(says), "--threads {bad}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    for cmd in ["score", "extract", "graph", "check", "record", "validate", "explain"] {
        let help = run(&[cmd, "--help"]);
        assert!(help.stdout.contains("--threads <N>"), "{cmd} --help lacks --threads:\n{}", help.stdout);
    }
}

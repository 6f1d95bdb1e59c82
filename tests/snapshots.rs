//! Snapshot tests: the example's reports must match the committed files byte for byte.
//!
//! After an intended change, regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test integration snapshots`
//! and review the diff before committing.

use crate::common::run;

fn check(format: &str, file: &str) {
    check_args(&["score", "examples/jisr-al-shughur/story.toml", "--format", format, "--quiet"], file);
}

fn check_args(args: &[&str], file: &str) {
    let out = run(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let path = crate::common::root().join("tests/snapshots").join(file);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &out.bytes).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {}; run with UPDATE_SNAPSHOTS=1", path.display()));
    if out.stdout != want {
        let line = out.stdout.lines().zip(want.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ: {} vs {} lines", out.stdout.lines().count(), want.lines().count()),
            |i| {
                format!(
                    "line {}:\n  got:  {}\n  want: {}",
                    i + 1,
                    out.stdout.lines().nth(i).unwrap_or(""),
                    want.lines().nth(i).unwrap_or("")
                )
            },
        );
        panic!("{file} differs from the snapshot at {line}\n(rerun with UPDATE_SNAPSHOTS=1 if the change is intended)");
    }
}

#[test]
fn markdown_report() {
    check("md", "example.md");
}

#[test]
fn json_report() {
    check("json", "example.json");
}

#[test]
fn dot_graph() {
    check("dot", "example.dot");
}

#[test]
fn html_report() {
    check("html", "example.html");
}

#[test]
fn svg_graph() {
    check_args(&["graph", "examples/jisr-al-shughur/story.toml", "--quiet"], "example.svg");
}

#[test]
fn claimreview_jsonld() {
    check("claimreview", "example.claimreview.jsonld");
}

#[test]
fn prov_jsonld() {
    check("prov", "example.prov.jsonld");
}

#[test]
fn terminal_table_in_colour() {
    check_args(
        &["score", "examples/jisr-al-shughur/story.toml", "--format", "table", "--color", "always", "--quiet"],
        "example.table.ansi",
    );
}

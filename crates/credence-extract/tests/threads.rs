//! Extraction on any number of threads gives the same story: the per-document stages run in parallel, and
//! sources are resolved in document order, so ids, claims and reports never depend on which thread finished
//! first (issue 15).

use std::path::{Path, PathBuf};

use credence_extract::extract::{ExtractOptions, Lexicons, extract_dir, extract_isolated};
use credence_extract::ingest::{DocFormat, parse_text};

/// Articles in our own words about an invented town, each naming sources some others name too, in an order
/// that changes from article to article (the first to name a source gives it its id).
fn articles() -> Vec<(String, String)> {
    let sources = [
        "the Harbour Council",
        "Mayor Elin Varga",
        "a spokesman for the port authority",
        "the Coastal Monitoring Group",
        "local residents",
        "Reuters",
    ];
    let events = ["reopened the north bridge", "closed the ferry terminal", "repaired the sea wall"];
    (0..24)
        .map(|i| {
            let mut text = format!("Bridge work in Marlow Bay, day {i}\n\n");
            for k in 0..4 {
                let s = sources[(i * 5 + k * 3) % sources.len()];
                let e = events[(i + k) % events.len()];
                text += &format!(
                    "Workers {e} on Tuesday, {s} said. \"We expect {n} crews by Friday,\" {s} told reporters.\n\n",
                    n = i % 7 + 2
                );
            }
            text += "The council has not been able to verify claims by local residents.\n";
            (format!("{i:02}-marlow.txt"), text)
        })
        .collect()
}

fn on_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("a thread pool").install(f)
}

#[test]
fn documents_give_the_same_story_on_one_thread_and_on_many() {
    let lex = Lexicons::builtin();
    let opts = ExtractOptions::new(".");
    let docs: Vec<_> = articles()
        .iter()
        .map(|(name, text)| parse_text(Path::new(name), text, DocFormat::Text, &lex.boilerplate))
        .collect();
    let one = on_threads(1, || extract_isolated(&docs, "Marlow", None, &opts, &lex)).expect("extracted");
    assert!(one.failed.is_empty(), "{:?}", one.failed);
    assert!(one.story.reports.len() >= 24 * 4, "only {} reports", one.story.reports.len());
    assert!(one.story.sources.len() >= 4, "only {} sources", one.story.sources.len());
    for n in [2, 3, 4, 8] {
        let many = on_threads(n, || extract_isolated(&docs, "Marlow", None, &opts, &lex)).expect("extracted");
        assert_eq!(many.story, one.story, "{n} threads");
        assert_eq!(many.unreported, one.unreported, "{n} threads");
        assert_eq!(many.failed, one.failed, "{n} threads");
    }
}

#[test]
fn a_folder_is_read_in_name_order_on_any_number_of_threads() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("threads-folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    for (name, text) in articles() {
        std::fs::write(dir.join(name), text).expect("article written");
    }
    // Files that are not articles, listed as skipped in name order among the others.
    std::fs::write(dir.join("README.md"), "notes").expect("readme");
    std::fs::write(dir.join(".hidden.txt"), "hidden").expect("hidden");
    std::fs::write(dir.join("05-empty.txt"), "").expect("empty");
    std::fs::write(dir.join("data.csv"), "a,b").expect("csv");
    let lex = Lexicons::builtin();
    let opts = ExtractOptions::new(&dir);
    let one = on_threads(1, || extract_dir(&dir, None, &opts, &lex)).expect("extracted");
    assert_eq!(one.documents.len(), 24);
    assert_eq!(one.skipped.len(), 4, "{:?}", one.skipped);
    for n in [2, 4] {
        let many = on_threads(n, || extract_dir(&dir, None, &opts, &lex)).expect("extracted");
        assert_eq!(many.story, one.story, "{n} threads");
        assert_eq!(many.documents, one.documents, "{n} threads");
        assert_eq!(format!("{:?}", many.skipped), format!("{:?}", one.skipped), "{n} threads");
        assert_eq!(many.unreported, one.unreported, "{n} threads");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

//! Growth: doubling an input must not more than about double the work (bound 2.5×), on the inputs that were
//! once quadratic. Work is counted, never timed: the steps the library's loops count (`credence::work`) and
//! the bytes this thread allocates (a counting allocator below), so the test gives the same answer on a
//! loaded CI machine as on a quiet one.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use credence::config::Settings;
use credence::extract::{Lexicons, extract_isolated};
use credence::ingest::{DocFormat, parse_text};
use credence::locate::Syntax;
use credence::model::{self, Story, StoryFile};

thread_local! {
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
}

/// The system allocator, counting the bytes each thread asks for.
struct Counting;

// The one unsafe block of the project, in a test: a global allocator must be an `unsafe impl`.
// SAFETY: every call is passed to the system allocator unchanged; the counter is a const-initialised
// thread-local cell, which needs no allocation and no destructor, so counting cannot recurse.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + layout.size() as u64));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATED.try_with(|a| a.set(a.get() + new_size as u64));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Steps counted and bytes allocated while extracting and scoring one article of `text`.
///
/// The bytes are counted per thread, so the run is made on a pool of one thread, whose thread both does all
/// the work and reads the counters (steps alone are carried back from any number of threads).
fn work(text: &str) -> (u64, u64) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool of one thread");
    pool.install(|| work_here(text))
}

/// [`work`] on the calling thread.
fn work_here(text: &str) -> (u64, u64) {
    let lex = Lexicons::builtin();
    let settings = Settings::defaults();
    let (steps0, bytes0) = (credence::work::steps(), ALLOCATED.with(Cell::get));
    let doc = parse_text(Path::new("growth.txt"), text, DocFormat::Text, &lex.boilerplate);
    let ex = extract_isolated(&[doc], "growth", None, &credence::extraction_options(std::path::Path::new(".")), &lex)
        .expect("extracted");
    assert!(ex.failed.is_empty(), "{:?}", ex.failed);
    let file = StoryFile { story: ex.story, path: "growth.toml".into(), text: String::new(), syntax: Syntax::Toml };
    model::validate(&file, &settings.vocabulary(), false).expect("the extracted story is valid");
    let assessment = credence::assess(&file.story, &settings).expect("scored");
    std::hint::black_box(assessment);
    (credence::work::steps() - steps0, ALLOCATED.with(Cell::get) - bytes0)
}

/// Work of validating a story text.
fn validation_work(text: &str) -> (u64, u64) {
    let settings = Settings::defaults();
    let (steps0, bytes0) = (credence::work::steps(), ALLOCATED.with(Cell::get));
    let story = Story::parse("growth.toml", text, Syntax::Toml).expect("parses");
    let file = StoryFile { story, path: "growth.toml".into(), text: text.to_string(), syntax: Syntax::Toml };
    let err = model::validate(&file, &settings.vocabulary(), false).expect_err("unknown sources");
    std::hint::black_box(err.to_string());
    (credence::work::steps() - steps0, ALLOCATED.with(Cell::get) - bytes0)
}

#[track_caller]
fn assert_linear(name: &str, make: impl Fn(usize) -> String, n: usize, measure: impl Fn(&str) -> (u64, u64)) {
    let (small, big) = (make(n), make(2 * n));
    let (s1, b1) = measure(&small);
    let (s2, b2) = measure(&big);
    let steps = s2 as f64 / s1.max(1) as f64;
    let bytes = b2 as f64 / b1.max(1) as f64;
    println!(
        "{name}: input {} → {} bytes: steps {s1} → {s2} (×{steps:.2}), allocated {b1} → {b2} (×{bytes:.2})",
        small.len(),
        big.len()
    );
    assert!(s1 > 0, "{name}: no steps counted");
    assert!(steps <= 2.5, "{name}: steps grew ×{steps:.2} for ×2 input");
    assert!(bytes <= 2.5, "{name}: allocations grew ×{bytes:.2} for ×2 input");
}

/// A made-up place name for each number ("Belab", "Belac", …).
fn name(mut i: usize) -> String {
    let mut s = String::from("Bel");
    loop {
        s.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            break s;
        }
    }
}

/// Sentences in our own words, varied by a counter, for long inputs.
fn sentence(i: usize) -> String {
    let towns = ["Oakridge", "Millbrook", "Stonehaven", "Fairport", "Lakeside", "Westmere"];
    let verbs = ["reopened", "closed", "repaired", "inspected", "expanded"];
    format!(
        "The council of {} said on day {} that workers had {} {} bridges near the river.",
        towns[i % towns.len()],
        i,
        verbs[i % verbs.len()],
        i % 17 + 2
    )
}

#[test]
fn nested_reporting_is_linear() {
    // "The army said he said that he said that ... the town fell": once a report per speaker, each carrying
    // the rest of the sentence.
    assert_linear(
        "relay",
        |n| format!("Town news\n\nThe army said {}the town fell.\n", "he said that ".repeat(n)),
        1500,
        work,
    );
}

#[test]
fn a_run_on_sentence_is_linear() {
    // One sentence of many clauses (no full stop): once super-linear in the frame reader.
    // Its clauses are events a frame reads (captures of ever new places), so an unbounded reader finds
    // thousands of propositions, each a claim carrying the whole sentence.
    let make = |n: usize| {
        let clauses: Vec<String> = (0..n).map(|i| format!("rebels captured the town of {}", name(i))).collect();
        format!("Run on\n\nThe monitor said {}.\n", clauses.join(", and "))
    };
    assert_linear("run-on sentence", make, 200, work);
}

#[test]
fn a_long_article_is_linear() {
    // Many paragraphs with place names and actors: once quadratic in reading places across the article.
    let make = |n: usize| {
        let paras: Vec<String> = (0..n)
            .map(|i| {
                format!("{} Rebels and the army fought in {} on day {i}.", sentence(i), ["Oakridge", "Fairport"][i % 2])
            })
            .collect();
        format!("Long report\n\n{}\n", paras.join("\n\n"))
    };
    assert_linear("long article", make, 300, work);
}

#[test]
fn many_figures_for_one_place_are_linear() {
    // Hundreds of incompatible death tolls for one event (each 20% above the last, so no two ranges meet):
    // every pair contradicts, so claims compared pairwise within a key are capped.
    let make = |n: usize| {
        let paras: Vec<String> = (0..n)
            .map(|i| {
                format!("{:.0} soldiers were killed in Millbrook, the monitor said.", 100.0 * 1.2f64.powi(i as i32))
            })
            .collect();
        format!("Counts\n\n{}\n", paras.join("\n\n"))
    };
    assert_linear("many counts", make, 250, work);
}

#[test]
fn validating_many_unknown_sources_is_linear() {
    let make = |n: usize| {
        let mut s = String::from(
            "[story]\ntitle = \"t\"\n\n[[source]]\nid = \"paper\"\nname = \"P\"\nkind = \"outlet\"\n\n[[article]]\nid = \"a\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"x\"\n\n",
        );
        for i in 0..n {
            s.push_str(&format!(
                "[[report]]\narticle = \"a\"\nclaim = \"c\"\nchain = [\"paper\", \"unknown{i}\"]\ncue = \"said\"\n\n"
            ));
        }
        s
    };
    assert_linear("unknown sources", make, 1000, validation_work);
}

/// Steps the real binary counts (`--timings` prints them) scoring a folder of `n` articles, each of them
/// distinct (a town of its own), some sharing events (a cycle of councils): the whole user's path, from the
/// files through the per-file summary and progress to the report written.
fn cli_steps(n: usize) -> u64 {
    let base = std::env::temp_dir().join(format!("credence-growth-cli-{}-{n}", std::process::id()));
    let dir = base.join("articles");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    for i in 0..n {
        let town = name(i);
        let text = format!(
            "Bridges reopen in {town}\n\nBy a staff writer\n\n{}\n\nResidents of {town} said the work had \
             taken {} weeks, the {town} Courier reported.\n",
            sentence(i),
            i % 9 + 2
        );
        std::fs::write(dir.join(format!("{i:05}.txt")), text).expect("article written");
    }
    let out_file = base.join("report.json");
    let out = crate::common::run(&[
        "score",
        &dir.to_string_lossy(),
        "--format",
        "json",
        "-o",
        &out_file.to_string_lossy(),
        "--timings",
        "-v",
        "--threads",
        "2",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&base);
    out.stderr
        .lines()
        .find_map(|l| l.strip_prefix("timings: steps "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no step count in {}", out.stderr))
}

#[test]
fn the_cli_path_is_linear_in_the_number_of_articles() {
    // The per-file summary was once quadratic (each article's reports counted by scanning all reports):
    // 10,000 articles took 184 s instead of 21 s.
    let (small, large) = (cli_steps(60), cli_steps(120));
    let ratio = large as f64 / small.max(1) as f64;
    assert!(ratio <= 2.5, "the CLI path: 60 articles {small} steps, 120 articles {large} steps (x{ratio:.2})");
}

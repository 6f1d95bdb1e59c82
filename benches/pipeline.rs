//! End to end on a generated story: a folder of article files → extraction (reading, segmentation,
//! attribution, copy detection, claim alignment, contradictions) → claim graph → scoring → JSON report.
//!
//! Run with `cargo bench --bench pipeline`. The generator writes, once per size, a folder under
//! `target/bench-pipeline/`: a few hundred wire dispatches about invented towns, republished by many outlets
//! with edits (a dropped paragraph, an intro of their own, reworded figures), independent reports by monitors
//! and state media, and contradictions (fled vs. redeployed, different counts and days). Every text is made
//! here from templates; nothing comes from real articles.
//!
//! Each size runs in a child process so its peak memory (`VmHWM`) is its own. Sizes: 1k, 2k, 5k, 10k articles
//! (`CREDENCE_BENCH_SIZES=1000,2000` to choose). The run prints one table row per size.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use credence::config::Settings;
use credence::extract::{Lexicons, extract_dir};
use credence::graph::ClaimGraph;
use credence::report::{Format, ReportInput};
use credence::score::Scorer;

/// A small deterministic generator (xorshift), so every run writes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() % 10_000) as f64 / 10_000.0 < p
    }
}

const SYLLABLES: [&str; 16] = [
    "Tal", "Kafr", "Ain", "Deir", "Jabal", "Sabr", "Hamra", "Nabi", "Qasr", "Wadi", "Bayt", "Zor", "Mar", "Rum",
    "Dala", "Sin",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const AGENCIES: [&str; 3] = ["AFP", "Reuters", "AP"];
const REBELS: [&str; 4] = ["Rebel units", "Islamist fighters", "The jihadists", "Insurgents"];
const ARMY: [&str; 3] = ["Government forces", "Regime troops", "The army"];

struct Dispatch {
    agency: &'static str,
    town: String,
    paragraphs: Vec<String>,
    day: &'static str,
    dead: usize,
}

fn town(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&SYLLABLES), rng.pick(&SYLLABLES))
}

/// An invented word: dispatches differ in wording as real ones do, not only in names and figures.
fn word(rng: &mut Rng) -> String {
    const PARTS: [&str; 12] = ["ba", "ri", "to", "ne", "sa", "lu", "mo", "ka", "di", "fe", "go", "pi"];
    (0..2 + rng.below(3)).map(|_| PARTS[rng.below(PARTS.len())]).collect()
}

fn filler(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

fn dispatch(rng: &mut Rng, i: usize) -> Dispatch {
    let agency = AGENCIES[i % AGENCIES.len()];
    let town = town(rng);
    let day = rng.pick(&DAYS);
    let dead = 10 + rng.below(90);
    let rebels = rng.pick(&REBELS);
    let army = rng.pick(&ARMY);
    let paragraphs = vec![
        format!(
            "{rebels} overran the town of {town} on {day} after a week of shelling, the Syrian Observatory for Human Rights said."
        ),
        format!(
            "The monitor said the bodies of at least {dead} government soldiers lay in the streets of {town} after the assault."
        ),
        format!(
            "\u{201c}{army} fled. Clashes go on in some neighbourhoods,\u{201d} Observatory head Rami Abdel Rahman told {agency}."
        ),
        format!(
            "State television said army units were still engaged in fierce clashes in {town} and were holding their positions around it."
        ),
        format!(
            "The official news agency SANA said the army had redeployed to villages outside {town} to spare civilians."
        ),
        format!(
            "Dispatch {i} notes that the road through {town} links the coast with the interior and carries most supplies to the front."
        ),
    ];
    // Wording of this dispatch's own: a detail sentence added to every paragraph.
    let paragraphs = paragraphs.into_iter().map(|p| format!("{p} Witnesses spoke of {}.", filler(rng, 8))).collect();
    Dispatch { agency, town, paragraphs, day, dead }
}

/// Writes the corpus for `n` articles into `dir` (once).
fn generate(dir: &Path, n: usize) {
    if dir.join(".complete").exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench dir");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ n as u64);
    let dispatches: Vec<Dispatch> = (0..(n / 30).clamp(20, 400)).map(|i| dispatch(&mut rng, i)).collect();
    let outlets = 200;
    for k in 0..n {
        let mut text = String::new();
        let d = &dispatches[rng.below(dispatches.len())];
        let kind = k % 10;
        if kind == 0 {
            // The agency's own dispatch.
            let _ = writeln!(text, "{} reports fighting in {}\n", d.agency, d.town);
            for p in &d.paragraphs {
                let _ = writeln!(text, "{p}\n");
            }
            let _ = writeln!(text, "\u{2014} {}", d.agency);
        } else if kind <= 7 {
            // An outlet republishing the dispatch with edits.
            let outlet = format!("Outlet {}", rng.below(outlets));
            let _ = writeln!(text, "{} loses {} to the rebels\n", rng.pick(&["Damascus", "The government"]), d.town);
            let _ = writeln!(text, "By {outlet} staff\n");
            if rng.chance(0.5) {
                let _ =
                    writeln!(text, "{outlet} has followed the battle for {} since it began on {}.\n", d.town, d.day);
            }
            for p in &d.paragraphs {
                if rng.chance(0.15) {
                    continue;
                }
                let p = if rng.chance(0.2) { p.replace("at least", "more than") } else { p.clone() };
                let _ = writeln!(text, "{p}\n");
            }
            let _ = writeln!(text, "Additional reporting by {}", d.agency);
        } else {
            // An independent report, sometimes contradicting the dispatch on a day or a count.
            let outlet = format!("Outlet {}", rng.below(outlets));
            let other_day = DAYS[(DAYS.iter().position(|x| *x == d.day).unwrap_or(0) + 1) % 7];
            let _ = writeln!(text, "Fighting around {}\n", d.town);
            let _ = writeln!(text, "By {outlet} correspondent\n");
            let _ = writeln!(
                text,
                "Local activists said the offensive on {} began on {other_day} and that {} soldiers were killed.\n",
                d.town,
                d.dead / 3 + 1
            );
            let _ = writeln!(
                text,
                "A government official denied that the town had fallen and said troops were repositioning inside it {}.\n",
                filler(&mut rng, 6)
            );
            let _ = writeln!(
                text,
                "Residents said {} and families were leaving towards the north.\n",
                filler(&mut rng, 10)
            );
        }
        std::fs::write(dir.join(format!("{k:05}.txt")), text).expect("write article");
    }
    std::fs::write(dir.join(".complete"), "").expect("marker");
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// With `CREDENCE_BENCH_STAGES=1`, the resident memory after each stage, on standard error.
fn stage(name: &str) {
    if std::env::var_os("CREDENCE_BENCH_STAGES").is_some() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let rss = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap_or("");
        eprintln!("{name}: {rss} (peak {:.0} MiB)", peak_rss_mib());
    }
}

/// One size, in this process: prints a table row.
fn run_one(n: usize) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-pipeline/{n}"));
    generate(&dir, n);
    let settings = Settings::defaults();
    let t0 = Instant::now();
    let lex = Lexicons::builtin();
    let ex = extract_dir(&dir, None, &credence::extraction_options(&dir), &lex).expect("extract");
    let t_extract = t0.elapsed();
    stage("extracted");
    let t1 = Instant::now();
    let file = credence::model::StoryFile {
        story: ex.story.clone(),
        path: dir.join("(extracted story)"),
        text: String::new(),
        syntax: credence::locate::Syntax::Toml,
    };
    let valid = credence::model::validate(&file, &settings.vocabulary(), false).expect("valid");
    let graph = ClaimGraph::build(&valid);
    let assessment = Scorer::new(&graph, &settings, lex.attribution.cue_table()).assess();
    let t_score = t1.elapsed();
    stage("scored");
    let t2 = Instant::now();
    let bytes = Format::Json.exporter().render(&ReportInput::new(&assessment, &graph)).expect("report");
    let t_report = t2.elapsed();
    stage("rendered");
    let total = t0.elapsed();
    let mb: f64 = ex.documents.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "| {n} | {mb:.1} | {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.0} | {:.1} |",
        valid.reports.len(),
        valid.claims.len(),
        valid.contradictions.len(),
        t_extract.as_secs_f64(),
        t_score.as_secs_f64(),
        t_report.as_secs_f64(),
        total.as_secs_f64(),
        peak_rss_mib(),
        bytes.len() as f64 / 1e6,
    );
}

fn main() {
    if let Ok(n) = std::env::var("CREDENCE_BENCH_ONE") {
        run_one(n.parse().expect("size"));
        return;
    }
    let sizes: Vec<usize> = std::env::var("CREDENCE_BENCH_SIZES").ok().map_or_else(
        || vec![1000, 2000, 5000, 10_000],
        |s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
    );
    println!("End-to-end pipeline on generated stories (one process per size; times in seconds, memory in MiB)");
    println!(
        "| articles | text MB | reports | claims | contradictions | extract+align | graph+score | JSON report | total | peak RSS | report MB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let exe = std::env::current_exe().expect("own path");
    for n in sizes {
        let status = std::process::Command::new(&exe)
            .env("CREDENCE_BENCH_ONE", n.to_string())
            .args(std::env::args().skip(1).filter(|a| a != "--bench"))
            .status()
            .expect("child run");
        assert!(status.success(), "size {n} failed");
    }
}

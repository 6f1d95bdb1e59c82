//! `credence check` on a generated folder of 1,000 articles about one invented rumour (a singer's death):
//! wire dispatches republished with edits, outlets asserting it in their own voice, denials by a label and
//! by outlets, hedged reports quoting social media, and unrelated local news. Every text is made here from
//! templates; nothing comes from real articles.
//!
//! Run with `cargo bench --bench check` (`CREDENCE_BENCH_ARTICLES=N` for another size). Prints the time of
//! reading and extraction, of the stance reading and verdict, and of the JSON and Markdown pages, the best of
//! three runs, on one thread.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use credence::claim_check::{CheckFormat, CheckInput, check, render};
use credence::plan::Plan;
use credence::stance::Lexicon;

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
}

const CLAIM: &str = "The singer Lira Vondel is dead";

fn word(rng: &mut Rng) -> String {
    const PARTS: [&str; 12] = ["ba", "ri", "to", "ne", "sa", "lu", "mo", "ka", "di", "fe", "go", "pi"];
    (0..2 + rng.below(3)).map(|_| PARTS[rng.below(PARTS.len())]).collect()
}

fn filler(rng: &mut Rng, n: usize) -> String {
    (0..n).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
}

fn generate(dir: &Path, n: usize) {
    if dir.join(".complete").exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("bench dir");
    let mut rng = Rng(0x51ED_2701_C0FF_EE11 ^ n as u64);
    let wire: Vec<String> = (0..6)
        .map(|i| {
            format!(
                "The singer Lira Vondel died on Sunday at her home, her manager told reporters in dispatch {i}. \
                 Tributes came from fans of her {} records.",
                filler(&mut rng, 3)
            )
        })
        .collect();
    for k in 0..n {
        let mut text = String::new();
        let outlet = format!("Outlet {}", rng.below(300));
        match k % 10 {
            0..=3 => {
                let _ = writeln!(text, "Lira Vondel dies at 64\n\nBy {outlet} staff\n");
                for p in &wire {
                    let _ = writeln!(text, "{p}\n");
                }
                let _ = writeln!(text, "Additional reporting by {}", rng.pick(&["AFP", "Reuters", "AP"]));
            }
            4 | 5 => {
                let _ = writeln!(text, "Lira Vondel death report is a hoax, her label says\n\nBy {outlet} staff\n");
                let _ = writeln!(
                    text,
                    "Her record label denied on Monday that the singer had died and said she was alive and well. {}\n",
                    filler(&mut rng, 8)
                );
                let _ = writeln!(text, "The false report spread on social media, the label said.\n");
            }
            6 | 7 => {
                let _ = writeln!(text, "Is Lira Vondel dead? Fans ask after unconfirmed posts\n\nBy {outlet} staff\n");
                let _ = writeln!(
                    text,
                    "Posts on social media claimed the singer had reportedly died, but no one could confirm it. {}\n",
                    filler(&mut rng, 10)
                );
            }
            _ => {
                let _ = writeln!(text, "Council approves budget for road repairs\n\nBy {outlet} staff\n");
                for _ in 0..4 {
                    let _ = writeln!(text, "The council said the {} would start in spring.\n", filler(&mut rng, 6));
                }
            }
        }
        std::fs::write(dir.join(format!("{k:05}.txt")), text).expect("write article");
    }
    std::fs::write(dir.join(".complete"), "").expect("marker");
}

fn main() {
    let n: usize = std::env::var("CREDENCE_BENCH_ARTICLES").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-check/{n}"));
    generate(&dir, n);
    let plan = Plan::defaults();
    let stance = Lexicon::default();
    let mut best = [Duration::MAX; 4];
    let mut last = None;
    for _ in 0..3 {
        let t0 = Instant::now();
        let ex = credence::read_articles(&plan, std::slice::from_ref(&dir)).expect("articles read");
        let t1 = Instant::now();
        let rated = plan.rated_grades(&ex.story);
        let input = CheckInput {
            extraction: &ex,
            lexicons: &plan.lexicons,
            settings: &plan.settings,
            stance: &stance,
            rated: &rated,
        };
        let report = check(CLAIM, &input);
        let t2 = Instant::now();
        let json = render(&report, CheckFormat::Json).expect("json");
        let md = render(&report, CheckFormat::Md).expect("md");
        let t3 = Instant::now();
        for (b, d) in best.iter_mut().zip([t1 - t0, t2 - t1, t3 - t2, t3 - t0]) {
            *b = (*b).min(d);
        }
        last = Some((report.verdict.name(), report.counts, json.len() + md.len()));
    }
    let (verdict, counts, bytes) = last.expect("three runs");
    println!("| articles | read + extract | stance + verdict | JSON + Markdown | total | verdict |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {n} | {:.3} s | {:.3} s | {:.3} s | {:.3} s | {verdict} ({} for, {} against, {} observing origins; {} unrelated; {bytes} bytes) |",
        best[0].as_secs_f64(),
        best[1].as_secs_f64(),
        best[2].as_secs_f64(),
        best[3].as_secs_f64(),
        counts.supports,
        counts.refutes,
        counts.observing,
        counts.unrelated
    );
}

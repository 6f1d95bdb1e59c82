//! End to end, the way users run it: the real `credence` binary on a generated folder of article files,
//! `credence score DIR --format json -o FILE --timings` (read from disk → extraction, copy detection, claim
//! alignment, contradictions → claim graph → scoring → JSON report bytes written to a file).
//!
//! Run with `cargo bench --bench pipeline`. The generator writes, once per size, a folder under
//! `target/bench-pipeline/`: a few hundred wire dispatches about invented towns, republished by many outlets
//! with edits (a dropped paragraph, an intro of their own, reworded figures), independent reports by monitors
//! and state media, and contradictions (fled vs. redeployed, different counts and days). Every text is made
//! here from templates; nothing comes from real articles.
//!
//! Why the binary and not the library: the CLI path is what users run, and earlier library-only timings missed
//! a quadratic summary the CLI printed. Each size is its own process, so its peak memory (`VmHWM`) is its own;
//! its stages, CPU time and peak come from `--timings` on its standard error (`credence::timing`).
//!
//! Sizes: `CREDENCE_BENCH_SIZES=1000,10000` (the default, so `cargo bench` stays quick; add 40000,100000 on
//! request). `CREDENCE_BENCH_ARGS="--threads 1"` passes extra arguments to every run. The report file is
//! removed after its size is read. The run prints one table row per size, then the log-log growth exponent
//! of wall time, CPU time and peak memory between the sizes measured.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

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

/// One size measured.
struct Row {
    articles: usize,
    reports: usize,
    claims: usize,
    wall: f64,
    cpu: Option<f64>,
    peak_mib: Option<f64>,
    report_mb: f64,
    /// (stage, wall seconds) in the order `--timings` printed them.
    stages: Vec<(String, f64)>,
}

/// The stages `--timings` prints, in order (a stage missing from a run reads as "-").
const STAGES: [&str; 9] = ["setup", "read", "extract", "copies", "align", "validate", "graph", "score", "report"];

/// Runs the binary on the folder of `n` articles and reads its `--timings` and summary lines.
fn run_one(exe: &Path, root: &Path, n: usize, extra: &[String]) -> Row {
    let dir = root.join(n.to_string());
    generate(&dir, n);
    let out_file = root.join(format!("report-{n}.json"));
    let t0 = Instant::now();
    let out = std::process::Command::new(exe)
        .arg("score")
        .arg(&dir)
        .args(["--format", "json", "-o"])
        .arg(&out_file)
        .arg("--timings")
        .args(extra)
        .output()
        .expect("run credence");
    let wall = t0.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "size {n} failed: {stderr}");
    let report_mb = std::fs::metadata(&out_file).map(|m| m.len() as f64 / 1e6).unwrap_or(f64::NAN);
    let _ = std::fs::remove_file(&out_file);
    let mut stages = Vec::new();
    let (mut cpu, mut peak_mib) = (None, None);
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("timings: ") else { continue };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() != 5 || f[0] == "stage" {
            continue;
        }
        let secs = f[1].parse::<f64>().unwrap_or(f64::NAN);
        if f[0] == "total" {
            cpu = f[2].parse().ok();
            peak_mib = f[4].parse().ok();
        } else {
            stages.push((f[0].to_string(), secs));
        }
    }
    // "read N article files: … S sources, C claims, R reports"
    let summary = stderr.lines().find(|l| l.starts_with("read ") && l.contains(" reports")).unwrap_or("");
    let count = |what: &str| {
        let words: Vec<&str> = summary.split([' ', ',', ';']).filter(|w| !w.is_empty()).collect();
        words.windows(2).find(|w| w[1] == what).and_then(|w| w[0].parse().ok()).unwrap_or(0)
    };
    Row { articles: n, reports: count("reports"), claims: count("claims"), wall, cpu, peak_mib, report_mb, stages }
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "n/a".to_string(), |x| format!("{x:.digits$}"))
}

/// Log-log slope of `y` over the articles between two rows: 1 is linear, 2 quadratic.
fn slope(a: &Row, b: &Row, y: impl Fn(&Row) -> Option<f64>) -> Option<f64> {
    let (ya, yb) = (y(a)?, y(b)?);
    (ya > 0.0 && yb > 0.0 && a.articles != b.articles)
        .then(|| (yb / ya).ln() / (b.articles as f64 / a.articles as f64).ln())
}

/// Least-squares slope of ln y over ln articles, over every row.
fn fit(rows: &[Row], y: impl Fn(&Row) -> Option<f64>) -> Option<f64> {
    let pts: Vec<(f64, f64)> =
        rows.iter().filter_map(|r| y(r).filter(|v| *v > 0.0).map(|v| ((r.articles as f64).ln(), v.ln()))).collect();
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("CREDENCE_BENCH_SIZES")
        .ok()
        .map_or_else(|| vec![1000, 10_000], |s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect());
    let extra: Vec<String> = std::env::var("CREDENCE_BENCH_ARGS")
        .map(|a| a.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_credence"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-pipeline");
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "`credence score DIR --format json -o FILE --timings{}` on generated folders, one process per size ({cores} cores; seconds, MiB, MB)",
        extra.iter().fold(String::new(), |mut a, x| {
            let _ = write!(a, " {x}");
            a
        })
    );
    let mut head = String::from("| articles | reports | claims | wall | CPU | CPU/wall | peak RSS | report MB |");
    let mut rule = String::from("|---|---|---|---|---|---|---|---|");
    for s in STAGES {
        let _ = write!(head, " {s} |");
        rule.push_str("---|");
    }
    println!("{head}\n{rule}");
    let mut rows = Vec::new();
    for n in sizes {
        let r = run_one(&exe, &root, n, &extra);
        let mut line = format!(
            "| {} | {} | {} | {:.2} | {} | {} | {} | {:.1} |",
            r.articles,
            r.reports,
            r.claims,
            r.wall,
            opt(r.cpu, 2),
            opt(r.cpu.map(|c| c / r.wall), 2),
            opt(r.peak_mib, 0),
            r.report_mb
        );
        for s in STAGES {
            let t: f64 = r.stages.iter().filter(|(name, _)| name == s).map(|(_, t)| t).sum();
            let found = r.stages.iter().any(|(name, _)| name == s);
            let _ = write!(line, " {} |", if found { format!("{t:.2}") } else { "-".to_string() });
        }
        println!("{line}");
        rows.push(r);
    }
    if rows.len() >= 2 {
        println!("\nGrowth exponent (log-log slope over articles; 1 = linear, 2 = quadratic):");
        for w in rows.windows(2) {
            println!(
                "  {} → {}: wall {}, CPU {}, peak RSS {}",
                w[0].articles,
                w[1].articles,
                opt(slope(&w[0], &w[1], |r| Some(r.wall)), 2),
                opt(slope(&w[0], &w[1], |r| r.cpu), 2),
                opt(slope(&w[0], &w[1], |r| r.peak_mib), 2)
            );
        }
        if rows.len() > 2 {
            println!(
                "  fit over all sizes: wall {}, CPU {}, peak RSS {}",
                opt(fit(&rows, |r| Some(r.wall)), 2),
                opt(fit(&rows, |r| r.cpu), 2),
                opt(fit(&rows, |r| r.peak_mib), 2)
            );
        }
    }
}

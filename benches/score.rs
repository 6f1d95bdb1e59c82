//! Scaling benchmark: validate, build the claim graph and score generated stories of 10k–100k reports.
//!
//! Run with `cargo bench` (release profile). Per size it prints the best time of each stage over a few runs,
//! the total (validate + build + score; generation is shown but not counted), reports per second and the
//! memory the run needed.
//!
//! Environment:
//! - `CREDENCE_BENCH_QUICK=1`: only 10,000 reports, once (a smoke test).
//! - `CREDENCE_BENCH_RUNS=K`: runs per size (default 3; the best time of each stage is shown).
//! - `CREDENCE_BENCH_SIZES=10000,20000`: sizes to run instead of the default ones.
//! - `CREDENCE_BENCH_ALL_PAIRS=1`: contradictions between ~5% of *all* claim pairs (quadratic in the number
//!   of claims) instead of ~5% of the pairs among each claim's 40 following neighbours (about two
//!   contradictions per claim, so each claim meets about four contradicting claims).
//!
//! Arguments (cargo passes `--bench`) are ignored, except that an unoptimised build run without `--bench`
//! (`cargo test --benches`) falls back to the quick mode.
//!
//! Memory, two ways:
//! - `HWM`: `VmHWM` from `/proc/self/status` is the process's peak resident set. Before each size the bench
//!   resets it (writing `5` to `/proc/self/clear_refs`, Linux ≥ 4.0) and shows the peak during the timed runs
//!   minus the resident set before them. Where the reset is not allowed, `VmHWM` stays the high-water mark of
//!   the whole process: sizes run in ascending order and the increase over the previous peak is shown (a lower
//!   bound). Before each size, `malloc_trim(0)` (glibc) hands the memory malloc kept from earlier sizes back
//!   to the OS; without it that memory would be reused without showing up and later sizes would read low.
//!   This is what the OS sees, malloc's per-allocation overhead and fragmentation included.
//! - `heap`: after the timed runs, one more run with a counting global allocator (a thin wrapper over the
//!   system allocator, counting only during that run) gives the exact peak of live heap bytes, and what the
//!   story, the graph and the assessment each keep alive.

// A counting global allocator and a libc call: the benchmark's only unsafe code.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicBool, AtomicIsize};
use std::time::{Duration, Instant};

use credence::config::Settings;
use credence::graph::ClaimGraph;
use credence::locate::Syntax;
use credence::model::{
    Article, Claim, Contradiction, CopiedFrom, Date, Report, Source, Stance, Story, StoryFile, StoryInfo, validate,
};
use credence::score::Scorer;

const DEFAULT_SIZES: [usize; 4] = [10_000, 25_000, 50_000, 100_000];
const CUES: [&str; 7] = ["said", "told", "claimed", "according to", "reportedly", "appeared to show", ""];
const CAVEATS: [&str; 3] = ["unverified", "hedge", "distancing"];
const CONTRADICTION_KINDS: [&str; 4] = ["numeric", "temporal", "predicate", "denial"];
const AGENCIES: [(&str, &str); 4] = [
    ("afp", "Agence France-Presse"),
    ("ap", "Associated Press"),
    ("reuters", "Reuters"),
    ("anadolu", "Anadolu Agency"),
];

/// xorshift64* (Vigna): small, fast and deterministic; plenty for shaping test data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Never zero: a zero state stays zero.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0, below 2^32).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Table sizes of a generated story.
#[derive(Debug, Clone, Copy)]
struct Shape {
    reports: usize,
    claims: usize,
    outlets: usize,
    origins: usize,
    articles: usize,
    all_pairs: bool,
}

impl Shape {
    fn new(reports: usize, all_pairs: bool) -> Shape {
        Shape {
            reports,
            claims: (reports / 100).max(2),
            outlets: (reports / 200).max(1),
            origins: (reports / 500).max(6),
            articles: (reports / 20).max(1),
            all_pairs,
        }
    }
}

/// A story with the shape of real coverage of a conflict: wire agencies, outlets and origins of mixed kinds
/// (monitors, state media, armed groups and their accounts, activists, anonymous sources); articles that
/// credit agencies and copy each other; each article covering a few neighbouring claims; chains of one to
/// three links; a mix of cues, stances and caveats; and contradictions between claims.
fn generate(shape: Shape, seed: u64) -> Story {
    let mut rng = Rng::new(seed);
    let mut sources = Vec::with_capacity(AGENCIES.len() + shape.outlets + shape.origins);
    let source = |id: String, name: String, kind: &str| Source::named(id, name, kind);

    for (id, name) in AGENCIES {
        let mut s = source(id.to_string(), name.to_string(), "wire-agency");
        s.aliases = vec![id.to_uppercase()];
        sources.push(s);
    }
    let outlets: Vec<String> = (0..shape.outlets).map(|i| format!("outlet-{i}")).collect();
    for (i, id) in outlets.iter().enumerate() {
        sources.push(source(id.clone(), format!("Outlet {i}"), "outlet"));
    }
    let mut origins: Vec<String> = Vec::with_capacity(shape.origins);
    let mut armed_groups: Vec<String> = Vec::new();
    for i in 0..shape.origins {
        let id = format!("origin-{i}");
        let roll = rng.unit();
        // The first origin is an armed group so social-media accounts always have one to belong to.
        let mut s = if i == 0 || (0.35..0.50).contains(&roll) {
            armed_groups.push(id.clone());
            let mut s = source(id.clone(), format!("Armed group {i}"), "armed-group");
            s.side = Some("rebels".into());
            s
        } else if roll < 0.20 {
            let mut s = source(id.clone(), format!("Monitor {i}"), "monitor");
            if rng.chance(0.1) {
                s.grade = Some("B".into());
            }
            s
        } else if roll < 0.35 {
            let mut s = source(id.clone(), format!("State media {i}"), "state-media");
            s.side = Some("government".into());
            s
        } else if roll < 0.70 {
            source(id.clone(), format!("Activist {i}"), "activist")
        } else if roll < 0.80 {
            source(id.clone(), format!("Anonymous source {i}"), "anonymous")
        } else {
            let mut s = source(id.clone(), format!("Account {i}"), "social-media");
            s.member_of = Some(rng.pick(&armed_groups).clone());
            s
        };
        if rng.chance(0.3) {
            s.aliases = vec![format!("the {}", s.name.to_lowercase())];
        }
        sources.push(s);
        origins.push(id);
    }

    let mut claims = Vec::with_capacity(shape.claims);
    for i in 0..shape.claims {
        let roll = rng.unit();
        claims.push(Claim {
            id: format!("claim-{i}"),
            text: format!("Claim {i}: forces took position {i} on day {}", 1 + i % 28),
            favours: if roll < 0.2 {
                Some("government".into())
            } else if roll < 0.4 {
                Some("rebels".into())
            } else {
                None
            },
            base_rate: rng.chance(0.05).then_some(0.3),
            key: None,
        });
    }

    // Articles: each covers a window of neighbouring claims around a centre (skewed towards the first claims,
    // which get more coverage); a copying article covers the same claims as the article it copies.
    const LOCAL_OUTLETS: usize = 12;
    let mut articles = Vec::with_capacity(shape.articles);
    let mut centre = Vec::with_capacity(shape.articles);
    for i in 0..shape.articles {
        let mut credits = Vec::new();
        let roll = rng.unit();
        if roll < 0.5 {
            let first = rng.below(AGENCIES.len());
            credits.push(AGENCIES[first].0.to_string());
            if roll < 0.1 {
                credits.push(AGENCIES[(first + 1 + rng.below(AGENCIES.len() - 1)) % AGENCIES.len()].0.to_string());
            }
        }
        let mut copied_from = Vec::new();
        let mut c = rng.below(shape.claims).min(rng.below(shape.claims));
        if i > 0 && rng.chance(0.3) {
            let j = rng.below(i);
            let containment = ((0.3 + 0.65 * rng.unit()) * 100.0).round() / 100.0;
            copied_from.push(CopiedFrom { article: format!("article-{j}"), containment, passages: Vec::new() });
            c = centre[j];
        }
        centre.push(c);
        // Most coverage of a group of claims comes from a dozen outlets; a fifth from any outlet.
        let outlet = if rng.chance(0.2) {
            rng.pick(&outlets).clone()
        } else {
            outlets[(c * 31 + rng.below(LOCAL_OUTLETS)) % outlets.len()].clone()
        };
        articles.push(Article {
            id: format!("article-{i}"),
            url: rng.chance(0.5).then(|| format!("https://{outlet}.example.org/news/{i}")),
            outlet,
            path: None,
            title: format!("Article {i} on the fighting"),
            published: Some(Date { year: 2015, month: 4, day: 1 + rng.below(28) as u8 }),
            credits,
            copied_from,
        });
    }

    // Reports: each claim is backed by a small pool of origins, now and then by one of a wider pool of
    // origins near it, rarely by any origin. The sources behind one claim do not depend on the story's size,
    // but in small stories neighbouring (and contradicting) claims share more of them: see clus/cl.
    const WINDOW: usize = 8;
    const POOL: usize = 6;
    const NEAR: usize = 24;
    let stride = (shape.origins / POOL).max(1);
    let mut reports = Vec::with_capacity(shape.reports);
    for _ in 0..shape.reports {
        let a = rng.below(shape.articles);
        let art = &articles[a];
        let claim = (centre[a] + rng.below(WINDOW)) % shape.claims;
        let roll = rng.unit();
        let len = if roll < 0.25 {
            1
        } else if roll < 0.70 {
            2
        } else {
            3
        };
        let mut chain = Vec::with_capacity(len);
        chain.push(art.outlet.clone());
        if len == 3 {
            let agency = if art.credits.is_empty() {
                AGENCIES[rng.below(AGENCIES.len())].0
            } else {
                rng.pick(&art.credits).as_str()
            };
            chain.push(agency.to_string());
        }
        if len >= 2 {
            let roll = rng.unit();
            let o = if roll < 0.03 {
                rng.below(shape.origins)
            } else if roll < 0.18 {
                (claim * 7919 + rng.below(NEAR)) % shape.origins
            } else {
                (claim * 7919 + rng.below(POOL) * stride) % shape.origins
            };
            chain.push(origins[o].clone());
        }
        let cue = if len == 1 && rng.chance(0.6) { "" } else { *rng.pick(&CUES) };
        let mut caveats = Vec::new();
        let roll = rng.unit();
        if roll < 0.15 {
            let k = rng.below(CAVEATS.len());
            caveats.push(CAVEATS[k].to_string());
            if roll < 0.03 {
                caveats.push(CAVEATS[(k + 1) % CAVEATS.len()].to_string());
            }
        }
        let quote = rng.chance(0.5).then(|| format!("Evidence that claim {claim} holds, as printed in article {a}."));
        let span = quote.as_ref().map(|q| {
            let start = rng.below(5_000);
            [start, start + q.len()]
        });
        reports.push(Report {
            article: art.id.clone(),
            claim: claims[claim].id.clone(),
            speaker: (len >= 2 && rng.chance(0.2)).then(|| format!("Spokesperson {}", rng.below(50))),
            chain,
            cue: cue.to_string(),
            stance: if rng.chance(0.1) { Stance::Refutes } else { Stance::Supports },
            caveats,
            quote,
            span,
            inferred: None,
        });
    }

    // Contradictions: ~5% of claim pairs, among neighbours (linear) or among all pairs (quadratic).
    let mut contradictions = Vec::new();
    for i in 0..shape.claims {
        let last = if shape.all_pairs { shape.claims } else { (i + 41).min(shape.claims) };
        for j in i + 1..last {
            if rng.chance(0.05) {
                contradictions.push(Contradiction {
                    a: claims[i].id.clone(),
                    b: claims[j].id.clone(),
                    kind: rng.pick(&CONTRADICTION_KINDS).to_string(),
                    note: rng.chance(0.3).then(|| format!("claims {i} and {j} cannot both hold")),
                    degree: None,
                    evidence: Vec::new(),
                });
            }
        }
    }

    let side = |id: &str, other: &str| credence::model::SideDef {
        id: id.into(),
        name: id.into(),
        members: Vec::new(),
        opposes: vec![other.into()],
        inferred: None,
    };
    Story {
        story: StoryInfo {
            title: format!("Generated story with {} reports", shape.reports),
            description: Some("Synthetic story for the scaling benchmark".into()),
        },
        sides: vec![side("government", "rebels"), side("rebels", "government")],
        sources,
        articles,
        claims,
        reports,
        contradictions,
    }
}

/// The system allocator, counting live heap bytes and their peak while [`COUNTING`] is on (the memory run).
/// Off, it costs one relaxed load per call, so the timed runs are not disturbed.
struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn count(delta: isize) {
    if COUNTING.load(Relaxed) {
        let now = LIVE.fetch_add(delta, Relaxed) + delta;
        PEAK.fetch_max(now, Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `System`; the counters do not touch the memory.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Live heap bytes counted since counting started.
fn live() -> isize {
    LIVE.load(Relaxed)
}

/// A field of `/proc/self/status` in bytes (`VmHWM`, `VmRSS`); `None` off Linux.
fn status_bytes(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))?;
    let kb: u64 = line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// Resets `VmHWM` to the current resident set (Linux ≥ 4.0). False when not allowed.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Hands memory that malloc keeps after earlier sizes back to the OS (glibc), so that the resident set
/// before a size is a clean baseline.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: glibc's malloc_trim only returns unused pages of the malloc heap to the OS.
        unsafe { malloc_trim(0) };
    }
}

#[derive(Debug, Clone, Copy)]
struct Times {
    generate: Duration,
    validate: Duration,
    build: Duration,
    score: Duration,
}

impl Times {
    fn total(&self) -> Duration {
        self.validate + self.build + self.score
    }

    fn best(self, o: Times) -> Times {
        Times {
            generate: self.generate.min(o.generate),
            validate: self.validate.min(o.validate),
            build: self.build.min(o.build),
            score: self.score.min(o.score),
        }
    }
}

/// Heap bytes from the memory run: what each stage keeps alive, and the peak of the whole run.
#[derive(Debug, Clone, Copy, Default)]
struct Heap {
    story: isize,
    graph: isize,
    assessment: isize,
    peak: isize,
}

/// Table sizes known only after generation and scoring.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    sources: usize,
    contradictions: usize,
    /// Origin clusters over all claims (contradicting claims' clusters included).
    clusters: usize,
}

struct Row {
    shape: Shape,
    counts: Counts,
    best: Times,
    best_total: Duration,
    /// `VmHWM` during the timed runs minus the resident set before them.
    hwm: Option<u64>,
    heap: Heap,
}

/// One pass over a story: validate (asserting it passes), build, score. Returns the times and, when
/// `heap` is given, records what each stage keeps alive.
fn pass(shape: Shape, settings: &Settings, heap: Option<&mut Heap>) -> (Times, Counts) {
    let start = live();
    let t = Instant::now();
    let generated = generate(shape, 0xC0FFEE ^ shape.reports as u64);
    let generate_time = t.elapsed();
    let file = StoryFile {
        story: generated,
        path: PathBuf::from(format!("generated-{}.toml", shape.reports)),
        text: String::new(),
        syntax: Syntax::Toml,
    };
    let after_story = live();

    let t = Instant::now();
    let valid = validate(black_box(&file), &settings.vocabulary(), false);
    let validate_time = t.elapsed();
    let valid = match valid {
        Ok(v) => v,
        Err(e) => panic!("generated story of {} reports does not validate:\n{e}", shape.reports),
    };

    let t = Instant::now();
    let graph = ClaimGraph::build(black_box(&valid));
    let build_time = t.elapsed();
    let after_graph = live();

    let t = Instant::now();
    let cues = credence::extract::Lexicons::builtin().attribution.cue_table().clone();
    let assessment = Scorer::new(&graph, settings, &cues).assess();
    let score_time = t.elapsed();
    let after_assessment = live();
    black_box(&assessment);

    assert_eq!(assessment.claims.len(), shape.claims);
    assert_eq!(assessment.claims.iter().map(|c| c.reports.len()).sum::<usize>(), shape.reports);
    if let Some(h) = heap {
        *h = Heap {
            story: after_story - start,
            graph: after_graph - after_story,
            assessment: after_assessment - after_graph,
            peak: PEAK.load(Relaxed) - start,
        };
    }
    let times = Times { generate: generate_time, validate: validate_time, build: build_time, score: score_time };
    let counts = Counts {
        sources: file.story.sources.len(),
        contradictions: file.story.contradictions.len(),
        clusters: assessment.claims.iter().map(|c| c.origins.len()).sum(),
    };
    (times, counts)
    // The assessment, graph and story are dropped here.
}

/// Times one size `runs` times (reading `VmHWM` after the last), then runs it once more counting the heap.
fn run_size(shape: Shape, runs: usize, settings: &Settings, resettable: bool) -> Row {
    release_free_memory();
    if resettable {
        reset_peak();
    }
    let before = if resettable { status_bytes("VmRSS") } else { status_bytes("VmHWM") };
    let mut best: Option<Times> = None;
    let mut best_total = Duration::MAX;
    let mut counts = Counts::default();
    for _ in 0..runs {
        let (times, c) = pass(shape, settings, None);
        best = Some(best.map_or(times, |b| b.best(times)));
        best_total = best_total.min(times.total());
        counts = c;
    }
    let hwm = status_bytes("VmHWM").zip(before).map(|(a, b)| a.saturating_sub(b));

    let mut heap = Heap::default();
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    pass(shape, settings, Some(&mut heap));
    COUNTING.store(false, Relaxed);

    Row { shape, counts, best: best.expect("at least one run"), best_total, hwm, heap }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

fn mib(b: f64) -> String {
    format!("{:.1}", b / (1024.0 * 1024.0))
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn main() {
    // cargo passes `--bench` (and a filter, if given); anything else is ignored.
    let as_bench = std::env::args().skip(1).any(|a| a == "--bench");
    let quick = env_flag("CREDENCE_BENCH_QUICK") || (cfg!(debug_assertions) && !as_bench);
    let all_pairs = env_flag("CREDENCE_BENCH_ALL_PAIRS");
    let sizes: Vec<usize> = match std::env::var("CREDENCE_BENCH_SIZES") {
        _ if quick => vec![DEFAULT_SIZES[0]],
        Ok(list) => {
            let mut v: Vec<usize> =
                list.split(',').filter_map(|s| s.trim().replace('_', "").parse().ok()).filter(|&n| n > 0).collect();
            v.sort_unstable();
            v
        }
        Err(_) => DEFAULT_SIZES.to_vec(),
    };
    let runs = if quick {
        1
    } else {
        std::env::var("CREDENCE_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).filter(|&r| r > 0).unwrap_or(3)
    };
    let settings = Settings::defaults();
    let resettable = reset_peak();

    println!(
        "credence scaling benchmark: best of {runs} run{} per size{}{}",
        if runs == 1 { "" } else { "s" },
        if quick { " (quick mode)" } else { "" },
        if all_pairs { "; contradictions among all claim pairs" } else { "" },
    );
    println!();
    println!(
        "{:>8} {:>6} {:>7} {:>8} {:>7} {:>7} | {:>8} | {:>9} {:>9} {:>9} {:>9} {:>10} | {:>8} {:>9} {:>8} {:>8} {:>8} {:>9}",
        "reports",
        "claims",
        "sources",
        "articles",
        "contra",
        "clus/cl",
        "gen ms",
        "valid ms",
        "build ms",
        "score ms",
        "total ms",
        "reports/s",
        "HWM MiB",
        "heap MiB",
        "story",
        "graph",
        "assess",
        "B/report"
    );
    let mut rows: Vec<Row> = Vec::new();
    for &n in &sizes {
        let row = run_size(Shape::new(n, all_pairs), runs, &settings, resettable);
        let (b, h) = (row.best, row.heap);
        println!(
            "{:>8} {:>6} {:>7} {:>8} {:>7} {:>7.1} | {:>8} | {:>9} {:>9} {:>9} {:>9} {:>10.0} | {:>8} {:>9} {:>8} {:>8} {:>8} {:>9.0}",
            n,
            row.shape.claims,
            row.counts.sources,
            row.shape.articles,
            row.counts.contradictions,
            row.counts.clusters as f64 / row.shape.claims as f64,
            ms(b.generate),
            ms(b.validate),
            ms(b.build),
            ms(b.score),
            ms(row.best_total),
            n as f64 / row.best_total.as_secs_f64(),
            row.hwm.map_or_else(|| "n/a".into(), |m| mib(m as f64)),
            mib(h.peak as f64),
            mib(h.story as f64),
            mib(h.graph as f64),
            mib(h.assessment as f64),
            h.peak as f64 / n as f64,
        );
        rows.push(row);
    }
    println!();
    println!("Times: best of the runs per stage; total = best single run of validate + build + score (generation");
    println!("not included); reports/s = reports / total. clus/cl = origin clusters per claim (contradicting claims'");
    println!("clusters included). Memory in MiB except B/report:");
    println!(
        "  HWM    = VmHWM during the timed runs minus {}",
        if resettable { "VmRSS before them (peak reset via clear_refs)" } else { "the previous VmHWM (no reset)" }
    );
    println!("           after malloc_trim: what the OS saw, malloc's overhead and fragmentation included");
    println!("  heap   = peak live heap bytes of one extra counted run (story + graph + assessment + transients)");
    println!("  story, graph, assess = heap each stage keeps alive; B/report = heap peak / reports");
    if let (Some(first), Some(last)) = (rows.first(), rows.last())
        && rows.len() > 1
    {
        let ratio = |f: fn(&Row) -> f64| f(last) / f(first).max(f64::MIN_POSITIVE);
        println!(
            "Scaling {} → {} reports (×{:.1}): score time ×{:.1}, total time ×{:.1}, heap peak ×{:.1}.",
            first.shape.reports,
            last.shape.reports,
            last.shape.reports as f64 / first.shape.reports as f64,
            ratio(|r| r.best.score.as_secs_f64()),
            ratio(|r| r.best_total.as_secs_f64()),
            ratio(|r| r.heap.peak as f64),
        );
    }
}

//! Measures how the story report reads on real rumour coverage: the 88 stories of
//! `../shared/eval/emergent/veracity/train/` (article bodies on many topics, 2014–15, with whether each rumour
//! turned out true).
//!
//! ```sh
//! cargo run --release --example rumours -- ../shared/eval/emergent/veracity/train [--list] [--story ID] [--lexicon FILE] [--ratings CSV] [--config FILE]
//! ```
//!
//! `--ratings CSV` grades outlets by a domain-ratings file (`[ratings]` of the config), as `credence score
//! --ratings` does.
//!
//! Per story it prints the number of claims, the fragments or junk among the ten best-supported claims, the
//! outlets of the shipped gazetteer that were typed as a person, the parties named in no article of the story
//! (which can only come from defaults or another story), the share of claims with support ≥ 0.5, and the
//! support of the claim that states the rumour (of the claims whose relevance to the rumour's headline, by the
//! stance crate, is at least 0.5, the one with the most reports; when that claim's own text denies the rumour,
//! "X is not dead", its support is read as against the rumour, 1 − support). The totals compare that support for true and
//! false rumours (mean and ROC AUC) and say how well it reads as the probability that the rumour is true (Brier
//! score and log loss, next to the Brier score of a constant at the share of true rumours).
//!
//! The junk test here is deliberately independent of the extractor's own filters: a claim is junk when its
//! text starts in lower case, has fewer than five words, holds no verb-like word, or carries markup, code or
//! page furniture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use credence::extract::extract_dir;
use credence::graph::ClaimGraph;
use credence::locate::Syntax;
use credence::model::{self, StoryFile};
use credence::plan::Plan;
use credence::score::{Assessment, Scorer};
use credence_stance::{ClaimQuery, Lexicon};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first().map(PathBuf::from) else {
        eprintln!(
            "usage: rumours VERACITY_TRAIN_DIR [--list] [--story ID] [--lexicon FILE] [--ratings CSV] [--config FILE]"
        );
        std::process::exit(2);
    };
    let list = args.iter().any(|a| a == "--list");
    let only = args.iter().position(|a| a == "--story").and_then(|i| args.get(i + 1)).cloned();
    let labels = read_claims(&dir.join("claims.csv"));
    let lexicons: Vec<PathBuf> = args
        .iter()
        .position(|a| a == "--lexicon")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .into_iter()
        .collect();
    let ratings = args.iter().position(|a| a == "--ratings").and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let config = args
        .iter()
        .position(|a| a == "--config")
        .and_then(|i| args.get(i + 1))
        .map(|f| credence::plan::read_config(Path::new(f)).unwrap_or_else(|e| panic!("{e}")));
    let plan =
        Plan::new(config.as_ref().map(|(n, t)| (n.as_str(), t.as_str())), &lexicons, credence::fsio::MAX_INPUT_BYTES)
            .and_then(|p| p.with_ratings(ratings.as_deref(), None))
            .unwrap_or_else(|e| panic!("{e}"));
    let stance = Lexicon::default();
    let gazetteer_names = outlet_names();
    let mut rows = Vec::new();
    for (id, (headline, truth)) in &labels {
        if only.as_ref().is_some_and(|o| o != id) {
            continue;
        }
        let story_dir = dir.join(id);
        if !story_dir.is_dir() {
            continue;
        }
        let Some((assessment, text)) = run(&plan, &story_dir) else {
            println!("{id}: failed");
            continue;
        };
        let row = measure(id, headline, *truth, &assessment, &text, &stance, &gazetteer_names);
        if list {
            print_claims(&assessment, headline);
        }
        rows.push(row);
    }
    report(&rows);
}

/// The rumour of each story and whether it was true, by story id.
fn read_claims(path: &Path) -> BTreeMap<String, (String, bool)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields = csv_fields(line);
        if let [id, headline, truth] = fields.as_slice() {
            out.insert(id.clone(), (headline.clone(), truth == "true"));
        }
    }
    out
}

/// Splits one CSV line (double quotes, doubled inside).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// Reads, extracts and scores one story folder as `credence score DIR` does; also returns all its text.
fn run(plan: &Plan, dir: &Path) -> Option<(Assessment, String)> {
    let opts = plan.extract_options(dir);
    let mut ex = extract_dir(dir, None, &opts, &plan.lexicons).ok()?;
    let text: String = ex.documents.iter().map(|d| d.text.as_str()).collect::<Vec<_>>().join("\n");
    let file = StoryFile {
        story: std::mem::take(&mut ex.story),
        path: dir.join("(extracted story)"),
        text: String::new(),
        syntax: Syntax::Toml,
    };
    let valid = model::validate(&file, &plan.vocab, false).ok()?;
    let graph = ClaimGraph::build(&valid);
    let rated = plan.rated_grades(&valid);
    let assessment = Scorer::new(&graph, &plan.settings, plan.cues()).with_rated_grades(&rated).assess();
    Some((assessment, text))
}

struct Row {
    id: String,
    truth: bool,
    claims: usize,
    junk_top10: usize,
    outlets_as_persons: Vec<String>,
    foreign_parties: Vec<String>,
    share_supported: f64,
    rumour_support: Option<f64>,
    rumour_relevance: f64,
    /// Whether the claim found denies the rumour (its support is then read as 1 − support).
    rumour_denied: bool,
    rumour_text: String,
}

fn measure(
    id: &str,
    headline: &str,
    truth: bool,
    a: &Assessment,
    text: &str,
    stance: &Lexicon,
    outlets: &[String],
) -> Row {
    let mut by_support: Vec<_> = a.claims.iter().collect();
    by_support.sort_by(|x, y| y.support.total_cmp(&x.support).then(x.id.cmp(&y.id)));
    let junk_top10 = by_support.iter().take(10).filter(|c| is_junk(&c.text)).count();
    let outlets_as_persons = a
        .sources
        .iter()
        .filter(|s| s.kind == "person" && outlets.iter().any(|o| o.eq_ignore_ascii_case(s.name.trim())))
        .map(|s| s.name.clone())
        .collect();
    let lower = text.to_lowercase();
    let mut foreign_parties: Vec<String> = a
        .sources
        .iter()
        .filter(|s| !s.name.is_empty() && s.kind != "anonymous" && !s.name.starts_with("Unknown outlet"))
        .filter(|s| !lower.contains(&s.name.to_lowercase()))
        .filter(|s| !s.name.split_whitespace().any(|w| w.len() > 3 && lower.contains(&w.to_lowercase())))
        .map(|s| s.name.clone())
        .collect();
    foreign_parties.sort();
    foreign_parties.dedup();
    let supported = a.claims.iter().filter(|c| c.support >= 0.5).count();
    let query = ClaimQuery::new(stance, headline);
    // The claim that states the rumour: of the claims relevant to its headline, the one most reports back.
    let best = a
        .claims
        .iter()
        .map(|c| {
            let read = query.assess_sentence(stance, &c.text);
            (read.relevance, read.stance == credence_stance::Stance::Refutes, c)
        })
        .filter(|(r, _, _)| *r >= 0.5)
        .max_by(|x, y| x.2.reports.len().cmp(&y.2.reports.len()).then(x.0.total_cmp(&y.0)).then(y.2.id.cmp(&x.2.id)));
    // A claim that denies the rumour ("X is not dead") is its negation: its support is against the rumour.
    let (rumour_relevance, rumour_support, rumour_text, rumour_denied) = match best {
        Some((r, denies, c)) => (r, Some(if denies { 1.0 - c.support } else { c.support }), c.text.clone(), denies),
        None => (0.0, None, String::new(), false),
    };
    Row {
        id: id.to_string(),
        truth,
        claims: a.claims.len(),
        junk_top10,
        outlets_as_persons,
        foreign_parties,
        share_supported: if a.claims.is_empty() { 0.0 } else { supported as f64 / a.claims.len() as f64 },
        rumour_support,
        rumour_relevance,
        rumour_text,
        rumour_denied,
    }
}

/// A claim a reader would not call a statement: see the module docs.
fn is_junk(text: &str) -> bool {
    let t = text.trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    let starts_lower = t.chars().next().is_some_and(char::is_lowercase);
    let furniture = ["scroll down", "click here", "pic.twitter", "http", "google_ad", "function(", "{", "};", "var "];
    let lower = t.to_lowercase();
    let verbish = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        w.ends_with("ed")
            || w.ends_with("es")
            || w.ends_with('s') && w.len() > 3
            || [
                "is", "was", "are", "were", "be", "been", "has", "had", "have", "will", "would", "can", "could", "did",
                "do", "may", "might", "must", "shall", "should", "died", "killed", "said", "took", "made", "got",
                "went", "came", "left", "won", "lost", "hit", "shot", "run", "ran", "set", "put", "cut",
            ]
            .contains(&w.as_str())
    });
    starts_lower || words.len() < 5 || !verbish || furniture.iter().any(|f| lower.contains(f))
}

fn print_claims(a: &Assessment, headline: &str) {
    println!("  rumour: {headline}");
    let mut by_support: Vec<_> = a.claims.iter().collect();
    by_support.sort_by(|x, y| y.support.total_cmp(&x.support).then(x.id.cmp(&y.id)));
    for c in by_support.iter().take(10) {
        let mark = if is_junk(&c.text) { "JUNK " } else { "" };
        println!(
            "  {:.3} o{} r{} {mark}{}",
            c.support,
            c.independent_origins,
            c.refuting_origins,
            c.text.chars().take(120).collect::<String>()
        );
    }
}

/// The outlet names (canonical and aliases) of the shipped gazetteer, for telling an outlet typed as a person.
fn outlet_names() -> Vec<String> {
    let lex = credence::extract::Lexicons::builtin();
    // Only names that say "this outlet" on their own: not the gazetteer's ambiguous short forms ("Time",
    // "People", "I"), which are people or words as often as outlets.
    let ambiguous: std::collections::HashSet<String> =
        lex.outlets.outlets().iter().flat_map(|o| o.ambiguous_aliases.iter().map(|a| a.to_lowercase())).collect();
    lex.outlets
        .outlets()
        .iter()
        .flat_map(|o| std::iter::once(o.name.clone()).chain(o.aliases.iter().cloned()))
        .filter(|n| n.chars().count() > 2 && !ambiguous.contains(&n.to_lowercase()))
        .collect()
}

fn report(rows: &[Row]) {
    println!(
        "| story | truth | claims | junk in top 10 | outlets as persons | foreign parties | share ≥ 0.5 | rumour support |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.2} | {} |",
            r.id.get(..8).unwrap_or(&r.id),
            r.truth,
            r.claims,
            r.junk_top10,
            r.outlets_as_persons.len(),
            r.foreign_parties.len(),
            r.share_supported,
            r.rumour_support.map_or_else(|| format!("– ({:.2})", r.rumour_relevance), |s| format!("{s:.3}")),
        );
    }
    let n = rows.len().max(1) as f64;
    let junk: usize = rows.iter().map(|r| r.junk_top10).sum();
    let persons: usize = rows.iter().map(|r| r.outlets_as_persons.len()).sum();
    let foreign: usize = rows.iter().map(|r| r.foreign_parties.len()).sum();
    // (An empty sum of floats is -0.0, which would print as "-0.000".)
    let share: f64 = if rows.is_empty() { 0.0 } else { rows.iter().map(|r| r.share_supported).sum::<f64>() / n };
    let found: Vec<&Row> = rows.iter().filter(|r| r.rumour_support.is_some()).collect();
    let mean = |t: bool| {
        let v: Vec<f64> = found.iter().filter(|r| r.truth == t).filter_map(|r| r.rumour_support).collect();
        (v.iter().sum::<f64>() / v.len().max(1) as f64, v.len())
    };
    let (mt, nt) = mean(true);
    let (mf, nf) = mean(false);
    println!();
    println!("stories: {}", rows.len());
    println!(
        "fragments/junk among top-10 claims: {junk} of {} ({:.1}%)",
        rows.iter().map(|r| r.claims.min(10)).sum::<usize>(),
        100.0 * junk as f64 / rows.iter().map(|r| r.claims.min(10)).sum::<usize>().max(1) as f64
    );
    println!("gazetteer outlets typed as persons: {persons}");
    println!("parties named in no article of their story: {foreign}");
    println!("mean share of claims with support >= 0.5: {share:.3}");
    println!(
        "rumour claim found (relevance >= 0.5): {} of {} ({} of them deny it: 1 - support)",
        found.len(),
        rows.len(),
        found.iter().filter(|r| r.rumour_denied).count()
    );
    // With no story of a class (one story asked for), there is no mean and no AUC to print.
    let shown = |m: f64, n: usize| if n == 0 { "–".to_string() } else { format!("{m:.3}") };
    println!("mean support of the rumour claim: true {} (n={nt}), false {} (n={nf})", shown(mt, nt), shown(mf, nf));
    let a = auc(&found);
    println!(
        "ROC AUC of that support (true vs false): {}",
        if a.is_finite() { format!("{a:.3}") } else { "– (needs stories of both classes)".to_string() }
    );
    let (brier, log_loss) = calibration(&found);
    println!(
        "calibration of that support (lower is better): Brier {} (a constant at the base rate of the stories scores \
         {}), log loss {}",
        shown(brier, found.len()),
        shown(constant_brier(&found), found.len()),
        shown(log_loss, found.len())
    );
    for r in rows.iter().filter(|r| !r.outlets_as_persons.is_empty() || !r.foreign_parties.is_empty()) {
        if !r.outlets_as_persons.is_empty() {
            println!("{}: outlets as persons: {}", r.id, r.outlets_as_persons.join(", "));
        }
        if !r.foreign_parties.is_empty() {
            println!("{}: foreign parties: {}", r.id, r.foreign_parties.join(", "));
        }
    }
    if std::env::var_os("RUMOUR_CLAIMS").is_some() {
        for r in rows {
            println!("{} {} {:.2} {}", r.id, r.truth, r.rumour_relevance, r.rumour_text);
        }
    }
}

/// Probability that a true rumour's support exceeds a false one's (ties count half).
fn auc(rows: &[&Row]) -> f64 {
    let pos: Vec<f64> = rows.iter().filter(|r| r.truth).filter_map(|r| r.rumour_support).collect();
    let neg: Vec<f64> = rows.iter().filter(|r| !r.truth).filter_map(|r| r.rumour_support).collect();
    if pos.is_empty() || neg.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for p in &pos {
        for q in &neg {
            wins += if p > q {
                1.0
            } else if (p - q).abs() < f64::EPSILON {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

/// Brier score and log loss of the rumour claim's support read as the probability that the rumour is true.
/// Support is clamped to [0.01, 0.99] for the log loss, so one confident miss cannot make it infinite.
fn calibration(rows: &[&Row]) -> (f64, f64) {
    let pairs: Vec<(f64, f64)> =
        rows.iter().filter_map(|r| r.rumour_support.map(|s| (s, if r.truth { 1.0 } else { 0.0 }))).collect();
    if pairs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let n = pairs.len() as f64;
    let brier = pairs.iter().map(|(s, y)| (s - y).powi(2)).sum::<f64>() / n;
    let log_loss = pairs
        .iter()
        .map(|(s, y)| {
            let s = s.clamp(0.01, 0.99);
            -(y * s.ln() + (1.0 - y) * (1.0 - s).ln())
        })
        .sum::<f64>()
        / n;
    (brier, log_loss)
}

/// The Brier score of always answering the share of true rumours among the scored ones: what a support that
/// carries no information about each rumour, but knows how many are true, would score.
fn constant_brier(rows: &[&Row]) -> f64 {
    let ys: Vec<f64> =
        rows.iter().filter(|r| r.rumour_support.is_some()).map(|r| if r.truth { 1.0 } else { 0.0 }).collect();
    if ys.is_empty() {
        return f64::NAN;
    }
    let m = ys.iter().sum::<f64>() / ys.len() as f64;
    ys.iter().map(|y| (y - m).powi(2)).sum::<f64>() / ys.len() as f64
}

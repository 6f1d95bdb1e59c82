//! Claim veracity from article bodies (Emergent × FNC-1): for each claim of `claims.csv`
//! (`claimId,claimHeadline,claimTruth`) reads the bodies in `<dir>/<claimId>/*.txt`, splits them into
//! sentences, assesses each article's stance toward the claim and writes `claimId,score` (1 = true).
//!
//! ```text
//! cargo run --release -p credence-stance --example emergent_veracity -- DIR PRED.csv [--signals FILE] [--cv K]
//!     [--lexicon FILE]
//! ```
//!
//! The score is a transparent aggregation of per-article stances (see [`score`]): the share of relevant
//! articles that refute the claim, taken against those that support it, with observing (hedged) coverage
//! pulling the score toward doubt. `--signals FILE` writes the per-claim counts behind it; `--cv K` fits the
//! aggregation's two weights by claim-grouped K-fold cross-validation (claims are the groups) and reports
//! the out-of-fold AUC and accuracy beside the fixed weights'.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::{fold_of, read_table, sentences};
use credence_stance::{ClaimQuery, Lexicon, Stance};

/// What one claim's coverage shows.
#[derive(Debug, Default, Clone)]
struct Signals {
    articles: usize,
    relevant: usize,
    supports: usize,
    refutes: usize,
    observing: usize,
    /// Articles with at least one relevant sentence carrying a debunk, denial or retraction cue (a strong
    /// refutation), whatever the article's overall stance.
    debunking: usize,
    /// Share of relevant sentences, over all articles, that are observing.
    hedged_share: f64,
}

/// The aggregation's parameters: `score = (S + prior) / (S + refute·R + observe·O + mass)`, with S, R, O
/// the relevant articles that support, refute and observe the claim.
#[derive(Debug, Clone, Copy)]
struct Params {
    /// How many supporting articles one refuting article outweighs.
    refute: f64,
    /// How much one observing (hedged) article counts against the claim.
    observe: f64,
    /// Pseudo-count of support: with no committed coverage the score is `prior / mass`.
    prior: f64,
    /// Pseudo-count of the whole.
    mass: f64,
}

/// The fixed, shipped aggregation: one refuting article outweighs four supporting ones; hedged coverage
/// adds nothing (it did not separate true from false claims here); no committed coverage gives 0.25.
const FIXED: Params = Params { refute: 4.0, observe: 0.0, prior: 1.0, mass: 4.0 };

/// The veracity score in [0,1].
fn score(s: &Signals, p: Params) -> f64 {
    let sup = s.supports as f64;
    let v = (sup + p.prior) / (sup + p.refute * s.refutes as f64 + p.observe * s.observing as f64 + p.mass);
    v.clamp(0.0, 1.0)
}

/// A claim's id, truth and coverage signals.
type Claim = (String, bool, Signals);

/// Each claim's id, truth and coverage signals under `lexicon`.
fn coverage(lexicon: &Lexicon, dir: &str, claims: &[BTreeMap<String, String>]) -> Vec<Claim> {
    let mut all = Vec::new();
    for c in claims {
        let id = &c["claimId"];
        let query = ClaimQuery::new(lexicon, &c["claimHeadline"]);
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(format!("{dir}/{id}"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        let mut s = Signals::default();
        let (mut hedged, mut rel_sentences) = (0usize, 0usize);
        for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "txt")) {
            let text = std::fs::read(f).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            let sents = sentences(&text);
            let a = query.assess_article(lexicon, None, &sents);
            s.articles += 1;
            match a.stance {
                Stance::Unrelated => continue,
                Stance::Supports => s.supports += 1,
                Stance::Refutes => s.refutes += 1,
                Stance::Observing => s.observing += 1,
            }
            s.relevant += 1;
            let strong = a.evidence.iter().any(|e| {
                e.assessment.stance == Stance::Refutes
                    && e.assessment.cues.iter().any(|c| matches!(c.kind.as_str(), "debunk" | "denial" | "retraction"))
            });
            s.debunking += usize::from(strong);
            rel_sentences += a.evidence.len();
            hedged += a.evidence.iter().filter(|e| e.assessment.stance == Stance::Observing).count();
        }
        s.hedged_share = if rel_sentences > 0 { hedged as f64 / rel_sentences as f64 } else { 0.0 };
        all.push((id.clone(), c["claimTruth"] == "true", s));
    }
    all
}

fn auc(labels: &[bool], scores: &[f64]) -> f64 {
    let mut pairs = 0.0;
    let mut wins = 0.0;
    for (i, &yi) in labels.iter().enumerate() {
        for (j, &yj) in labels.iter().enumerate() {
            if yi && !yj {
                pairs += 1.0;
                wins += match scores[i].total_cmp(&scores[j]) {
                    std::cmp::Ordering::Greater => 1.0,
                    std::cmp::Ordering::Equal => 0.5,
                    std::cmp::Ordering::Less => 0.0,
                };
            }
        }
    }
    if pairs > 0.0 { wins / pairs } else { 0.5 }
}

fn accuracy(labels: &[bool], scores: &[f64], cut: f64) -> f64 {
    labels.iter().zip(scores).filter(|(y, s)| (**s >= cut) == **y).count() as f64 / labels.len().max(1) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut signals_path = None;
    let mut cv: Option<usize> = None;
    let mut lexicon_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--signals" => signals_path = it.next().cloned(),
            "--cv" => cv = it.next().and_then(|k| k.parse().ok()),
            "--lexicon" => lexicon_path = it.next().cloned(),
            _ => pos.push(a.clone()),
        }
    }
    let [dir, pred_path] = pos.as_slice() else {
        eprintln!("usage: emergent_veracity DIR PRED.csv [--signals FILE] [--cv K] [--lexicon FILE]");
        std::process::exit(2);
    };
    let lexicon = match &lexicon_path {
        Some(p) => Lexicon::from_path(std::path::Path::new(p)).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        }),
        None => Lexicon::default(),
    };
    let claims = read_table(&format!("{dir}/claims.csv"));
    let all = coverage(&lexicon, dir, &claims);
    let labels: Vec<bool> = all.iter().map(|(_, y, _)| *y).collect();
    let scores: Vec<f64> = all.iter().map(|(_, _, s)| score(s, FIXED)).collect();
    println!(
        "{} claims, fixed aggregation {FIXED:?}: auc={:.4} accuracy={:.4}",
        all.len(),
        auc(&labels, &scores),
        accuracy(&labels, &scores, 0.5)
    );
    for (name, f) in [
        ("supporting articles", (|s: &Signals| s.supports as f64) as fn(&Signals) -> f64),
        ("refuting articles (negated)", |s| -(s.refutes as f64)),
        ("share refuting (negated)", |s| -(s.refutes as f64) / s.relevant.max(1) as f64),
        ("share observing (negated)", |s| -(s.observing as f64) / s.relevant.max(1) as f64),
        ("articles with a debunk/denial sentence (negated)", |s| -(s.debunking as f64)),
        ("hedged sentence share (negated)", |s| -s.hedged_share),
    ] {
        let sc: Vec<f64> = all.iter().map(|(_, _, s)| f(s)).collect();
        println!("  signal alone: {name}: auc={:.4}", auc(&labels, &sc));
    }
    if let Some(k) = cv {
        // Fit the four parameters on a grid (AUC + accuracy at 0.5) on K-1 folds of claims; score the rest.
        let mut grid = Vec::new();
        for refute in [1.0, 2.0, 3.0, 4.0, 6.0] {
            for observe in [0.0, 0.1, 0.2, 0.3] {
                for prior in [0.25, 0.5, 1.0] {
                    for mass in [1.0, 2.0, 3.0, 4.0] {
                        grid.push(Params { refute, observe, prior, mass });
                    }
                }
            }
        }
        // The article-level factor of observing sentences is chosen inside the folds too.
        let [fs, fr, _] = lexicon.article_factors();
        let variants: Vec<(f64, Vec<Claim>)> = [0.3, 0.5, 0.8, 1.2]
            .into_iter()
            .map(|o| (o, coverage(&lexicon.with_article_factors([fs, fr, o]), dir, &claims)))
            .collect();
        let mut oof = vec![0.0; all.len()];
        for f in 0..k {
            let train: Vec<usize> = (0..all.len()).filter(|&i| fold_of(&all[i].0, k) != f).collect();
            let y: Vec<bool> = train.iter().map(|&i| labels[i]).collect();
            let mut best = (f64::NEG_INFINITY, 0, FIXED);
            for (v, (_, sig)) in variants.iter().enumerate() {
                for &p in &grid {
                    let sc: Vec<f64> = train.iter().map(|&i| score(&sig[i].2, p)).collect();
                    let val = auc(&y, &sc) + accuracy(&y, &sc, 0.5);
                    if val > best.0 {
                        best = (val, v, p);
                    }
                }
            }
            println!("  fold {f}: chose article observing factor {} and {:?}", variants[best.1].0, best.2);
            for i in (0..all.len()).filter(|&i| fold_of(&all[i].0, k) == f) {
                oof[i] = score(&variants[best.1].1[i].2, best.2);
            }
        }
        println!(
            "claim-grouped {k}-fold CV (article factor and aggregation fitted per fold): auc={:.4} accuracy={:.4}",
            auc(&labels, &oof),
            accuracy(&labels, &oof, 0.5)
        );
    }
    let mut out = String::from("claimId,score\n");
    for ((id, _, _), sc) in all.iter().zip(&scores) {
        let _ = writeln!(out, "{id},{sc:.4}");
    }
    std::fs::write(pred_path, out).unwrap_or_else(|e| eprintln!("cannot write {pred_path}: {e}"));
    if let Some(path) = signals_path {
        let mut out =
            String::from("claimId,truth,articles,relevant,supports,refutes,observing,debunking,hedged_share\n");
        for (id, y, s) in &all {
            let _ = writeln!(
                out,
                "{id},{y},{},{},{},{},{},{},{:.3}",
                s.articles, s.relevant, s.supports, s.refutes, s.observing, s.debunking, s.hedged_share
            );
        }
        std::fs::write(&path, out).unwrap_or_else(|e| eprintln!("cannot write {path}: {e}"));
    }
}

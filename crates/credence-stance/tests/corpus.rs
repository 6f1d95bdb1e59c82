//! The Emergent headline-stance evaluation, when the shared evaluation data sits beside the repository
//! (`../shared/eval` from the repository root, as CI lays it out); skipped with a note otherwise.

#[path = "../examples/common/mod.rs"]
mod common;

use std::path::PathBuf;

use credence_stance::{ClaimQuery, Lexicon, Stance};

fn shared() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("../shared/eval/emergent");
    dir.is_dir().then_some(dir)
}

#[test]
fn emergent_headline_stance_accuracy() {
    let Some(dir) = shared() else {
        println!("skipped: no ../shared/eval/emergent beside the repository");
        return;
    };
    let path = dir.join("stance/train.csv");
    let rows = common::read_table(path.to_str().unwrap());
    assert!(rows.len() > 1000, "{} rows in {}", rows.len(), path.display());
    let lex = Lexicon::default();
    let mut queries = std::collections::HashMap::new();
    let mut correct = 0;
    for r in &rows {
        let q = queries.entry(r["claimId"].clone()).or_insert_with(|| ClaimQuery::new(&lex, &r["claimHeadline"]));
        let a = q.assess_sentence(&lex, &r["articleHeadline"]);
        let label = match a.leaning {
            Stance::Supports => "for",
            Stance::Refutes => "against",
            _ => "observing",
        };
        correct += usize::from(label == r["stance"]);
    }
    let accuracy = correct as f64 / rows.len() as f64;
    println!("Emergent headline stance: accuracy {accuracy:.4} on {} headlines", rows.len());
    // Measured 0.806 with the shipped lexicon; the floor leaves room for lexicon edits, not for regressions.
    assert!(accuracy >= 0.78, "accuracy {accuracy:.4} fell below the floor 0.78");
}

#[test]
fn emergent_veracity_auc() {
    let Some(dir) = shared() else {
        println!("skipped: no ../shared/eval/emergent beside the repository");
        return;
    };
    let dir = dir.join("veracity/train");
    let claims = common::read_table(dir.join("claims.csv").to_str().unwrap());
    let lex = Lexicon::default();
    let mut scored = Vec::new();
    for c in &claims {
        let q = ClaimQuery::new(&lex, &c["claimHeadline"]);
        let (mut sup, mut rf) = (0.0, 0.0);
        let Ok(entries) = std::fs::read_dir(dir.join(&c["claimId"])) else { continue };
        for e in entries.flatten() {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).into_owned();
            match q.assess_article(&lex, None, &common::sentences(&text)).stance {
                Stance::Supports => sup += 1.0,
                Stance::Refutes => rf += 1.0,
                _ => {}
            }
        }
        // The shipped aggregation of the emergent_veracity example.
        scored.push(((sup + 1.0) / (sup + 4.0 * rf + 4.0), c["claimTruth"] == "true"));
    }
    let (mut pairs, mut wins) = (0.0, 0.0);
    for (s, y) in &scored {
        for (t, z) in &scored {
            if *y && !*z {
                pairs += 1.0;
                wins += if s > t {
                    1.0
                } else if s == t {
                    0.5
                } else {
                    0.0
                };
            }
        }
    }
    let auc = wins / pairs;
    println!("Emergent veracity from bodies: auc {auc:.4} on {} claims", scored.len());
    // Measured 0.914.
    assert!(auc >= 0.85, "auc {auc:.4} fell below the floor 0.85");
}

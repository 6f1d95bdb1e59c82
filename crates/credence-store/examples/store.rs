//! The track-record commands as a small program, until the credence CLI has them.
//!
//! ```sh
//! cargo run -p credence-store --example store -- record STORY.json|DIR --db FILE
//! cargo run -p credence-store --example store -- settle CLAIM true|false|unsettled --db FILE
//! cargo run -p credence-store --example store -- settle CLAIM --claimreview REVIEW.json --db FILE
//! cargo run -p credence-store --example store -- sources --db FILE [--csv] [--interval 0.9]
//! cargo run -p credence-store --example store -- outcomes --db FILE [--csv]
//! cargo run -p credence-store --example store -- trust SOURCE-ID --grade B,D,U,A [--name N] [--domain D] [--kind K] --db FILE
//! ```
//!
//! A story is a `RecordedStory` as JSON (what the CLI will make from a scored story); a folder records every
//! `*.json` file in it, in name order, in one transaction. Exit status: 0 done, 1 error, 2 usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use credence_store::output::{outcomes_csv, outcomes_table, settle_report, sources_csv, sources_table};
use credence_store::{
    ClaimReview, Identity, Match, PRIOR_WEIGHT, RecordedStory, SourceKey, SqliteStore, TrackRecord, TrustOpinion,
    Verdict, learned_trust, parse_outcome,
};

const USAGE: &str = "usage: store record STORY.json|DIR --db FILE
       store settle CLAIM (true|false|unsettled | --claimreview FILE) --db FILE
       store sources --db FILE [--csv] [--interval MASS]
       store outcomes --db FILE [--csv]
       store trust SOURCE-ID --grade B,D,U,A [--name NAME]... [--domain DOMAIN]... [--kind KIND] --db FILE";

struct Args {
    positional: Vec<String>,
    db: Option<PathBuf>,
    csv: bool,
    interval: f64,
    claimreview: Option<PathBuf>,
    grade: Option<String>,
    names: Vec<String>,
    domains: Vec<String>,
    kind: String,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        positional: Vec::new(),
        db: None,
        csv: false,
        interval: 0.9,
        claimreview: None,
        grade: None,
        names: Vec::new(),
        domains: Vec::new(),
        kind: String::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--db" => a.db = Some(PathBuf::from(value("--db")?)),
            "--csv" => a.csv = true,
            "--interval" => {
                let v = value("--interval")?;
                a.interval = v.parse().ok().filter(|x: &f64| *x > 0.0 && *x < 1.0).ok_or(format!(
                    "--interval {v}: give the credible interval's mass, a number between 0 and 1 (0.9)"
                ))?;
            }
            "--claimreview" => a.claimreview = Some(PathBuf::from(value("--claimreview")?)),
            "--grade" => a.grade = Some(value("--grade")?),
            "--name" => a.names.push(value("--name")?),
            "--domain" => a.domains.push(value("--domain")?),
            "--kind" => a.kind = value("--kind")?,
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => a.positional.push(arg.clone()),
        }
    }
    Ok(a)
}

fn read_stories(path: &Path) -> Result<Vec<RecordedStory>, String> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("{}: cannot list the folder: {e}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).map_err(|e| format!("{}: cannot read: {e}", f.display()))?;
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a recorded story: {e}", f.display()))
        })
        .collect()
}

fn grade(text: &str) -> Result<TrustOpinion, String> {
    let v: Vec<f64> = text.split(',').map(|x| x.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| {
        format!("--grade {text}: give the grade's opinion as four numbers b,d,u,a (grade C: 0.45,0.20,0.35,0.5)")
    })?;
    match v.as_slice() {
        [b, d, u, a] => Ok(TrustOpinion { b: *b, d: *d, u: *u, a: *a }),
        _ => Err(format!("--grade {text}: four numbers b,d,u,a are needed")),
    }
}

fn run(args: &[String]) -> Result<String, String> {
    let a = parse(args)?;
    if !matches!(a.positional.first().map(String::as_str), Some("record" | "settle" | "sources" | "outcomes" | "trust"))
    {
        return Err(USAGE.into());
    }
    let db = a.db.clone().ok_or("--db FILE is needed")?;
    let err = |e: credence_store::Error| e.to_string();
    let mut out = String::new();
    match a.positional.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["record", path] => {
            let stories = read_stories(Path::new(path))?;
            let mut store = SqliteStore::open(&db).map_err(err)?;
            for s in store.record(&stories).map_err(err)? {
                let matched = s.sources.iter().filter(|b| b.matched != Match::New).count();
                out += &format!(
                    "{}: {} ({} claims; {} sources, {} known before)\n",
                    s.story,
                    if s.replaced { format!("recorded again (recording {})", s.recordings) } else { "recorded".into() },
                    s.claims,
                    s.sources.len(),
                    matched
                );
                for n in &s.notes {
                    out += &format!("  note: {n}\n");
                }
                for d in &s.detached {
                    out += &format!("  note: settled claim {d} is no longer in the story; its outcome is kept\n");
                }
            }
        }
        ["settle", claim, rest @ ..] => {
            let verdict = match (rest, &a.claimreview) {
                ([], Some(file)) => Verdict::from_review(ClaimReview::from_file(file).map_err(err)?),
                ([word], None) => Verdict::manual(parse_outcome(word).map_err(err)?),
                _ => return Err("settle CLAIM takes an outcome (true, false, unsettled) or --claimreview FILE".into()),
            };
            let mut store = SqliteStore::open(&db).map_err(err)?;
            out += &settle_report(&store.settle(claim, &verdict).map_err(err)?);
        }
        ["sources"] => {
            let store = SqliteStore::open_read_only(&db).map_err(err)?;
            let list = store.sources().map_err(err)?;
            out += &if a.csv { sources_csv(&list, a.interval) } else { sources_table(&list, a.interval) };
        }
        ["outcomes"] => {
            let store = SqliteStore::open_read_only(&db).map_err(err)?;
            let list = store.outcomes().map_err(err)?;
            out += &if a.csv { outcomes_csv(&list) } else { outcomes_table(&list) };
        }
        ["trust", id] => {
            let prior = grade(a.grade.as_deref().ok_or("trust needs --grade b,d,u,a")?)?;
            let key = SourceKey {
                id: id.to_string(),
                kind: a.kind.clone(),
                names: a.names.clone(),
                domains: a.domains.clone(),
            };
            let store = SqliteStore::open_read_only(&db).map_err(err)?;
            let who = match store.identify(&key).map_err(err)? {
                Identity::Known { source, .. } => format!("known as {source}"),
                Identity::Unknown => "unknown: the grade alone".into(),
                Identity::Ambiguous { by, candidates } => {
                    format!("ambiguous ({by}: {}): the grade alone", candidates.join(", "))
                }
            };
            let evidence = store.reliability(&key).map_err(err)?.unwrap_or_default();
            let t = learned_trust(prior, &evidence, PRIOR_WEIGHT);
            out += &format!(
                "{id}: {who}; correct {}, wrong {}; trust b {:.4} d {:.4} u {:.4} a {:.4}, projected {:.4} (grade alone {:.4})\n",
                evidence.correct,
                evidence.wrong,
                t.b,
                t.d,
                t.u,
                t.a,
                t.projected(),
                prior.projected()
            );
        }
        _ => return Err(USAGE.into()),
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) if e.starts_with("usage:") => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

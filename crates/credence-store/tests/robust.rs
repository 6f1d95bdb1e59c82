//! Any input is an answer or an error, never a panic: random stories (odd characters, dangling references,
//! duplicate ids, shared names), random claim ids and random outcomes against one in-memory store.

use credence_store::output::{outcomes_csv, outcomes_table, sources_csv, sources_table};
use credence_store::{
    Error, Identity, OriginRef, RecordedClaim, RecordedSource, RecordedStory, SourceKey, SqliteStore, TrackRecord,
    Verdict,
};

/// A small deterministic generator (64-bit LCG).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    /// A word from a pool that makes collisions likely, with odd characters now and then.
    fn word(&mut self) -> String {
        let base = self.pick(&["sohr", "SOHR", "sana", "al-jazeera", "Al Jazeera", "official", "x", "ministry", "é"]);
        match self.below(24) {
            0 => format!("{base}/{}", self.below(3)),
            1 => format!("{base}\u{0}\u{202e}"),
            2 => format!(" {base}_{} ", self.below(4)),
            3 => String::new(),
            4 => "-".into(),
            _ => format!("{base}{}", self.below(3)),
        }
    }
    fn domain(&mut self) -> String {
        self.pick(&[
            "syriahr.com",
            "https://www.SANA.sy/x",
            "twitter.com",
            "bad domain",
            "a..b",
            "",
            "http://",
            "x.com",
        ])
        .to_string()
    }
}

fn story(rng: &mut Rng, i: usize) -> RecordedStory {
    let n = rng.below(6);
    let sources: Vec<RecordedSource> = (0..n)
        .map(|_| RecordedSource {
            id: rng.word(),
            name: rng.word(),
            kind: rng.pick(&["outlet", "monitor", "anonymous", "person"]).into(),
            aliases: (0..rng.below(3)).map(|_| rng.word()).collect(),
            domains: (0..rng.below(2)).map(|_| rng.domain()).collect(),
        })
        .collect();
    let mut ids: Vec<String> = sources.iter().map(|s| s.id.clone()).collect();
    if ids.is_empty() || rng.below(10) == 0 {
        ids.push("ghost".into());
    }
    let origin = |rng: &mut Rng| OriginRef {
        source: ids[rng.below(ids.len())].clone(),
        merged: (0..rng.below(2)).map(|_| ids[rng.below(ids.len())].clone()).collect(),
        outlets: (0..rng.below(2)).map(|_| ids[rng.below(ids.len())].clone()).collect(),
    };
    let claims = (0..rng.below(4))
        .map(|_| RecordedClaim {
            id: rng.word(),
            text: rng.word(),
            asserted_by: (0..rng.below(3)).map(|_| origin(rng)).collect(),
            refuted_by: (0..rng.below(2)).map(|_| origin(rng)).collect(),
        })
        .collect();
    let key = match rng.below(6) {
        0 => "bad key".into(),
        1 => format!("story-{}", rng.below(5)),
        _ => format!("story-{i}"),
    };
    RecordedStory { key, title: rng.word(), sources, claims }
}

#[test]
fn random_stories_and_ids_never_panic() {
    let mut rng = Rng(20_240_601);
    let mut s = SqliteStore::open_in_memory().unwrap();
    let (mut recorded, mut refused) = (0, 0);
    for i in 0..300 {
        let batch: Vec<RecordedStory> = (0..=rng.below(2)).map(|j| story(&mut rng, 2 * i + j)).collect();
        match s.record(&batch) {
            Ok(_) => recorded += 1,
            Err(Error::InvalidStory { .. }) => refused += 1,
            Err(e) => panic!("case {i}: {e}"),
        }
        let claim = match rng.below(3) {
            0 => rng.word(),
            1 => format!("story-{}/{}", rng.below(2 * i + 2), rng.word()),
            _ => format!("story-{}", rng.below(5)),
        };
        let outcome = [Some(true), Some(false), None][rng.below(3)];
        match s.settle(&claim, &Verdict::manual(outcome)) {
            Ok(_) | Err(Error::UnknownClaim { .. } | Error::AmbiguousClaim { .. }) => {}
            Err(e) => panic!("case {i}: settle {claim:?}: {e}"),
        }
        let key =
            SourceKey { id: rng.word(), kind: "outlet".into(), names: vec![rng.word()], domains: vec![rng.domain()] };
        let identity = s.identify(&key).unwrap();
        assert_eq!(s.reliability(&key).unwrap().is_some(), matches!(identity, Identity::Known { .. }));
    }
    assert!(recorded > 30 && refused > 30, "{recorded} recorded, {refused} refused");
    let sources = s.sources().unwrap();
    let outcomes = s.outcomes().unwrap();
    assert!(!sources.is_empty());
    for text in
        [sources_csv(&sources, 0.9), sources_table(&sources, 0.9), outcomes_csv(&outcomes), outcomes_table(&outcomes)]
    {
        assert!(!text.is_empty());
    }
    assert!(!sources_table(&sources, 0.9).contains('\u{202e}'), "terminal output is made inert");
    for r in &sources {
        let e = r.evidence;
        assert!(e.correct >= 0.0 && e.wrong >= 0.0 && e.correct + e.wrong >= f64::from(e.claims));
    }
    s.check_integrity().unwrap();
}

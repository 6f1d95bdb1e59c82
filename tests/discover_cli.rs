//! `credence discover` through the real binary: the five outputs, byte-identical runs, planted copier groups
//! found in a generated CSV, the `[discover]` config table, errors with their exit codes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{run, scratch, write};

/// `SplitMix64`: a fixed, seeded stream, so the generated claims are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Generated claims: independent sources of mixed accuracy, and `groups` careless originals, each repeated
/// (mistakes included) by five copiers. Returns the CSV, the true value per object and the groups.
fn trap(objects: usize, groups: usize) -> (String, BTreeMap<String, String>, Vec<BTreeSet<String>>) {
    let mut rng = Rng(20_260_101);
    let mut csv = String::from("object,source,value\n");
    let truth: BTreeMap<String, String> = (0..objects).map(|o| (format!("obj{o:04}"), format!("t{o}"))).collect();
    let own_value = |rng: &mut Rng, o: usize, accuracy: f64| {
        if rng.unit() < accuracy { format!("t{o}") } else { format!("f{o}-{}", rng.below(10)) }
    };
    for s in 0..10 {
        let accuracy = 0.6 + 0.03 * f64::from(s);
        for o in 0..objects {
            if rng.unit() < 0.45 {
                let v = own_value(&mut rng, o, accuracy);
                csv += &format!("obj{o:04},indep{s},{v}\n");
            }
        }
    }
    let mut sets = Vec::new();
    for g in 0..groups {
        let original = format!("orig{g}");
        let mut members = BTreeSet::from([original.clone()]);
        let mut given: Vec<Option<String>> = vec![None; objects];
        for (o, slot) in given.iter_mut().enumerate() {
            if rng.unit() < 0.7 {
                let v = own_value(&mut rng, o, 0.35);
                csv += &format!("obj{o:04},{original},{v}\n");
                *slot = Some(v);
            }
        }
        for c in 0..5 {
            let copier = format!("copier{g}-{c}");
            members.insert(copier.clone());
            for (o, v) in given.iter().enumerate() {
                let Some(v) = v else { continue };
                if rng.unit() < 0.85 {
                    let value = if rng.unit() < 0.9 { v.clone() } else { own_value(&mut rng, o, 0.6) };
                    csv += &format!("obj{o:04},{copier},{value}\n");
                }
            }
        }
        sets.push(members);
    }
    (csv, truth, sets)
}

/// `object → value` of a truths.csv.
fn truths(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("truths.csv")).expect("truths.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("object,value,confidence"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let confidence: f64 = f[2].parse().expect("a confidence");
            assert!((0.0..=1.0).contains(&confidence), "{l}");
            (f[0].to_string(), f[1].to_string())
        })
        .collect()
}

fn precision(found: &BTreeMap<String, String>, truth: &BTreeMap<String, String>) -> f64 {
    let right = truth.iter().filter(|(o, v)| found.get(*o) == Some(v)).count();
    right as f64 / truth.len() as f64
}

const OUTPUTS: [&str; 5] = ["truths.csv", "sources.csv", "copying.csv", "report.md", "report.html"];

#[test]
fn planted_copiers_are_found_and_outvoted_deterministically() {
    let dir = scratch("discover-trap");
    let (csv, truth, groups) = trap(400, 3);
    let input = write(&dir, "claims.csv", &csv);
    // OUTDIR is created, parents included.
    let out_a = dir.join("runs/a");
    let out = run(&["discover", &input, "-o", &out_a.display().to_string()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("copying pairs") && out.stderr.contains("wrote"), "{}", out.stderr);
    let out_b = dir.join("runs/b");
    assert_eq!(run(&["discover", &input, "-o", &out_b.display().to_string(), "-q"]).code, 0);
    for f in OUTPUTS {
        let a = std::fs::read(out_a.join(f)).expect("written");
        assert!(!a.is_empty(), "{f}");
        assert_eq!(a, std::fs::read(out_b.join(f)).unwrap(), "{f} byte-identical across runs");
    }

    // Every reported pair lies inside one planted group, and every copier is reported with its original.
    let copying = std::fs::read_to_string(out_a.join("copying.csv")).unwrap();
    let mut lines = copying.lines();
    assert!(lines.next().unwrap().starts_with("copier,original,copy_probability"));
    let mut pairs = BTreeSet::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let p: f64 = f[2].parse().unwrap();
        assert!((0.5..=1.0).contains(&p), "{l}");
        assert!(groups.iter().any(|g| g.contains(f[0]) && g.contains(f[1])), "a pair outside the planted groups: {l}");
        pairs.insert((f[0].to_string(), f[1].to_string()));
    }
    for (g, members) in groups.iter().enumerate() {
        for c in 0..5 {
            let copier = format!("copier{g}-{c}");
            let original = format!("orig{g}");
            assert!(
                pairs.contains(&(copier.clone(), original.clone())) || pairs.contains(&(original, copier.clone())),
                "{copier} not found copying its original; found {pairs:?}"
            );
        }
        assert!(members.len() == 6);
    }
    // The sources table names each copier's original.
    let sources = std::fs::read_to_string(out_a.join("sources.csv")).unwrap();
    assert!(sources.lines().next().unwrap().starts_with("source,accuracy,accuracy_low,accuracy_high,claims"));
    assert!(sources.lines().any(|l| l.starts_with("copier0-0,") && l.contains(",orig0,")), "{sources}");

    // Seeing the copiers pays: without copy detection their repeated mistakes outvote the independent ones.
    let with = precision(&truths(&out_a), &truth);
    let out_n = dir.join("runs/no-copy");
    assert_eq!(run(&["discover", &input, "-o", &out_n.display().to_string(), "--no-copy", "-q"]).code, 0);
    let without = precision(&truths(&out_n), &truth);
    println!("generated trap: precision {with:.3} with copy detection, {without:.3} without");
    assert!(with > without + 0.05, "with copy detection {with}, without {without}");
    assert!(with > 0.85, "{with}");
    assert_eq!(std::fs::read_to_string(out_n.join("copying.csv")).unwrap().lines().count(), 1, "no pairs");

    // The config's [discover] table sets the same switch.
    let cfg = write(&dir, "no-copy.toml", "[discover]\ncopy_detection = false\n");
    let out_c = dir.join("runs/config");
    assert_eq!(run(&["discover", &input, "-o", &out_c.display().to_string(), "--config", &cfg, "-q"]).code, 0);
    for f in OUTPUTS {
        assert_eq!(std::fs::read(out_c.join(f)).unwrap(), std::fs::read(out_n.join(f)).unwrap(), "{f}");
    }
}

#[test]
fn numbers_and_token_sets_are_compared_by_closeness() {
    let dir = scratch("discover-values");
    // Three sources give 1,000,000 in different spellings; two give a close 1,004,000; one a far 2,000,000.
    // Author lists: one source omits an author, and the complete list is supported by it.
    let csv = "object,source,value\n\
               pop,a,\"1,000,000\"\npop,b,1000000\npop,c,1e6\npop,d,1004000\npop,e,2000000\n\
               book,a,\"Ada Lovelace, Charles Babbage\"\nbook,b,Charles Babbage; Ada Lovelace\nbook,c,Ada Lovelace\n";
    let input = write(&dir, "claims.csv", csv);
    let out_dir = dir.join("out");
    let out = run(&["discover", &input, "-o", &out_dir.display().to_string(), "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let t = truths(&out_dir);
    assert_eq!(t["pop"], "1000000", "spellings of one number are one value");
    assert_eq!(t["book"], "ada babbage charles lovelace", "token sets are compared as sets");
}

#[test]
fn errors_name_the_place_and_exit_with_their_codes() {
    let dir = scratch("discover-errors");
    let out_dir = dir.join("out").display().to_string();
    let bad = write(&dir, "bad.csv", "object,source,value\nx,s,ok\nx,t,a \"quoted\" value\n");
    let out = run(&["discover", &bad, "-o", &out_dir]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("bad.csv:3:") && out.stderr.contains("hint"), "{}", out.stderr);

    let header = write(&dir, "header.csv", "thing,who,what\nx,s,1\n");
    assert_eq!(run(&["discover", &header, "-o", &out_dir]).code, 3);

    let missing = dir.join("missing.csv").display().to_string();
    assert_eq!(run(&["discover", &missing, "-o", &out_dir]).code, 5);

    let good = write(&dir, "good.csv", "object,source,value\nx,s,1\n");
    let cfg = write(&dir, "bad.toml", "[discover]\n\ncopy_rate = 2.0\n");
    let out = run(&["discover", &good, "-o", &out_dir, "--config", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("bad.toml:3") && out.stderr.contains("discover.copy_rate"), "{}", out.stderr);
    let cfg = write(&dir, "typo.toml", "[discover]\nvalue_typ = \"number\"\n");
    let out = run(&["discover", &good, "-o", &out_dir, "--config", &cfg]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("value_typ"), "{}", out.stderr);
    // `credence config --check` validates the same table.
    assert_eq!(run(&["config", "--check", &cfg]).code, 4);
    assert!(!Path::new(&out_dir).exists(), "nothing is written when the input or config is refused");

    // A folder or a device where the claims file should be; a file over --max-bytes.
    assert_eq!(run(&["discover", &dir.display().to_string(), "-o", &out_dir]).code, 5);
    if Path::new("/dev/zero").exists() {
        assert_eq!(run(&["discover", "/dev/zero", "-o", &out_dir]).code, 5);
    }
    assert_eq!(run(&["discover", &good, "-o", &out_dir, "--max-bytes", "10"]).code, 5);
    // A file where the folder should be: a write error.
    let file = write(&dir, "taken", "");
    assert_eq!(run(&["discover", &good, "-o", &file]).code, 5);
}

//! The copy trap: planted copier groups must be found, and finding them must pay off in precision.

use credence_discover::generate::{TrapSpec, copy_trap};
use credence_discover::{DiscoverConfig, discover_csv};

#[test]
fn planted_copiers_are_found_and_discounted() {
    let trap = copy_trap(&TrapSpec::default());
    let with = DiscoverConfig::default();
    let without = DiscoverConfig { copy_detection: false, ..Default::default() };
    let (d, found) = discover_csv(&trap.csv, "trap.csv", &with).unwrap();
    let s = trap.score(&d, &found, with.report_threshold);
    let (d0, found0) = discover_csv(&trap.csv, "trap.csv", &without).unwrap();
    let s0 = trap.score(&d0, &found0, with.report_threshold);
    println!("claims {} with copy detection {s:?}\nwithout {s0:?}", trap.claims);
    assert!(s.precision > s0.precision + 0.05, "copy detection must pay: {} vs {}", s.precision, s0.precision);
    assert!(s.pair_recall >= 0.9, "recall {}", s.pair_recall);
    assert!(s.pair_precision >= 0.9, "pair precision {}", s.pair_precision);
}

#[test]
fn variants_of_the_trap() {
    let base = TrapSpec { objects: 600, ..TrapSpec::default() };
    // (name, spec, least gain in precision from copy detection, least pair precision and recall)
    let variants = [
        ("big groups", TrapSpec { copiers: 8, ..base.clone() }, 0.2, 0.9),
        ("hidden originals", TrapSpec { hidden_originals: true, copiers: 6, ..base.clone() }, 0.05, 0.9),
        (
            "copiers copy everything, 8 per group, originals hidden",
            TrapSpec { copy_rate: 1.0, copiers: 8, hidden_originals: true, ..base.clone() },
            0.3,
            0.9,
        ),
        ("accurate originals", TrapSpec { original_accuracy: 0.8, ..base.clone() }, 0.01, 0.9),
        ("few false values", TrapSpec { false_values: 3, ..base.clone() }, 0.1, 0.9),
        // Sparse: about 120 objects per original, 10 % coverage for independents; harder to tell apart.
        ("sparse coverage", TrapSpec { coverage: 0.1, original_coverage: 0.2, ..base.clone() }, 0.05, 0.75),
        // Without copiers, copy detection must cost nothing and find nothing.
        ("no copiers", TrapSpec { groups: 0, ..base.clone() }, 0.0, 0.0),
    ];
    for (name, spec, gain, pairs) in variants {
        let trap = copy_trap(&spec);
        let with = DiscoverConfig::default();
        let (d, found) = discover_csv(&trap.csv, "trap.csv", &with).unwrap();
        let s = trap.score(&d, &found, with.report_threshold);
        let without = DiscoverConfig { copy_detection: false, ..Default::default() };
        let (d0, found0) = discover_csv(&trap.csv, "trap.csv", &without).unwrap();
        let s0 = trap.score(&d0, &found0, with.report_threshold);
        println!("{name}: with {s:?}, without {:.3}", s0.precision);
        assert!(s.precision >= s0.precision + gain, "{name}: {} vs {}", s.precision, s0.precision);
        if spec.groups == 0 {
            assert_eq!(s.detected, 0, "{name}: false copy detections");
        } else {
            assert!(s.pair_precision >= pairs, "{name}: pair precision {}", s.pair_precision);
            if !spec.hidden_originals {
                assert!(s.pair_recall >= pairs, "{name}: pair recall {}", s.pair_recall);
            }
        }
    }
}

/// Pruning pairs whose dependence stayed negligible must not change the estimate beyond a small
/// tolerance: same chosen values, same reported pairs, probabilities within 1e-3. It must also prune
/// something, or this test would prove nothing.
#[test]
fn pruning_independent_pairs_keeps_the_estimate() {
    let base = TrapSpec { objects: 600, ..TrapSpec::default() };
    let specs = [
        TrapSpec::default(),
        TrapSpec { copiers: 8, ..base.clone() },
        TrapSpec { coverage: 0.1, original_coverage: 0.2, ..base.clone() },
        TrapSpec { groups: 0, ..base.clone() },
    ];
    let mut pruned = 0;
    for spec in specs {
        let trap = copy_trap(&spec);
        // Same number of iterations in both runs: no early stop.
        let full = DiscoverConfig { prune_independent: false, stable_iterations: 0, ..Default::default() };
        let pruning = DiscoverConfig { prune_independent: true, ..full.clone() };
        let (d, a) = discover_csv(&trap.csv, "trap.csv", &full).unwrap();
        let (_, b) = discover_csv(&trap.csv, "trap.csv", &pruning).unwrap();
        assert_eq!(a.pruned, 0);
        pruned += b.pruned;
        assert_eq!(a.truth, b.truth, "{spec:?}");
        let worst = a.probability.iter().zip(&b.probability).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
        assert!(worst <= 1e-3, "{spec:?}: probabilities moved by {worst}");
        let reported = |f: &credence_discover::Discovery| {
            f.pairs.iter().filter(|p| p.dependence() >= 0.5).map(|p| (p.a, p.b)).collect::<Vec<_>>()
        };
        assert_eq!(reported(&a), reported(&b), "{spec:?}");
        println!("{} claims: {} of {} pairs pruned, largest change {worst:.2e}", trap.claims, b.pruned, b.assessed);
        let _ = d;
    }
    assert!(pruned > 0, "nothing was pruned");
}

/// Stopping once the chosen values have stayed put for `stable_iterations` iterations ends the run early
/// without losing precision on the trap.
#[test]
fn stopping_on_a_stable_truth_keeps_precision() {
    let trap = copy_trap(&TrapSpec::default());
    let full = DiscoverConfig { stable_iterations: 0, ..Default::default() };
    let early = DiscoverConfig::default();
    let (d, a) = discover_csv(&trap.csv, "trap.csv", &full).unwrap();
    let (_, b) = discover_csv(&trap.csv, "trap.csv", &early).unwrap();
    let (sa, sb) = (trap.score(&d, &a, 0.5), trap.score(&d, &b, 0.5));
    println!("full {} iterations {sa:?}\nearly {} iterations {sb:?}", a.iterations, b.iterations);
    assert!(b.iterations < a.iterations, "{} vs {}", b.iterations, a.iterations);
    assert!(sb.precision >= sa.precision - 0.005, "{} vs {}", sb.precision, sa.precision);
    assert!(sb.pair_precision >= 0.9 && sb.pair_recall >= 0.9);
}

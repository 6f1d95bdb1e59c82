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

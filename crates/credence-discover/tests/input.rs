//! Reading claims: CSV edge cases, errors that name the place, and the file-to-directory entry point.

use std::path::PathBuf;

use credence_discover::{Dataset, DiscoverConfig, Error, ValueType, run};

fn parse(csv: &[u8]) -> Result<Dataset, Error> {
    Dataset::from_csv(csv, "claims.csv", ValueType::Auto)
}

/// The error's (line, column, message) — panics if the input parsed.
fn csv_err(csv: &[u8]) -> (usize, usize, String) {
    match parse(csv) {
        Err(Error::Csv { file, line, column, message, hint }) => {
            assert_eq!(file, "claims.csv");
            assert!(!hint.is_empty());
            (line, column, message)
        }
        other => panic!("expected a CSV error, got {other:?}"),
    }
}

#[test]
fn edge_cases_that_parse() {
    // CRLF, quoted separators and quotes, a quoted line break, blank lines, BOM, no final newline,
    // header in another order and case, surrounding spaces.
    let d = parse(
        b"\xEF\xBB\xBFSource , VALUE,object\r\n\r\n\"s, inc.\",\"say \"\"x\"\"\",o1\r\nt,\"two\r\nlines\",o1\n\nu, 42 ,o2",
    )
    .unwrap();
    assert_eq!(d.sources, vec!["s, inc.", "t", "u"]);
    assert_eq!(d.objects, vec!["o1", "o2"]);
    assert_eq!(d.claims(), 3);
    // o1's values have several words, so they are token sets (sorted); a quoted line break is white space.
    assert_eq!(d.value_text[d.values_of(0)].to_vec(), vec!["\"x\" say".to_string(), "lines two".to_string()]);
    assert_eq!(d.value_text[d.values_of(1)].to_vec(), vec!["42".to_string()]);
}

#[test]
fn errors_name_line_column_and_field() {
    let (line, col, msg) = csv_err(b"object,source,value\no1,a,1\no2,b\n");
    assert_eq!(line, 3);
    assert!(msg.contains("2 fields, expected 3"), "{msg}");
    assert!(col >= 1);

    let (line, col, msg) = csv_err(b"object,source,value\no1,a,1\no2,b,x\"y\n");
    assert_eq!((line, col), (4 - 1, 7));
    assert!(msg.contains("field 3 (value)") && msg.contains("double quote"), "{msg}");

    let (line, _, msg) = csv_err(b"object,source,value\no1,a,1\no2,\"b,2\n\n\n");
    assert_eq!(line, 3);
    assert!(msg.contains("field 2 (source)") && msg.contains("never closed"), "{msg}");

    let (line, col, msg) = csv_err(b"object,source,value\no1,\"a\"x,1\n");
    assert_eq!((line, col), (2, 7));
    assert!(msg.contains("after the closing quote"), "{msg}");

    let (line, col, msg) = csv_err(b"object,source,value\no1,a,ok\no2,b,caf\xE9\n");
    assert_eq!((line, col), (3, 9));
    assert!(msg.contains("field 3 (value)") && msg.contains("UTF-8"), "{msg}");

    let (line, _, msg) = csv_err(b"object,source,value\n ,a,1\n");
    assert_eq!(line, 2);
    assert!(msg.contains("field 1 (object) is empty"), "{msg}");

    let (line, _, msg) = csv_err(b"");
    assert_eq!(line, 1);
    assert!(msg.contains("empty"), "{msg}");

    let (_, _, msg) = csv_err(b"object,source,val\n");
    assert!(msg.contains("unknown header field \"val\""), "{msg}");
    let (_, _, msg) = csv_err(b"object,object,value\n");
    assert!(msg.contains("twice"), "{msg}");
}

#[test]
fn error_display_has_file_line_column_and_hint() {
    let e = parse(b"object,source,value\no,s\n").unwrap_err();
    let text = e.to_string();
    assert!(text.starts_with("claims.csv:2:"), "{text}");
    assert!(text.contains("hint:"), "{text}");
}

#[test]
fn header_only_is_an_empty_data_set() {
    let d = parse(b"object,source,value\n").unwrap();
    assert_eq!(d.claims(), 0);
    let found = credence_discover::discover(&d, &DiscoverConfig::default());
    assert!(found.truth.is_empty());
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("credence-discover-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn run_writes_all_outputs_and_is_deterministic() {
    let dir = tempdir("run");
    let input = dir.join("in.csv");
    std::fs::create_dir_all(&dir).unwrap();
    let trap = credence_discover::generate::copy_trap(&credence_discover::generate::TrapSpec {
        objects: 150,
        ..Default::default()
    });
    std::fs::write(&input, &trap.csv).unwrap();
    let config = DiscoverConfig::default();
    let (a, b) = (dir.join("a/nested"), dir.join("b"));
    let sa = run(&input, &a, &config).unwrap();
    let sb = run(&input, &b, &config).unwrap();
    assert_eq!(sa.files.len(), 5);
    assert_eq!((sa.claims, sa.copy_pairs), (sb.claims, sb.copy_pairs));
    for f in ["truths.csv", "sources.csv", "copying.csv", "report.md", "report.html"] {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        assert_eq!(x, y, "{f} differs between runs");
    }
    let truths = std::fs::read_to_string(a.join("truths.csv")).unwrap();
    assert!(truths.starts_with("object,value,confidence\n"));
    for line in truths.lines().skip(1) {
        let c: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        assert!((0.0..=1.0).contains(&c), "{line}");
    }
    let sources = std::fs::read_to_string(a.join("sources.csv")).unwrap();
    assert!(sources.starts_with("source,accuracy,accuracy_low,accuracy_high,claims,"));
    for line in sources.lines().skip(1) {
        let f: Vec<f64> = line.split(',').skip(1).take(3).map(|x| x.parse().unwrap()).collect();
        assert!(f[1] <= f[0] && f[0] <= f[2], "interval must hold the estimate: {line}");
    }
    let copying = std::fs::read_to_string(a.join("copying.csv")).unwrap();
    assert_eq!(copying.lines().count() - 1, sa.copy_pairs);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_reports_missing_input_and_bad_config() {
    let dir = tempdir("missing");
    let e = run(&dir.join("nope.csv"), &dir, &DiscoverConfig::default()).unwrap_err();
    assert!(matches!(e, Error::Read { .. }), "{e}");
    let bad = DiscoverConfig { false_values: 0.0, ..Default::default() };
    let e = run(&dir.join("nope.csv"), &dir, &bad).unwrap_err();
    assert!(matches!(e, Error::Config { key: "false_values", .. }), "{e}");
}

#[test]
fn reports_escape_hostile_names() {
    let csv = b"object,source,value\n\"<script>alert(1)</script>\",\"a|b*<img src=x>\",\"</td>&\"\n";
    let config = DiscoverConfig::default();
    let (d, found) = credence_discover::discover_csv(csv, "x.csv", &config).unwrap();
    let html = String::from_utf8(credence_discover::output::report_html(&d, &found, &config, "x.csv")).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;img src=x&gt;"));
    let md = String::from_utf8(credence_discover::output::report_md(&d, &found, &config, "x.csv")).unwrap();
    assert!(md.contains("a\\|b\\*\\<img"), "{md}");
}

#[test]
fn config_deserialises_with_defaults_and_rejects_unknown_keys() {
    let c: DiscoverConfig = toml::from_str("copy_rate = 0.5\nvalue_type = \"number\"").unwrap();
    assert_eq!(c.copy_rate, 0.5);
    assert_eq!(c.value_type, ValueType::Number);
    assert_eq!(c.false_values, DiscoverConfig::default().false_values);
    assert!(toml::from_str::<DiscoverConfig>("copy_rat = 0.5").is_err());
    assert!(toml::from_str::<DiscoverConfig>("value_type = \"guess\"").is_err());
}

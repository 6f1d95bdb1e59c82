//! The JSON report validated against `schema/report.schema.json` (JSON Schema draft 2020-12): the real
//! binary's output must match it, broken reports must not, and the schema itself must be strict.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";
const EX: &str = "examples/jisr-al-shughur/story.toml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The schema file, parsed.
fn schema() -> Value {
    let path = root().join("schema/report.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).unwrap_or_else(|e| panic!("the schema does not compile: {e}"))
}

/// `credence score EX --format json`, run from the repository root, parsed.
fn example_report() -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(["score", EX, "--format", "json"])
        .current_dir(root())
        .output()
        .expect("the credence binary runs");
    assert!(out.status.success(), "credence score failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("stdout is not JSON: {e}"))
}

/// Every validation error as `instance path: message (schema path)`.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<(String, String)> {
    validator
        .iter_errors(instance)
        .map(|e| (e.instance_path().to_string(), format!("{e} (schema {})", e.schema_path())))
        .collect()
}

fn listing(errs: &[(String, String)]) -> String {
    errs.iter()
        .map(|(at, msg)| format!("  {}: {msg}", if at.is_empty() { "/" } else { at }))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_json_report_matches_the_schema() {
    let report = example_report();
    let errs = errors(&validator(), &report);
    assert!(errs.is_empty(), "{} schema violation(s) in the JSON report:\n{}", errs.len(), listing(&errs));

    // The example exercises the optional and nested parts of the layout, so the schema is not passing
    // vacuously on empty arrays.
    let claims = report["claims"].as_array().expect("claims");
    assert!(!claims.is_empty() && !report["articles"].as_array().expect("articles").is_empty());
    let reports: Vec<&Value> = claims.iter().flat_map(|c| c["reports"].as_array().expect("reports")).collect();
    assert!(reports.iter().any(|r| r["span"].is_array()) && reports.iter().any(|r| r["speaker"].is_null()));
    assert!(!report["contradictions"].as_array().expect("contradictions").is_empty());
}

/// One way of breaking a report.
enum Edit {
    /// Replace the value at a JSON pointer.
    Set(&'static str, Value),
    /// Remove a field of the object at a JSON pointer.
    Remove(&'static str, &'static str),
    /// Add a field to the object at a JSON pointer.
    Add(&'static str, &'static str, Value),
}

impl Edit {
    fn apply(&self, v: &mut Value) {
        fn object<'v>(v: &'v mut Value, at: &str) -> &'v mut serde_json::Map<String, Value> {
            v.pointer_mut(at).and_then(Value::as_object_mut).unwrap_or_else(|| panic!("{at} is not an object"))
        }
        match self {
            Edit::Set(at, new) => {
                *v.pointer_mut(at).unwrap_or_else(|| panic!("{at} is not in the report")) = new.clone();
            }
            Edit::Remove(at, field) => assert!(object(v, at).remove(*field).is_some(), "{at} has no field {field}"),
            Edit::Add(at, field, new) => {
                assert!(object(v, at).insert((*field).to_string(), new.clone()).is_none(), "{at} already has {field}");
            }
        }
    }
}

#[test]
fn schema_rejects_broken_reports() {
    use Edit::{Add, Remove, Set};

    let validator = validator();
    let good = example_report();
    assert!(errors(&validator, &good).is_empty(), "the unmodified report must be valid");

    // (what is broken, the edit, the instance path an error must point at)
    let cases = [
        ("support above 1", Set("/claims/0/support", json!(1.5)), "/claims/0/support"),
        ("negative belief", Set("/claims/0/belief", json!(-0.1)), "/claims/0/belief"),
        ("unknown field in a report", Add("/claims/0/reports/0", "extra", json!(1)), "/claims/0/reports/0"),
        ("unknown top-level field", Add("", "generated_at", json!("today")), ""),
        ("required field deleted", Remove("/claims/0", "grade"), "/claims/0"),
        ("nullable field deleted instead of null", Remove("/claims/0/reports/0", "speaker"), "/claims/0/reports/0"),
        ("grade Z9", Set("/claims/0/grade", json!("Z9")), "/claims/0/grade"),
        ("grade C7", Set("/claims/0/grade", json!("C7")), "/claims/0/grade"),
        ("reliability of two letters", Set("/claims/0/reliability", json!("AB")), "/claims/0/reliability"),
        ("credibility 7", Set("/claims/0/credibility", json!(7)), "/claims/0/credibility"),
        ("rank as a string", Set("/claims/0/rank", json!("1")), "/claims/0/rank"),
        ("unknown confidence", Set("/claims/0/confidence", json!("Certain")), "/claims/0/confidence"),
        ("interval of one number", Set("/claims/0/interval", json!([0.2])), "/claims/0/interval"),
        ("interval above 1", Set("/claims/0/interval", json!([0.2, 1.2])), "/claims/0/interval/1"),
        ("unknown stance", Set("/claims/0/reports/0/stance", json!("maybe")), "/claims/0/reports/0/stance"),
        ("unknown interest", Set("/claims/0/reports/0/interest", json!("hostile")), "/claims/0/reports/0/interest"),
        ("span of three", Set("/claims/0/reports/0/span", json!([1, 2, 3])), "/claims/0/reports/0/span"),
        ("negative span", Set("/claims/0/reports/0/span", json!([-1, 2])), "/claims/0/reports/0/span/0"),
        ("span as a string", Set("/claims/0/reports/0/span", json!("0..4")), "/claims/0/reports/0/span"),
        ("empty chain", Set("/claims/0/reports/0/chain", json!([])), "/claims/0/reports/0/chain"),
        ("counted as a string", Set("/claims/0/reports/0/counted", json!("yes")), "/claims/0/reports/0/counted"),
        ("opinion p below 0", Set("/claims/0/reports/0/opinion/p", json!(-0.5)), "/claims/0/reports/0/opinion/p"),
        ("opinion without u", Remove("/claims/0/reports/0/assertion", "u"), "/claims/0/reports/0/assertion"),
        (
            "unknown trust role",
            Set("/claims/0/reports/0/trust/0/role", json!("author")),
            "/claims/0/reports/0/trust/0/role",
        ),
        (
            "bad grade_from",
            Set("/claims/0/reports/0/trust/0/grade_from", json!("guess")),
            "/claims/0/reports/0/trust/0/grade_from",
        ),
        (
            "contribution above 1",
            Set("/claims/0/origins/0/contribution", json!(1.5)),
            "/claims/0/origins/0/contribution",
        ),
        ("schema version", Set("/schema", json!("credence-report/1")), "/schema"),
        (
            "cumulative within origin",
            Set("/parameters/within_origin", json!("cumulative")),
            "/parameters/within_origin",
        ),
        ("source grade G", Set("/sources/0/grade", json!("G")), "/sources/0/grade"),
        (
            "containment above 1",
            Set("/articles/0/copied_from/0/containment", json!(2.0)),
            "/articles/0/copied_from/0/containment",
        ),
        ("published not a date", Set("/articles/0/published", json!("25 April 2015")), "/articles/0/published"),
        (
            "contradiction conflict above 1",
            Set("/contradictions/0/conflict", json!(1.01)),
            "/contradictions/0/conflict",
        ),
        ("story description deleted", Remove("/story", "description"), "/story"),
    ];

    let mut failures = Vec::new();
    for (what, edit, at) in &cases {
        let mut bad = good.clone();
        edit.apply(&mut bad);
        let errs = errors(&validator, &bad);
        if errs.is_empty() {
            failures.push(format!("{what}: accepted"));
        } else if !errs.iter().any(|(p, _)| p == at) {
            failures.push(format!("{what}: rejected, but no error at {at:?}:\n{}", listing(&errs)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} broken reports not rejected as expected:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn schema_file_is_valid_draft_2020_12() {
    let schema = schema();
    assert_eq!(schema["$schema"], DRAFT_2020_12, "the schema must declare draft 2020-12");
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("the schema is not a valid draft 2020-12 schema: {e} at {}", e.instance_path());
    }
    // Every `$ref` resolves (compiling fails otherwise).
    validator();
}

/// Walks every subschema and checks the strictness rules: closed objects, every property required,
/// every property described, every `$ref` local.
fn check_strict(node: &Value, at: &str, problems: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                if map.get("additionalProperties") != Some(&Value::Bool(false)) {
                    problems.push(format!("{at}: object without additionalProperties: false"));
                }
                let required: Vec<&str> = map
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                for (name, sub) in props {
                    if !required.contains(&name.as_str()) {
                        problems.push(format!("{at}: property {name} is not required"));
                    }
                    let described = sub.get("description").is_some_and(|d| d.as_str().is_some_and(|d| !d.is_empty()));
                    let shared = sub.get("$ref").is_some_and(|_| sub.as_object().is_some_and(|o| o.len() == 1));
                    if !described && !shared {
                        problems.push(format!("{at}/properties/{name}: no description"));
                    }
                }
                for name in &required {
                    if !props.contains_key(*name) {
                        problems.push(format!("{at}: required {name} is not a property"));
                    }
                }
            }
            if let Some(r) = map.get("$ref").and_then(Value::as_str)
                && !r.starts_with("#/$defs/")
            {
                problems.push(format!("{at}: $ref {r} is not local"));
            }
            for (k, v) in map {
                check_strict(v, &format!("{at}/{k}"), problems);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_strict(v, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

#[test]
fn schema_closes_every_object_and_requires_every_field() {
    let schema = schema();
    let mut problems = Vec::new();
    check_strict(&schema, "#", &mut problems);
    assert!(problems.is_empty(), "the schema is not strict:\n{}", problems.join("\n"));
    // The shared definitions the brief asks for exist.
    for def in ["opinion", "report", "origin", "claim", "trust_hop", "source", "article", "contradiction"] {
        assert!(schema["$defs"][def].is_object(), "$defs/{def} is missing");
    }
}

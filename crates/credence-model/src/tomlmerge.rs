//! Merging a user's TOML file into built-in defaults, key by key, with every problem located.
//!
//! Config files and lexicon overrides work the same way: the user's file may set any subset of the
//! defaults; a key the defaults do not have is an error ("did you mean" when one is close), except new
//! entries of the open tables the caller names, which must then give every key an existing entry has; a value
//! of another type is an error and the default is kept, so one run finds every problem; array elements are
//! checked against the defaults' first element. Every problem names the file, line, column and key.

use toml::{Table, Value};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::locate::{DocPath, Syntax, line_col, locate};

/// A parsed TOML document together with where it came from, for locating problems.
pub struct Doc<'a> {
    /// The file's name, as shown in messages.
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

impl Doc<'_> {
    /// A problem at `path` of this document, located at its line when the path exists.
    #[must_use]
    pub fn diag(&self, path: &DocPath, message: String, help: Option<String>) -> Diagnostic {
        let (line, column) = match locate(self.text, Syntax::Toml, path) {
            Some(at) => {
                let (l, c) = line_col(self.text, at);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Diagnostic {
            file: self.name.to_string(),
            line,
            column,
            path: (!path.0.is_empty()).then(|| path.to_string()),
            message,
            help,
        }
    }
}

/// Parses a document as a TOML table, a syntax error located at its line.
pub fn parse_table(doc: &Doc<'_>) -> Result<Table> {
    doc.text.parse::<Table>().map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(doc.text, s.start)).unzip();
        Error::Config(Diagnostics(vec![Diagnostic {
            file: doc.name.to_string(),
            line,
            column,
            path: None,
            message: format!("not valid TOML: {}", e.message()),
            help: Some("check the syntax at that line (quotes, brackets, `key = value`)".into()),
        }]))
    })
}

/// "a string", "an integer", … for messages.
#[must_use]
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// Merges `user` into `base` (in place), checking keys and types against `base`. A value of the wrong type is
/// reported and the default kept, so one run can go on to find every other problem.
///
/// A brand-new entry of an open table is checked against the table's first entry: then every key of that
/// template is required.
pub fn merge(
    base: &mut Table,
    user: &Table,
    path: &DocPath,
    doc: &Doc<'_>,
    open_tables: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    let here = path.to_string();
    let open = open_tables.contains(&here.as_str());
    let template = if open { base.values().next().cloned() } else { None };
    for (key, uval) in user {
        let kp = path.key(key);
        match base.get_mut(key) {
            Some(bval) => merge_value(bval, uval, &kp, doc, open_tables, errors),
            None => match (&template, uval) {
                (Some(Value::Table(t)), Value::Table(u)) => {
                    let mut fresh = t.clone();
                    for (k, _) in t {
                        if !u.contains_key(k) {
                            errors.push(doc.diag(
                                &kp,
                                format!("new entry `{kp}` lacks the key `{k}`"),
                                Some(format!("every entry of [{here}] needs: {}", keys_of(t))),
                            ));
                        }
                    }
                    merge(&mut fresh, u, &kp, doc, open_tables, errors);
                    base.insert(key.clone(), Value::Table(fresh));
                }
                (Some(_), other) => {
                    errors.push(doc.diag(&kp, format!("`{kp}` must be a table, not {}", type_name(other)), None));
                }
                (None, _) => {
                    let known: Vec<&str> = base.keys().map(String::as_str).collect();
                    let hint = match closest(key, &known) {
                        Some(k) => format!("did you mean `{k}`? known keys here: {}", keys_of(base)),
                        None => format!("known keys here: {}; run `credence config` to see every key", keys_of(base)),
                    };
                    errors.push(doc.diag(
                        &kp,
                        format!(
                            "unknown key `{key}`{}",
                            if here.is_empty() { String::new() } else { format!(" in [{here}]") }
                        ),
                        Some(hint),
                    ));
                }
            },
        }
    }
}

/// The known name closest to a misspelt one, when it is close enough to be what was meant.
#[must_use]
pub fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    // Edit distance from the `strsim` crate; long names are cut first so a hostile key costs little.
    let cut = |s: &str| s.chars().take(128).collect::<String>();
    let name = cut(name);
    known
        .iter()
        .map(|k| (strsim::levenshtein(&name, &cut(k)), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4) && *d < k.chars().count())
        .min()
        .map(|(_, k)| k)
}

fn keys_of(t: &Table) -> String {
    t.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

fn same_kind(b: &Value, u: &Value) -> bool {
    std::mem::discriminant(b) == std::mem::discriminant(u) || matches!((b, u), (Value::Float(_), Value::Integer(_)))
}

/// `u` with integers turned into floats where the template `b` holds a float.
fn coerce(b: &Value, u: &Value) -> Value {
    match (b, u) {
        (Value::Float(_), Value::Integer(i)) => Value::Float(*i as f64),
        _ => u.clone(),
    }
}

fn merge_value(
    bval: &mut Value,
    uval: &Value,
    path: &DocPath,
    doc: &Doc<'_>,
    open_tables: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    match (bval, uval) {
        (Value::Table(b), Value::Table(u)) => merge(b, u, path, doc, open_tables, errors),
        (Value::Array(b), Value::Array(u)) => {
            // Each element is checked against the defaults' first element: its type, and for tables
            // (`[[likelihood]]`) every key, so that nothing is left for a second stage to reject unlocated.
            let before = errors.len();
            let mut merged = Vec::with_capacity(u.len());
            match b.first() {
                Some(Value::Table(_)) => {
                    // The defaults' elements together: a key every one has is required, any key one has is
                    // allowed (optional keys appear in some elements only), each with that element's value
                    // as the template of its type.
                    let mut template = Table::new();
                    let mut required: Vec<String> = Vec::new();
                    for (i, el) in b.iter().enumerate() {
                        let Value::Table(t) = el else { continue };
                        for (k, v) in t {
                            template.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                        if i == 0 {
                            required = t.keys().cloned().collect();
                        } else {
                            required.retain(|k| t.contains_key(k));
                        }
                    }
                    for (i, item) in u.iter().enumerate() {
                        let ip = path.index(i);
                        match item {
                            Value::Table(ut) => {
                                for k in required.iter().filter(|k| !ut.contains_key(*k)) {
                                    errors.push(doc.diag(
                                        &ip,
                                        format!("`{ip}` lacks the key `{k}`"),
                                        Some(format!(
                                            "every entry needs: {}",
                                            required.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                                        )),
                                    ));
                                }
                                // Check against the template, then keep only what the user wrote.
                                let mut fresh = template.clone();
                                merge(&mut fresh, ut, &ip, doc, open_tables, errors);
                                fresh.retain(|k, _| ut.contains_key(k));
                                merged.push(Value::Table(fresh));
                            }
                            other => errors.push(doc.diag(
                                &ip,
                                format!("`{ip}` must be a table, not {}", type_name(other)),
                                None,
                            )),
                        }
                    }
                }
                Some(first) => {
                    for (i, item) in u.iter().enumerate() {
                        if same_kind(first, item) {
                            merged.push(coerce(first, item));
                        } else {
                            let ip = path.index(i);
                            errors.push(doc.diag(
                                &ip,
                                format!("`{ip}` must be {}, not {} ({item})", type_name(first), type_name(item)),
                                None,
                            ));
                        }
                    }
                }
                None => merged = u.clone(),
            }
            if errors.len() == before {
                *b = merged;
            }
        }
        (b, u) if same_kind(b, u) => *b = coerce(b, u),
        (b, u) => {
            errors.push(doc.diag(path, format!("`{path}` must be {}, not {} ({u})", type_name(b), type_name(u)), None));
        }
    }
}

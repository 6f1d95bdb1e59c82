//! JSON report: the assessment as it is, numbers rounded to six decimals. Its layout is described by
//! `schema/report.schema.json`, which the test suite validates every output against.

use serde_json::Value;

use super::{Exporter, ReportInput};
use crate::error::{Error, Result};

/// Renders the assessment as pretty-printed JSON.
pub struct JsonExporter;

/// Rounds every float to six decimals: more digits than that only show floating-point noise, and rounding
/// keeps the output stable across platforms whose last-bit arithmetic differs.
fn round(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                let r = (x * 1e6).round() / 1e6;
                let r = if r == 0.0 { 0.0 } else { r };
                if let Some(num) = serde_json::Number::from_f64(r) {
                    *v = Value::Number(num);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(round),
        Value::Object(o) => o.values_mut().for_each(round),
        _ => {}
    }
}

impl Exporter for JsonExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let err = |e: serde_json::Error| Error::Render { format: "json", message: e.to_string() };
        let mut v = serde_json::to_value(input.assessment).map_err(err)?;
        round(&mut v);
        let mut out = serde_json::to_vec_pretty(&v).map_err(err)?;
        out.push(b'\n');
        Ok(out)
    }
}

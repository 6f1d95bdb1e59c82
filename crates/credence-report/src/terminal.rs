//! The compact summary table `credence score` prints on a terminal: one line per claim with its rank, a
//! support bar, the support, grade, independent origins, conflicts and the claim text cut to the width.
//!
//! Colour is a choice of the caller (the CLI decides from `--color`, `NO_COLOR`, `TERM` and whether the output
//! is a terminal); the exporter only obeys it, so the table can be snapshot-tested with and without colour.
//!
//! The only escape sequences in the output are the exporter's own colours: control and bidi characters in
//! story text are made visible (`<U+001B>`, see [`super::inert`]) before the text is cut to the width, so an
//! article cannot move the cursor, clear the screen, retitle the window or plant a hyperlink.

use std::fmt::Write;

use super::inert::visible;
use super::markup::truncate;
use super::{Exporter, ReportInput};
use credence_model::error::Result;
use credence_score::score::ClaimScore;

/// Renders the summary table.
#[derive(Debug, Clone)]
pub struct TerminalExporter {
    /// Use ANSI colours.
    pub color: bool,
    /// Line width in characters; the claim text is cut to fit.
    pub width: usize,
}

impl Default for TerminalExporter {
    fn default() -> TerminalExporter {
        TerminalExporter { color: false, width: 100 }
    }
}

const BAR: usize = 10;

/// A bar of `BAR` cells filled to `x` (0–1), in eighths of a cell.
fn bar(x: f64) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let x = if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
    let eighths = (x * (BAR * 8) as f64).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    if eighths / 8 < BAR {
        s.push(PARTS[eighths % 8]);
        s.push_str(&" ".repeat(BAR - eighths / 8 - 1));
    }
    s
}

impl TerminalExporter {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }

    fn support_color(c: &ClaimScore) -> &'static str {
        if c.support >= 0.75 {
            "32"
        } else if c.support >= 0.5 {
            "33"
        } else {
            "31"
        }
    }

    fn line(&self, c: &ClaimScore) -> String {
        let conflicts = c.refuting_origins + c.contradicted_by.len();
        let conf_cell = if conflicts == 0 { format!("{:>4}", "—") } else { format!("{conflicts:>4}") };
        let fixed = 4 + 1 + BAR + 1 + 5 + 2 + 3 + 1 + 7 + 1 + 4 + 2;
        let text = truncate(
            &visible(&c.text).split_whitespace().collect::<Vec<_>>().join(" "),
            self.width.saturating_sub(fixed).max(16),
        );
        let grade_code = match c.grade.chars().next() {
            Some('A' | 'B') => "32",
            Some('C') => "0",
            Some('D') => "33",
            _ => "31",
        };
        format!(
            "{:>3}. {} {:.3}  {} {:>7} {}  {}",
            c.rank,
            self.paint(Self::support_color(c), &bar(c.support)),
            c.support,
            self.paint(grade_code, &format!("{:<3}", truncate(&c.grade, 3))),
            c.independent_origins,
            if conflicts == 0 { self.paint("2", &conf_cell) } else { self.paint("31", &conf_cell) },
            text
        )
    }
}

impl Exporter for TerminalExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let a = input.assessment;
        let mut out = String::new();
        let title = truncate(&visible(&a.story.title).split_whitespace().collect::<Vec<_>>().join(" "), self.width);
        let _ = writeln!(out, "{}", self.paint("1", &title));
        let n_reports: usize = a.claims.iter().map(|c| c.reports.len()).sum();
        let _ = writeln!(
            out,
            "{}",
            self.paint(
                "2",
                &truncate(
                    &format!(
                        "{} claims · {} reports · {} articles · {} sources · {} contradictions",
                        a.claims.len(),
                        n_reports,
                        a.articles.len(),
                        a.sources.len(),
                        a.contradictions.len()
                    ),
                    self.width
                )
            )
        );
        let header = format!("{:>4} {:<16}  {:<3} {:>7} {:>4}  claim", "#", "support", "gr.", "origins", "conf");
        let _ = writeln!(out, "{}", self.paint("1", &header));
        for c in &a.claims {
            let _ = writeln!(out, "{}", self.line(c));
        }
        let multi = a.claims.iter().filter(|c| c.independent_origins >= 2).count();
        let note = format!(
            "{multi} of {} claims have 2+ independent origins · conf: refuting origins + contradicting claims",
            a.claims.len()
        );
        let _ = writeln!(out, "{}", self.paint("2", &truncate(&note, self.width)));
        Ok(out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bars_are_ten_cells() {
        for x in [0.0, 0.01, 0.5, 0.93, 0.999, 1.0, f64::NAN, -1.0, 2.0] {
            assert_eq!(bar(x).chars().count(), 10, "{x}");
        }
        assert_eq!(bar(1.0), "██████████");
        assert_eq!(bar(0.5), "█████     ");
    }
}

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
use super::{Exporter, ReportInput, Scale, Tone};
use anstyle::{AnsiColor, Effects, Style};
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

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const RED: Style = AnsiColor::Red.on_default();

/// The colour of a tone of the one scale.
fn tone_style(t: Tone) -> Style {
    match t {
        Tone::Good => GREEN,
        Tone::Even => YELLOW,
        Tone::Bad => RED,
        Tone::Unrated => DIM,
    }
}

impl TerminalExporter {
    fn paint(&self, style: Style, s: &str) -> String {
        if self.color && style != Style::new() { format!("{style}{s}{style:#}") } else { s.to_string() }
    }

    fn line(&self, c: &ClaimScore, scale: &Scale) -> String {
        let conflicts = c.refuting_origins + c.contradicted_by.len();
        let against_cell = if conflicts == 0 { format!("{:>7}", "—") } else { format!("{conflicts:>7}") };
        let fixed = 4 + 1 + BAR + 1 + 5 + 2 + 3 + 1 + 7 + 1 + 7 + 2;
        let text = truncate(
            &visible(&c.text).split_whitespace().collect::<Vec<_>>().join(" "),
            self.width.saturating_sub(fixed).max(16),
        );
        // The grade is secondary: the same tone as the support it reads, never a colour of its own.
        let tone = tone_style(scale.tone(c));
        format!(
            "{:>3}. {} {:.3}  {} {:>7} {}  {}",
            c.rank,
            self.paint(tone, &bar(c.support)),
            c.support,
            self.paint(tone, &format!("{:<3}", truncate(&c.grade, 3))),
            c.independent_origins,
            if conflicts == 0 { self.paint(DIM, &against_cell) } else { self.paint(RED, &against_cell) },
            text
        )
    }
}

impl Exporter for TerminalExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        let a = input.assessment;
        let mut out = String::new();
        let title = truncate(&visible(&a.story.title).split_whitespace().collect::<Vec<_>>().join(" "), self.width);
        let _ = writeln!(out, "{}", self.paint(BOLD, &title));
        let n_reports: usize = a.claims.iter().map(|c| c.reports.len()).sum();
        let _ = writeln!(
            out,
            "{}",
            self.paint(
                DIM,
                &truncate(
                    &format!(
                        "{} claim{} · {} report{} · {} article{} · {} source{} · {} contradiction{}",
                        a.claims.len(),
                        crate::words::plural(a.claims.len()),
                        n_reports,
                        crate::words::plural(n_reports),
                        a.articles.len(),
                        crate::words::plural(a.articles.len()),
                        a.sources.len(),
                        crate::words::plural(a.sources.len()),
                        a.contradictions.len(),
                        crate::words::plural(a.contradictions.len())
                    ),
                    self.width
                )
            )
        );
        let header = format!("{:>4} {:<16}  {:<3} {:>7} {:>7}  claim", "#", "support", "gr.", "origins", "against");
        let _ = writeln!(out, "{}", self.paint(BOLD, &header));
        for c in &a.claims {
            let _ = writeln!(out, "{}", self.line(c, &input.scale));
        }
        let multi = a.claims.iter().filter(|c| c.independent_origins >= 2).count();
        let note = format!(
            "{multi} of {} claims have 2+ independent origins · against: refuting origins + contradicting claims",
            a.claims.len()
        );
        let _ = writeln!(out, "{}", self.paint(DIM, &truncate(&note, self.width)));
        for line in legend(&input.scale) {
            let _ = writeln!(out, "{}", self.paint(DIM, &truncate(&line, self.width)));
        }
        Ok(out.into_bytes())
    }
}

/// The legend of the one scale, as the table prints it under the claims.
fn legend(scale: &Scale) -> Vec<String> {
    vec![
        format!("support (0-1) reads as: {}", scale.legend().join(" · ")),
        format!(
            "gr. (Admiralty, secondary): letter = reliability of the strongest origin, number = the same support (1 confirmed: very likely and 2+ origins; 2 likely; 3 even; 4 unlikely or disputed; 5 improbable; 6 uncertainty ≥ {}: not rated)",
            scale.cannot_judge_u
        ),
    ]
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

//! Markdown report: a claims table sorted by support, the evidence behind each claim with its chains written
//! out, contradictions, sources and articles. Meant to be read as is, or pasted into a review document.
//!
//! Every string from the story goes through [`cell`] (text) or [`code`] (ids), so none of it becomes
//! Markdown, HTML or a link, closes a code span or splits a table row, whatever it holds.

use std::fmt::Write;

use super::inert::visible;
use super::{Exporter, ReportInput, f3};
use credence_model::error::Result;
use credence_model::text::Slice;
use credence_score::score::{ClaimScore, Interest};

/// Renders the assessment as Markdown.
pub struct MarkdownExporter;

/// Makes story or article text inert inside a Markdown paragraph, heading, list item or table cell: it shows
/// as typed and never becomes markup, HTML or a link.
///
/// Hidden characters are made visible (`<U+001B>`); `<`, `>` and `&` become entities; `|` and every
/// character that opens inline markup (`\`, `` ` ``, `*`, `_`, `[`, `]`, `~`) are backslash-escaped; line
/// breaks and tabs become spaces, so one value stays on its line and in its table cell. A character that would
/// start a block (`#`, `-`, `+`, `=`, or the `.`/`)` of `1.`) is escaped at the start, where leading white
/// space is dropped (it would otherwise start a code block). The `:` of `://` and the `.` of `www.` are
/// escaped, which keeps GitHub's bare-URL autolinks from turning a URL from an article into a link. (GitHub
/// still links a bare e-mail address as `mailto:`, and no escape prevents that; such a link runs nothing.)
fn cell(s: &str) -> String {
    let s = visible(s);
    let t = s.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let ordered = (1..=9).contains(&digits) && matches!(t.as_bytes().get(digits), Some(b'.' | b')'));
    let mut out = String::with_capacity(t.len() + 8);
    for (i, c) in t.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if ordered && i == digits => {
                out.push('\\');
                out.push(c);
            }
            ':' if t.part(i + 1..).starts_with("//") => out.push_str("\\:"),
            '.' if i >= 3 && t.as_bytes()[i - 3..i].eq_ignore_ascii_case(b"www") => out.push_str("\\."),
            _ => out.push(c),
        }
    }
    out
}

/// An id (or other story string shown verbatim) as a Markdown code span that nothing in it can close: the
/// fence is one backtick longer than the longest run of backticks in the id, padded with a space when the id
/// starts or ends with a backtick or a space. Hidden characters are made visible and line breaks become
/// spaces. In a table (`table`), GitHub splits cells at a `|` even inside a code span, so an id holding one is
/// written as escaped text ([`cell`]) instead.
fn code(s: &str, table: bool) -> String {
    let s: String =
        visible(s).chars().map(|c| if matches!(c, '\n' | '\t' | '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect();
    if table && s.contains('|') {
        return cell(&s);
    }
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn conflicts(c: &ClaimScore) -> String {
    let mut parts: Vec<String> = c
        .contradicted_by
        .iter()
        .map(|x| format!("{} ({}, {})", code(&x.claim, true), cell(&x.kind), f3(x.conflict)))
        .collect();
    if c.refuting_origins > 0 {
        parts.push(format!("{} refuting origin{}", c.refuting_origins, if c.refuting_origins == 1 { "" } else { "s" }));
    }
    if parts.is_empty() { "—".to_string() } else { parts.join("; ") }
}

/// Renders one claim's evidence section; `credence explain` prints this alone.
pub fn claim_section(out: &mut String, c: &ClaimScore, interval_pct: f64) {
    section(out, c, interval_pct, &super::Scale::default(), &|id: &str| id.to_string(), None);
}

/// The reports of a claim a capped section shows, at most `n`, in story order: first one per origin
/// (refuting origins before supporting ones, counted reports before repeats), then the rest in order.
fn shown_reports(c: &ClaimScore, n: usize) -> Vec<usize> {
    let mut pick: Vec<usize> = Vec::with_capacity(n);
    let mut origins: Vec<&credence_score::score::OriginScore> = c.origins.iter().collect();
    origins.sort_by_key(|o| o.stance != credence_model::story::Stance::Refutes);
    for o in origins {
        let best = o.reports.iter().copied().find(|&i| c.reports.get(i).is_some_and(|r| r.counted));
        if let Some(i) = best.or_else(|| o.reports.first().copied())
            && pick.len() < n
            && !pick.contains(&i)
        {
            pick.push(i);
        }
    }
    for i in 0..c.reports.len() {
        if pick.len() >= n {
            break;
        }
        if !pick.contains(&i) {
            pick.push(i);
        }
    }
    pick.sort_unstable();
    pick
}

/// A claim's section on a scale, with source names for its tree; with `limits`, at most so many origins and
/// statements, and a line saying how many were left out.
#[allow(clippy::too_many_lines)]
fn section(
    out: &mut String,
    c: &ClaimScore,
    interval_pct: f64,
    scale: &super::Scale,
    name: &dyn Fn(&str) -> String,
    limits: Option<&credence_score::config::ReportLimits>,
) {
    let max_origins = limits.map_or(usize::MAX, |l| l.origins_per_claim);
    let shown: Vec<usize> = match limits {
        Some(l) => shown_reports(c, l.evidence_per_claim),
        None => (0..c.reports.len()).collect(),
    };
    let _ = writeln!(out, "### {}. {} ({})\n", c.rank, cell(&c.text), code(&c.id, false));
    let _ = writeln!(
        out,
        "**Support {}**, {:.0}% interval [{}, {}], **{}**. Grade {} ({}). Belief {}, disbelief {}, uncertainty {}.{}\n",
        f3(c.support),
        interval_pct * 100.0,
        f3(c.interval[0]),
        f3(c.interval[1]),
        super::words::reading(c, scale),
        c.grade,
        c.credibility_label,
        f3(c.belief),
        f3(c.disbelief),
        f3(c.uncertainty),
        c.favours.as_ref().map(|f| format!(" Favours: {}.", cell(f))).unwrap_or_default()
    );
    if c.conflict > 0.0 || c.raw_conflict > 0.0 {
        let _ = writeln!(
            out,
            "Degree of conflict between supporting and refuting evidence: {} after discounting, {} between the origins' own assertions.\n",
            f3(c.conflict),
            f3(c.raw_conflict)
        );
    }
    // How the claim reached the story: origins, and under each the outlets relaying it.
    let _ = writeln!(out, "How it reached the story:\n");
    let tree = super::words::claim_tree(c, name);
    for (origin, relays) in tree.iter().take(max_origins) {
        // One line per origin (a nested list would put story text at the start of a block).
        let _ = writeln!(out, "- {}: {}", cell(origin), cell(&relays.join("; ")));
    }
    if tree.len() > max_origins {
        let _ = writeln!(out, "- … and {} more origins", tree.len() - max_origins);
    }
    out.push('\n');
    let _ = writeln!(out, "Origins ({} supporting, {} refuting):\n", c.independent_origins, c.refuting_origins);
    let _ = writeln!(out, "| Origin | Stance | Reports | b | d | u | Contribution | Merged because |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for o in c.origins.iter().take(max_origins) {
        let name = if o.via_contradictions.is_empty() {
            cell(&o.name)
        } else {
            format!(
                "{} (via {})",
                cell(&o.name),
                o.via_contradictions.iter().map(|v| code(v, true)).collect::<Vec<_>>().join(", ")
            )
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:+.3} | {} |",
            name,
            o.stance,
            o.reports.len(),
            f3(o.opinion.b),
            f3(o.opinion.d),
            f3(o.opinion.u),
            o.contribution,
            if o.merged_because.is_empty() {
                "—".to_string()
            } else {
                cell(&super::words::merge_reasons(&o.merged_because))
            }
        );
    }
    if c.origins.len() > max_origins {
        let _ = writeln!(out, "| … {} more origins | | | | | | | |", c.origins.len() - max_origins);
    }
    let _ = writeln!(out, "\nEvidence:\n");
    for r in shown.iter().filter_map(|&i| c.reports.get(i)) {
        let cue = if r.cue.is_empty() { "own voice".to_string() } else { format!("*{}*", cell(&r.cue)) };
        let mut notes = vec![format!("{}", r.stance)];
        if !r.caveats.is_empty() {
            notes.push(format!("caveats: {}", cell(&r.caveats.join(", "))));
        }
        if !r.counted {
            notes.push("repeat, not counted".into());
        }
        match r.interest {
            Interest::SelfServing => notes.push("self-serving".into()),
            Interest::Admission => notes.push("admission against interest".into()),
            Interest::None => {}
        }
        let place = match r.span {
            Some([a, b]) => format!("{} bytes {a}–{b}", code(&r.article, false)),
            None => code(&r.article, false),
        };
        let _ = writeln!(
            out,
            "- **{}** — {} ({}) · {} · trust {} → (b {}, d {}, u {})",
            cell(&r.chain_text),
            cue,
            notes.join(", "),
            place,
            f3(r.discount),
            f3(r.opinion.b),
            f3(r.opinion.d),
            f3(r.opinion.u)
        );
        if let Some(q) = &r.quote {
            let _ = writeln!(out, "  > {}", cell(q));
        }
    }
    if shown.len() < c.reports.len() {
        let _ = writeln!(
            out,
            "- … and {} more statements, shown in the JSON report and by `credence explain {}`",
            c.reports.len() - shown.len(),
            cell(&c.id)
        );
    }
    if !c.contradicted_by.is_empty() {
        let _ = writeln!(out, "\nConflicts:\n");
        for x in &c.contradicted_by {
            let _ = writeln!(
                out,
                "- contradicted by {} ({}, weight {}): degree of conflict {}",
                code(&x.claim, false),
                cell(&x.kind),
                f3(x.weight),
                f3(x.conflict)
            );
        }
    }
    let _ = writeln!(out, "\nHow the score came about:\n");
    let mut left_out = 0;
    for t in &c.explanation {
        let keep = match t {
            credence_score::score::Explanation::Origin { origin } => *origin < max_origins,
            credence_score::score::Explanation::Report { report } => shown.contains(report),
            _ => true,
        };
        if keep {
            let _ = writeln!(out, "- {}", cell(&super::words::explanation(c, t)));
        } else {
            left_out += 1;
        }
    }
    if left_out > 0 {
        let _ = writeln!(out, "- ({left_out} more terms for the origins and statements left out above)");
    }
    out.push('\n');
}

/// How many claims of each group of the answer are listed at the top.
const ANSWER_SHOWN: usize = 3;

fn render(input: &ReportInput<'_>) -> String {
    let a = input.assessment;
    let names: std::collections::HashMap<&str, &str> =
        a.sources.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
    let mut out = String::new();
    let _ = writeln!(out, "# Reliability report: {}\n", cell(&a.story.title));
    if let Some(d) = &a.story.description {
        let _ = writeln!(out, "{}\n", cell(d));
    }
    let n_reports: usize = a.claims.iter().map(|c| c.reports.len()).sum();
    // The answer first: what is well supported, contested, on one origin, not rated.
    let answer = super::words::answer(&a.claims, &input.scale);
    let _ = writeln!(out, "**{}**\n", cell(&answer.sentence()));
    for (heading, group) in answer.groups() {
        let _ = writeln!(out, "{} ({}):\n", heading, group.len());
        for c in group.iter().take(ANSWER_SHOWN) {
            let _ = writeln!(
                out,
                "- {} ({}): {} · {}",
                cell(&c.text),
                code(&c.id, false),
                f3(c.support),
                super::words::reading(c, &input.scale)
            );
        }
        if group.len() > ANSWER_SHOWN {
            let _ = writeln!(out, "- and {} more (see Claims)", group.len() - ANSWER_SHOWN);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "From {} reports, {} articles and {} sources.\n\nHow to read the scores:\n",
        n_reports,
        a.articles.len(),
        a.sources.len()
    );
    for line in super::words::scale_legend(&input.scale, a.parameters.interval) {
        let _ = writeln!(out, "- {}", cell(&line));
    }
    out.push('\n');
    let lost = a.skipped.iter().filter(|s| s.lost).count();
    if lost > 0 {
        let _ = writeln!(
            out,
            "**Partial run:** {lost} article file{} could not be read and {} left out; see \"Files not read\" at the end.\n",
            if lost == 1 { "" } else { "s" },
            if lost == 1 { "is" } else { "are" }
        );
    }
    let _ = writeln!(out, "## Claims\n");
    let _ = writeln!(
        out,
        "| # | Claim | Support | {:.0}% interval | Reading | Origins | Conflicts | Grade |",
        a.parameters.interval * 100.0
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for c in &a.claims {
        let _ = writeln!(
            out,
            "| {} | {} ({}) | {} | {}–{} | {} | {} | {} | {} |",
            c.rank,
            cell(&c.text),
            code(&c.id, true),
            f3(c.support),
            f3(c.interval[0]),
            f3(c.interval[1]),
            super::words::reading(c, &input.scale),
            c.independent_origins,
            conflicts(c),
            c.grade
        );
    }
    let _ = writeln!(out, "\n## Evidence\n");
    let lim = &input.limits;
    if a.claims.len() <= lim.full_detail_up_to {
        for c in &a.claims {
            section(&mut out, c, a.parameters.interval, &input.scale, &name, None);
        }
    } else {
        // A large story: sections for the best-supported claims that more than one origin speaks to or that
        // are contested; the table above lists every claim.
        let detailed: Vec<&ClaimScore> = a
            .claims
            .iter()
            .filter(|c| c.independent_origins + c.refuting_origins >= 2 || !c.contradicted_by.is_empty())
            .take(lim.detailed_claims)
            .collect();
        let _ = writeln!(
            out,
            "This story has {} claims. Sections follow for {} of them: the best supported of those that two or more origins speak to or that are contested, each with at most {} statements and {} origins. Every claim is in the table above; each in full is in the JSON report and in `credence explain CLAIM`.\n",
            a.claims.len(),
            detailed.len(),
            lim.evidence_per_claim,
            lim.origins_per_claim
        );
        for c in detailed {
            section(&mut out, c, a.parameters.interval, &input.scale, &name, Some(lim));
        }
    }
    if !a.contradictions.is_empty() {
        let _ = writeln!(out, "## Contradictions\n");
        let _ = writeln!(out, "| Claim | Contradicts | Kind | Weight | Conflict | Note |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for x in &a.contradictions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                code(&x.a, true),
                code(&x.b, true),
                cell(&x.kind),
                f3(x.weight),
                f3(x.conflict),
                x.note.as_deref().map(cell).unwrap_or_default()
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Appendix\n\n### Sources\n");
    let _ = writeln!(
        out,
        "| Source | Kind | Side | Grade | Relay | Claims originated | Reports originated | Caveated | Contradicted | On chains |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|---|");
    for s in &a.sources {
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&s.name),
            code(&s.id, true),
            cell(&s.kind),
            s.side.as_deref().map_or_else(|| "—".to_string(), cell),
            s.grade,
            s.relay,
            s.claims,
            s.reports,
            s.caveated,
            s.contradicted,
            s.relayed
        );
    }
    let _ = writeln!(out, "\n### Articles\n");
    let _ = writeln!(out, "| Article | Outlet | Published | Credits | Copied from |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for ar in &a.articles {
        let copies: Vec<String> =
            ar.copied_from.iter().map(|c| format!("{} ({})", code(&c.article, true), f3(c.containment))).collect();
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} |",
            code(&ar.id, true),
            cell(&ar.title),
            code(&ar.outlet, true),
            ar.published.as_deref().map_or_else(|| "—".to_string(), cell),
            if ar.credits.is_empty() { "—".to_string() } else { cell(&ar.credits.join(", ")) },
            if copies.is_empty() { "—".to_string() } else { copies.join(", ") }
        );
    }
    if !a.skipped.is_empty() {
        let _ = writeln!(out, "\n### Files not read\n");
        let _ = writeln!(out, "| File | Reason | Article lost | What to do |");
        let _ = writeln!(out, "|---|---|---|---|");
        for s in &a.skipped {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&s.file),
                cell(&s.reason),
                if s.lost { "yes" } else { "no" },
                cell(&s.message)
            );
        }
    }
    let p = &a.parameters;
    let _ = writeln!(
        out,
        "\n---\n\nParameters: prior weight W = {}, base rate {}, minimum uncertainty {}, within-origin fusion {}, across-origin fusion {}, copy threshold {}, unnamed repetitions pooled under {}, self-serving factor {}, admission boost {}, conflict alert {}. Config: {}.",
        p.prior_weight,
        p.base_rate,
        p.min_uncertainty,
        p.within_origin,
        p.across_origins,
        p.copy_threshold,
        cell(&super::words::pooled(&p.pooled_caveats)),
        p.self_serving,
        p.admission,
        p.conflict_alert,
        cell(&p.config_files.join(" + "))
    );
    out
}

impl Exporter for MarkdownExporter {
    fn render(&self, input: &ReportInput<'_>) -> Result<Vec<u8>> {
        if let Some(c) = input.focus.and_then(|id| input.assessment.claims.iter().find(|c| c.id == id)) {
            // `credence explain`: the claim's section alone.
            let mut out = String::new();
            let names: std::collections::HashMap<&str, &str> =
                input.assessment.sources.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
            let name = |id: &str| names.get(id).copied().unwrap_or(id).to_string();
            section(&mut out, c, input.assessment.parameters.interval, &input.scale, &name, None);
            return Ok(out.into_bytes());
        }
        Ok(render(input).into_bytes())
    }
}

//! Outlet reliability priors from data: a CSV of domain ratings, mapped to grade letters by cut points.
//!
//! Published ratings of news domains (for example the aggregate of Lin et al. 2023, PNAS Nexus 2(9) pgad286,
//! of 11,520 domains, each scored in [0, 1]) say more about an outlet than its kind does: every outlet of kind
//! `outlet` starts at the same letter, a rating tells a wire service from a tabloid. A user points
//! `[ratings] file` (or `--ratings FILE`) at such a CSV; a source that has a web domain (the gazetteer gives
//! one to every outlet it knows, a story may state `domains`) and no grade of its own then takes the letter of
//! the first cut point its domain's score reaches. The grade shown on each hop says where it came from
//! (`rating:cnn.com=0.658`), so the report traces the number back to the file.
//!
//! The CSV is read here from text (no I/O): the binary reads the file. Parsing is strict where a mistake
//! would silently change grades (a score outside [0, 1], a row without a score) and names the line; blank
//! lines and `#` comments are skipped; a header is recognised by a score column that is not a number.
//!
//! ```
//! use credence_score::ratings::DomainRatings;
//! let r = DomainRatings::parse("ratings.csv", "domain,score\nexample.org,0.9\nwww.Tabloid.example,0.2\n").unwrap();
//! assert_eq!(r.score("news.example.org"), Some(("example.org", 0.9)));
//! assert_eq!(r.score("tabloid.example"), Some(("tabloid.example", 0.2)));
//! assert_eq!(r.len(), 2);
//! ```

use std::collections::BTreeMap;

use credence_model::error::{Diagnostic, Diagnostics, Error, Result};
use credence_model::story::Source;

/// Domain → score in [0, 1], read from a CSV.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DomainRatings {
    by_domain: BTreeMap<String, f64>,
    /// The file the ratings came from, as the user named it.
    pub file: String,
}

/// Problems past this many are counted, not listed.
const MAX_LISTED: usize = 20;

impl DomainRatings {
    /// Reads `domain,score` rows. The first row is a header when its score field is not a number; with a
    /// header, the columns named `domain` and `score` are used when present (else the first two). A domain
    /// that appears twice (after dropping scheme, `www.` and path) keeps its first score.
    pub fn parse(file: &str, text: &str) -> Result<DomainRatings> {
        let mut by_domain = BTreeMap::new();
        let mut errs = Vec::new();
        let mut bad = |line: usize, message: String, help: &str| {
            errs.push(Diagnostic {
                file: file.to_string(),
                line: Some(line),
                column: None,
                path: None,
                message,
                help: Some(help.to_string()),
            });
        };
        let (mut domain_col, mut score_col) = (0, 1);
        let mut first = true;
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let row = raw.trim();
            if row.is_empty() || row.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = row.split(',').map(|f| f.trim().trim_matches('"').trim()).collect();
            if first {
                first = false;
                let header = fields.get(1).is_none_or(|f| f.parse::<f64>().is_err());
                if header {
                    let find = |name: &str| fields.iter().position(|f| f.eq_ignore_ascii_case(name));
                    domain_col = find("domain").unwrap_or(0);
                    score_col = find("score").unwrap_or(usize::from(domain_col == 0));
                    continue;
                }
            }
            let (Some(domain), Some(score)) = (fields.get(domain_col), fields.get(score_col)) else {
                bad(line, format!("row \"{}\" has no score column", ellipsis(row)), "write `domain,score`");
                continue;
            };
            let domain = normalise(domain);
            if domain.is_empty() {
                bad(line, "row has an empty domain".into(), "write `domain,score`, e.g. `example.org,0.8`");
                continue;
            }
            match score.parse::<f64>() {
                Ok(s) if s.is_finite() && (0.0..=1.0).contains(&s) => {
                    // A domain listed again (also as a section, "example.org/world", which reads as the
                    // domain) keeps its first row: published files list their best-known form first.
                    by_domain.entry(domain).or_insert(s);
                }
                _ => bad(
                    line,
                    format!("score \"{}\" of \"{domain}\" is not a number in [0, 1]", ellipsis(score)),
                    "scores are in [0, 1], higher is more reliable; rescale other scales first",
                ),
            }
        }
        if errs.is_empty() {
            Ok(DomainRatings { by_domain, file: file.to_string() })
        } else {
            let more = errs.len().saturating_sub(MAX_LISTED);
            errs.truncate(MAX_LISTED);
            if more > 0 {
                errs.push(Diagnostic {
                    file: file.to_string(),
                    line: None,
                    column: None,
                    path: None,
                    message: format!("… and {more} more problems"),
                    help: None,
                });
            }
            Err(Error::Config(Diagnostics(errs)))
        }
    }

    /// The rated domain and its score for a domain or host: `www.` and letter case do not matter, and a host
    /// falls back to its parent domains (`edition.cnn.com` → `cnn.com`), never to a bare suffix (`co.uk`).
    #[must_use]
    pub fn score(&self, host: &str) -> Option<(&str, f64)> {
        let host = normalise(host);
        let mut rest = host.as_str();
        loop {
            if let Some((k, v)) = self.by_domain.get_key_value(rest) {
                return Some((k.as_str(), *v));
            }
            let (_, parent) = rest.split_once('.')?;
            if is_suffix(parent) {
                return None;
            }
            rest = parent;
        }
    }

    /// Number of rated domains.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_domain.len()
    }

    /// Whether no domain is rated.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.by_domain.is_empty()
    }
}

/// Whether a domain is only a registry suffix, never an outlet: a top-level domain (`com`) or a country's
/// second level (`co.uk`, `com.au`, `org.ng`).
fn is_suffix(domain: &str) -> bool {
    const SECOND_LEVEL: [&str; 14] =
        ["co", "com", "org", "net", "gov", "gob", "ac", "edu", "or", "ne", "go", "mil", "nic", "ltd"];
    match domain.split_once('.') {
        None => true,
        Some((first, cc)) => cc.len() == 2 && !cc.contains('.') && SECOND_LEVEL.contains(&first),
    }
}

/// Lower case, no scheme, path, port or leading `www.`.
fn normalise(domain: &str) -> String {
    let d = domain.trim().to_ascii_lowercase();
    let d = d.split_once("://").map_or(d.as_str(), |(_, rest)| rest);
    let d = d.split(['/', ':', '?', '#']).next().unwrap_or("");
    d.strip_prefix("www.").unwrap_or(d).trim_end_matches('.').to_string()
}

fn ellipsis(s: &str) -> String {
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s.to_string() }
}

/// The grade a rating gives one source.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedGrade {
    /// Letter as an origin, when ratings set origin grades.
    pub origin: Option<char>,
    /// Letter as a relay, when ratings set relay grades.
    pub relay: Option<char>,
    /// Where it came from, shown as the hop's `grade_from`: `rating:DOMAIN=SCORE`.
    pub from: String,
}

/// Rated grades by story source id.
pub type RatedGrades = BTreeMap<String, RatedGrade>;

/// The `[ratings]` settings: cut points and which grades a rating sets.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingSettings {
    /// The CSV file, relative to the config file that names it; `None` when no ratings are used.
    pub file: Option<String>,
    /// (lowest score, letter), descending by score; a score below every cut point gets no rated grade.
    pub cuts: Vec<(f64, char)>,
    /// Whether a rating sets a source's grade as an origin.
    pub origin: bool,
    /// Whether a rating sets a source's grade as a relay.
    pub relay: bool,
}

impl RatingSettings {
    /// The letter of a score: that of the first cut point it reaches.
    #[must_use]
    pub fn letter(&self, score: f64) -> Option<char> {
        self.cuts.iter().find(|(at, _)| score >= *at).map(|(_, g)| *g)
    }

    /// The rated grade of every source that has a rated domain and no grade of its own (a grade the story
    /// states wins over data; a source with several domains takes the best-rated one).
    #[must_use]
    pub fn grades(&self, ratings: &DomainRatings, sources: &[Source]) -> RatedGrades {
        let mut out = RatedGrades::new();
        if !(self.origin || self.relay) {
            return out;
        }
        for s in sources {
            let best = s
                .domains
                .iter()
                .filter_map(|d| ratings.score(d))
                .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)));
            let Some((domain, score)) = best else { continue };
            let Some(letter) = self.letter(score) else { continue };
            let origin = (self.origin && s.grade.is_none()).then_some(letter);
            let relay = (self.relay && s.relay.is_none()).then_some(letter);
            if origin.is_some() || relay.is_some() {
                out.insert(s.id.clone(), RatedGrade { origin, relay, from: format!("rating:{domain}={score:.3}") });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> RatingSettings {
        RatingSettings {
            file: None,
            cuts: vec![(0.85, 'A'), (0.7, 'B'), (0.5, 'C'), (0.3, 'D'), (0.0, 'E')],
            origin: true,
            relay: true,
        }
    }

    #[test]
    fn header_columns_and_plain_rows() {
        let named = DomainRatings::parse("r.csv", "score,domain\n0.4,a.example\n").unwrap();
        assert_eq!(named.score("a.example"), Some(("a.example", 0.4)));
        let plain = DomainRatings::parse("r.csv", "# no header\nb.example,0.6\n\nc.example,1\n").unwrap();
        assert_eq!((plain.len(), plain.score("c.example")), (2, Some(("c.example", 1.0))));
        let pc1 = DomainRatings::parse("r.csv", "domain,pc1\nd.example,0.25\n").unwrap();
        assert_eq!(pc1.score("https://www.d.example/world/story.html"), Some(("d.example", 0.25)));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let Err(Error::Config(Diagnostics(d))) =
            DomainRatings::parse("r.csv", "domain,score\nok.example,0.5\nbad.example,1.7\nnone.example\n,0.1\n")
        else {
            panic!("bad rows accepted");
        };
        let lines: Vec<Option<usize>> = d.iter().map(|x| x.line).collect();
        assert_eq!(lines, [Some(3), Some(4), Some(5)]);
        assert!(d[0].message.contains("1.7") && d[2].message.contains("empty domain"), "{d:?}");
        let twice = DomainRatings::parse("r.csv", "a.example,0.9\nwww.a.example/world,0.2\n").unwrap();
        assert_eq!(twice.score("a.example"), Some(("a.example", 0.9)));
    }

    #[test]
    fn parents_but_not_suffixes() {
        let r = DomainRatings::parse("r.csv", "paper.co.uk,0.9\nco.uk,0.1\nexample.com,0.5\n").unwrap();
        assert_eq!(r.score("news.paper.co.uk"), Some(("paper.co.uk", 0.9)));
        assert_eq!(r.score("other.co.uk"), None);
        assert_eq!(r.score("a.b.example.com"), Some(("example.com", 0.5)));
        assert_eq!(r.score("com"), None);
        let short = DomainRatings::parse("r.csv", "ft.com,0.8\n").unwrap();
        assert_eq!(short.score("edition.ft.com"), Some(("ft.com", 0.8)));
    }

    #[test]
    fn cut_points_and_stated_grades() {
        let s = settings();
        assert_eq!(
            [0.9, 0.85, 0.7, 0.69, 0.31, 0.0].map(|x| s.letter(x)),
            [Some('A'), Some('A'), Some('B'), Some('C'), Some('D'), Some('E')]
        );
        let r = DomainRatings::parse("r.csv", "wire.example,0.95\ntabloid.example,0.2\n").unwrap();
        let wire = Source { domains: vec!["wire.example".into()], ..Source::named("wire", "Wire", "agency") };
        let tab = Source {
            domains: vec!["tabloid.example".into()],
            grade: Some("B".into()),
            ..Source::named("tab", "Tabloid", "outlet")
        };
        let none = Source::named("p", "Person", "person");
        let g = s.grades(&r, &[wire, tab, none]);
        assert_eq!(g["wire"].origin, Some('A'));
        assert_eq!(g["wire"].from, "rating:wire.example=0.950");
        // The story's own grade wins; the relay grade, not stated, still follows the rating.
        assert_eq!((g["tab"].origin, g["tab"].relay), (None, Some('E')));
        assert!(!g.contains_key("p"));
    }
}

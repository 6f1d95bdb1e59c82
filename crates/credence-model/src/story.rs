//! The `Story` model: articles, sources, claims, reports and contradictions.
//!
//! This is the contract between extraction (which writes a story) and scoring (which reads one), and the
//! format users read and correct by hand. It is plain data; it round-trips through TOML and JSON with the same
//! field names. [`Story::load`] parses a file and [`validate`] checks it against a vocabulary, reporting
//! every problem at its line.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::locate::{DocPath, Locator, Syntax, line_col};
use crate::vocab::{GRADE_LETTERS, Vocabulary};

/// A story: everything credence knows about one news event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Story {
    /// Title and description.
    pub story: StoryInfo,
    /// The parties of this story (a government, an insurgent group, two companies in a dispute), who
    /// opposes whom, and the phrases that name their members. A story's sides are its own: stated by the user
    /// or inferred by extraction from the articles, always written in the draft to check and edit.
    #[serde(default, rename = "side", skip_serializing_if = "Vec::is_empty")]
    pub sides: Vec<SideDef>,
    /// Every source: outlets, agencies, monitors, parties, people, accounts.
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    /// The articles read.
    #[serde(default, rename = "article")]
    pub articles: Vec<Article>,
    /// The propositions whose support is assessed.
    #[serde(default, rename = "claim")]
    pub claims: Vec<Claim>,
    /// One article stating, through a chain of sources, that a claim holds (or does not).
    #[serde(default, rename = "report")]
    pub reports: Vec<Report>,
    /// Pairs of claims that cannot both be true.
    #[serde(default, rename = "contradiction")]
    pub contradictions: Vec<Contradiction>,
}

/// A party to the story (a `[[side]]` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SideDef {
    /// Unique id, used by sources' `side` and claims' `favours`.
    pub id: String,
    /// Display name ("Government forces").
    pub name: String,
    /// Phrases that name the side's members in text ("the army", "regime forces"), matched case-insensitively.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// Ids of the sides whose gains count against this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opposes: Vec<String>,
    /// Why extraction inferred this side, when it did (a user's side has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

/// The `[story]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StoryInfo {
    /// Title of the story.
    pub title: String,
    /// What the story is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A source of statements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind, one of the config's `[kinds]`.
    pub kind: String,
    /// Party the source belongs to, one of the config's `[sides]`; none for neutral sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// Other names the source goes by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// People who speak for the source, as articles name them ("Rami Abdel Rahman", "Abdel Rahman"): a
    /// statement by one of them is the source's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<String>,
    /// Web domains of the source (an outlet's site), to know it from an article's address.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// Reliability grade A–F as an origin, overriding the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Grade A–F as a relay, overriding the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
    /// Organisation this source speaks for (a spokesperson, an official account): its statements are the
    /// organisation's origin for independence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_of: Option<String>,
}

impl Source {
    /// A source with an id, a name and a kind and nothing else: no side, aliases, people, domains, grades or
    /// organisation. Extraction builds every new source from this and sets what it knows.
    #[must_use]
    pub fn named(id: impl Into<String>, name: impl Into<String>, kind: impl Into<String>) -> Source {
        Source {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            side: None,
            aliases: Vec::new(),
            people: Vec::new(),
            domains: Vec::new(),
            grade: None,
            relay: None,
            member_of: None,
        }
    }
}

/// One article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// Unique id.
    pub id: String,
    /// The publishing outlet (a source id).
    pub outlet: String,
    /// The article file, relative to the story file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: String,
    /// Address of the article, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Publication date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    /// Agencies and others credited (source ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits: Vec<String>,
    /// Articles this one copies text from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copied_from: Vec<CopiedFrom>,
}

/// A copy relation: this article takes `containment` of its text from `article`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopiedFrom {
    /// The article copied from.
    pub article: String,
    /// Share of the copying article's text found in the other, in `[0, 1]`.
    pub containment: f64,
    /// The passages taken: byte spans in this article's file and in the other's. A report whose evidence lies
    /// in a copied passage repeats the other article and is no new origin, whatever the containment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passages: Vec<Passage>,
}

/// One copied passage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passage {
    /// Byte span `[start, end)` in the copying article's file.
    pub span: [usize; 2],
    /// Byte span `[start, end)` of the same text in the copied article's file.
    pub from: [usize; 2],
}

/// A proposition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Unique id.
    pub id: String,
    /// The proposition in plain words.
    pub text: String,
    /// The side the claim helps, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favours: Option<String>,
    /// Prior probability of the claim without evidence; the config's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_rate: Option<f64>,
    /// The event key alignment grouped the claim's reports by (frame, sides, place, detail), written by
    /// `credence extract` so a reader can see why reports share a claim. Informational: the scorer ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// Whether a report asserts or denies its claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// The report says the claim holds.
    #[default]
    Supports,
    /// The report says the claim does not hold.
    Refutes,
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stance::Supports => "supports",
            Stance::Refutes => "refutes",
        })
    }
}

/// One statement in one article about one claim, with its attribution chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// The article (an id).
    pub article: String,
    /// The claim (an id).
    pub claim: String,
    /// Source ids from the article's outlet down to the origin of the statement.
    pub chain: Vec<String>,
    /// The person who spoke for the origin, as named in the article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The reporting verb or phrase as written; empty for the outlet's own voice.
    #[serde(default)]
    pub cue: String,
    /// Supports or refutes.
    #[serde(default)]
    pub stance: Stance,
    /// Caveat kinds governing this statement (config `[caveats]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
    /// The evidence text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Byte span `[start, end)` of the evidence in the article file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<[usize; 2]>,
    /// Set when the statement supports this claim only by implication (a side's withdrawal from a place
    /// implies the other side took it): why. Scored with the `inferred` caveat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

/// Two claims that cannot both hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contradiction {
    /// First claim id.
    pub a: String,
    /// Second claim id.
    pub b: String,
    /// Kind, one of the config's `[contradictions]`.
    pub kind: String,
    /// Why they conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How strongly they conflict, in `[0, 1]` (1 when absent): scales the kind's weight. "Almost all" vs
    /// "all" conflicts less than "fled" vs "redeployed".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub degree: Option<f64>,
    /// The statements in conflict: article and byte span of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// A statement cited as evidence of a contradiction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The claim the statement belongs to.
    pub claim: String,
    /// The article (an id).
    pub article: String,
    /// Byte span `[start, end)` in the article file.
    pub span: [usize; 2],
}

/// A calendar date (`YYYY-MM-DD`), written as a TOML date or a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    #[must_use]
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (year, month, day): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month, day })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Date, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Toml(toml::value::Datetime),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Text(s) => s,
            Raw::Toml(dt) => dt.to_string(),
        };
        Date::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("\"{text}\" is not a date of the form YYYY-MM-DD")))
    }
}

/// A story file as read from disk: the story, where it came from and its text (for locating problems).
#[derive(Debug, Clone)]
pub struct StoryFile {
    /// The parsed story.
    pub story: Story,
    /// The path as given.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// TOML or JSON.
    pub syntax: Syntax,
}

impl StoryFile {
    /// Directory that article paths are relative to.
    pub fn base_dir(&self) -> PathBuf {
        self.path.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    fn diag(&self, loc: Option<&Locator<'_>>, path: DocPath, message: String, help: Option<String>) -> Diagnostic {
        let (line, column) = loc.and_then(|l| l.find(&path)).unzip();
        Diagnostic { file: self.path.display().to_string(), line, column, path: Some(path.to_string()), message, help }
    }
}

impl Story {
    /// Reads and parses a story file (`.json` is JSON, anything else TOML). Does not validate.
    pub fn load(path: &Path) -> Result<StoryFile> {
        let bytes = crate::fsio::read_bounded(path, crate::fsio::MAX_INPUT_BYTES)
            .map_err(|e| Error::Read { path: path.to_path_buf(), source: e.into_io() })?;
        let name = path.display().to_string();
        let text = String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            Error::Story(Diagnostics(vec![Diagnostic {
                file: name.clone(),
                line: None,
                column: None,
                path: None,
                message: format!("not valid UTF-8 at byte {at}"),
                help: Some("save the story file as UTF-8".into()),
            }]))
        })?;
        let syntax =
            if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) { Syntax::Json } else { Syntax::Toml };
        let story = Story::parse(&name, &text, syntax)?;
        Ok(StoryFile { story, path: path.to_path_buf(), text, syntax })
    }

    /// Parses story text in the given syntax; `name` is used in error messages.
    pub fn parse(name: &str, text: &str, syntax: Syntax) -> Result<Story> {
        let fail = |line: Option<usize>, column: Option<usize>, message: String| {
            Error::Story(Diagnostics(vec![Diagnostic {
                file: name.to_string(),
                line,
                column,
                path: None,
                message,
                help: Some("see \"Story file format\" in the README for the tables and fields".into()),
            }]))
        };
        match syntax {
            Syntax::Toml => toml::from_str(text).map_err(|e| {
                let (line, column) = e.span().map(|s| line_col(text, s.start)).unzip();
                fail(line, column, e.message().trim().to_string())
            }),
            Syntax::Json => serde_json::from_str(text).map_err(|e| {
                let msg = e.to_string();
                let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |(m, _)| m).to_string();
                fail(Some(e.line()), Some(e.column()), msg)
            }),
        }
    }

    /// Serialises the story as TOML.
    #[must_use]
    pub fn to_toml(&self) -> String {
        // Written to be read and corrected top to bottom: the story, its sides, sources and articles, then each
        // claim followed by its reports (in their order), then the contradictions. Arrays stay on one line
        // (`span = [120, 245]`, `chain = ["outlet", "agency"]`). TOML allows `[[claim]]` and `[[report]]`
        // tables to alternate, so the file reads back as the same story with the reports grouped by claim;
        // files in the older layout (all claims, then all reports) read as before.
        #[derive(Serialize)]
        struct Head<'a> {
            story: &'a StoryInfo,
            #[serde(rename = "side", skip_serializing_if = "<[_]>::is_empty")]
            sides: &'a [SideDef],
            #[serde(rename = "source", skip_serializing_if = "<[_]>::is_empty")]
            sources: &'a [Source],
            #[serde(rename = "article", skip_serializing_if = "<[_]>::is_empty")]
            articles: &'a [Article],
        }
        #[derive(Serialize)]
        struct OneClaim<'a> {
            claim: [&'a Claim; 1],
            #[serde(rename = "report", skip_serializing_if = "Vec::is_empty")]
            reports: Vec<&'a Report>,
        }
        #[derive(Serialize)]
        struct Orphans<'a> {
            #[serde(rename = "report")]
            reports: Vec<&'a Report>,
        }
        #[derive(Serialize)]
        struct Tail<'a> {
            #[serde(rename = "contradiction")]
            contradictions: &'a [Contradiction],
        }
        // Serialising plain structs of strings, numbers and lists cannot fail.
        let ser = |v: &dyn erased::Ser| v.toml();
        let mut out =
            ser(&Head { story: &self.story, sides: &self.sides, sources: &self.sources, articles: &self.articles });
        let mut by_claim: HashMap<&str, Vec<&Report>> = HashMap::new();
        for r in &self.reports {
            by_claim.entry(r.claim.as_str()).or_default().push(r);
        }
        let mut written: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for c in &self.claims {
            let reports = if written.insert(c.id.as_str()) {
                by_claim.remove(c.id.as_str()).unwrap_or_default()
            } else {
                Vec::new()
            };
            out.push('\n');
            out.push_str(&ser(&OneClaim { claim: [c], reports }));
        }
        // Reports of no claim (an invalid story, written as it is so nothing is lost), in story order.
        let orphans: Vec<&Report> = self.reports.iter().filter(|r| by_claim.contains_key(r.claim.as_str())).collect();
        if !orphans.is_empty() {
            out.push('\n');
            out.push_str(&ser(&Orphans { reports: orphans }));
        }
        if !self.contradictions.is_empty() {
            out.push('\n');
            out.push_str(&ser(&Tail { contradictions: &self.contradictions }));
        }
        out
    }

    /// Serialises the story as pretty JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("story serialises as JSON")
    }

    /// Index of the source with this id.
    #[must_use]
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// A story that passed [`validate`]: every id is unique, every reference resolves, every chain is non-empty,
/// starts at its article's outlet and has no loops, every kind, side, caveat and contradiction kind is in the
/// vocabulary. Only `validate` makes one, so code that takes a `&ValidStory` (the claim graph, the scorer)
/// can rely on all of that instead of checking again or silently dropping what does not resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidStory(Story);

impl ValidStory {
    /// The story.
    #[must_use]
    pub fn story(&self) -> &Story {
        &self.0
    }

    /// The story, to edit it (it must then be validated again).
    #[must_use]
    pub fn into_story(self) -> Story {
        self.0
    }
}

impl std::ops::Deref for ValidStory {
    type Target = Story;
    fn deref(&self) -> &Story {
        &self.0
    }
}

pub use crate::tomlmerge::closest;

/// The help of an unknown id: the closest known one when it is close enough, and the known ids.
fn did_you_mean(id: &str, known: &HashMap<String, usize>, list: &str) -> String {
    let names: Vec<&str> = known.keys().map(String::as_str).collect();
    match crate::tomlmerge::closest(id, &names) {
        Some(k) => format!("did you mean \"{k}\"? known: {list}"),
        None => format!("known: {list}"),
    }
}

/// Checks a loaded story against a vocabulary (the kinds, sides, caveat and contradiction kinds it may use);
/// returns every problem found.
///
/// `check_files` also opens each article's file to check that every report's span lies inside it and, when
/// the report has a quote, that the span holds exactly that quote.
pub fn validate(file: &StoryFile, vocab: &Vocabulary, check_files: bool) -> Result<ValidStory> {
    check(file, vocab, check_files)?;
    Ok(ValidStory(file.story.clone()))
}

/// [`validate`], moving the story out of `file` when it is valid (`file.story` is then empty; its path and
/// text stay for messages). A big folder's story is large, and holding it twice was a good share of the
/// memory of a run. When the story is not valid, `file` is left as it was.
pub fn validate_into(file: &mut StoryFile, vocab: &Vocabulary, check_files: bool) -> Result<ValidStory> {
    check(file, vocab, check_files)?;
    Ok(ValidStory(std::mem::take(&mut file.story)))
}

/// Every rule of [`validate`].
fn check(file: &StoryFile, vocab: &Vocabulary, check_files: bool) -> Result<()> {
    let s = &file.story;
    // The story's own sides join the vocabulary's (a config may name sides every story shares).
    let mut with_sides = vocab.clone();
    for d in &s.sides {
        with_sides.sides.entry(d.id.clone()).or_insert_with(|| d.opposes.clone());
    }
    let vocab = &with_sides;
    let mut errs: Vec<Diagnostic> = Vec::new();
    let root = DocPath::root();
    // Locating needs the file parsed once; problems past those shown are counted, not located.
    let loc = Locator::new(&file.text, file.syntax);
    let mut err = |path: DocPath, message: String, help: Option<String>| {
        crate::work::add(1);
        let located = (errs.len() < crate::error::MAX_SHOWN).then_some(&loc);
        errs.push(file.diag(located, path, message, help));
    };

    if s.story.title.trim().is_empty() {
        err(root.key("story").key("title"), "the story has no title".into(), Some("set `title` in [story]".into()));
    }

    // Unique ids.
    let ids = |table: &str,
               list: Vec<&str>,
               err: &mut dyn FnMut(DocPath, String, Option<String>)|
     -> HashMap<String, usize> {
        let mut seen = HashMap::new();
        for (i, id) in list.into_iter().enumerate() {
            let path = root.key(table).index(i).key("id");
            if id.trim().is_empty() {
                err(path, format!("{table} #{} has an empty id", i + 1), Some("give every entry a unique id".into()));
            } else if let Some(first) = seen.insert(id.to_string(), i) {
                seen.insert(id.to_string(), first);
                err(
                    path,
                    format!("duplicate {table} id \"{id}\" (first used by {table}[{first}])"),
                    Some("ids must be unique within their table".into()),
                );
            }
        }
        seen
    };
    let story_sides = ids("side", s.sides.iter().map(|x| x.id.as_str()).collect(), &mut err);
    for (i, d) in s.sides.iter().enumerate() {
        let path = root.key("side").index(i);
        if d.name.trim().is_empty() {
            err(path.key("name"), format!("side \"{}\" has no name", d.id), Some("give it a display name".into()));
        }
        for (j, o) in d.opposes.iter().enumerate() {
            if o == &d.id || !(story_sides.contains_key(o) || vocab.sides.contains_key(o)) {
                let known: Vec<&str> = vocab.sides.keys().map(String::as_str).filter(|k| *k != d.id).collect();
                err(
                    path.key("opposes").index(j),
                    format!(
                        "side \"{}\" opposes \"{o}\", which is {}",
                        d.id,
                        if o == &d.id { "itself" } else { "not a side" }
                    ),
                    Some(format!("use one of: {}", known.join(", "))),
                );
            }
        }
    }
    let sources = ids("source", s.sources.iter().map(|x| x.id.as_str()).collect(), &mut err);
    let articles = ids("article", s.articles.iter().map(|x| x.id.as_str()).collect(), &mut err);
    let claims = ids("claim", s.claims.iter().map(|x| x.id.as_str()).collect(), &mut err);

    let list = |m: &HashMap<String, usize>| {
        let mut v: Vec<&str> = m.keys().map(String::as_str).collect();
        v.sort_unstable();
        if v.len() > 12 { format!("{}, … ({} in all)", v[..12].join(", "), v.len()) } else { v.join(", ") }
    };
    // Each list is written once, when first needed: sorting every id again for each problem was quadratic.
    let source_list = std::cell::LazyCell::new(|| list(&sources));
    let article_list = std::cell::LazyCell::new(|| list(&articles));
    let claim_list = std::cell::LazyCell::new(|| list(&claims));
    let kinds: Vec<&str> = vocab.kinds.keys().map(String::as_str).collect();
    let sides: Vec<&str> = vocab.sides.keys().map(String::as_str).collect();
    let grade_ok = |g: &str| g.len() == 1 && GRADE_LETTERS.contains(&g.chars().next().unwrap_or('?'));

    for (i, src) in s.sources.iter().enumerate() {
        let path = root.key("source").index(i);
        if !vocab.kinds.contains_key(&src.kind) {
            err(
                path.key("kind"),
                format!("unknown source kind \"{}\" for source \"{}\"", src.kind, src.id),
                Some(format!("use one of: {} (or add [kinds.{}] to your config)", kinds.join(", "), src.kind)),
            );
        }
        if let Some(side) = &src.side
            && !vocab.sides.contains_key(side)
        {
            err(
                path.key("side"),
                format!("unknown side \"{side}\" for source \"{}\"", src.id),
                Some(format!("use one of: {} (or add a [[side]] with id = \"{side}\" to the story)", sides.join(", "))),
            );
        }
        for (field, g) in [("grade", &src.grade), ("relay", &src.relay)] {
            if let Some(g) = g
                && !grade_ok(g)
            {
                err(
                    path.key(field),
                    format!("\"{g}\" is not a grade (source \"{}\")", src.id),
                    Some("use one letter from A to F".into()),
                );
            }
        }
        if let Some(m) = &src.member_of {
            if sources.contains_key(m) {
                // Follow member_of links; a cycle has no organisation at its root.
                let mut seen = HashSet::from([src.id.as_str()]);
                let mut cur = m.as_str();
                loop {
                    if !seen.insert(cur) {
                        err(
                            path.key("member_of"),
                            format!("member_of links of \"{}\" form a loop through \"{cur}\"", src.id),
                            Some("a person or account belongs to an organisation, not the other way round".into()),
                        );
                        break;
                    }
                    match s.source(cur).and_then(|x| x.member_of.as_deref()) {
                        Some(next) if sources.contains_key(next) => cur = next,
                        _ => break,
                    }
                }
            } else {
                err(
                    path.key("member_of"),
                    format!("unknown source id \"{m}\" in member_of of \"{}\"", src.id),
                    Some(format!("known sources: {}", &*source_list)),
                );
            }
        }
    }

    for (i, art) in s.articles.iter().enumerate() {
        let path = root.key("article").index(i);
        if !sources.contains_key(&art.outlet) {
            err(
                path.key("outlet"),
                format!("unknown outlet \"{}\" for article \"{}\"", art.outlet, art.id),
                Some(format!("add a [[source]] with id = \"{}\", or use one of: {}", art.outlet, &*source_list)),
            );
        }
        for (j, c) in art.credits.iter().enumerate() {
            if !sources.contains_key(c) {
                err(
                    path.key("credits").index(j),
                    format!("unknown source id \"{c}\" in credits of \"{}\"", art.id),
                    Some(format!("known sources: {}", &*source_list)),
                );
            }
        }
        for (j, c) in art.copied_from.iter().enumerate() {
            let cp = path.key("copied_from").index(j);
            if !articles.contains_key(&c.article) {
                err(
                    cp.key("article"),
                    format!("unknown article id \"{}\" in copied_from of \"{}\"", c.article, art.id),
                    Some(format!("known articles: {}", &*article_list)),
                );
            } else if c.article == art.id {
                err(cp.key("article"), format!("article \"{}\" cannot copy from itself", art.id), None);
            }
            for (k, p) in c.passages.iter().enumerate() {
                for (field, sp) in [("span", p.span), ("from", p.from)] {
                    if sp[0] > sp[1] {
                        err(
                            cp.key("passages").index(k).key(field),
                            format!("span [{}, {}] ends before it starts", sp[0], sp[1]),
                            None,
                        );
                    }
                }
            }
            if !(0.0..=1.0).contains(&c.containment) || !c.containment.is_finite() {
                err(
                    cp.key("containment"),
                    format!("containment {} is out of range [0, 1]", c.containment),
                    Some("containment is the share of this article's text taken from the other".into()),
                );
            }
        }
    }

    for (i, c) in s.claims.iter().enumerate() {
        let path = root.key("claim").index(i);
        if c.text.trim().is_empty() {
            err(
                path.key("text"),
                format!("claim \"{}\" has no text", c.id),
                Some("state the proposition in plain words".into()),
            );
        }
        if let Some(f) = &c.favours
            && !vocab.sides.contains_key(f)
        {
            err(
                path.key("favours"),
                format!("unknown side \"{f}\" in claim \"{}\"", c.id),
                Some(format!("use one of: {}", sides.join(", "))),
            );
        }
        if let Some(a) = c.base_rate
            && !(0.0..=1.0).contains(&a)
        {
            err(path.key("base_rate"), format!("base_rate {a} is out of range [0, 1]"), None);
        }
    }

    // A claim nothing reports has no evidence at all: scoring it would show the prior (0.500) as if it were
    // a reading.
    let reported: std::collections::HashSet<&str> = s.reports.iter().map(|r| r.claim.as_str()).collect();
    for (i, c) in s.claims.iter().enumerate() {
        if !c.id.trim().is_empty() && !reported.contains(c.id.as_str()) {
            err(
                root.key("claim").index(i).key("id"),
                format!("claim \"{}\" has no report", c.id),
                Some(format!(
                    "add a [[report]] with claim = \"{}\", or remove the claim (with no report it cannot be scored)",
                    c.id
                )),
            );
        }
    }

    // Spans against their article files: each file is read once, by the thread checking its reports, and let
    // go when they are checked (holding every file of a big folder was much of the memory of validation).
    // The problems are then reported in report order with the rest.
    let mut by_article: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    if check_files {
        for (i, r) in s.reports.iter().enumerate() {
            if let (Some([a, b]), Some(&k)) = (r.span, articles.get(&r.article))
                && a <= b
                && s.articles[k].path.is_some()
            {
                let v = by_article.entry(s.articles[k].id.as_str()).or_insert_with(|| {
                    order.push(s.articles[k].id.as_str());
                    Vec::new()
                });
                v.push(i);
            }
        }
    }
    let checked: Vec<Vec<(usize, SpanProblem)>> = crate::work::par_map(&order, |_, id| {
        let art = &s.articles[articles[*id]];
        let rel = art.path.as_deref().unwrap_or_default();
        let text =
            crate::fsio::read_bounded(&file.base_dir().join(rel), crate::fsio::MAX_INPUT_BYTES).ok().map(FileText::new);
        by_article[id].iter().filter_map(|&i| span_problem(text.as_ref(), rel, &s.reports[i]).map(|p| (i, p))).collect()
    });
    let mut span_problems: HashMap<usize, SpanProblem> = checked.into_iter().flatten().collect();
    for (i, r) in s.reports.iter().enumerate() {
        let path = root.key("report").index(i);
        let article = articles.get(&r.article).map(|&k| &s.articles[k]);
        if article.is_none() {
            err(
                path.key("article"),
                format!("unknown article id \"{}\"", r.article),
                Some(did_you_mean(&r.article, &articles, &article_list)),
            );
        }
        if !claims.contains_key(&r.claim) {
            err(
                path.key("claim"),
                format!("unknown claim id \"{}\"", r.claim),
                Some(did_you_mean(&r.claim, &claims, &claim_list)),
            );
        }
        if r.chain.is_empty() {
            err(path.key("chain"), "empty chain".into(), Some("list the sources from the article's outlet down to the origin, e.g. [\"outlet\", \"agency\", \"origin\"]; [\"outlet\"] for its own voice".into()));
        }
        for (j, link) in r.chain.iter().enumerate() {
            let lp = path.key("chain").index(j);
            // Chains are a few links long: the earlier ones are scanned, with no map per report (the nearest
            // earlier use is named, as the map of last positions named it).
            let first_use = r.chain[..j].iter().rposition(|x| x == link);
            if !sources.contains_key(link) {
                err(
                    lp,
                    format!("unknown source id \"{link}\" in chain"),
                    Some(format!("add a [[source]] with id = \"{link}\", or use one of: {}", &*source_list)),
                );
            } else if let Some(first) = first_use {
                err(
                    lp,
                    format!("chain loops: \"{link}\" appears at positions {first} and {j}"),
                    Some("each source appears once on a chain; drop the repeated hop".into()),
                );
            }
        }
        if let (Some(art), Some(first)) = (article, r.chain.first())
            && first != &art.outlet
        {
            err(
                path.key("chain").index(0),
                format!("chain starts at \"{first}\" but article \"{}\" is published by \"{}\"", art.id, art.outlet),
                Some(format!("start the chain with \"{}\"", art.outlet)),
            );
        }
        for (j, c) in r.caveats.iter().enumerate() {
            if !vocab.caveats.contains(c) {
                let known: Vec<&str> = vocab.caveats.iter().map(String::as_str).collect();
                err(
                    path.key("caveats").index(j),
                    format!("unknown caveat kind \"{c}\""),
                    Some(format!("use one of: {}", known.join(", "))),
                );
            }
        }
        if let Some([a, b]) = r.span {
            if a > b {
                err(path.key("span"), format!("span [{a}, {b}] ends before it starts"), None);
            } else if let Some((message, help)) = span_problems.remove(&i) {
                err(path.key("span"), message, help);
            }
        }
    }

    for (i, c) in s.contradictions.iter().enumerate() {
        let path = root.key("contradiction").index(i);
        for (k, id) in [("a", &c.a), ("b", &c.b)] {
            if !claims.contains_key(id) {
                err(path.key(k), format!("unknown claim id \"{id}\""), Some(format!("known claims: {}", &*claim_list)));
            }
        }
        if c.a == c.b {
            err(path.key("b"), format!("claim \"{}\" cannot contradict itself", c.a), None);
        }
        if !vocab.contradictions.contains(&c.kind) {
            let known: Vec<&str> = vocab.contradictions.iter().map(String::as_str).collect();
            err(
                path.key("kind"),
                format!("unknown contradiction kind \"{}\"", c.kind),
                Some(format!("use one of: {}", known.join(", "))),
            );
        }
        if let Some(d) = c.degree
            && (!d.is_finite() || !(0.0..=1.0).contains(&d))
        {
            err(path.key("degree"), format!("degree {d} is out of range [0, 1]"), Some("1 is a full conflict".into()));
        }
        for (j, e) in c.evidence.iter().enumerate() {
            let ep = path.key("evidence").index(j);
            if !articles.contains_key(&e.article) {
                err(
                    ep.key("article"),
                    format!("unknown article id \"{}\"", e.article),
                    Some(format!("known articles: {}", &*article_list)),
                );
            }
            if !claims.contains_key(&e.claim) {
                err(
                    ep.key("claim"),
                    format!("unknown claim id \"{}\"", e.claim),
                    Some(format!("known claims: {}", &*claim_list)),
                );
            }
            if e.span[0] > e.span[1] {
                err(ep.key("span"), format!("span [{}, {}] ends before it starts", e.span[0], e.span[1]), None);
            }
        }
    }

    if errs.is_empty() { Ok(()) } else { Err(Error::Story(Diagnostics(errs))) }
}

/// What is wrong with a report's span in its article file (`text`, `None` when the file cannot be read):
/// the message and a hint.
type SpanProblem = (String, Option<String>);

fn span_problem(text: Option<&FileText>, rel: &str, r: &Report) -> Option<SpanProblem> {
    let [a, b] = r.span?;
    match text {
        None => Some((
            format!("cannot check the span: article file \"{rel}\" cannot be read"),
            Some("fix the article's path (relative to the story file)".into()),
        )),
        Some(t) if b > t.bytes.len() => {
            Some((format!("span [{a}, {b}] runs past the end of \"{rel}\" ({} bytes)", t.bytes.len()), None))
        }
        // In HTML the quote is rendered text and the span points into the markup: only the bounds can be
        // checked there.
        Some(_) if is_html(rel) => None,
        Some(t) => match (span_text(t, a, b), &r.quote) {
            (None, _) => Some((format!("span [{a}, {b}] splits a character in \"{rel}\""), None)),
            (Some(got), Some(q)) if !same_text(&got, q) => Some((
                format!("span [{a}, {b}] of \"{rel}\" holds \"{}\", not the quote", ellipsis(&got, 60)),
                Some("correct the span or the quote; spans are UTF-8 byte offsets".into()),
            )),
            _ => None,
        },
    }
}

/// An article file's bytes with what its encoding is, found once per file (a story has many spans per file).
struct FileText {
    bytes: Vec<u8>,
    /// `Some(little_endian)` for a UTF-16 file.
    utf16: Option<bool>,
    /// Whether the whole file is valid UTF-8: asked only when a span is not, so found then, once.
    utf8: std::cell::OnceCell<bool>,
}

impl FileText {
    fn new(bytes: Vec<u8>) -> FileText {
        // A UTF-16 file (read by decoding it): its spans hold UTF-16 code units.
        let utf16 = match bytes.as_slice() {
            [0xFF, 0xFE, ..] => Some(true),
            [0xFE, 0xFF, ..] => Some(false),
            b if b.iter().take(4096).any(|&x| x == 0) => {
                // No byte-order mark: ASCII-range text has its NULs in the high byte of each unit.
                let zeros = |parity: usize| b.iter().take(4096).skip(parity).step_by(2).filter(|&&x| x == 0).count();
                Some(zeros(1) >= zeros(0))
            }
            _ => None,
        };
        FileText { bytes, utf16, utf8: std::cell::OnceCell::new() }
    }
}

/// The text of bytes `a..b` of a file. A span of a valid UTF-8 file must not split a character; a file that is
/// not valid UTF-8 was read with replacement characters, and its spans are compared the same way.
fn span_text(file: &FileText, a: usize, b: usize) -> Option<std::borrow::Cow<'_, str>> {
    let slice = file.bytes.get(a..b)?;
    if let Some(little) = file.utf16 {
        let units = slice
            .chunks_exact(2)
            .map(|c| if little { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        return Some(std::borrow::Cow::Owned(char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect()));
    }
    match std::str::from_utf8(slice) {
        Ok(s) => Some(std::borrow::Cow::Borrowed(s)),
        Err(_) if *file.utf8.get_or_init(|| std::str::from_utf8(&file.bytes).is_ok()) => None,
        Err(_) => Some(String::from_utf8_lossy(slice)),
    }
}

fn is_html(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".html") || p.ends_with(".htm")
}

/// Compares text allowing differences in whitespace only (line breaks inside a quoted passage).
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

fn ellipsis(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2015-04-25").unwrap().to_string(), "2015-04-25");
        assert!(Date::parse("2015-02-29").is_none());
        assert!(Date::parse("2016-02-29").is_some());
        assert!(Date::parse("25 April").is_none());
    }

    #[test]
    fn toml_date_or_string() {
        let a: Article = toml::from_str("id='a'\noutlet='o'\npublished=2015-04-25").unwrap();
        let b: Article = toml::from_str("id='a'\noutlet='o'\npublished='2015-04-25'").unwrap();
        assert_eq!(a.published, b.published);
        assert!(toml::from_str::<Article>("id='a'\noutlet='o'\npublished='April'").is_err());
    }
}

/// Serialising the parts of a story file as TOML, through one function.
mod erased {
    /// A part of the story file.
    pub(super) trait Ser {
        fn toml(&self) -> String;
    }

    impl<T: serde::Serialize> Ser for T {
        fn toml(&self) -> String {
            // Plain structs of strings, numbers and lists cannot fail to serialise.
            toml::to_string(self).expect("story serialises as TOML")
        }
    }
}

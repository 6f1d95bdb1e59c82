//! Extraction: from a folder of raw articles to a [`Story`] the scorer can read and a person can correct.
//!
//! The stages, each its own module: [`crate::ingest`] reads the files and removes boilerplate;
//! [`crate::segment`] cuts paragraphs into sentences and finds quotations; [`crate::attribution`] finds who
//! says what; [`crate::caveat`] finds the caveats and their scope; [`crate::resolve`] turns source phrases
//! into source ids. This module puts their output together: for every attribution a report whose chain runs
//! from the article's outlet through any relays ("told AFP", "quoting an official") to the origin, and for
//! every unattributed sentence a report in the outlet's own voice.
//!
//! Claims are not aligned across reports here (that is a later stage): each report's content becomes a claim
//! of its own, and identical wordings share one. What the user already stated in a story file (sources with
//! their aliases, article metadata) wins over what is inferred.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::align::{ArticleContext, RawReport, Sides};
use crate::frame::FrameLexicon;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::attribution::{self, Attribution, AttributionLexicon, CueClass};
use crate::caveat::{self, Caveat, CaveatLexicon};
use crate::ingest::{self, BoilerplateLexicon, Document, IngestOptions, Skipped};
use crate::resolve::{Resolver, SourceLexicon, norm_words, slug};
use crate::segment::{self, Abbreviations};
use credence_model::error::Result;
use credence_model::story::{Article, CopiedFrom, Passage, Report, SideDef, Source, Stance, Story, StoryInfo};
use credence_model::text::Slice;
use credence_model::vocab::{Role, Vocabulary};

/// The lexicons extraction uses.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// Boilerplate cues.
    pub boilerplate: BoilerplateLexicon,
    /// Abbreviations for sentence splitting.
    pub abbreviations: Abbreviations,
    /// Reporting cues and function words.
    pub attribution: AttributionLexicon,
    /// Caveat phrases.
    pub caveats: CaveatLexicon,
    /// Known sources and kind rules.
    pub sources: SourceLexicon,
    /// Event frames, actors and their sides.
    pub frames: FrameLexicon,
    /// Copy-detection settings.
    pub copies: crate::copy::CopyLexicon,
    /// Claim parsing and stance cues, for merging paraphrases and attaching refutations.
    pub stance: credence_stance::Lexicon,
    /// Known news organisations: names, aliases, domains and kinds.
    pub outlets: crate::gazetteer::Gazetteer,
}

/// The lexicon files, by the name a user's override must have, with the built-in text and the tables a user
/// may add entries to.
pub const LEXICON_FILES: [(&str, &str, &[&str]); 9] = [
    ("attribution.toml", crate::attribution::BUILTIN_LEXICON, &[]),
    ("abbreviations.toml", crate::segment::ABBREVIATIONS, &[]),
    ("boilerplate.toml", crate::ingest::BUILTIN_LEXICON, &[]),
    ("caveats.toml", crate::caveat::BUILTIN_CAVEATS, &[]),
    ("copies.toml", crate::copy::BUILTIN_COPIES, &[]),
    ("frames.toml", crate::frame::BUILTIN_FRAMES, &["sides", "frames"]),
    ("outlets.toml", crate::gazetteer::BUILTIN_OUTLETS, &[]),
    ("sources.toml", crate::resolve::BUILTIN_SOURCES, &["sides"]),
    ("stance.toml", credence_stance::BUILTIN_LEXICON, &[]),
];

impl Lexicons {
    /// The lexicons shipped with credence.
    #[must_use]
    pub fn builtin() -> Lexicons {
        let outlets = crate::gazetteer::Gazetteer::builtin();
        Lexicons {
            boilerplate: BoilerplateLexicon::builtin(),
            abbreviations: Abbreviations::builtin(),
            attribution: AttributionLexicon::builtin(),
            caveats: CaveatLexicon::builtin(),
            sources: SourceLexicon::builtin(),
            frames: FrameLexicon::builtin().with_outlets(outlet_names(&outlets)),
            copies: crate::copy::CopyLexicon::builtin(),
            stance: credence_stance::Lexicon::default(),
            outlets,
        }
    }

    /// The built-in lexicons with a user's overrides: each path is a lexicon file named like a built-in one
    /// (`attribution.toml`, `frames.toml`, …) or a folder holding some of them. A file is merged into the
    /// built-in lexicon key by key, as a config file is into the defaults: a key it sets replaces the
    /// built-in value (a list replaces the whole list), a key the lexicon does not have is an error, and every
    /// problem is located at its line.
    pub fn load(overrides: &[PathBuf]) -> Result<Lexicons> {
        let mut chosen: BTreeMap<&str, (String, String)> = BTreeMap::new(); // lexicon → (file, text)
        let mut errors = Vec::new();
        let mut take = |path: &Path, name: &'static str, errors: &mut Vec<credence_model::error::Diagnostic>| {
            match credence_model::fsio::read_bounded(path, credence_model::fsio::MAX_INPUT_BYTES)
                .map_err(|e| e.to_string())
                .and_then(|b| {
                    String::from_utf8(b)
                        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
                }) {
                Ok(text) => {
                    chosen.insert(name, (path.display().to_string(), text));
                }
                Err(e) => errors.push(credence_model::error::Diagnostic {
                    file: path.display().to_string(),
                    line: None,
                    column: None,
                    path: None,
                    message: format!("cannot read the lexicon: {e}"),
                    help: None,
                }),
            }
        };
        for p in overrides {
            if p.is_dir() {
                let mut any = false;
                for (name, _, _) in LEXICON_FILES {
                    let f = p.join(name);
                    if f.is_file() {
                        any = true;
                        take(&f, name, &mut errors);
                    }
                }
                if !any {
                    errors.push(lexicon_name_error(p, "the folder holds none of the lexicon files"));
                }
            } else {
                let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                match LEXICON_FILES.iter().find(|(n, _, _)| *n == file) {
                    Some((name, _, _)) => take(p, name, &mut errors),
                    None => errors.push(lexicon_name_error(p, "the file is not named like a lexicon")),
                }
            }
        }
        let text_of = |name: &str, errors: &mut Vec<credence_model::error::Diagnostic>| -> (String, String) {
            let (_, builtin, open) =
                LEXICON_FILES.iter().find(|(n, _, _)| *n == name).copied().unwrap_or(("", "", &[]));
            let builtin_name = format!("config/lexicons/{name} (built in)");
            let Some((file, user)) = chosen.get(name) else { return (builtin_name, builtin.to_string()) };
            let user_doc = credence_model::tomlmerge::Doc { name: file, text: user };
            let mut base: toml::Table = builtin.parse().unwrap_or_default();
            match credence_model::tomlmerge::parse_table(&user_doc) {
                Ok(table) => {
                    credence_model::tomlmerge::merge(
                        &mut base,
                        &table,
                        &credence_model::locate::DocPath::root(),
                        &user_doc,
                        open,
                        errors,
                    );
                }
                Err(credence_model::Error::Config(d)) => errors.extend(d.0),
                Err(e) => errors.push(lexicon_name_error(Path::new(file), &e.to_string())),
            }
            (format!("{file} (merged with the built-in {name})"), toml::to_string(&base).unwrap_or_default())
        };
        let mut parts: BTreeMap<&str, (String, String)> = BTreeMap::new();
        for (name, _, _) in LEXICON_FILES {
            parts.insert(name, text_of(name, &mut errors));
        }
        if !errors.is_empty() {
            return Err(credence_model::Error::Config(credence_model::error::Diagnostics(errors)));
        }
        let part = |n: &str| parts.get(n).cloned().unwrap_or_default();
        let mut problems = Vec::new();
        let mut keep = |r: Result<()>| {
            if let Err(credence_model::Error::Config(d)) = r {
                problems.extend(d.0);
            }
        };
        let mut lex = Lexicons::builtin();
        let (n, t) = part("attribution.toml");
        keep(AttributionLexicon::from_toml(&n, &t).map(|x| lex.attribution = x));
        let (n, t) = part("abbreviations.toml");
        keep(Abbreviations::from_toml(&n, &t).map(|x| lex.abbreviations = x));
        let (n, t) = part("boilerplate.toml");
        keep(BoilerplateLexicon::from_toml(&n, &t).map(|x| lex.boilerplate = x));
        let (n, t) = part("caveats.toml");
        keep(CaveatLexicon::from_toml(&n, &t).map(|x| lex.caveats = x));
        let (n, t) = part("frames.toml");
        keep(FrameLexicon::from_toml(&n, &t).map(|x| lex.frames = x));
        let (n, t) = part("sources.toml");
        keep(SourceLexicon::from_toml(&n, &t).map(|x| lex.sources = x));
        let (n, t) = part("copies.toml");
        keep(crate::copy::CopyLexicon::from_toml(&n, &t).map(|x| lex.copies = x));
        let (n, t) = part("stance.toml");
        keep(credence_stance::Lexicon::from_toml(&n, &t).map(|x| lex.stance = x).map_err(|e| {
            credence_model::Error::Config(credence_model::error::Diagnostics(vec![credence_model::error::Diagnostic {
                file: e.file.clone(),
                line: e.line,
                column: e.column,
                path: e.key.clone(),
                message: e.message.clone(),
                help: None,
            }]))
        }));
        // The gazetteer is not merged key by key: the user's entries replace or add outlets by id.
        let user = chosen.get("outlets.toml").map(|(f, t)| (f.as_str(), t.as_str()));
        keep(crate::gazetteer::Gazetteer::builtin_with(user).map(|x| lex.outlets = x));
        // Known news organisations are no places: read once here, not for every story.
        lex.frames = lex.frames.with_outlets(outlet_names(&lex.outlets));
        if problems.is_empty() {
            Ok(lex)
        } else {
            Err(credence_model::Error::Config(credence_model::error::Diagnostics(problems)))
        }
    }
}

/// Every name and alias of the gazetteer's outlets, for [`FrameLexicon::with_outlets`].
fn outlet_names(g: &crate::gazetteer::Gazetteer) -> impl Iterator<Item = &str> {
    g.outlets().iter().flat_map(|o| std::iter::once(o.name.as_str()).chain(o.aliases.iter().map(String::as_str)))
}

fn lexicon_name_error(path: &Path, what: &str) -> credence_model::error::Diagnostic {
    credence_model::error::Diagnostic {
        file: path.display().to_string(),
        line: None,
        column: None,
        path: None,
        message: format!("not a lexicon override: {what}"),
        help: Some(format!(
            "give a file named like a built-in lexicon ({}) or a folder holding such files",
            LEXICON_FILES.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The result of extracting a folder.
#[derive(Debug)]
pub struct Extraction {
    /// The story.
    pub story: Story,
    /// The documents read, with what was dropped from each.
    pub documents: Vec<Document>,
    /// Files not read, with the reason.
    pub skipped: Vec<Skipped>,
    /// For each document (parallel to `documents`), the sentences that made no report, with the rule: with
    /// the dropped boilerplate, every sentence of every file read is accounted for.
    pub unreported: Vec<Vec<Unreported>>,
}

/// Options of an extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// File-reading limits.
    pub ingest: IngestOptions,
    /// Directory the story file will live in: article paths are written relative to it.
    pub story_dir: PathBuf,
    /// The names the story is written in: the kinds of sources and their roles (which kind is a wire agency,
    /// which a person), and the sides with whom each opposes, for party interest and implications. From the
    /// user's settings (`credence_score::config::Settings::vocabulary`), so what a user configures reaches
    /// extraction as well as scoring.
    pub vocab: Vocabulary,
    /// Where the stages of extraction ("read", "extract", "copies", "align") lap when `--timings` asks for
    /// them; off by default.
    pub timings: credence_model::timing::Timings,
}

impl ExtractOptions {
    /// Defaults for a story written into `story_dir`.
    pub fn new(story_dir: impl Into<PathBuf>) -> ExtractOptions {
        ExtractOptions {
            ingest: IngestOptions::default(),
            story_dir: story_dir.into(),
            vocab: Vocabulary::default(),
            timings: credence_model::timing::Timings::off(),
        }
    }

    /// These options with the vocabulary of the user's settings.
    #[must_use]
    pub fn with_vocabulary(mut self, vocab: Vocabulary) -> ExtractOptions {
        self.vocab = vocab;
        self
    }
}

/// Reads every article in `dir` and extracts a story. `hint` is a story the user wrote (sources with aliases,
/// articles with metadata); what it states wins over what is inferred.
///
/// An article that hits an internal error while it is read or extracted is left out of the story and listed
/// in [`Extraction::skipped`] with the message (reason `internal-error`); the rest of the folder is extracted.
pub fn extract_dir(dir: &Path, hint: Option<&Story>, opts: &ExtractOptions, lex: &Lexicons) -> Result<Extraction> {
    let (mut documents, mut skipped) = ingest::read_dir(dir, &opts.ingest, &lex.boilerplate)?;
    opts.timings.lap("read");
    let title = hint.map(|h| h.story.title.clone()).filter(|t| !t.is_empty()).unwrap_or_else(|| {
        let name = dir.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
        format!("Articles in {}", name.unwrap_or_else(|| dir.display().to_string()))
    });
    let extracted = extract_isolated(&documents, &title, hint, opts, lex)?;
    // Failed documents leave the story, and their files are listed as skipped, in file order.
    for (i, why) in extracted.failed.iter().rev() {
        let doc = documents.remove(*i);
        skipped.push(ingest::Skipped::new(doc.path, ingest::SkipReason::Failed(why.clone())));
    }
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Extraction { story: extracted.story, documents, skipped, unreported: extracted.unreported })
}

/// A story extracted from documents, and the documents left out because of an internal error.
#[derive(Debug)]
pub struct Extracted {
    /// The story, built from every document not in `failed`.
    pub story: Story,
    /// For each document kept (in order), the sentences that made no report, with the rule.
    pub unreported: Vec<Vec<Unreported>>,
    /// Indices (into the documents given) of those left out, ascending, with the error met.
    pub failed: Vec<(usize, String)>,
}

/// One document read and extracted on its own, before the stages across documents.
#[derive(Debug, Clone)]
struct ReadArticle {
    /// Index of the document.
    doc: usize,
    article: Article,
    /// Each report with its claim text and its sentence.
    reports: Vec<(Report, String, String)>,
    /// Sentences left out, with the rule.
    unreported: Vec<Unreported>,
}

/// Builds a story from documents, leaving out any document whose extraction hits an internal error.
///
/// Each document's reports are read in isolation. The stages across documents (copies, alignment) run over
/// all of them; if they fail, each document is tried alone to find the one that makes them fail, which is
/// left out. Only a failure no single document explains is an error ([`credence_model::Error::Internal`]).
pub fn extract_isolated(
    documents: &[Document],
    title: &str,
    hint: Option<&Story>,
    opts: &ExtractOptions,
    lex: &Lexicons,
) -> Result<Extracted> {
    // The story's sides: stated by the user, else inferred from the articles (none when they name no
    // parties to a conflict). They tell the frames which phrases name whose actors, and the resolver whose
    // side a source is on.
    let sides: Vec<SideDef> = match hint.filter(|h| !h.sides.is_empty()) {
        Some(h) => h.sides.clone(),
        None => lex.frames.infer_sides(documents.iter().map(|d| d.text.as_str())),
    };
    let kind_sides: Vec<(String, String)> = lex
        .frames
        .side_types
        .iter()
        .filter(|t| sides.iter().any(|d| d.id == t.id))
        .flat_map(|t| t.kinds.iter().map(|k| (k.clone(), t.id.clone())))
        .collect();
    let mut sources_lex = lex.sources.with_sides(&sides, &kind_sides);
    if let Some(h) = hint {
        for s in &h.sources {
            sources_lex.add_known(s.clone(), &s.people);
        }
    }
    let story_lex = Lexicons { frames: lex.frames.with_sides(&sides), ..lex.clone() };
    let lex = &story_lex;
    let mut resolver = Resolver::new(&sources_lex, &opts.vocab).with_gazetteer(&lex.outlets);
    resolver.define_acronyms(documents.iter().map(|d| d.text.as_str()));
    // What each document's own text gives (sentences, quotations, attributions, caveats) needs nothing from
    // the others: it is found for all documents at once, on every thread. Source ids depend on the order in
    // which sources are first met, so resolving them through the one resolver stays a loop in document
    // order, over what was found; the story is the same bytes whatever the number of threads.
    let parsed: Vec<std::result::Result<Parsed, String>> = credence_model::work::par_map(documents, |_, doc| {
        credence_model::isolate::run(|| parse_article(doc, opts, lex))
    });
    let mut read: Vec<ReadArticle> = Vec::new();
    let mut failed: Vec<(usize, String)> = Vec::new();
    let mut used_ids = BTreeSet::new();
    for (di, (doc, parsed)) in documents.iter().zip(parsed).enumerate() {
        let got = parsed.and_then(|parsed| {
            credence_model::isolate::run(|| {
                resolver.start_article();
                let article = stated_article(doc, &parsed.rel, hint, &mut resolver, &mut used_ids);
                let reports = article_reports(doc, &article, &parsed, &mut resolver, lex);
                (article, reports)
            })
        });
        match got {
            Ok((article, (reports, unreported))) => read.push(ReadArticle { doc: di, article, reports, unreported }),
            Err(why) => failed.push((di, why)),
        }
    }
    opts.timings.lap("extract");
    let story = match credence_model::isolate::run(|| {
        assemble(documents, &read, title, hint, opts, lex, &resolver, &sides)
    }) {
        Ok(story) => story,
        Err(why) => {
            // Find the documents that make the cross-document stages fail on their own.
            let bad: BTreeSet<usize> = (0..read.len())
                .filter(|&k| {
                    let one = std::slice::from_ref(&read[k]);
                    credence_model::isolate::run(|| assemble(documents, one, title, hint, opts, lex, &resolver, &sides))
                        .is_err()
                })
                .collect();
            if bad.is_empty() {
                return Err(credence_model::Error::Internal(format!("extraction across articles failed: {why}")));
            }
            for &k in &bad {
                failed.push((read[k].doc, why.clone()));
            }
            let rest: Vec<_> =
                read.iter().enumerate().filter(|(k, _)| !bad.contains(k)).map(|(_, r)| r.clone()).collect();
            credence_model::isolate::run(|| assemble(documents, &rest, title, hint, opts, lex, &resolver, &sides))
                .map_err(|why| credence_model::Error::Internal(format!("extraction across articles failed: {why}")))?
        }
    };
    failed.sort_by_key(|(i, _)| *i);
    let gone: BTreeSet<usize> = failed.iter().map(|(i, _)| *i).collect();
    let unreported = read.into_iter().filter(|r| !gone.contains(&r.doc)).map(|r| r.unreported).collect();
    Ok(Extracted { story, unreported, failed })
}

/// Builds a story from documents already read (see [`extract_isolated`], which also survives internal
/// errors; this panics on them).
#[must_use]
pub fn extract_documents(
    documents: &[Document],
    title: &str,
    hint: Option<&Story>,
    opts: &ExtractOptions,
    lex: &Lexicons,
) -> Story {
    match extract_isolated(documents, title, hint, opts, lex) {
        Ok(x) if x.failed.is_empty() => x.story,
        Ok(x) => panic!("extraction failed on document {}: {}", x.failed[0].0, x.failed[0].1),
        Err(e) => panic!("{e}"),
    }
}

/// Relative path from `base` to `path` when `path` lies under `base`, else `path` as it is.
fn relative(path: &Path, base: &Path) -> String {
    let abs = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (p, b) = (abs(path), abs(base));
    if let Ok(rel) = p.strip_prefix(&b) {
        rel.display().to_string()
    } else {
        // Walk up from base: "../articles/x.txt".
        let mut up = PathBuf::new();
        let mut cur = b.as_path();
        loop {
            if let Ok(rel) = p.strip_prefix(cur) {
                return up.join(rel).display().to_string();
            }
            match cur.parent() {
                Some(parent) => {
                    up.push("..");
                    cur = parent;
                }
                None => return p.display().to_string(),
            }
        }
    }
}

/// The article record of a document (whose path relative to the story's folder is `rel`): what the text
/// says, with what the user stated winning.
fn stated_article(
    doc: &Document,
    rel: &str,
    hint: Option<&Story>,
    resolver: &mut Resolver<'_>,
    used_ids: &mut BTreeSet<String>,
) -> Article {
    let stated = hint.and_then(|h| {
        h.articles.iter().find(|a| {
            a.path.as_deref().is_some_and(|p| Path::new(p) == Path::new(rel) || p == doc.path.to_string_lossy())
        })
    });
    let mut article = article_of(doc, rel, resolver, used_ids);
    if let Some(s) = stated {
        // What the user wrote wins.
        article.id = s.id.clone();
        article.outlet = s.outlet.clone();
        if !s.title.is_empty() {
            article.title = s.title.clone();
        }
        article.published = s.published.or(article.published);
        article.url = s.url.clone().or(article.url);
        if !s.credits.is_empty() {
            article.credits = s.credits.clone();
        }
        article.copied_from = s.copied_from.clone();
    }
    article
}

/// The stages across articles: copies, alignment into claims, the sources used. `read` holds, per document
/// kept, its index in `documents`, its article and its reports.
#[allow(clippy::too_many_arguments)]
fn assemble(
    all_documents: &[Document],
    read: &[ReadArticle],
    title: &str,
    hint: Option<&Story>,
    opts: &ExtractOptions,
    lex: &Lexicons,
    resolver: &Resolver<'_>,
    story_sides: &[SideDef],
) -> Story {
    let documents: Vec<&Document> = read.iter().map(|r| &all_documents[r.doc]).collect();
    let mut articles: Vec<Article> = read.iter().map(|r| r.article.clone()).collect();
    let mut raws: Vec<RawReport> = Vec::new();
    for (ai, r) in read.iter().enumerate() {
        for (report, text, sentence) in &r.reports {
            raws.push(RawReport {
                report: Cow::Borrowed(report),
                text: Cow::Borrowed(text),
                sentence: Cow::Borrowed(sentence),
                article: ai,
            });
        }
    }
    // Copy relations between the articles (what the user stated wins).
    let inputs: Vec<crate::copy::CopyInput<'_>> = documents
        .iter()
        .zip(&articles)
        .map(|(d, a)| crate::copy::CopyInput {
            text: &d.text,
            paragraphs: &d.paragraphs,
            wire: resolver.role_of(&a.outlet) == Some(Role::Wire),
            published: a.published.map(|p| p.to_string()),
        })
        .collect();
    let edges = crate::copy::detect(&inputs, &lex.copies);
    opts.timings.lap("copies");
    for (copier, found) in crate::copy::by_copier(&edges) {
        if !articles[copier].copied_from.is_empty() {
            continue;
        }
        articles[copier].copied_from = found
            .iter()
            .map(|e| CopiedFrom {
                article: articles[e.source].id.clone(),
                containment: (e.containment * 100.0).round() / 100.0,
                passages: e
                    .passages
                    .iter()
                    .map(|&(mine, theirs)| {
                        let a = documents[copier].source_span(documents[copier].paragraphs[mine].clone());
                        let b = documents[e.source].source_span(documents[e.source].paragraphs[theirs].clone());
                        Passage { span: [a.start, a.end], from: [b.start, b.end] }
                    })
                    .collect(),
            })
            .collect();
    }
    // Claims: reports aligned by event frame, sides and place; the rest by wording.
    let contexts: Vec<ArticleContext> = documents
        .iter()
        .zip(&articles)
        .map(|(d, a)| ArticleContext {
            text: Cow::Borrowed(&d.text),
            weekday: a
                .published
                .map(|p| crate::frame::weekday(i32::from(p.year), u32::from(p.month), u32::from(p.day)).to_string()),
        })
        .collect();
    let sides = Sides {
        of_source: resolver
            .sources()
            .iter()
            .filter_map(|s| {
                let side = s
                    .side
                    .clone()
                    .or_else(|| s.member_of.as_deref().and_then(|m| resolver.source(m)).and_then(|m| m.side.clone()))?;
                Some((s.id.clone(), side))
            })
            .collect(),
        opposes: {
            let mut o = opts.vocab.sides.clone();
            for d in story_sides {
                o.entry(d.id.clone()).or_default().extend(d.opposes.iter().cloned());
            }
            o
        },
    };
    // The story's sources are never places: people ("the killing of Foley") and organisations by their
    // whole names ("Jabhat al-Nusra"); known news organisations already are not (`Lexicons`).
    let is_person = |s: &&Source| resolver.role(&s.kind) == Some(Role::Person);
    let frames = lex.frames.with_sources(
        resolver.sources().iter().filter(is_person).map(|s| s.name.as_str()),
        resolver
            .sources()
            .iter()
            .filter(|s| !is_person(s))
            .flat_map(|s| std::iter::once(s.name.as_str()).chain(s.aliases.iter().map(String::as_str))),
    );
    let aligned = crate::align::align(&raws, &contexts, &sides, &frames, &lex.stance);
    opts.timings.lap("align");
    let claims = aligned.claims;
    let out_reports = aligned.reports;
    let used: BTreeSet<&str> = out_reports
        .iter()
        .flat_map(|r| r.chain.iter().map(String::as_str))
        .chain(
            articles
                .iter()
                .flat_map(|a| std::iter::once(a.outlet.as_str()).chain(a.credits.iter().map(String::as_str))),
        )
        .collect();
    let all = resolver.sources().to_vec();
    // Keep what is used, and the organisations used sources speak for.
    let parents: BTreeSet<String> =
        all.iter().filter(|s| used.contains(s.id.as_str())).filter_map(|s| s.member_of.clone()).collect();
    let mut sources: Vec<_> =
        all.into_iter().filter(|s| used.contains(s.id.as_str()) || parents.contains(&s.id)).collect();
    if let Some(h) = hint {
        // Sources the user stated but the text never used are kept: they may be referred to by hand.
        for s in &h.sources {
            if !sources.iter().any(|x| x.id == s.id) {
                sources.push(s.clone());
            }
        }
    }
    Story {
        sides: story_sides.to_vec(),
        story: StoryInfo {
            title: title.to_string(),
            description: Some(format!(
                "Extracted by credence {} from {} article{}; a draft to check and correct.",
                env!("CARGO_PKG_VERSION"),
                documents.len(),
                if documents.len() == 1 { "" } else { "s" }
            )),
        },
        sources,
        articles,
        claims,
        reports: out_reports,
        contradictions: match hint {
            // What the user stated wins; what alignment found is added when it names claims that exist.
            Some(h) if !h.contradictions.is_empty() => h.contradictions.clone(),
            _ => aligned.contradictions,
        },
    }
}

fn article_of(doc: &Document, rel: &str, resolver: &mut Resolver<'_>, used: &mut BTreeSet<String>) -> Article {
    let stem = doc.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut id = slug(&stem);
    let base = id.clone();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let named: Vec<&String> =
        doc.meta.credits.iter().filter(|c| !resolver.names().generic_credits.contains(&c.to_lowercase())).collect();
    let credits: Vec<String> = named.into_iter().map(|c| resolver.outlet(c)).collect();
    // The outlet as the article states it; an agency dispatch signed "— AFP" with no other outlet is the
    // agency's own; otherwise a placeholder named after the file, for the user to correct.
    // "Additional reporting by AP" credits a contributor, not the publisher.
    let contributed = doc.meta.credit_lines.iter().any(|r| {
        let l = doc.text.part(r.clone()).to_lowercase();
        resolver.names().contributor_phrases.iter().any(|p| l.contains(p.as_str()))
    });
    let outlet = match &doc.meta.outlet {
        Some(name) => resolver.outlet(name),
        None if credits.len() == 1 && !contributed => credits[0].clone(),
        None => match doc.meta.url.as_deref().and_then(|u| resolver.outlet_from_url(u)) {
            Some(known) => known,
            None => resolver.unknown_outlet(&format!("Unknown outlet ({stem})")),
        },
    };
    let credits = credits.into_iter().filter(|c| *c != outlet).collect();
    Article {
        id,
        outlet,
        path: Some(rel.to_string()),
        title: doc.meta.title.clone().unwrap_or_default(),
        url: doc.meta.url.clone(),
        published: doc.meta.published,
        credits,
        copied_from: Vec::new(),
    }
}

/// Sentences (as sorted, disjoint ranges) a set of ranges touches: marks them in `covered`.
fn mark_sentences(sentences: &[Range<usize>], r: &Range<usize>, covered: &mut [bool]) {
    let first = sentences.partition_point(|s| s.end <= r.start);
    for (k, s) in sentences.iter().enumerate().skip(first) {
        if s.start >= r.end.max(r.start + 1) {
            break;
        }
        covered[k] = true;
    }
}

/// Ranges sorted by start with the running maximum of their ends, to ask in O(log n) whether some range holds
/// a given one.
struct Holders {
    starts: Vec<usize>,
    /// Largest end among ranges `0..=i`, and the index (in the order given) of the range that has it.
    best: Vec<(usize, usize)>,
}

impl Holders {
    fn new(ranges: impl Iterator<Item = Range<usize>>) -> Holders {
        let mut v: Vec<(Range<usize>, usize)> = ranges.enumerate().map(|(i, r)| (r, i)).collect();
        v.sort_by_key(|(r, i)| (r.start, *i));
        let mut best = Vec::with_capacity(v.len());
        let mut cur: Option<(usize, usize)> = None;
        for (r, i) in &v {
            if cur.is_none_or(|(e, _)| r.end > e) {
                cur = Some((r.end, *i));
            }
            best.extend(cur);
        }
        Holders { starts: v.iter().map(|(r, _)| r.start).collect(), best }
    }

    /// The index of a range holding `inner` (start ≤ inner.start, end ≥ inner.end), if any.
    fn holder(&self, inner: &Range<usize>) -> Option<usize> {
        let n = self.starts.partition_point(|&s| s <= inner.start);
        let (end, i) = *self.best.get(n.checked_sub(1)?)?;
        (end >= inner.end).then_some(i)
    }
}

/// Whether `r` overlaps one of `sorted`, disjoint ranges in text order.
fn overlaps_any(sorted: &[Range<usize>], r: &Range<usize>) -> bool {
    let k = sorted.partition_point(|c| c.end <= r.start);
    sorted.get(k).is_some_and(|c| c.start < r.end)
}

/// A sentence of an article that did not become a report, and the rule that left it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreported {
    /// Byte range in the document's text.
    pub span: Range<usize>,
    /// Why no report was made.
    pub rule: &'static str,
}

/// What one document's text gives on its own, before any source is resolved: the part of extraction that
/// shares no state across documents, so documents are parsed in parallel.
#[derive(Debug)]
struct Parsed {
    /// The document's path relative to the story's folder (as the article's `path`).
    rel: String,
    seg: segment::Segmented,
    /// The sentences' spans, in text order.
    sentences: Vec<Range<usize>>,
    /// The attributions found.
    found: Vec<Attribution>,
    caveats: Vec<Caveat>,
}

/// Cuts a document into sentences and quotations and finds its attributions and caveats.
fn parse_article(doc: &Document, opts: &ExtractOptions, lex: &Lexicons) -> Parsed {
    let text = &doc.text;
    let seg = segment::segment(text, &doc.paragraphs, &lex.abbreviations);
    let sentences: Vec<Range<usize>> = seg.sentences.iter().map(|s| s.span.clone()).collect();
    let quote_spans: Vec<Range<usize>> = seg.quotes.iter().map(|q| q.span.clone()).collect();
    let found = attribution::extract(text, &sentences, &quote_spans, &lex.attribution);
    let caveats = caveat::find(text, &sentences, &lex.caveats);
    Parsed { rel: relative(&doc.path, &opts.story_dir), seg, sentences, found, caveats }
}

/// The reports of one article, each with its claim text and its sentence; and the sentences left out, with
/// the rule that left each out. `parsed` is what [`parse_article`] found in the document.
fn article_reports(
    doc: &Document,
    article: &Article,
    parsed: &Parsed,
    resolver: &mut Resolver<'_>,
    lex: &Lexicons,
) -> (Vec<(Report, String, String)>, Vec<Unreported>) {
    let text = &doc.text;
    let Parsed { seg, sentences, found, caveats, .. } = parsed;
    let (sentences, caveats) = (sentences.as_slice(), caveats.as_slice());
    let outlet = article.outlet.clone();
    credence_model::work::add(found.len() + sentences.len() + seg.quotes.len());

    // Why an attribution in a sentence made no report (the first reason met per sentence is kept).
    let mut left_out: Vec<Option<&'static str>> = vec![None; sentences.len()];
    let mut note = |si: usize, rule: &'static str| {
        if let Some(slot) = left_out.get_mut(si) {
            slot.get_or_insert(rule);
        }
    };
    // Nested reporting in one sentence: "X said Y told them Z fell". An attribution whose cue lies inside the
    // content of a plain one (said, told, according to) is the statement that one passes on: it becomes one
    // report whose chain runs through both speakers, so the content is stored once, not once per speaker.
    let mut parent: Vec<Option<usize>> = vec![None; found.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, a) in found.iter().enumerate() {
        while let Some(&top) = stack.last() {
            let c = found[top].content.clone().unwrap_or(0..0);
            if found[top].sentence == a.sentence && c.start <= a.cue.start && a.cue.end <= c.end {
                break;
            }
            stack.pop();
        }
        // Only a report that is the whole of the outer content passes it on ("X said (that) Y said Z"); a
        // clause inside it ("X said troops fought the groups who, they claimed, came from ...") does not.
        if let Some(&top) = stack.last()
            && a.pattern == attribution::Pattern::SourceCueContent
            && let (Some(src), Some(outer), Some(inner)) = (&a.source, &found[top].content, &a.content)
        {
            let lead = text.part(outer.start..src.start).trim();
            let tail = text.part(inner.end..outer.end).trim_matches(|c: char| !c.is_alphanumeric());
            if (lead.is_empty() || lead.eq_ignore_ascii_case("that")) && tail.is_empty() {
                parent[i] = Some(top);
            }
        }
        if a.content.is_some() && matches!(a.class, CueClass::Neutral | CueClass::Endorsing) {
            stack.push(i);
        }
    }
    let mut passes_on = vec![false; found.len()];
    for p in parent.iter().flatten() {
        passes_on[*p] = true;
    }

    let mut out: Vec<(Report, String, usize)> = Vec::new();
    let mut covered = vec![false; sentences.len()];
    // Ranges taken by the reports made, to tell a quotation already reported from one that carries on.
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut chains: Vec<Option<(Vec<String>, Option<String>)>> = vec![None; found.len()];
    for (ai, a) in found.iter().enumerate() {
        if a.class == CueClass::Intention {
            // "wants", "plans", "threatened to": not a statement of fact by the source; the sentence stays in
            // the outlet's own voice (it is a fact that the party threatened).
            note(a.sentence, "intention cue (no report of its own)");
            continue;
        }
        let Some(content) = a.content.clone() else {
            note(a.sentence, "cue without content");
            continue;
        };
        let cue_text = text.part(a.cue.clone());
        let quoted = text.part(content.clone()).starts_with(['“', '"', '‘', '\'', '«']);
        if lex.attribution.needs_quote(cue_text) && !quoted {
            note(a.sentence, "cue that reports only quotations, without one");
            continue;
        }
        let Some((mut chain, speaker)) = chain_of(text, a, &outlet, resolver) else {
            note(a.sentence, "source not resolved");
            continue;
        };
        if let Some((outer, _)) = parent[ai].and_then(|p| chains[p].as_ref()) {
            // Through the outer speakers: outlet, their relays and origins, then this attribution's sources.
            let mut joined: Vec<String> = outer.clone();
            joined.extend(chain.iter().skip(1).cloned());
            let mut seen = BTreeSet::new();
            joined.retain(|id| seen.insert(id.clone()));
            if joined.len() > lex.attribution.max_relays + 1 {
                // Keep the outlet, the first relays and the origin.
                let origin = joined.pop();
                joined.truncate(lex.attribution.max_relays);
                joined.extend(origin);
            }
            chain = joined;
        }
        chains[ai] = Some((chain.clone(), speaker.clone()));
        if lex.attribution.needs_media(cue_text)
            && !chain.last().and_then(|id| resolver.role_of(id)).is_some_and(Role::is_medium)
        {
            note(a.sentence, "cue that reports only footage or media, with another source");
            continue;
        }
        if passes_on[ai] {
            // Its content is the nested statement, reported through this chain by the inner attribution.
            continue;
        }
        let end = a.content_more.last().map_or(content.end, |c| c.end);
        let mut span = content.start..end;
        let mut content = content;
        // No source at all ("... are believed to have ..."): the outlet's own statement, hedged by the cue; the
        // whole sentence is what it states, not only the words after the cue.
        if chain.len() == 1 && !quoted {
            let s = sentences[a.sentence].clone();
            span = s.start.min(span.start)..s.end.max(span.end);
            content = span.clone();
        }
        let claim = claim_text(text, &content);
        if !claim.chars().any(char::is_alphanumeric) {
            note(a.sentence, "attributed content with no words");
            continue;
        }
        if claim.split_whitespace().count() < lex.attribution.min_content_words {
            note(a.sentence, "attributed content shorter than min_content_words");
            continue;
        }
        let cue = text.part(a.cue.clone()).to_string();
        let kinds = caveats_for(text, caveats, a.sentence, Some(&a.cue));
        for r in std::iter::once(&a.cue).chain(&a.source).chain(std::iter::once(&span)).chain(&a.content_more) {
            mark_sentences(sentences, r, &mut covered);
            taken.push(r.clone());
        }
        out.push((report(doc, article, chain, speaker, cue, a.class, kinds, span.clone()), claim, a.sentence));
    }
    // Quotations that carry on a speaker's words into the next paragraph: the same speaker's report.
    let taken_index = Holders::new(taken.iter().cloned());
    let report_spans: Vec<Range<usize>> = out.iter().map(|(r, _, _)| r.span.map_or(0..0, |[s, e]| s..e)).collect();
    let by_span = Holders::new(report_spans.iter().cloned());
    let mut continued: Vec<(Report, String, usize)> = Vec::new();
    for q in &seg.quotes {
        let Some(prev) = q.continues else { continue };
        if taken_index.holder(&q.span).is_some() {
            continue;
        }
        let Some(prev_q) = seg.quotes.get(prev) else { continue };
        let prev_span = doc.source_span(prev_q.span.clone());
        if let Some(k) = by_span.holder(&prev_span) {
            let (base, _, si) = &out[k];
            let mut r = base.clone();
            let span = doc.source_span(q.span.clone());
            r.span = Some([span.start, span.end]);
            r.quote = Some(text.part(q.span.clone()).to_string());
            mark_sentences(sentences, &q.span, &mut covered);
            let claim = claim_text(text, &q.inner);
            if claim.chars().any(char::is_alphanumeric) {
                continued.push((r, claim, *si));
            }
        }
    }
    out.extend(continued);
    // Sentences nobody is quoted for: the outlet's own voice.
    let mut unreported: Vec<Unreported> = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        if covered[si] {
            continue;
        }
        let rule = if overlaps_any(&doc.meta.credit_lines, s) {
            Some("credit line")
        } else if text.part(s.clone()).trim_end().ends_with('?') {
            Some("question")
        } else if text.part(s.clone()).split_whitespace().count() < lex.attribution.min_own_voice_words {
            Some("fewer words than min_own_voice_words")
        } else if !claim_text(text, s).chars().any(char::is_alphanumeric) {
            Some("no words")
        } else if is_fragment(text.part(s.clone()), &lex.attribution.fragment_markers) {
            Some("page furniture, embed or code (attribution.toml [fragments])")
        } else {
            None
        };
        if let Some(rule) = rule {
            unreported.push(Unreported { span: s.clone(), rule: left_out[si].unwrap_or(rule) });
            continue;
        }
        let kinds = caveats_for(text, caveats, si, None);
        let r = report(doc, article, vec![outlet.clone()], None, String::new(), CueClass::Neutral, kinds, s.clone());
        out.push((r, claim_text(text, s), si));
    }
    // Article-level caveats: "... has not been able to verify reports by activists" governs every report
    // from that source in the article. Each distinct phrase is matched once against the sources in use.
    let mut scoped: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new(); // (kind, phrase) -> ids
    let in_use: BTreeSet<String> = out.iter().flat_map(|(r, _, _)| r.chain.iter().skip(1).cloned()).collect();
    for c in caveats.iter().filter(|c| c.about.is_some()).take(32) {
        let about = text.part(c.about.clone().unwrap_or(0..0));
        let key = (c.kind.clone(), about.to_lowercase());
        if scoped.contains_key(&key) {
            continue;
        }
        let about_words = norm_words(about);
        let target = resolver.resolve(about).map(|t| t.id);
        // The caveat names the source loosely ("activists' networks in Syria" for "activists"): a source
        // whose name's words all occur in the phrase is the one meant.
        let ids: BTreeSet<String> = in_use
            .iter()
            .filter(|id| {
                Some(id.as_str()) == target.as_deref()
                    || resolver.source(id).is_some_and(|s| {
                        let w = norm_words(&s.name);
                        !w.is_empty() && w.iter().all(|x| about_words.contains(x))
                    })
            })
            .cloned()
            .collect();
        scoped.insert(key, ids);
    }
    for ((kind, _), ids) in &scoped {
        for (r, _, _) in &mut out {
            if r.chain.iter().skip(1).any(|id| ids.contains(id)) && !r.caveats.iter().any(|k| k == kind) {
                r.caveats.push(kind.clone());
            }
        }
    }
    // "..., a monitoring group said." followed by "The Syrian Observatory ... said": an unnamed description
    // stands for the one named source of its kind in the article.
    let mut named_by_kind: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (r, _, _) in &out {
        for id in r.chain.iter().skip(1).filter(|id| !resolver.is_generic(id)) {
            let kind = resolver.source(id).map(|s| s.kind.clone()).unwrap_or_default();
            named_by_kind.entry(kind).or_default().insert(id.clone());
        }
    }
    for (r, _, _) in &mut out {
        for link in r.chain.iter_mut().skip(1) {
            if !resolver.is_generic(link) {
                continue;
            }
            let kind = resolver.source(link).map(|s| s.kind.clone()).unwrap_or_default();
            if let Some(same) = named_by_kind.get(&kind)
                && same.len() == 1
                && let Some(only) = same.iter().next()
            {
                *link = only.clone();
            }
        }
        let mut seen = BTreeSet::new();
        r.chain.retain(|id| seen.insert(id.clone()));
    }
    out.sort_by_key(|(r, _, si)| (*si, r.span.map_or(0, |s| s[0])));
    let reports = out.into_iter().map(|(r, t, si)| (r, t, text.part(sentences[si].clone()).to_string())).collect();
    (reports, unreported)
}

/// The chain of an attribution: outlet, relays, origin; and the speaker.
fn chain_of(
    text: &str,
    a: &Attribution,
    outlet: &str,
    resolver: &mut Resolver<'_>,
) -> Option<(Vec<String>, Option<String>)> {
    let mut mentions: Vec<Range<usize>> = a.chain.clone();
    if mentions.is_empty() {
        mentions.extend(a.source.iter().cloned());
    }
    let mut chain = vec![outlet.to_string()];
    // "told AFP": the agency the origin spoke to relays the statement.
    if let Some(r) = &a.recipient
        && let Some(res) = resolver.resolve(text.part(r.clone()))
        && resolver.role_of(&res.id) == Some(Role::Wire)
    {
        chain.push(res.id);
    }
    let mut speaker = None;
    let mut any = false;
    for m in &mentions {
        let phrase = text.part(m.clone());
        let Some(res) = resolver.resolve(phrase) else { continue };
        any = true;
        speaker = res.speaker.clone();
        // "CNN's sources": CNN relays its unnamed sources.
        if let Some(owner) = resolver.relayed_by(&res.id) {
            chain.push(owner.to_string());
        }
        chain.push(res.id);
    }
    if !any {
        // No source at all ("it is claimed"): the outlet's own voice, with the agentless cue kept.
        return Some((chain, None));
    }
    // "said on Twitter": the origin's own account.
    if let (Some(ch), Some(last)) = (&a.channel, chain.last().cloned()) {
        let ch = text.part(ch.clone()).to_lowercase();
        if resolver.names().networks.iter().any(|w| ch.contains(w.as_str()))
            && let Some(res) = resolver
                .resolve(&format!("{} account", resolver.source(&last).map_or(last.clone(), |s| s.name.clone())))
            && res.id != last
        {
            *chain.last_mut().expect("chain has the origin") = res.id;
        }
    }
    // Each source appears once: drop later repeats (an outlet quoting itself, "AFP ... told AFP").
    let mut seen = BTreeSet::new();
    chain.retain(|id| seen.insert(id.clone()));
    Some((chain, speaker))
}

/// Caveat kinds governing sentence `si`, leaving out the phrase that is the cue itself ("claims to show").
fn caveats_for(text: &str, caveats: &[Caveat], si: usize, cue: Option<&Range<usize>>) -> Vec<String> {
    let _ = text;
    let mut kinds: Vec<String> = Vec::new();
    for c in caveats.iter().filter(|c| c.sentence == si && c.about.is_none()) {
        // "claims to show" as the cue already counts as distancing; "sources say" keeps its weasel caveat.
        let overlaps_cue = cue.is_some_and(|q| q.start < c.span.end && c.span.start < q.end);
        if overlaps_cue && matches!(c.kind.as_str(), "distancing" | "hedge") {
            continue;
        }
        if !kinds.contains(&c.kind) {
            kinds.push(c.kind.clone());
        }
    }
    kinds
}

#[allow(clippy::too_many_arguments)]
fn report(
    doc: &Document,
    article: &Article,
    chain: Vec<String>,
    speaker: Option<String>,
    cue: String,
    class: CueClass,
    caveats: Vec<String>,
    span: Range<usize>,
) -> Report {
    let file_span = doc.source_span(span.clone());
    Report {
        article: article.id.clone(),
        claim: String::new(),
        chain,
        speaker,
        cue,
        stance: if class == CueClass::Denial { Stance::Refutes } else { Stance::Supports },
        caveats,
        quote: Some(doc.text.part(span).to_string()),
        span: Some([file_span.start, file_span.end]),
        inferred: None,
    }
}

/// A claim's wording from a content span: without a dateline, a leading "that" and trailing punctuation.
/// Whether a sentence holds a marker of page furniture, an embedded post or code.
fn is_fragment(sentence: &str, markers: &[String]) -> bool {
    if markers.is_empty() {
        return false;
    }
    let lower = sentence.to_lowercase();
    markers.iter().any(|m| {
        let wordlike = m.chars().next().is_some_and(char::is_alphanumeric);
        lower
            .match_indices(m.as_str())
            .any(|(at, _)| !wordlike || !lower.part(..at).chars().next_back().is_some_and(char::is_alphanumeric))
    })
}

fn claim_text(text: &str, r: &Range<usize>) -> String {
    let r = attribution::strip_dateline(text, r.clone());
    let t = text.part(r).trim();
    let t = t.strip_prefix("that ").unwrap_or(t);
    let t = t.trim_end_matches(['.', ',', ';', ':']);
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Removes from an extracted story what made it fail validation, so one bad sentence never costs the folder.
///
/// `problems` are the diagnostics of validating `story` (their paths name the entries: `report[12].span`,
/// `claim[3].text`). A bad report is dropped; a bad claim is dropped with its reports and contradictions; a
/// bad contradiction is dropped; a bad article is dropped with its reports. Returns one message per entry
/// dropped, naming the article file and line, and whether anything was dropped (problems elsewhere, such as a
/// source of a kind the config does not know, cannot be repaired this way).
pub fn drop_invalid(ex: &mut Extraction, problems: &[credence_model::error::Diagnostic]) -> Vec<String> {
    let Extraction { story, documents, unreported, .. } = ex;
    let index_of = |table: &str, path: &str| -> Option<usize> {
        let rest = path.strip_prefix(table)?.strip_prefix('[')?;
        rest.split(']').next()?.parse().ok()
    };
    let mut bad_reports = BTreeSet::new();
    let mut bad_claims = BTreeSet::new();
    let mut bad_contradictions = BTreeSet::new();
    let mut bad_articles = BTreeSet::new();
    let mut why: BTreeMap<(u8, usize), String> = BTreeMap::new();
    for d in problems {
        let Some(path) = d.path.as_deref() else { continue };
        let found = [("report", 0u8), ("claim", 1), ("contradiction", 2), ("article", 3)]
            .into_iter()
            .find_map(|(table, code)| index_of(table, path).map(|i| (code, i)));
        let Some((code, i)) = found else { continue };
        match code {
            0 => bad_reports.insert(i),
            1 => bad_claims.insert(i),
            2 => bad_contradictions.insert(i),
            _ => bad_articles.insert(i),
        };
        why.entry((code, i)).or_insert_with(|| d.message.clone());
    }
    // Documents and articles are parallel lists.
    let where_is = |r: &Report| -> String {
        let Some(ai) = story.articles.iter().position(|a| a.id == r.article) else { return r.article.clone() };
        match (documents.get(ai), r.span) {
            (Some(d), Some([a, _])) => format!("{}:{}", d.path.display(), d.line_of_source(a)),
            (Some(d), None) => d.path.display().to_string(),
            _ => r.article.clone(),
        }
    };
    let mut messages = Vec::new();
    let claim_ids: BTreeSet<String> =
        bad_claims.iter().filter_map(|&i| story.claims.get(i)).map(|c| c.id.clone()).collect();
    let article_ids: BTreeSet<String> =
        bad_articles.iter().filter_map(|&i| story.articles.get(i)).map(|a| a.id.clone()).collect();
    for (i, r) in story.reports.iter().enumerate() {
        let reason = if let Some(m) = why.get(&(0, i)) {
            m.clone()
        } else if claim_ids.contains(&r.claim) {
            let ci = story.claims.iter().position(|c| c.id == r.claim).unwrap_or(0);
            format!("its claim is invalid: {}", why.get(&(1, ci)).map_or("", String::as_str))
        } else {
            // Reports of a dropped article go with it (reported once, for the article).
            continue;
        };
        bad_reports.insert(i);
        messages.push(format!("{}: a report was left out of the extracted story: {reason}", where_is(r)));
    }
    for (i, a) in story.articles.iter().enumerate() {
        if let Some(m) = why.get(&(3, i)) {
            messages.push(format!(
                "{}: the article was left out of the extracted story: {m}",
                a.path.as_deref().unwrap_or(&a.id)
            ));
        }
    }
    for (i, c) in story.contradictions.iter().enumerate() {
        if let Some(m) = why.get(&(2, i)) {
            messages.push(format!("a contradiction between {} and {} was left out: {m}", c.a, c.b));
        }
    }
    let mut i = 0;
    story.reports.retain(|r| {
        let keep = !bad_reports.contains(&i) && !article_ids.contains(&r.article);
        i += 1;
        keep
    });
    story.claims.retain(|c| !claim_ids.contains(&c.id));
    // Claims left with no report are dropped too: nothing supports or refutes them.
    let used: BTreeSet<&str> = story.reports.iter().map(|r| r.claim.as_str()).collect();
    let gone: BTreeSet<String> =
        story.claims.iter().filter(|c| !used.contains(c.id.as_str())).map(|c| c.id.clone()).collect();
    story.claims.retain(|c| !gone.contains(&c.id));
    let mut i = 0;
    story.contradictions.retain(|c| {
        let keep = !bad_contradictions.contains(&i)
            && !claim_ids.contains(&c.a)
            && !claim_ids.contains(&c.b)
            && !gone.contains(&c.a)
            && !gone.contains(&c.b);
        i += 1;
        keep
    });
    let keep: Vec<bool> = story.articles.iter().map(|a| !article_ids.contains(&a.id)).collect();
    let mut k = keep.iter();
    documents.retain(|_| *k.next().unwrap_or(&true));
    let mut k = keep.iter();
    unreported.retain(|_| *k.next().unwrap_or(&true));
    story.articles.retain(|a| !article_ids.contains(&a.id));
    messages
}

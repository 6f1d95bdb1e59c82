//! A gazetteer of news organisations: agencies, newspapers, broadcasters, web outlets, fact-checkers, satire
//! sites and state media, each with its names, abbreviations and web domains (`config/lexicons/outlets.toml`).
//!
//! It answers three questions in constant time, whatever the input (empty, huge, not ASCII): which outlet a
//! name denotes ([`Gazetteer::by_name`]: case, a leading "the", punctuation, a possessive "'s" and spacing do
//! not matter, so "The New York Times", "new york times" and "NYT's" are one outlet), which outlet a host
//! belongs to ([`Gazetteer::by_domain`]: the longest registered suffix at a label boundary, so
//! "edition.cnn.com" is CNN and "notcnn.com" is no one), and which outlet published a URL
//! ([`Gazetteer::by_url`]).
//!
//! Some short names denote several outlets or are ordinary words ("the Times", "the Post", "Mail",
//! "Independent"). An entry lists them as `ambiguous_aliases`: such a name never resolves on its own
//! ([`Gazetteer::by_name`] gives `None`), only when the context supports one of its outlets
//! ([`Gazetteer::by_name_supported`]: the article's own outlet, the outlet of its domain, or an outlet named in
//! full nearby). A name that two outlets both claim without marking it ambiguous is a load error.
//!
//! # Example
//!
//! ```
//! use credence_extract::gazetteer::Gazetteer;
//!
//! let g = Gazetteer::builtin();
//! assert_eq!(g.by_name("The New York Times").map(|o| o.id.as_str()), Some("nyt"));
//! assert_eq!(g.by_name("NYT's").map(|o| o.id.as_str()), Some("nyt"));
//! assert_eq!(g.by_domain("edition.cnn.com").map(|o| o.id.as_str()), Some("cnn"));
//! assert!(g.by_domain("notcnn.com").is_none());
//! assert_eq!(g.by_url("https://www.bbc.co.uk/news/world-123?x=1").map(|o| o.id.as_str()), Some("bbc"));
//! // "the Journal" alone is too vague; next to the Wall Street Journal it is that paper.
//! assert!(g.by_name("the Journal").is_none());
//! assert_eq!(g.by_name_supported("the Journal", &["wsj"]).map(|o| o.id.as_str()), Some("wsj"));
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, OnceLock};

use credence_model::error::{Diagnostic, Diagnostics, Error, Result};
use credence_model::locate::{DocPath, Locator, Syntax};
use credence_model::text::Slice;

/// The built-in gazetteer, `config/lexicons/outlets.toml`.
pub const BUILTIN_OUTLETS: &str = include_str!("../../../config/lexicons/outlets.toml");

const BUILTIN_NAME: &str = "config/lexicons/outlets.toml (built in)";

/// Names longer than this (in bytes) are no outlet's: looked up as nothing, without being read.
const MAX_NAME_BYTES: usize = 200;
/// The longest host name DNS allows.
const MAX_HOST_BYTES: usize = 253;
/// How many archive wrappers (`web.archive.org/web/…/https://…`) a URL is unwrapped through.
const MAX_UNWRAP: usize = 3;

/// One news organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    /// Stable identifier (a slug), the source id extraction gives it.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Source kind (a kind of `config/default.toml`'s `[kinds]`).
    pub kind: String,
    /// ISO 3166-1 alpha-2 country code, when the outlet has a home country.
    pub country: Option<String>,
    /// Other names that denote this outlet alone.
    pub aliases: Vec<String>,
    /// Names that denote it only when the context supports it ("the Journal").
    pub ambiguous_aliases: Vec<String>,
    /// Web domains, lower case, without `www.`.
    pub domains: Vec<String>,
}

/// What a name denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch<'a> {
    /// One outlet, whatever the context.
    Unique(&'a Outlet),
    /// Possibly any of these outlets: which one, the context must tell.
    Ambiguous(Candidates<'a>),
}

/// The outlets an ambiguous name may denote, in file order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Candidates<'a> {
    outlets: &'a [Outlet],
    at: &'a [u32],
}

impl<'a> Candidates<'a> {
    /// The candidate outlets.
    pub fn iter(&self) -> impl Iterator<Item = &'a Outlet> + 'a {
        let outlets = self.outlets;
        self.at.iter().filter_map(move |&i| outlets.get(i as usize))
    }

    /// How many there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether there are none (never, for a match).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
}

impl fmt::Debug for Candidates<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|o| o.id.as_str())).finish()
    }
}

/// A name key: firm for one outlet, or ambiguous among several (or one, for a name that is also a word).
#[derive(Debug, Clone)]
enum Entry {
    Firm(u32),
    Ambiguous(Vec<u32>),
}

/// How names and hosts are normalised (the `[names]` and `[urls]` tables).
#[derive(Debug, Clone, Default)]
struct Settings {
    /// Leading words dropped from a name ("the").
    drop_leading: Vec<String>,
    /// Trailing words tried away when a name is not found ("Xinhua news agency" → "Xinhua").
    descriptors: Vec<String>,
    /// Leading host labels dropped before matching ("www", "m", "amp").
    strip_subdomains: Vec<String>,
    /// Hosts whose URLs wrap another URL (web archives): the inner URL is the one looked up.
    wrappers: Vec<String>,
}

#[derive(Debug)]
struct Inner {
    outlets: Vec<Outlet>,
    names: HashMap<String, Entry>,
    domains: HashMap<String, u32>,
    ids: HashMap<String, u32>,
    settings: Settings,
    /// Where each outlet was read: (file index, index in that file's `outlet` array).
    origin: Vec<(usize, usize)>,
    /// The files read: (name, text), for locating problems found later (kinds).
    files: Vec<(String, String)>,
}

/// A gazetteer of news organisations with constant-time look-ups by name, domain and URL. Cheap to clone.
#[derive(Clone)]
pub struct Gazetteer {
    inner: Arc<Inner>,
}

impl fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer")
            .field("outlets", &self.inner.outlets.len())
            .field("names", &self.inner.names.len())
            .field("domains", &self.inner.domains.len())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Gazetteer {
    fn eq(&self, other: &Gazetteer) -> bool {
        self.inner.outlets == other.inner.outlets
    }
}

// ------------------------------------------------------------------------------------------------ file shape

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    outlet: Vec<RawOutlet>,
    #[serde(default)]
    remove: Vec<String>,
    #[serde(default)]
    names: RawNames,
    #[serde(default)]
    urls: RawUrls,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNames {
    drop_leading: Option<Vec<String>>,
    descriptors: Option<Vec<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUrls {
    strip_subdomains: Option<Vec<String>>,
    wrappers: Option<Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutlet {
    id: String,
    name: String,
    kind: String,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    ambiguous_aliases: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
}

/// Problems of the files being read, located at their lines.
struct Problems<'a> {
    files: &'a [(String, String)],
    locators: Vec<Locator<'a>>,
    list: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    fn new(files: &'a [(String, String)]) -> Problems<'a> {
        let locators = files.iter().map(|(_, t)| Locator::new(t, Syntax::Toml)).collect();
        Problems { files, locators, list: Vec::new() }
    }

    fn push(&mut self, file: usize, path: &DocPath, message: String, help: Option<String>) {
        let at = self.locators.get(file).and_then(|l| l.find(path));
        self.list.push(Diagnostic {
            file: self.files.get(file).map(|(n, _)| n.clone()).unwrap_or_default(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            path: Some(path.to_string()),
            message,
            help,
        });
    }
}

fn entry_path(index: usize) -> DocPath {
    DocPath::root().key("outlet").index(index)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Why a registered domain is malformed, if it is.
fn domain_problem(d: &str) -> Option<&'static str> {
    if d.is_empty() {
        return Some("it is empty");
    }
    if d.contains("://") || d.contains('/') || d.contains(':') || d.contains('@') {
        return Some("give the host name only, without scheme, port or path");
    }
    if d.starts_with("www.") {
        return Some("leave out `www.`: every subdomain of a domain matches it");
    }
    if d.len() > MAX_HOST_BYTES {
        return Some("it is longer than a host name can be");
    }
    if d.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("write it in lower case");
    }
    let labels: Vec<&str> = d.split('.').collect();
    if labels.len() < 2 {
        return Some("a domain has at least two labels (`example.com`)");
    }
    for l in &labels {
        if l.is_empty() || l.len() > 63 {
            return Some("a label is empty or longer than 63 characters");
        }
        if !l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Some("labels hold only a-z, 0-9 and `-` (write other scripts in punycode, `xn--…`)");
        }
        if l.starts_with('-') || l.ends_with('-') {
            return Some("a label neither begins nor ends with `-`");
        }
    }
    let tld = labels.last().copied().unwrap_or_default();
    if !(tld.bytes().all(|b| b.is_ascii_lowercase()) || tld.starts_with("xn--")) {
        return Some("the last label is not a top-level domain");
    }
    None
}

// ------------------------------------------------------------------------------------------------ loading

/// One outlet read, with where it was read.
struct Src {
    outlet: Outlet,
    file: usize,
    index: usize,
}

fn lower_all(v: &[String]) -> Vec<String> {
    v.iter().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}

fn read_file(file: usize, name: &str, text: &str, problems: &mut Problems<'_>) -> Result<RawFile> {
    let raw: RawFile = credence_model::error::parse_lexicon(name, text, "outlets")?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, o) in raw.outlet.iter().enumerate() {
        let p = entry_path(i);
        if !is_slug(&o.id) {
            problems.push(
                file,
                &p.key("id"),
                format!("outlet id \"{}\" is not a slug", o.id),
                Some("use lower-case letters, digits and `-` (e.g. \"new-york-times\")".into()),
            );
        } else if let Some(first) = seen.insert(&o.id, i) {
            problems.push(
                file,
                &p.key("id"),
                format!("outlet id \"{}\" is used twice (also by outlet[{first}])", o.id),
                Some("give each outlet its own id, or merge the two entries".into()),
            );
        }
        if o.name.trim().is_empty() {
            problems.push(file, &p.key("name"), "the outlet has no name".into(), None);
        }
        if !is_slug(&o.kind) {
            problems.push(
                file,
                &p.key("kind"),
                format!("kind \"{}\" is not a kind name", o.kind),
                Some("use a kind of config/default.toml [kinds], e.g. \"outlet\" or \"wire-agency\"".into()),
            );
        }
        if let Some(c) = &o.country
            && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            problems.push(
                file,
                &p.key("country"),
                format!("country \"{c}\" is not an ISO 3166-1 code"),
                Some("use two capital letters, e.g. \"GB\", \"FR\", \"IN\"".into()),
            );
        }
        for (j, d) in o.domains.iter().enumerate() {
            if let Some(why) = domain_problem(d) {
                problems.push(
                    file,
                    &p.key("domains").index(j),
                    format!("domain \"{d}\" is malformed: {why}"),
                    Some("write a host name such as \"example.co.uk\"".into()),
                );
            }
        }
    }
    Ok(raw)
}

fn to_outlet(o: RawOutlet) -> Outlet {
    Outlet {
        id: o.id,
        name: o.name.trim().to_string(),
        kind: o.kind,
        country: o.country,
        aliases: o.aliases,
        ambiguous_aliases: o.ambiguous_aliases,
        domains: o.domains,
    }
}

impl Settings {
    fn overlay(&mut self, n: &RawNames, u: &RawUrls) {
        if let Some(v) = &n.drop_leading {
            self.drop_leading = lower_all(v);
        }
        if let Some(v) = &n.descriptors {
            // Descriptors are compared as name keys (so "news-agency" and "News Agency" are one).
            self.descriptors = v.iter().filter_map(|d| name_key(d, &[])).collect();
        }
        if let Some(v) = &u.strip_subdomains {
            self.strip_subdomains = lower_all(v);
        }
        if let Some(v) = &u.wrappers {
            self.wrappers = lower_all(v);
        }
    }
}

/// Builds the indexes over `srcs`, reporting clashes at the later entry.
fn build(srcs: Vec<Src>, settings: Settings, files: Vec<(String, String)>) -> Result<Gazetteer> {
    let mut names: HashMap<String, Entry> = HashMap::new();
    let mut domains: HashMap<String, u32> = HashMap::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    // Name key → the outlets that list it firmly / ambiguously, in order.
    let mut firm: HashMap<String, Vec<u32>> = HashMap::new();
    // Where each (key, outlet) pair was first written, to point a clash at the alias itself.
    let mut written: HashMap<(String, u32), DocPath> = HashMap::new();
    let mut vague: HashMap<String, Vec<u32>> = HashMap::new();
    let mut clashes: Vec<(usize, DocPath, String, String)> = Vec::new(); // (src, path, message, help)
    for (i, s) in srcs.iter().enumerate() {
        let i32_ = i as u32;
        let p = entry_path(s.index);
        ids.insert(s.outlet.id.clone(), i32_);
        let add = |map: &mut HashMap<String, Vec<u32>>, key: String| {
            let v = map.entry(key).or_default();
            if v.last() != Some(&i32_) {
                v.push(i32_);
            }
        };
        let firm_names = std::iter::once((&s.outlet.name, p.key("name")))
            .chain(s.outlet.aliases.iter().enumerate().map(|(j, a)| (a, p.key("aliases").index(j))));
        for (n, np) in firm_names {
            match name_key(n, &settings.drop_leading) {
                Some(k) => {
                    written.entry((k.clone(), i32_)).or_insert_with(|| np.clone());
                    add(&mut firm, k);
                }
                None => clashes.push((
                    i,
                    np,
                    format!("name \"{n}\" has no letters or digits (or only a dropped leading word)"),
                    "remove it".into(),
                )),
            }
        }
        for (j, n) in s.outlet.ambiguous_aliases.iter().enumerate() {
            match name_key(n, &settings.drop_leading) {
                Some(k) => add(&mut vague, k),
                None => clashes.push((
                    i,
                    p.key("ambiguous_aliases").index(j),
                    format!("name \"{n}\" has no letters or digits"),
                    "remove it".into(),
                )),
            }
        }
        for (j, d) in s.outlet.domains.iter().enumerate() {
            match domains.get(d.as_str()) {
                Some(&other) if other != i32_ => clashes.push((
                    i,
                    p.key("domains").index(j),
                    format!(
                        "domain \"{d}\" is registered by both `{}` and `{}`",
                        srcs.get(other as usize).map_or("", |o| o.outlet.id.as_str()),
                        s.outlet.id
                    ),
                    "a domain belongs to one outlet: remove it from one of them".into(),
                )),
                Some(_) => {}
                None => {
                    domains.insert(d.clone(), i32_);
                }
            }
        }
    }
    // Firm keys: one outlet each, unless some outlet marks the key ambiguous.
    let mut firm_sorted: Vec<(String, Vec<u32>)> = firm.into_iter().collect();
    firm_sorted.sort();
    for (key, owners) in firm_sorted {
        if let Some(v) = vague.get_mut(&key) {
            for o in owners {
                if !v.contains(&o) {
                    v.push(o);
                }
            }
            v.sort_unstable();
            continue;
        }
        if let [one] = owners.as_slice() {
            names.insert(key, Entry::Firm(*one));
            continue;
        }
        // Report at the later outlet, naming the earlier.
        let (Some(&first), Some(&last)) = (owners.first(), owners.last()) else { continue };
        let (a, b) = (&srcs[first as usize].outlet, &srcs[last as usize].outlet);
        let at = written.remove(&(key.clone(), last)).unwrap_or_else(|| entry_path(srcs[last as usize].index));
        clashes.push((
            last as usize,
            at,
            format!("the name \"{key}\" denotes both `{}` ({}) and `{}` ({})", a.id, a.name, b.id, b.name),
            "list it under `ambiguous_aliases` (of either outlet) if it may mean either, or drop it from one".into(),
        ));
    }
    for (key, mut v) in vague {
        v.sort_unstable();
        v.dedup();
        names.insert(key, Entry::Ambiguous(v));
    }
    if !clashes.is_empty() {
        let mut problems = Problems::new(&files);
        clashes.sort_by_key(|c| (srcs[c.0].file, srcs[c.0].index));
        for (i, path, message, help) in clashes {
            problems.push(srcs[i].file, &path, message, Some(help));
        }
        return Err(Error::Config(Diagnostics(problems.list)));
    }
    let origin = srcs.iter().map(|s| (s.file, s.index)).collect();
    let outlets = srcs.into_iter().map(|s| s.outlet).collect();
    Ok(Gazetteer { inner: Arc::new(Inner { outlets, names, domains, ids, settings, origin, files }) })
}

impl Gazetteer {
    /// The gazetteer shipped with credence (parsed once per process; clones share it).
    #[must_use]
    pub fn builtin() -> Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The test suite checks that the built-in file loads; should it not, extraction goes on
                // without a gazetteer rather than stopping.
                Gazetteer::parse(BUILTIN_NAME, BUILTIN_OUTLETS, Settings::default())
                    .unwrap_or_else(|_| Gazetteer::empty())
            })
            .clone()
    }

    /// A gazetteer with no outlets.
    #[must_use]
    pub fn empty() -> Gazetteer {
        Gazetteer {
            inner: Arc::new(Inner {
                outlets: Vec::new(),
                names: HashMap::new(),
                domains: HashMap::new(),
                ids: HashMap::new(),
                settings: Settings::default(),
                origin: Vec::new(),
                files: Vec::new(),
            }),
        }
    }

    /// Parses a gazetteer file on its own. Every problem (syntax, a malformed id, country or domain, an id used
    /// twice, a name or domain claimed by two outlets) is reported with the file, line and key.
    /// A file without `[names]` or `[urls]` keys gets the built-in file's.
    pub fn from_toml(name: &str, text: &str) -> Result<Gazetteer> {
        Gazetteer::parse(name, text, Gazetteer::builtin().inner.settings.clone())
    }

    fn parse(name: &str, text: &str, mut settings: Settings) -> Result<Gazetteer> {
        let files = vec![(name.to_string(), text.to_string())];
        let mut problems = Problems::new(&files);
        let raw = read_file(0, name, text, &mut problems)?;
        if !raw.remove.is_empty() {
            problems.push(
                0,
                &DocPath::root().key("remove"),
                "`remove` drops built-in outlets, and this file is read on its own".into(),
                Some("use `remove` only in an override file given with --lexicon".into()),
            );
        }
        if !problems.list.is_empty() {
            return Err(Error::Config(Diagnostics(problems.list)));
        }
        settings.overlay(&raw.names, &raw.urls);
        let srcs =
            raw.outlet.into_iter().enumerate().map(|(i, o)| Src { outlet: to_outlet(o), file: 0, index: i }).collect();
        drop(problems);
        build(srcs, settings, files)
    }

    /// This gazetteer with a user's override file applied: an outlet whose id is already here replaces it
    /// (in its place), a new id is added at the end, the ids of `remove = [...]` are dropped, and the
    /// `[names]`/`[urls]` keys the file sets replace these. Problems are located in the user's file.
    pub fn with_override(&self, name: &str, text: &str) -> Result<Gazetteer> {
        let mut files = self.inner.files.clone();
        let user = files.len();
        files.push((name.to_string(), text.to_string()));
        let mut problems = Problems::new(&files);
        let raw = read_file(user, name, text, &mut problems)?;
        for (j, id) in raw.remove.iter().enumerate() {
            if !self.inner.ids.contains_key(id) {
                problems.push(
                    user,
                    &DocPath::root().key("remove").index(j),
                    format!("`remove` names \"{id}\", which is not an outlet of the built-in gazetteer"),
                    Some("check the id in config/lexicons/outlets.toml".into()),
                );
            }
        }
        if !problems.list.is_empty() {
            return Err(Error::Config(Diagnostics(problems.list)));
        }
        drop(problems);
        let mut settings = self.inner.settings.clone();
        settings.overlay(&raw.names, &raw.urls);
        let removed: HashSet<&str> = raw.remove.iter().map(String::as_str).collect();
        let mut by_id: HashMap<String, Src> = HashMap::new();
        let mut order_new: Vec<String> = Vec::new();
        for (i, o) in raw.outlet.into_iter().enumerate() {
            if !self.inner.ids.contains_key(&o.id) {
                order_new.push(o.id.clone());
            }
            by_id.insert(o.id.clone(), Src { outlet: to_outlet(o), file: user, index: i });
        }
        let mut srcs: Vec<Src> = Vec::with_capacity(self.inner.outlets.len() + order_new.len());
        for (o, &(file, index)) in self.inner.outlets.iter().zip(&self.inner.origin) {
            if removed.contains(o.id.as_str()) {
                continue;
            }
            match by_id.remove(&o.id) {
                Some(replacement) => srcs.push(replacement),
                None => srcs.push(Src { outlet: o.clone(), file, index }),
            }
        }
        srcs.extend(order_new.iter().filter_map(|id| by_id.remove(id)));
        build(srcs, settings, files)
    }

    /// The built-in gazetteer, with the user's override file (name, text) applied when there is one.
    pub fn builtin_with(user: Option<(&str, &str)>) -> Result<Gazetteer> {
        match user {
            Some((name, text)) => Gazetteer::builtin().with_override(name, text),
            None => Ok(Gazetteer::builtin()),
        }
    }

    /// Every outlet, in file order.
    #[must_use]
    pub fn outlets(&self) -> &[Outlet] {
        &self.inner.outlets
    }

    /// How many outlets there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.inner.outlets.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.inner.outlets.is_empty()
    }

    /// The outlet with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Outlet> {
        self.inner.ids.get(id).and_then(|&i| self.inner.outlets.get(i as usize))
    }

    fn at(&self, i: u32) -> Option<&Outlet> {
        self.inner.outlets.get(i as usize)
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        let key = name_key(name, &self.inner.settings.drop_leading)?;
        if let Some(e) = self.inner.names.get(&key) {
            return Some(e);
        }
        // "the Xinhua news agency", "Kyodo newspaper": try once without a trailing descriptor.
        self.inner.settings.descriptors.iter().find_map(|d| {
            let stem = key.strip_suffix(d.as_str())?.strip_suffix(' ')?;
            self.inner.names.get(stem)
        })
    }

    /// What a name denotes: one outlet, several candidates (an ambiguous name), or nothing.
    #[must_use]
    pub fn lookup(&self, name: &str) -> Option<NameMatch<'_>> {
        match self.entry(name)? {
            Entry::Firm(i) => self.at(*i).map(NameMatch::Unique),
            Entry::Ambiguous(v) => Some(NameMatch::Ambiguous(Candidates { outlets: &self.inner.outlets, at: v })),
        }
    }

    /// The outlet a name denotes on its own; `None` for an unknown or an ambiguous name.
    #[must_use]
    pub fn by_name(&self, name: &str) -> Option<&Outlet> {
        match self.lookup(name)? {
            NameMatch::Unique(o) => Some(o),
            NameMatch::Ambiguous(_) => None,
        }
    }

    /// The outlet a name denotes given the outlets the context supports (ids: the article's own outlet, its
    /// domain's, outlets named in full nearby): a firm name as [`Gazetteer::by_name`]; an ambiguous one when
    /// exactly one of its candidates is supported.
    #[must_use]
    pub fn by_name_supported(&self, name: &str, supported: &[&str]) -> Option<&Outlet> {
        self.by_name_supported_by(name, |id| supported.contains(&id))
    }

    /// [`Gazetteer::by_name_supported`] with the support given as a test on outlet ids, for a caller that
    /// keeps its supported ids in a set: it is asked only about an ambiguous name's candidates.
    #[must_use]
    pub fn by_name_supported_by(&self, name: &str, supported: impl Fn(&str) -> bool) -> Option<&Outlet> {
        match self.lookup(name)? {
            NameMatch::Unique(o) => Some(o),
            NameMatch::Ambiguous(c) => {
                let mut hits = c.iter().filter(|o| supported(o.id.as_str()));
                let first = hits.next()?;
                hits.next().is_none().then_some(first)
            }
        }
    }

    /// The outlet a host belongs to: the longest registered domain that the host is or ends with at a label
    /// boundary. A URL is accepted too (its scheme, user, port, path, query and fragment are ignored).
    #[must_use]
    pub fn by_domain(&self, host: &str) -> Option<&Outlet> {
        let mut buf = [0u8; MAX_HOST_BYTES];
        let host = self.normal_host(host_of(host), &mut buf)?;
        let mut h = host;
        loop {
            if let Some(&i) = self.inner.domains.get(h) {
                return self.at(i);
            }
            let dot = h.find('.')?;
            h = h.part(dot + 1..);
        }
    }

    /// The outlet that published a URL: its host's ([`Gazetteer::by_domain`]); for a web archive's copy
    /// (`web.archive.org/web/2015…/http://…`), the archived URL's.
    #[must_use]
    pub fn by_url(&self, url: &str) -> Option<&Outlet> {
        let mut url = url.trim();
        for _ in 0..MAX_UNWRAP {
            let mut buf = [0u8; MAX_HOST_BYTES];
            let Some(host) = self.normal_host(host_of(url), &mut buf) else { break };
            if !self.inner.settings.wrappers.iter().any(|w| w == host) {
                break;
            }
            let rest = after_host(url);
            let inner = ["https://", "http://", "https:/", "http:/"].iter().find_map(|s| rest.find(s));
            match inner {
                // "http:/www…" (one slash, as some archives write it) is read like "http://www…".
                Some(at) => {
                    let inner = rest.part(at..);
                    let inner = inner.strip_prefix("https:").or_else(|| inner.strip_prefix("http:")).unwrap_or(inner);
                    url = inner.trim_start_matches('/');
                }
                None => break,
            }
        }
        self.by_domain(url)
    }

    /// The host lower-cased into `buf`, its leading `www.`/`m.`/… labels dropped; `None` when there is no
    /// host or it is too long to be one.
    fn normal_host<'b>(&self, host: &str, buf: &'b mut [u8; MAX_HOST_BYTES]) -> Option<&'b str> {
        let host = host.trim_end_matches('.');
        if host.is_empty() || host.len() > MAX_HOST_BYTES {
            return None;
        }
        let out = buf.get_mut(..host.len())?;
        for (o, b) in out.iter_mut().zip(host.bytes()) {
            *o = b.to_ascii_lowercase();
        }
        // Lower-casing ASCII bytes leaves UTF-8 valid.
        let mut h = std::str::from_utf8(out).ok()?;
        let mut changed = true;
        while changed {
            changed = false;
            for s in &self.inner.settings.strip_subdomains {
                if let Some(rest) = h.strip_prefix(s.as_str()).and_then(|r| r.strip_prefix('.'))
                    && rest.contains('.')
                {
                    h = rest;
                    changed = true;
                }
            }
        }
        Some(h)
    }

    /// Checks every outlet's kind against the known kinds (`config/default.toml`'s `[kinds]`, with the
    /// user's), each unknown kind located in the file it was read from.
    pub fn check_kinds(&self, known: &dyn Fn(&str) -> bool) -> Result<()> {
        let mut problems = Problems::new(&self.inner.files);
        for (o, &(file, index)) in self.inner.outlets.iter().zip(&self.inner.origin) {
            if !known(&o.kind) {
                problems.push(
                    file,
                    &entry_path(index).key("kind"),
                    format!("outlet `{}` has kind \"{}\", which the configuration does not define", o.id, o.kind),
                    Some("use a kind of [kinds] in config/default.toml, or add the kind there".into()),
                );
            }
        }
        if problems.list.is_empty() { Ok(()) } else { Err(Error::Config(Diagnostics(problems.list))) }
    }
}

// ------------------------------------------------------------------------------------------------ normalising

/// The host part of a URL or host: after any scheme and user, before any port, path, query or fragment.
#[must_use]
pub fn host_of(url: &str) -> &str {
    let s = url.trim();
    let (s, scheme) = match s.find("://") {
        Some(at) if s.part(..at).bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) => {
            (s.part(at + 3..), true)
        }
        _ => s.strip_prefix("//").map_or((s, false), |r| (r, true)),
    };
    let end = s.find(['/', '?', '#', '\\']).unwrap_or(s.len());
    let authority = s.part(..end);
    let host = match authority.rsplit_once('@') {
        Some((_, h)) if scheme => h,
        Some(_) => return "", // an e-mail address (`mailto:` or bare), not a site
        None => authority,
    };
    if host.starts_with('[') {
        return ""; // an IPv6 literal: no outlet's
    }
    host.split(':').next().unwrap_or_default()
}

/// What follows the host in a URL (its path, query and fragment).
fn after_host(url: &str) -> &str {
    let s = url.trim();
    let s = s.find("://").map_or(s, |at| s.part(at + 3..));
    s.find('/').map_or("", |at| s.part(at..))
}

/// A Latin letter with its diacritic removed (lower case in, lower case out), or the letter itself.
fn fold(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ĝ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ł' | 'ĺ' | 'ļ' | 'ľ' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => "",
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´')
}

/// The key a name is compared by: lower case, Latin diacritics removed, `.` and apostrophes dropped inside
/// words ("A.P." = "AP"), a possessive "'s" or trailing apostrophe dropped, `&` read as "and", any other
/// punctuation a space, one space between words, and a leading word of `drop_leading` ("the") dropped.
/// `None` when nothing is left, or for a text longer than any name.
#[must_use]
pub fn name_key(name: &str, drop_leading: &[String]) -> Option<String> {
    if name.len() > MAX_NAME_BYTES {
        return None;
    }
    let mut out = String::with_capacity(name.len() + 4);
    let mut space = false; // a space is owed before the next word character
    let mut chars = name.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            for l in c.to_lowercase() {
                match fold(l) {
                    "" => out.push(l),
                    f => out.push_str(f),
                }
            }
        } else if is_apostrophe(c) {
            // "CNN's" → "cnn", "Times'" → "times", "O'Brien" → "obrien".
            let rest = name.part(at + c.len_utf8()..);
            let mut r = rest.chars();
            if matches!(r.next(), Some('s' | 'S')) && !r.next().is_some_and(char::is_alphanumeric) {
                chars.next();
            }
        } else if c == '.' {
            // Dropped inside a word and after an initial ("U.S." = "US"); a space before the next word otherwise.
            if !chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                space = true;
            }
        } else if c == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            space = true;
        } else {
            space = true;
        }
    }
    if let Some((first, rest)) = out.split_once(' ')
        && drop_leading.iter().any(|d| d == first)
    {
        out = rest.to_string();
    } else if drop_leading.contains(&out) {
        out.clear();
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn the() -> Vec<String> {
        vec!["the".to_string()]
    }

    #[test]
    fn keys() {
        let cases = [
            ("The New York Times", "new york times"),
            ("  new   YORK times ", "new york times"),
            ("NYT's", "nyt"),
            ("the Times'", "times"),
            ("A.P.", "ap"),
            ("U.S. News & World Report", "us news and world report"),
            ("Al-Jazeera", "al jazeera"),
            ("Süddeutsche Zeitung", "suddeutsche zeitung"),
            ("People's Daily", "people daily"),
            ("Yahoo! News", "yahoo news"),
            ("bbc.co.uk", "bbccouk"),
        ];
        for (a, b) in cases {
            assert_eq!(name_key(a, &the()).as_deref(), Some(b), "{a}");
        }
        assert_eq!(name_key("The", &the()), None);
        assert_eq!(name_key("", &the()), None);
        assert_eq!(name_key("?!", &the()), None);
        assert_eq!(name_key(&"a".repeat(MAX_NAME_BYTES + 1), &the()), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://user@www.CNN.com:443/a/b?c#d"), "www.CNN.com");
        assert_eq!(host_of("cnn.com/path"), "cnn.com");
        assert_eq!(host_of("//cnn.com"), "cnn.com");
        assert_eq!(host_of("http://[::1]:80/"), "");
        assert_eq!(host_of(""), "");
        assert_eq!(domain_problem("cnn.com"), None);
        assert!(domain_problem("CNN.com").is_some());
        assert!(domain_problem("com").is_some());
        assert!(domain_problem("www.cnn.com").is_some());
        assert!(domain_problem("http://cnn.com").is_some());
        assert!(domain_problem("cnn..com").is_some());
        assert!(domain_problem("-cnn.com").is_some());
    }
}

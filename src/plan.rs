//! The plan of a run: everything the stages need, built once from the defaults, a config file and lexicon
//! overrides, and handed to each stage as the part it uses.
//!
//! Before the plan, stages reached for defaults of their own (extraction read the default sides, the scorer
//! parsed the extraction lexicon): what a user configured stopped applying at those places. Now the settings
//! (`--config`) give the vocabulary that validation and extraction use and the weights the scorer uses, and the
//! lexicons (`--lexicon`) give extraction its word lists and the scorer its one cue table.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use credence_extract::extract::{ExtractOptions, Lexicons};
use credence_model::vocab::{CueTable, Vocabulary};
use credence_model::{Error, Result};
use credence_score::config::Settings;

/// What one run needs, built once.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Weights, thresholds and the vocabulary (defaults merged with the config file).
    pub settings: Settings,
    /// Word lists of every extraction stage (built-in merged with the lexicon overrides).
    pub lexicons: Lexicons,
    /// The vocabulary of the settings, for validation and extraction.
    pub vocab: Vocabulary,
    /// Largest article file read, in bytes.
    pub max_bytes: u64,
    /// Domain ratings (`--ratings FILE`, or `[ratings] file` of the config), mapped to grades by the
    /// settings' cut points when a story is scored.
    pub ratings: Option<credence_score::ratings::DomainRatings>,
    /// Threads the per-article stages run on (`--threads N`); `None` for every core. The output is the same
    /// bytes whatever the number: only the time changes.
    pub threads: Option<NonZeroUsize>,
}

/// The number of threads of the process's pool, once [`Plan::start_threads`] has built it.
static POOL: OnceLock<usize> = OnceLock::new();

impl Plan {
    /// The built-in defaults.
    #[must_use]
    pub fn defaults() -> Plan {
        let settings = Settings::defaults();
        let vocab = settings.vocabulary();
        Plan {
            settings,
            lexicons: Lexicons::builtin(),
            vocab,
            max_bytes: credence_extract::ingest::DEFAULT_MAX_BYTES,
            ratings: None,
            threads: None,
        }
    }

    /// The defaults overridden by a config file (its name and text) and lexicon files or folders.
    pub fn new(config: Option<(&str, &str)>, lexicons: &[PathBuf], max_bytes: u64) -> Result<Plan> {
        let settings = match config {
            Some((name, text)) => Settings::load(name, text)?,
            None => Settings::defaults(),
        };
        let lexicons = if lexicons.is_empty() { Lexicons::builtin() } else { Lexicons::load(lexicons)? };
        let vocab = settings.vocabulary();
        Ok(Plan { settings, lexicons, vocab, max_bytes, ratings: None, threads: None })
    }

    /// The plan with domain ratings read from `file` (`--ratings`), or else from the config's `[ratings] file`
    /// (relative to the folder of `config_file`, the config file that was given).
    pub fn with_ratings(mut self, file: Option<&Path>, config_file: Option<&Path>) -> Result<Plan> {
        let path = match (file, &self.settings.ratings.file) {
            (Some(f), _) => f.to_path_buf(),
            (None, Some(f)) => {
                let base = config_file.and_then(Path::parent).unwrap_or_else(|| Path::new(""));
                base.join(f)
            }
            (None, None) => return Ok(self),
        };
        let bytes = credence_model::fsio::read_bounded(&path, credence_model::fsio::MAX_INPUT_BYTES)
            .map_err(|e| Error::Read { path: path.clone(), source: e.into_io() })?;
        let text = String::from_utf8_lossy(&bytes);
        self.ratings = Some(credence_score::ratings::DomainRatings::parse(&path.display().to_string(), &text)?);
        Ok(self)
    }

    /// The plan with the per-article stages on `threads` threads (`None`: every core).
    #[must_use]
    pub fn with_threads(mut self, threads: Option<NonZeroUsize>) -> Plan {
        self.threads = threads;
        self
    }

    /// Builds the process's thread pool with this plan's number of threads, once: a pool cannot be resized,
    /// so a later call (a command that reads several stories builds a plan for each) keeps the first pool,
    /// and returns its number of threads. Without it the pool is built on first use with every core.
    pub fn start_threads(&self) -> Result<usize> {
        if let Some(&n) = POOL.get() {
            return Ok(n);
        }
        let mut builder = rayon::ThreadPoolBuilder::new();
        if let Some(n) = self.threads {
            builder = builder.num_threads(n.get());
        }
        builder.build_global().map_err(|e| Error::Internal(format!("cannot start the threads: {e}")))?;
        Ok(*POOL.get_or_init(rayon::current_num_threads))
    }

    /// The grades the domain ratings give the story's sources (empty without ratings).
    #[must_use]
    pub fn rated_grades(&self, story: &credence_model::story::Story) -> credence_score::ratings::RatedGrades {
        match &self.ratings {
            Some(r) => self.settings.ratings.grades(r, &story.sources),
            None => credence_score::ratings::RatedGrades::new(),
        }
    }

    /// The one table of cue classes, by which the scorer weighs reports.
    #[must_use]
    pub fn cues(&self) -> &CueTable {
        self.lexicons.attribution.cue_table()
    }

    /// Extraction options for a story written into `story_dir`: the vocabulary and limits of this plan.
    #[must_use]
    pub fn extract_options(&self, story_dir: &Path) -> ExtractOptions {
        let mut opts = ExtractOptions::new(story_dir).with_vocabulary(self.vocab.clone());
        opts.ingest.max_bytes = self.max_bytes;
        opts
    }
}

/// A config file read for a plan: its name as given and its text.
pub fn read_config(path: &Path) -> Result<(String, String)> {
    let bytes = credence_model::fsio::read_bounded(path, credence_model::fsio::MAX_INPUT_BYTES)
        .map_err(|e| Error::Read { path: path.to_path_buf(), source: e.into_io() })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::Config(credence_model::error::Diagnostics(vec![credence_model::error::Diagnostic {
            file: path.display().to_string(),
            line: None,
            column: None,
            path: None,
            message: format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            help: Some("save the file as UTF-8".into()),
        }]))
    })?;
    Ok((path.display().to_string(), text))
}

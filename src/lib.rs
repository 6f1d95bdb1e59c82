//! credence: source-reliability scoring for news stories.
//!
//! A story is a set of articles, the sources they quote, the claims they make and the attribution chain of
//! every report ("Al Jazeera ← AFP ← SOHR"). credence builds a claim graph from it and scores each claim with
//! subjective logic: reports are discounted by the trust of their chain, reports that share an origin (or
//! come through copied articles) count once, independent origins add up, caveats and party interest move
//! belief into uncertainty, and contradictions add disbelief.
//!
//! The pipeline, one module per stage: [`model`] (the story tables, validated) → [`graph`] (the claim graph)
//! → [`score`] (opinions, clusters, fusion, grades) → [`report`] (Markdown, JSON, DOT, HTML, SVG, ClaimReview,
//! PROV and terminal exporters). All numbers come from [`config::Settings`], built from `config/default.toml`
//! and an optional override file.
//!
//! Reading raw articles is a separate pipeline whose first stage is [`ingest`]: it turns `.txt`, `.md` and
//! `.html` files into article paragraphs with byte ranges, lists what it removed as boilerplate, and reads the
//! metadata the text states (title, outlet, date, dateline, agency credits).
//!
//! # Example
//!
//! ```
//! use credence::{config::Settings, locate::Syntax, model::Story};
//!
//! let text = r#"
//! [story]
//! title = "Example"
//!
//! [[source]]
//! id = "paper"
//! name = "The Paper"
//! kind = "outlet"
//!
//! [[source]]
//! id = "monitor"
//! name = "The Monitor"
//! kind = "monitor"
//!
//! [[article]]
//! id = "a1"
//! outlet = "paper"
//!
//! [[claim]]
//! id = "town-taken"
//! text = "The town was taken"
//!
//! [[report]]
//! article = "a1"
//! claim = "town-taken"
//! chain = ["paper", "monitor"]
//! cue = "said"
//! "#;
//! let settings = Settings::defaults();
//! let story = Story::parse("example.toml", text, Syntax::Toml).unwrap();
//! let assessment = credence::assess(&story, &settings).unwrap();
//! let claim = &assessment.claims[0];
//! assert_eq!(claim.independent_origins, 1);
//! assert!(claim.support > 0.5 && claim.support < 0.8);
//! ```

#![forbid(unsafe_code)]
// Article text is untrusted: slices go through `text::Slice::part`, never `&s[a..b]`, so no range can split a
// character and panic (tests may index: a panic there is a failing test).
#![cfg_attr(not(test), deny(clippy::string_slice))]
#![warn(missing_docs)]

pub mod align;
pub mod attribution;
pub mod caveat;
pub mod config;
pub mod copy;
pub mod error;
pub mod extract;
pub mod frame;
pub mod fsio;
pub mod graph;
pub(crate) mod hash;
pub mod ingest;
pub mod isolate;
pub mod locate;
pub mod model;
pub mod opinion;
pub mod report;
pub mod resolve;
pub mod score;
pub mod segment;
pub mod text;
pub mod work;

pub use error::{Error, Result};

use std::path::PathBuf;

/// Validates a story (without opening article files) and scores it.
pub fn assess(story: &model::Story, settings: &config::Settings) -> Result<score::Assessment> {
    let file = model::StoryFile {
        story: story.clone(),
        path: PathBuf::from("(story)"),
        text: String::new(),
        syntax: locate::Syntax::Toml,
    };
    model::validate(&file, settings, false)?;
    let graph = graph::ClaimGraph::build(story);
    Ok(score::Scorer::new(&graph, settings).assess())
}

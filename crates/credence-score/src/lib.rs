//! The scorer of credence: settings, subjective-logic opinions, the claim graph, and the assessment of a
//! story.
//!
//! A validated story becomes a [`graph::ClaimGraph`] (sources, articles, claims and the edges between them);
//! the [`score::Scorer`] turns every report into an opinion discounted by the trust of its chain, counts
//! reports that share an origin once, fuses independent origins, and lets caveats, party interest and
//! contradictions move belief. Every number comes from [`config::Settings`], built from
//! `config/default.toml` and an optional override file. This crate never reads articles: the cue table and
//! the vocabulary reach it as data (`credence-model`).
//!
//! # Example
//!
//! ```
//! use credence_model::locate::Syntax;
//! use credence_model::story::{Story, StoryFile, validate};
//! use credence_model::vocab::{CueClass, CueTable};
//! use credence_score::{config::Settings, graph::ClaimGraph, score::Scorer};
//!
//! let text = "[story]\ntitle = \"Example\"\n\n[[source]]\nid = \"paper\"\nname = \"The Paper\"\nkind = \"outlet\"\n\n\
//!             [[source]]\nid = \"monitor\"\nname = \"The Monitor\"\nkind = \"monitor\"\n\n\
//!             [[article]]\nid = \"a1\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"The town was taken\"\n\n\
//!             [[report]]\narticle = \"a1\"\nclaim = \"c\"\nchain = [\"paper\", \"monitor\"]\ncue = \"said\"\n";
//! let settings = Settings::defaults();
//! let story = Story::parse("example.toml", text, Syntax::Toml).unwrap();
//! let file = StoryFile { story, path: "example.toml".into(), text: text.into(), syntax: Syntax::Toml };
//! let valid = validate(&file, &settings.vocabulary(), false).unwrap();
//! let cues = CueTable::new([("said", CueClass::Neutral)]);
//! let graph = ClaimGraph::build(&valid);
//! let assessment = Scorer::new(&graph, &settings, &cues).assess();
//! assert_eq!(assessment.claims[0].independent_origins, 1);
//! assert!(assessment.claims[0].support > 0.5 && assessment.claims[0].support < 0.8);
//! ```

#![forbid(unsafe_code)]

pub mod config;
pub mod graph;
pub mod opinion;
pub mod ratings;
pub mod score;

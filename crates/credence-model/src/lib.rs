//! The story model of credence: the tables extraction writes and scoring reads, their validation with located
//! errors, and the plumbing every layer shares (byte ranges that never split a character, bounded file reads,
//! isolation of one article's internal error, a work counter for growth tests).
//!
//! A [`story::Story`] is plain data that round-trips through TOML and JSON; [`story::validate`] checks it
//! against a [`vocab::Vocabulary`] (kinds, sides, caveat and contradiction kinds) and lists every problem
//! at its line. This crate knows nothing of weights: scoring settings live in `credence-score`.
//!
//! # Example
//!
//! ```
//! use credence_model::locate::Syntax;
//! use credence_model::story::{Story, StoryFile, validate};
//! use credence_model::vocab::{Role, Vocabulary};
//!
//! let text = "[story]\ntitle = \"Example\"\n\n[[source]]\nid = \"paper\"\nname = \"The Paper\"\nkind = \"outlet\"\n\n\
//!             [[article]]\nid = \"a1\"\noutlet = \"paper\"\n\n[[claim]]\nid = \"c\"\ntext = \"The bridge reopened\"\n\n\
//!             [[report]]\narticle = \"a1\"\nclaim = \"c\"\nchain = [\"paper\", \"mayor\"]\ncue = \"said\"\n";
//! let story = Story::parse("example.toml", text, Syntax::Toml).unwrap();
//! let mut vocab = Vocabulary::default();
//! vocab.kinds.insert("outlet".into(), Role::Outlet);
//! let file = StoryFile { story, path: "example.toml".into(), text: text.into(), syntax: Syntax::Toml };
//! // "mayor" is on a chain but not a source: the problem is named with its line.
//! let err = validate(&file, &vocab, false).unwrap_err().to_string();
//! assert!(err.contains("example.toml:20:"), "{err}");
//! assert!(err.contains("unknown source id \"mayor\""), "{err}");
//! ```

#![forbid(unsafe_code)]
// Article text is untrusted: slices go through `text::Slice::part`, never `&s[a..b]`, so no range can split a
// character and panic (tests may index: a panic there is a failing test).
#![cfg_attr(not(test), deny(clippy::string_slice))]

pub mod error;
pub mod fsio;
pub mod isolate;
pub mod locate;
pub mod story;
pub mod text;
pub mod timing;
pub mod tomlmerge;
pub mod vocab;
pub mod work;

pub use error::{Error, Result};

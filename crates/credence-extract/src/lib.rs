//! The reader of credence: a folder of raw articles becomes a [`credence_model::story::Story`].
//!
//! The stages, each its own module, in the order they run: [`ingest`] (files → article paragraphs with byte
//! ranges, boilerplate removed and listed, stated metadata), [`segment`] (sentences and quotations),
//! [`attribution`] (who says what), [`caveat`] (hedges, verification caveats and their scope), [`resolve`]
//! (source phrases → source ids), [`copy`] (copied text between articles), [`frame`] and [`align`] (reports
//! that state one event grouped into one claim; contradictions), and [`extract`], which puts them together.
//! Every word list is a lexicon file of `config/lexicons/` ([`extract::Lexicons`]), which a user may override.
//!
//! # Example
//!
//! ```
//! use std::path::Path;
//! use credence_extract::extract::{ExtractOptions, Lexicons, extract_isolated};
//! use credence_extract::ingest::{DocFormat, parse_text};
//!
//! let lex = Lexicons::builtin();
//! let text = "Bridge reopens\n\nThe bridge reopened on Monday, the mayor said.\n";
//! let doc = parse_text(Path::new("a.txt"), text, DocFormat::Text, &lex.boilerplate);
//! let ex = extract_isolated(&[doc], "Bridge", None, &ExtractOptions::new("."), &lex).unwrap();
//! let report = ex.story.reports.iter().find(|r| r.cue == "said").unwrap();
//! assert_eq!(report.chain.len(), 2); // the outlet, then the mayor
//! assert!(report.quote.as_deref().unwrap().contains("bridge reopened"));
//! ```

#![forbid(unsafe_code)]
// Article text is untrusted: slices go through `credence_model::text::Slice::part`, never `&s[a..b]`.
#![cfg_attr(not(test), deny(clippy::string_slice))]

pub mod align;
pub mod attribution;
pub mod caveat;
pub mod copy;
pub mod extract;
pub mod frame;
pub mod gazetteer;
pub(crate) mod hash;
pub mod ingest;
pub mod paraphrase;
pub mod resolve;
pub mod segment;

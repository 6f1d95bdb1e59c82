//! The single integration-test binary (one link step instead of one per file).
//!
//! - `algebra`: properties of the subjective-logic operators (proptest).
//! - `any_story`: texts on other topics in our own words: credited openings, unnamed sources of an outlet, no
//!   places made of adjectives or people, domain ratings, the Markdown of a large story.
//! - `alignment`: across articles: claims in different words, copies, contradictions, admissions, origins.
//! - `behaviour`: properties the scorer must keep on any story (proptest over generated stories).
//! - `example`: what the shipped example story must show.
//! - `cli`: the real `credence` binary: commands, formats, errors, exit codes, determinism.
//! - `conventions`: the command line's conventions (errors once, `-` for stdin, extensions, completions, man,
//!   did you mean, verbosity, examples in help).
//! - `snapshots`: the example's reports in every format, byte for byte.
//! - `schema`: the JSON report validated against `schema/report.schema.json`.
//! - `extraction`: raw articles to a story: chains, relays, caveats, boilerplate, `credence score DIR`.
//! - `publish`: HTML, SVG, `ClaimReview`, PROV and the terminal table: inert whatever the story, self-contained,
//!   required JSON-LD fields, PROV chains equal to the story's.
//! - `corpus`: real text no one here wrote (the 88 rumour stories, the `PolNeAR` texts) and 2,000 mutations of it:
//!   never a crash, an error or a lost sentence, at linear cost.
//! - `growth`: doubling an input at most about doubles the work (counted, never timed).
//! - `track_record`: `record`, `settle`, `sources` and `score --db` through the binary; concurrent writers; damaged,
//!   foreign and newer database files.
//! - `discover_cli`: `credence discover`: outputs, determinism, planted copiers found, errors and exit codes.
//! - `check`: `credence check CLAIM PATH...`: claim sources, every article listed, verdicts, schema, config.
//! - `threads`: `--threads N`: the same report bytes on 1, 2 and 4 threads, usage errors for a bad N.
//! - `ingest`: reading article files: the seed articles in `../shared` (when present) and the example's articles.

mod common;

mod algebra;
mod alignment;
mod any_story;
mod behaviour;
mod check;
mod cli;
mod conventions;
mod corpus;
mod discover_cli;
mod example;
mod extraction;
mod growth;
mod ingest;
mod publish;
mod schema;
mod snapshots;
mod threads;
mod track_record;

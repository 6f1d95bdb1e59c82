//! The vocabulary a story is written in: source kinds and their roles, sides, caveat and contradiction
//! kinds, cue classes and grade letters.
//!
//! Validation checks a story against a [`Vocabulary`], and extraction writes stories in one; the scorer's
//! settings describe the same names with weights. Keeping the vocabulary here, apart from any weights, lets
//! the model validate a story without knowing how it will be scored, and lets code ask what a kind *is*
//! ([`Role`]) instead of matching on kind names a user may rename or extend.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

/// The Admiralty grade letters, best first.
pub const GRADE_LETTERS: [char; 6] = ['A', 'B', 'C', 'D', 'E', 'F'];

/// What a kind of source is, whatever the kind is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A news agency whose dispatches other outlets carry (AFP, AP, Reuters): the original when text is shared.
    Wire,
    /// A news outlet: newspaper, broadcaster, website, state media.
    Outlet,
    /// An organisation speaking for itself: a government, a monitor, an armed group, a company.
    Organisation,
    /// A named person.
    Person,
    /// An unnamed source ("an official", "sources say").
    Anonymous,
    /// An account on a social network.
    Account,
    /// Footage or pictures of unknown provenance.
    Footage,
}

impl Role {
    /// Whether sources of this role publish (outlets, agencies) rather than speak: they may be the medium of
    /// "the video showed", and they are `Organization`s, not `Person`s, in published formats.
    #[must_use]
    pub fn is_medium(self) -> bool {
        matches!(self, Role::Wire | Role::Outlet | Role::Account | Role::Footage)
    }

    /// Whether the source is a person (a named individual).
    #[must_use]
    pub fn is_person(self) -> bool {
        self == Role::Person
    }
}

/// How a reporting cue commits its speaker (FactBank-style source-relative factuality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CueClass {
    /// Plain reporting: said, told, according to.
    Neutral,
    /// The writer presents the content as true: confirmed, showed, found.
    Endorsing,
    /// The writer declines to endorse: claimed, alleged, insisted.
    Distancing,
    /// Belief, appearance, suggestion: believed, appeared, suggested.
    Hedged,
    /// The speaker says the content is false: denied, rejected. The report refutes its claim.
    Denial,
    /// Wants, plans, promises: not a claim about facts; never a report.
    Intention,
}

impl CueClass {
    /// Every class, in declaration order.
    pub const ALL: [CueClass; 6] = [
        CueClass::Neutral,
        CueClass::Endorsing,
        CueClass::Distancing,
        CueClass::Hedged,
        CueClass::Denial,
        CueClass::Intention,
    ];

    /// The class's name as written in config and lexicon files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            CueClass::Neutral => "neutral",
            CueClass::Endorsing => "endorsing",
            CueClass::Distancing => "distancing",
            CueClass::Hedged => "hedged",
            CueClass::Denial => "denial",
            CueClass::Intention => "intention",
        }
    }

    /// The class of a name, if it is one.
    #[must_use]
    pub fn from_name(name: &str) -> Option<CueClass> {
        CueClass::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Which class each reporting cue belongs to: the one table of cues, read from the attribution lexicon and
/// used both to extract reports and to score them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CueTable {
    classes: HashMap<String, CueClass>,
}

impl CueTable {
    /// A table of `(cue, class)` pairs; a cue listed twice keeps its first class.
    pub fn new<'a>(entries: impl IntoIterator<Item = (&'a str, CueClass)>) -> CueTable {
        let mut classes = HashMap::new();
        for (cue, class) in entries {
            classes.entry(normalise_cue(cue)).or_insert(class);
        }
        CueTable { classes }
    }

    /// The class of a cue as written ("Said  on Twitter" finds "said on twitter"), if the table lists it.
    #[must_use]
    pub fn class_of(&self, cue: &str) -> Option<CueClass> {
        self.classes.get(cue).or_else(|| self.classes.get(&normalise_cue(cue))).copied()
    }

    /// Number of cues listed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.classes.len()
    }

    /// Whether no cue is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.classes.is_empty()
    }
}

/// Lower-cases and collapses whitespace, so "Said  on Twitter" finds "said on twitter".
#[must_use]
pub fn normalise_cue(cue: &str) -> String {
    cue.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The names a story may use, and what they mean.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    /// Source kinds and their roles.
    pub kinds: BTreeMap<String, Role>,
    /// Sides (parties) and the sides each opposes.
    pub sides: BTreeMap<String, Vec<String>>,
    /// Caveat kinds.
    pub caveats: BTreeSet<String>,
    /// Contradiction kinds.
    pub contradictions: BTreeSet<String>,
}

impl Vocabulary {
    /// The role of a kind; a kind the vocabulary does not know has none.
    #[must_use]
    pub fn role(&self, kind: &str) -> Option<Role> {
        self.kinds.get(kind).copied()
    }

    /// True when side `a` counts side `b` among its opponents.
    #[must_use]
    pub fn opposes(&self, a: &str, b: &str) -> bool {
        self.sides.get(a).is_some_and(|o| o.iter().any(|x| x == b))
    }

    /// The first kind of a role, in name order (for sources extraction creates).
    #[must_use]
    pub fn kind_of_role(&self, role: Role) -> Option<&str> {
        self.kinds.iter().find(|(_, r)| **r == role).map(|(k, _)| k.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_table_normalises_and_keeps_the_first_class() {
        let t = CueTable::new([
            ("said on Twitter", CueClass::Neutral),
            ("claimed", CueClass::Distancing),
            ("said on twitter", CueClass::Hedged),
        ]);
        assert_eq!(t.class_of("Said  on   twitter"), Some(CueClass::Neutral));
        assert_eq!(t.class_of("claimed"), Some(CueClass::Distancing));
        assert_eq!(t.class_of("hinted"), None);
        assert_eq!(t.len(), 2);
        for c in CueClass::ALL {
            assert_eq!(CueClass::from_name(c.name()), Some(c));
        }
    }
}

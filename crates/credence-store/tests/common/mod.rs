//! Shared helpers: temporary folders and two small stories that share sources under other names.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use credence_store::{OriginRef, RecordedClaim, RecordedSource, RecordedStory};

/// A folder under the system's temporary folder, removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "credence-store-{tag}-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        TempDir(dir)
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn source(id: &str, name: &str, kind: &str) -> RecordedSource {
    RecordedSource { id: id.into(), name: name.into(), kind: kind.into(), aliases: vec![], domains: vec![] }
}

pub(crate) fn claim(id: &str, text: &str, asserted_by: Vec<OriginRef>, refuted_by: Vec<OriginRef>) -> RecordedClaim {
    RecordedClaim { id: id.into(), text: text.into(), asserted_by, refuted_by }
}

pub(crate) const QUSAYR: &str = "qusayr-falls-00000001";
pub(crate) const HOMS: &str = "homs-shelled-00000002";

/// The first story: SOHR (via Al Jazeera) and AFP say Qusayr was taken, SANA denies it.
pub(crate) fn qusayr() -> RecordedStory {
    let mut aljazeera = source("aljazeera", "Al Jazeera", "outlet");
    aljazeera.domains = vec!["aljazeera.com".into()];
    let mut sohr = source("sohr", "SOHR", "monitor");
    sohr.aliases = vec!["Syrian Observatory for Human Rights".into()];
    sohr.domains = vec!["https://www.syriahr.com/en/".into()];
    let mut sana = source("sana", "SANA", "state-media");
    sana.domains = vec!["sana.sy".into()];
    RecordedStory {
        key: QUSAYR.into(),
        title: "Qusayr falls".into(),
        sources: vec![
            aljazeera,
            source("afp", "AFP", "wire-agency"),
            sohr,
            sana,
            source("hezbollah", "Hezbollah", "armed-group"),
        ],
        claims: vec![
            claim(
                "taken",
                "Government forces took Qusayr",
                vec![OriginRef::new("sohr").via("aljazeera"), OriginRef::new("afp")],
                vec![OriginRef::new("sana")],
            ),
            claim(
                "held",
                "Rebels still hold Qusayr",
                vec![OriginRef::new("sana")],
                vec![OriginRef::new("sohr").via("aljazeera")],
            ),
            claim(
                "fought",
                "Hezbollah fighters took part",
                vec![OriginRef::new("hezbollah").merged_with("afp")],
                vec![],
            ),
        ],
    }
}

/// The second story names the same sources differently: Al Jazeera by its domain, SOHR by its full name,
/// SANA by its id in capitals; Reuters is new.
pub(crate) fn homs() -> RecordedStory {
    let mut aje = source("al-jazeera-english", "Al Jazeera English", "outlet");
    aje.domains = vec!["https://www.AlJazeera.com/news/2013/6/1".into()];
    RecordedStory {
        key: HOMS.into(),
        title: "Homs shelled".into(),
        sources: vec![
            aje,
            source("syrian-observatory", "Syrian Observatory for Human Rights", "monitor"),
            source("SANA", "Syrian Arab News Agency", "state-media"),
            source("reuters", "Reuters", "wire-agency"),
        ],
        claims: vec![claim(
            "shelled",
            "Homs was shelled on Saturday",
            vec![OriginRef::new("syrian-observatory").via("al-jazeera-english"), OriginRef::new("reuters")],
            vec![OriginRef::new("SANA")],
        )],
    }
}

/// A generated story for the concurrency tests: claims `c1` (SOHR asserts, SANA refutes) and `c2` (SANA
/// asserts, SOHR refutes) and `c3` (SOHR asserts), through the worker's own outlet.
pub(crate) fn generated(key: &str, outlet: &str) -> RecordedStory {
    let mut sohr = source("sohr", "SOHR", "monitor");
    sohr.domains = vec!["syriahr.com".into()];
    RecordedStory {
        key: key.into(),
        title: format!("Generated story {key}"),
        sources: vec![source(outlet, outlet, "outlet"), sohr, source("sana", "SANA", "state-media")],
        claims: vec![
            claim("c1", "first", vec![OriginRef::new("sohr").via(outlet)], vec![OriginRef::new("sana")]),
            claim("c2", "second", vec![OriginRef::new("sana")], vec![OriginRef::new("sohr").via(outlet)]),
            claim("c3", "third", vec![OriginRef::new("sohr")], vec![]),
        ],
    }
}

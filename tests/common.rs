//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Output of one run of the real binary.
pub(crate) struct Out {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) bytes: Vec<u8>,
}

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped example story.
pub(crate) fn example() -> PathBuf {
    root().join("examples/jisr-al-shughur/story.toml")
}

/// Runs `credence` with `args` from the repository root.
#[track_caller]
pub(crate) fn run(args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .output()
        .expect("the credence binary runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        bytes: out.stdout,
    }
}

/// A fresh, empty scratch directory for one test.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target").join("test-scratch").join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes `text` to `dir/name` and returns the path as a string.
pub(crate) fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write scratch file");
    p.display().to_string()
}

/// The seed articles in `../shared` (CI always has them); `None`, with the reason printed, when absent.
pub(crate) fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/stories/jisr-al-shughur");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} not found (CI always has it)", dir.display());
        None
    }
}

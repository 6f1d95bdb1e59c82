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

/// The seed articles with what a reader knows of their parties stated beside them (the sides and the sources
/// of `examples/jisr-al-shughur/articles/story.toml`): a copy in a scratch folder, since `../shared` is
/// read-only. `None`, with the reason printed, when the seeds are absent.
pub(crate) fn seeds_with_parties() -> Option<PathBuf> {
    let seeds = seeds()?;
    let dir = root().join("target").join("test-scratch").join(format!("seeds-with-parties-{}", std::process::id()));
    if !dir.join("story.toml").is_file() {
        let tmp = dir.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).expect("scratch dir");
        for e in std::fs::read_dir(&seeds).expect("seeds listed") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, tmp.join(p.file_name().expect("name"))).expect("seed copied");
            }
        }
        std::fs::copy(root().join("examples/jisr-al-shughur/articles/story.toml"), tmp.join("story.toml"))
            .expect("parties copied");
        // Another test thread may have made it meanwhile: either copy is the same.
        if std::fs::rename(&tmp, &dir).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    Some(dir)
}

/// Runs `credence` with `args` from the repository root, `input` on its standard input.
#[track_caller]
pub(crate) fn run_stdin(args: &[&str], input: &[u8]) -> Out {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_credence"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the credence binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let bytes = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let out = child.wait_with_output().expect("the credence binary ends");
    let _ = writer.join();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        bytes: out.stdout,
    }
}

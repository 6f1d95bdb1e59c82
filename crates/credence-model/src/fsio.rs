//! Reading files with bounds: only regular files, never more than a limit.
//!
//! A path handed to credence may name anything: a FIFO that blocks forever, `/dev/zero` that never ends, a
//! symbolic link to either, or a broken link. Every file credence reads (articles, story files, configs and
//! lexicons, article files opened to check spans) goes through [`read_bounded`], which follows links only to
//! regular files, checks the size before reading and reads at most one byte past the limit, so no input can
//! hang a run or exhaust memory.

use std::fmt;
use std::io::Read;
use std::path::Path;

/// The largest story, config or lexicon file read: 256 MiB.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system refused (missing file, broken link, permissions).
    Io(std::io::Error),
    /// Not a regular file: what it is ("a directory", "a FIFO", "a device", …).
    NotRegular(&'static str),
    /// Larger than the limit: the size found (or a lower bound) and the limit, in bytes.
    TooLarge(u64, u64),
}

impl fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadFailure::Io(e) => write!(f, "{e}"),
            ReadFailure::NotRegular(kind) => write!(f, "{kind}, not a regular file"),
            ReadFailure::TooLarge(size, limit) => write!(f, "{size} bytes is more than the limit of {limit} bytes"),
        }
    }
}

impl std::error::Error for ReadFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadFailure::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl ReadFailure {
    /// As an I/O error (for error types that hold one), keeping the message.
    #[must_use]
    pub fn into_io(self) -> std::io::Error {
        match self {
            ReadFailure::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// What a path is when it is not a regular file.
#[must_use]
pub fn kind_of(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    Some("not a file")
}

/// Reads a regular file (following symbolic links) of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let meta = std::fs::metadata(path).map_err(ReadFailure::Io)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(ReadFailure::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(ReadFailure::TooLarge(meta.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(ReadFailure::Io)?;
    // The file may have grown since its size was read: never take more than one byte past the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_and_large_files_are_refused() {
        assert!(matches!(read_bounded(Path::new("/dev/zero"), 10), Err(ReadFailure::NotRegular("a device"))));
        assert!(matches!(read_bounded(Path::new("/"), 10), Err(ReadFailure::NotRegular("a directory"))));
        assert!(matches!(read_bounded(Path::new("/nonexistent/x"), 10), Err(ReadFailure::Io(_))));
        let dir = std::env::temp_dir().join(format!("credence-fsio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.txt");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_bounded(&f, 10).unwrap(), b"0123456789");
        assert!(matches!(read_bounded(&f, 9), Err(ReadFailure::TooLarge(10, 9))));
        std::fs::remove_dir_all(&dir).ok();
    }
}

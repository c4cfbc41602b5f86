//! Reading a file that a stranger may have put there (a deck's lesson, a manifest to check, an
//! Anki export): regular files only, never more than a cap.
//!
//! A deck folder can hold anything a file system can: a FIFO (opening it for reading blocks
//! until someone writes, so `deck check` would hang), a device such as `/dev/zero` (its size is
//! 0, so a size check passes and the read never ends), or a symbolic link that points outside
//! the deck. So the kind is checked from the link itself before opening, the file is opened
//! without following links and without blocking (`O_NOFOLLOW | O_NONBLOCK`, so a FIFO swapped
//! in after the check cannot hang the open either), its kind is checked again on the open
//! handle, and at most `cap + 1` bytes are read whatever its size claims.

use std::fs::{File, FileType, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Not a regular file: what it is instead ("a FIFO", "a character device", …).
    #[error("{0}, not a regular file")]
    NotRegular(&'static str),
    /// More than the cap: the file was not read past it.
    #[error("larger than {cap} bytes")]
    TooLarge { cap: u64 },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The bytes of the regular file at `path`, at most `cap` of them (more is [`ReadError::TooLarge`]).
pub fn regular_file(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let kind = std::fs::symlink_metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(kind)));
    }
    let file = open_no_follow(path)?;
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotRegular(describe(kind)));
    }
    let mut bytes = Vec::new();
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { cap });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

/// A file's kind in words, for messages.
pub fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_regular_file_is_read_up_to_the_cap() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("a.yaml");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(regular_file(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            regular_file(&path, 4),
            Err(ReadError::TooLarge { cap: 4 })
        ));
    }

    #[test]
    fn a_fifo_a_device_and_a_link_are_refused_at_once() {
        let folder = tempfile::tempdir().unwrap();
        let fifo = folder.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let link = folder.path().join("link");
        std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
        let started = Instant::now();
        for (path, what) in [
            (fifo.as_path(), "a FIFO (named pipe)"),
            (Path::new("/dev/zero"), "a character device"),
            (link.as_path(), "a symbolic link"),
        ] {
            match regular_file(path, 1024) {
                Err(ReadError::NotRegular(kind)) => assert_eq!(kind, what),
                other => panic!("{} was read: {other:?}", path.display()),
            }
        }
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}

//! Decks from git: `deck add URL [--ref R]` clones a repository, pins the commit it installs and
//! records where it came from; `deck update` fetches it again and installs the new commit only
//! when it checks clean.
//!
//! The `git` command does the work (not the gix crate: about a hundred more crates to build on
//! two cores, where every machine a learner studies on for the CKA has git). It runs with what a
//! stranger's repository must not be able to use turned off: no `ext::` transport (which runs a
//! command), no hooks, no submodules, no terminal prompt (a private repository fails with git's
//! message instead of waiting for a password), and every argument that comes from the learner
//! after `--` or `--end-of-options`, so a URL or ref cannot be read as an option.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

/// The file in an installed deck's folder that says where it came from (hidden: the deck reader
/// and the copy skip it).
pub const ORIGIN_FILE: &str = ".origin.toml";

/// Where an installed deck came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The repository as the learner gave it (a URL, or a local path made absolute).
    pub url: String,
    /// The branch, tag or commit asked for; `None`: the repository's default branch.
    #[serde(default)]
    pub reference: Option<String>,
    /// What `reference` turned out to be: `branch`, `tag` or `commit` (`branch` for the
    /// default branch). `deck update` follows a branch; a tag or a commit is pinned.
    pub kind: String,
    /// The commit installed.
    pub commit: String,
}

impl Origin {
    /// The origin recorded in an installed deck's folder, if any.
    pub fn of_installed(folder: &Path) -> Option<Origin> {
        let bytes = crate::bounded_read::regular_file(&folder.join(ORIGIN_FILE), 64 * 1024).ok()?;
        toml::from_str(std::str::from_utf8(&bytes).ok()?).ok()
    }

    pub fn write_into(&self, folder: &Path) -> io::Result<()> {
        let mut document = toml_edit::DocumentMut::new();
        document["url"] = toml_edit::value(self.url.as_str());
        if let Some(reference) = &self.reference {
            document["reference"] = toml_edit::value(reference.as_str());
        }
        document["kind"] = toml_edit::value(self.kind.as_str());
        document["commit"] = toml_edit::value(self.commit.as_str());
        std::fs::write(
            folder.join(ORIGIN_FILE),
            format!("# Where this deck came from (kubedrill deck add / deck update).\n{document}"),
        )
    }

    /// The commit, shortened as git shows it.
    pub fn short_commit(&self) -> &str {
        &self.commit[..self.commit.len().min(12)]
    }
}

/// Why a repository could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "git is not installed (or not on PATH); install it to add decks from git, or clone the repository yourself and `kubedrill deck add DIR`"
    )]
    NoGit,
    #[error("`{0}` cannot be a repository: it starts with `-`")]
    LooksLikeAnOption(String),
    #[error("`{0}` cannot be a branch, tag or commit: it starts with `-`")]
    BadReference(String),
    #[error("git could not {action} {target}: {message}")]
    Failed {
        action: &'static str,
        target: String,
        message: String,
    },
    #[error("{reference}: no such branch, tag or commit in {url}")]
    NoSuchReference { url: String, reference: String },
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Whether `source` names a git repository rather than a plain deck folder: a URL
/// (`https://…`, `ssh://…`, `file://…`, `git@host:path`), or a local folder that is a
/// repository's top (it holds `.git`, or is a bare repository).
pub fn is_repository(source: &str) -> bool {
    if source.contains("://") {
        return true;
    }
    let path = Path::new(source);
    if path.exists() {
        return path.join(".git").exists()
            || (path.join("HEAD").is_file() && path.join("objects").is_dir());
    }
    // scp-like `user@host:path`, as git reads it (a colon before any slash).
    source
        .split_once(':')
        .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'))
}

/// Whether the local repository at `path` has changes not committed (which `deck add` of it
/// does not install: it installs a commit).
pub fn has_uncommitted_changes(path: &Path) -> bool {
    run(
        Some(path),
        &["status", "--porcelain"],
        "read the status of",
        "",
    )
    .is_ok_and(|status| !status.trim().is_empty())
}

/// A repository checked out at one commit, in a temporary folder removed when it is dropped.
#[derive(Debug)]
pub struct Checkout {
    _folder: tempfile::TempDir,
    /// The work tree.
    pub dir: PathBuf,
    pub origin: Origin,
}

/// Clones `url` into a temporary folder under `scratch` and checks out `reference` (a branch,
/// tag or commit; the default branch when `None`).
pub fn fetch(url: &str, reference: Option<&str>, scratch: &Path) -> Result<Checkout, GitError> {
    if url.starts_with('-') {
        return Err(GitError::LooksLikeAnOption(url.to_string()));
    }
    if let Some(reference) = reference.filter(|reference| reference.starts_with('-')) {
        return Err(GitError::BadReference(reference.to_string()));
    }
    // A local path is given to git as an absolute path, so the recorded origin works from any
    // folder later.
    let url = match Path::new(url).exists() && !url.contains("://") {
        true => std::path::absolute(url)?.to_string_lossy().into_owned(),
        false => url.to_string(),
    };
    std::fs::create_dir_all(scratch)?;
    let folder = tempfile::Builder::new()
        .prefix(".fetching-")
        .tempdir_in(scratch)?;
    let dir = folder.path().join("repo");
    let dir_text = dir.to_string_lossy().into_owned();
    run(
        None,
        &["clone", "--quiet", "--no-checkout", "--", &url, &dir_text],
        "clone",
        &url,
    )?;
    let (commit, kind) = resolve(&dir, &url, reference)?;
    run(
        Some(&dir),
        &["checkout", "--quiet", "--detach", &commit],
        "check out",
        &commit,
    )?;
    Ok(Checkout {
        _folder: folder,
        dir,
        origin: Origin {
            url,
            reference: reference.map(str::to_string),
            kind,
            commit,
        },
    })
}

/// The commit `reference` names in the clone at `dir`, and whether it is a branch, a tag or a
/// commit.
fn resolve(dir: &Path, url: &str, reference: Option<&str>) -> Result<(String, String), GitError> {
    let Some(reference) = reference else {
        let commit = rev_parse(dir, "HEAD^{commit}").ok_or_else(|| GitError::Failed {
            action: "read the default branch of",
            target: url.to_string(),
            message: "the repository has no commits".to_string(),
        })?;
        return Ok((commit, "branch".to_string()));
    };
    let candidates = [
        (format!("refs/remotes/origin/{reference}"), "branch"),
        (format!("refs/tags/{reference}"), "tag"),
        (reference.to_string(), "commit"),
    ];
    for (name, kind) in candidates {
        if let Some(commit) = rev_parse(dir, &format!("{name}^{{commit}}")) {
            return Ok((commit, kind.to_string()));
        }
    }
    Err(GitError::NoSuchReference {
        url: url.to_string(),
        reference: reference.to_string(),
    })
}

fn rev_parse(dir: &Path, name: &str) -> Option<String> {
    run(
        Some(dir),
        &["rev-parse", "--verify", "--quiet", "--end-of-options", name],
        "read",
        name,
    )
    .ok()
    .map(|out| out.trim().to_string())
    .filter(|commit| commit.len() >= 40)
}

/// Runs git with the settings a stranger's repository must not change; its standard output.
fn run(
    dir: Option<&Path>,
    args: &[&str],
    action: &'static str,
    target: &str,
) -> Result<String, GitError> {
    let mut command = Command::new("git");
    if let Some(dir) = dir {
        command.arg("-C").arg(dir);
    }
    command
        .args([
            "-c",
            "protocol.ext.allow=never",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "submodule.recurse=false",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_ASKPASS", "true")
        .env("SSH_ASKPASS", "true")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = command.output().map_err(|error| match error.kind() {
        io::ErrorKind::NotFound => GitError::NoGit,
        _ => GitError::Io(error),
    })?;
    if !output.status.success() {
        let message = String::from_utf8_lossy(&output.stderr);
        let message = message
            .lines()
            .map(|line| line.trim_start_matches("fatal: ").trim())
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        return Err(GitError::Failed {
            action,
            target: crate::text::escape_controls(target).into_owned(),
            message: crate::text::escape_controls(&message).into_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests;

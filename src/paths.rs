//! Where kubedrill keeps a learner's files: the data directory (progress database, installed
//! decks). Always overridable with `--data-dir`, which is how tests keep to a temp folder.

use std::path::{Path, PathBuf};

/// The per-user data directory (`~/.local/share/kubedrill` on Linux), or `None` when the system
/// reports no home directory; callers then ask for `--data-dir`.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "kubedrill").map(|dirs| dirs.data_dir().to_path_buf())
}

/// Installed decks live one per folder under `DATA_DIR/decks/`.
pub fn decks_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("decks")
}

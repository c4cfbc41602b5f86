//! The deck-wide values of deck.toml and images.toml: `format_version` (a format newer than this
//! build reads is refused before anything else is judged), the deck's `version`, the Kubernetes
//! version it targets (newer than the one manifests are checked against is a warning), and the
//! image table that images.toml and an exercise's `[images]` share.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::DeTable;

use super::file_checker::FileChecker;
use crate::content::files::ImageTable;
use crate::diagnostic::ProblemBuilder;
use crate::model::Image;
use crate::{DECK_FORMAT_VERSION, KUBERNETES_VERSION};

impl FileChecker<'_> {
    /// Refuses a `format_version` newer than this build reads, before anything else is judged
    /// (the rest of a newer deck would only produce confusing errors).
    pub(super) fn format_version_supported(&mut self, table: &Spanned<DeTable<'_>>) -> bool {
        let Some(value) = table.get_ref().get("format_version") else {
            return true;
        };
        let Some(version) = value
            .get_ref()
            .as_integer()
            .and_then(|integer| integer.as_str().parse::<i64>().ok())
        else {
            return true;
        };
        if version > DECK_FORMAT_VERSION {
            self.problem(value.span(), "format-version", format!("this deck is written for deck format {version}, but this kubedrill reads format {DECK_FORMAT_VERSION} at most"))
                .help("upgrade kubedrill (cargo install kubedrill) to use this deck");
            return false;
        }
        if version < 1 {
            self.problem(
                value.span(),
                "format-version",
                format!("format_version {version} does not exist; the first format is 1"),
            )
            .help(format!("write format_version = {DECK_FORMAT_VERSION}"));
        }
        true
    }

    pub(super) fn kubernetes_version(&mut self, version: &Spanned<String>) {
        let pinned_minor: u32 = KUBERNETES_VERSION
            .split('.')
            .nth(1)
            .and_then(|minor| minor.parse().ok())
            .unwrap_or(0);
        match version
            .get_ref()
            .strip_prefix("1.")
            .and_then(|minor| minor.parse::<u32>().ok())
        {
            None => {
                self.problem(
                    version.span(),
                    "bad-value",
                    format!(
                        "`{}` is not a Kubernetes minor version",
                        crate::text::escape_controls(version.get_ref())
                    ),
                )
                .help(format!("write it like \"{KUBERNETES_VERSION}\""));
            }
            Some(minor) if minor > pinned_minor => {
                self.problem(version.span(), "kubernetes-version", format!("the deck targets Kubernetes {}, newer than the {KUBERNETES_VERSION} this kubedrill checks manifests against", version.get_ref()))
                    .help("manifests in this deck are checked against the older version; upgrade kubedrill to check them against the newer one")
                    .severity = crate::diagnostic::Severity::Warning;
            }
            Some(_) => {}
        }
    }

    pub(super) fn images(&mut self, images: ImageTable) -> BTreeMap<String, Image> {
        let mut result = BTreeMap::new();
        for (name, entry) in images.0 {
            if name.get_ref().trim().is_empty() || name.get_ref().contains(char::is_whitespace) {
                self.problem(
                    name.span(),
                    "bad-value",
                    "an image name has no spaces and is not empty",
                )
                .help("write the name as in a Pod's `image:`, e.g. \"ubuntu-sleeper\"");
                continue;
            }
            result.insert(
                name.into_inner(),
                Image {
                    entrypoint: entry.entrypoint,
                    cmd: entry.cmd,
                },
            );
        }
        result
    }
}

/// `MAJOR.MINOR.PATCH`, with an optional pre-release or build suffix.
pub(super) fn is_semver(version: &str) -> bool {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

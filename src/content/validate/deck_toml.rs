//! The deck-wide values of deck.toml and images.toml: `format_version` (a format newer than this
//! build reads is refused before anything else is judged), the deck's `version`, the Kubernetes
//! version it targets (newer than the one manifests are checked against is a warning), and the
//! image table that images.toml and an exercise's `[images]` share.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::DeTable;

use toml::de::DeValue;

use super::file_checker::{FileChecker, table_id};
use crate::content::files::{DomainEntry, ImageTable};
use crate::diagnostic::ProblemBuilder;
use crate::model::{Domain, Image};
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

/// The `[[domain]]` tables, in order: each with a valid, unique id, a title and a weight of 1 to
/// 100; one that is not is reported and left out (its topics then name an unknown domain).
pub(super) fn domains(
    file: &mut FileChecker<'_>,
    entries: Vec<Spanned<DeValue<'_>>>,
) -> Vec<Domain> {
    let mut domains: Vec<Domain> = Vec::new();
    let mut first = None;
    for entry in entries {
        file.item = table_id(&entry).map(|id| format!("domain `{id}`"));
        let Some(domain) = file.deserialize::<DomainEntry>(entry) else {
            file.item = None;
            continue;
        };
        first.get_or_insert(domain.id.span());
        let id = file.id(&domain.id, "domain");
        let title = file.localized(&domain.title);
        let weight = match &domain.weight {
            None => Some(None),
            Some(weight) if (1..=100).contains(weight.get_ref()) => {
                Some(Some(*weight.get_ref() as u32))
            }
            Some(weight) => {
                file.problem(
                    weight.span(),
                    "bad-value",
                    format!(
                        "a domain's weight is a percentage from 1 to 100, not {}",
                        weight.get_ref()
                    ),
                )
                .help("write its share of the exam, e.g. weight = 25, or leave weight out");
                None
            }
        };
        if let (Some(id), Some(title), Some(weight)) = (id, title, weight) {
            if domains.iter().any(|existing| existing.id == id) {
                file.problem(
                    domain.id.span(),
                    "duplicate-id",
                    format!("domain `{id}` is listed twice"),
                )
                .help("give each [[domain]] its own id");
            } else {
                domains.push(Domain { id, title, weight });
            }
        }
        file.item = None;
    }
    let total: u32 = domains.iter().filter_map(|domain| domain.weight).sum();
    if let Some(span) = first
        && domains.iter().all(|domain| domain.weight.is_some())
        && total != 100
    {
        file.problem(
            span,
            "domain-weights",
            format!("the domains' weights add up to {total}, not 100"),
        )
        .help("weights are shares of the exam in percent; a mock exam scales them to 100, so check that they say what you mean")
        .severity = crate::diagnostic::Severity::Warning;
    }
    domains
}

/// The index of the domain a topic names, reporting a name that no `[[domain]]` has.
pub(super) fn topic_domain(
    file: &mut FileChecker<'_>,
    domains: &[Domain],
    name: Option<&Spanned<String>>,
) -> Option<usize> {
    let name = name?;
    let found = domains
        .iter()
        .position(|domain| domain.id.as_str() == name.get_ref());
    if found.is_none() {
        let known: Vec<&str> = domains.iter().map(|domain| domain.id.as_str()).collect();
        file.problem(
            name.span(),
            "unknown-domain",
            format!(
                "no [[domain]] has the id `{}`",
                crate::text::escape_controls(name.get_ref())
            ),
        )
        .help(if known.is_empty() {
            "declare it in deck.toml with [[domain]] (id, title, weight), or remove this topic's domain".to_string()
        } else {
            format!("the domains are: {}", known.join(", "))
        });
    }
    found
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

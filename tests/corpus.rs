//! The manifest checker on a corpus of real manifests from public repositories.
//!
//! tests/fixtures/corpus/ holds manifest files copied byte for byte from public example
//! repositories (the Kubernetes website's examples, operator and controller repositories'
//! samples), each valid for the pinned Kubernetes version. INDEX.tsv names each file's source
//! repository, commit and path; SOURCES.md the repositories' licences. Every file must check
//! with no error: a custom resource kubedrill has no schema for may warn, never fail.
//!
//! tests/fixtures/corpus-removed/ holds real manifests of APIs removed before the pinned
//! version: each must be refused as `removed-api`, saying when and what replaced it.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kubedrill::manifest::{self, Version};

struct Entry {
    line: usize,
    local: String,
    repo: String,
    commit: String,
    path: String,
}

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The index's lines, skipping `#` comments; a malformed line is reported, not skipped.
fn index(folder: &Path) -> (Vec<Entry>, Vec<String>) {
    let text = std::fs::read_to_string(folder.join("INDEX.tsv")).expect("INDEX.tsv is readable");
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let number = number + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [local, repo, commit, path] = fields[..] else {
            problems.push(format!(
                "INDEX.tsv:{number}: {} fields, not 4 (local-file, owner/repo, commit, path)",
                fields.len()
            ));
            continue;
        };
        entries.push(Entry {
            line: number,
            local: local.to_string(),
            repo: repo.to_string(),
            commit: commit.to_string(),
            path: path.to_string(),
        });
    }
    (entries, problems)
}

/// Every file under `folder` but the index and the licence notes, as paths relative to it.
fn files_in(folder: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for source in std::fs::read_dir(folder).unwrap() {
        let source = source.unwrap().path();
        if !source.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&source).unwrap() {
            let file = file.unwrap().path();
            found.insert(
                file.strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
    found
}

fn index_problems(folder: &Path) -> Vec<String> {
    let (entries, mut problems) = index(folder);
    let files = files_in(folder);
    let mut listed = BTreeSet::new();
    let mut previous: Option<&str> = None;
    for entry in &entries {
        let at = format!("INDEX.tsv:{}", entry.line);
        if !listed.insert(entry.local.as_str()) {
            problems.push(format!("{at}: {} is listed twice", entry.local));
        }
        if previous.is_some_and(|previous| previous >= entry.local.as_str()) {
            problems.push(format!("{at}: {} is out of order", entry.local));
        }
        previous = Some(&entry.local);
        if !files.contains(&entry.local) {
            problems.push(format!("{at}: {} is not in the folder", entry.local));
        }
        if entry.commit.len() != 40
            || !entry
                .commit
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            problems.push(format!(
                "{at}: commit {:?} is not 40 lowercase hex digits",
                entry.commit
            ));
        }
        let Some((owner, name)) = entry.repo.split_once('/') else {
            problems.push(format!(
                "{at}: repository {:?} is not owner/name",
                entry.repo
            ));
            continue;
        };
        let expected = format!("{owner}__{name}/{}", entry.path.replace('/', "__"));
        if entry.local != expected {
            problems.push(format!(
                "{at}: {} should be named {expected} after its source path",
                entry.local
            ));
        }
    }
    for file in &files {
        if !listed.contains(file.as_str()) {
            problems.push(format!("{file}: in the folder but not in INDEX.tsv"));
        }
    }
    problems
}

/// The errors `check` reports on one corpus file, one line each.
fn errors_in(folder: &Path, entry: &Entry) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(folder.join(&entry.local)) else {
        return vec![format!("{}: not readable as UTF-8", entry.local)];
    };
    manifest::check(&text, Version::pinned())
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(|diagnostic| {
            format!(
                "{}:{}:{}: {} [{}{}] {}",
                entry.local,
                diagnostic.line,
                diagnostic.column,
                diagnostic.rule.as_str(),
                diagnostic.kind.as_deref().unwrap_or("-"),
                if diagnostic.path.is_empty() {
                    String::new()
                } else {
                    format!(" {}", diagnostic.path)
                },
                diagnostic.message
            )
        })
        .collect()
}

#[test]
fn every_corpus_manifest_checks_without_error() {
    let folder = folder("corpus");
    let (entries, problems) = index(&folder);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        entries.len() >= 400,
        "the corpus has {} files",
        entries.len()
    );
    // The files are independent: check them on every core, then report in index order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut per_file: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let (folder, entries) = (&folder, &entries);
                scope.spawn(move || {
                    (worker..entries.len())
                        .step_by(threads)
                        .map(|i| (i, errors_in(folder, &entries[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    per_file.sort_by_key(|(i, _)| *i);
    let failed_files = per_file
        .iter()
        .filter(|(_, errors)| !errors.is_empty())
        .count();
    let failures: Vec<String> = per_file
        .into_iter()
        .flat_map(|(_, errors)| errors)
        .collect();
    let mut message = String::new();
    if !failures.is_empty() {
        let _ = writeln!(
            message,
            "{failed_files} of {} corpus files have errors ({} errors):",
            entries.len(),
            failures.len()
        );
        for failure in &failures {
            let _ = writeln!(message, "  {failure}");
        }
    }
    assert!(failures.is_empty(), "{message}");
}

#[test]
fn corpus_indexes_and_folders_agree() {
    let mut problems = Vec::new();
    for name in ["corpus", "corpus-removed"] {
        problems.extend(
            index_problems(&folder(name))
                .into_iter()
                .map(|problem| format!("{name}/{problem}")),
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_removed_api_in_real_manifests_is_named_with_its_replacement() {
    let folder = folder("corpus-removed");
    let (entries, problems) = index(&folder);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut failures = Vec::new();
    for entry in &entries {
        let text = std::fs::read_to_string(folder.join(&entry.local)).unwrap();
        let report = manifest::check(&text, Version::pinned());
        let removed: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.rule == "removed-api")
            .collect();
        if removed.is_empty() {
            failures.push(format!("{}: no removed-api diagnostic", entry.local));
        }
        for diagnostic in removed {
            let help = diagnostic.help.as_deref().unwrap_or_default();
            let said_when = diagnostic.message.contains("was removed in Kubernetes 1.")
                || diagnostic.message.contains("is no longer served");
            let said_what = help.starts_with("use `") || help.contains("Pod Security Admission");
            if !said_when || !said_what {
                failures.push(format!(
                    "{}:{}: {} / {help}",
                    entry.local, diagnostic.line, diagnostic.message
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

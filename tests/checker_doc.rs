//! docs/checker.md's "Rules by kind" tables against the code, so the page cannot drift:
//!
//! - every kind `Rules::object` in src/manifest/rules.rs dispatches on (the string literals of
//!   its match arms, `"Deployment" | "ReplicaSet" =>`) is named in the first column of a table
//!   of that section;
//! - every name in backticks in that column is a kind kubedrill knows, spelt as the kind is.
//!
//! In the first column, backticks hold kind names only (the page says so in a comment).

use std::collections::BTreeSet;
use std::path::Path;

use kubedrill::manifest::schema;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The kinds of the match arms in `fn object(`: lines such as `"Pod" => {`,
/// `"Role" | "ClusterRole" => …` or `"Lease" if kind.api_version == "…" => …`. A line whose
/// pattern is anything but quoted names joined by `|` (a message, a nested match) is skipped.
fn dispatched_kinds(source: &str) -> BTreeSet<String> {
    let start = source
        .find("fn object(")
        .expect("src/manifest/rules.rs has `fn object(`");
    let mut kinds = BTreeSet::new();
    for line in source[start..].lines().map(str::trim) {
        if !line.starts_with('"') {
            continue;
        }
        let Some((pattern, _)) = line.split_once("=>") else {
            continue;
        };
        let pattern = pattern.split(" if ").next().unwrap_or_default();
        let names: Option<Vec<&str>> = pattern
            .split('|')
            .map(|piece| {
                piece
                    .trim()
                    .strip_prefix('"')?
                    .strip_suffix('"')
                    .filter(|name| {
                        !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
                    })
            })
            .collect();
        kinds.extend(names.into_iter().flatten().map(str::to_string));
    }
    kinds
}

/// The names in backticks in the first column of every table under `## Rules by kind`, up to
/// the next `## ` heading.
fn table_kinds(doc: &str) -> BTreeSet<String> {
    let start = doc
        .find("\n## Rules by kind")
        .expect("docs/checker.md has a `## Rules by kind` section");
    let section = &doc[start + 1..];
    let end = section[1..]
        .find("\n## ")
        .map_or(section.len(), |end| end + 1);
    let mut kinds = BTreeSet::new();
    for line in section[..end].lines().map(str::trim) {
        let Some(row) = line.strip_prefix('|') else {
            continue;
        };
        let first = row.split('|').next().unwrap_or_default();
        if first.trim().starts_with("---") {
            continue;
        }
        // `a` `b` → ["", "a", " ", "b", ""]: the odd pieces were inside backticks.
        kinds.extend(
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(|name| name.trim().to_string()),
        );
    }
    kinds
}

#[test]
fn every_kind_with_rules_is_in_the_table_and_every_kind_in_it_exists() {
    let dispatched = dispatched_kinds(&read("src/manifest/rules.rs"));
    assert!(
        dispatched.len() >= 30 && dispatched.contains("Pod") && dispatched.contains("Lease"),
        "the match arms of `fn object(` were not read: {dispatched:?}"
    );
    let documented = table_kinds(&read("docs/checker.md"));
    let missing: Vec<&String> = dispatched.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "kinds with rules in src/manifest/rules.rs but no row in docs/checker.md's \
         \"Rules by kind\" tables: {missing:?}"
    );
    let unknown: Vec<&String> = documented
        .iter()
        .filter(|name| schema::kind_by_name(name, None).is_none_or(|info| info.kind != *name))
        .collect();
    assert!(
        unknown.is_empty(),
        "names in backticks in the first column of docs/checker.md's tables that are not \
         kinds kubedrill knows: {unknown:?}"
    );
}

#[test]
fn the_readers_pick_out_what_they_should() {
    let source = r#"
    fn object(&mut self) {
        match kind.kind {
            "Pod" => {}
            "Deployment" | "ReplicaSet" => {
                self.error("a message => with an arrow", "x");
            }
            "Lease" if kind.api_version == "coordination.k8s.io/v1" => self.lease(root),
            _ => {}
        }
    }"#;
    assert_eq!(
        dispatched_kinds(source).into_iter().collect::<Vec<_>>(),
        ["Deployment", "Lease", "Pod", "ReplicaSet"]
    );
    let doc = "# T\n\n## Rules by kind\n\n| Kind | What |\n|---|---|\n| `Pod` | `x` |\n\
               | Every kind | `y` |\n| `Job`, `CronJob` (its `jobTemplate`) | z |\n\n\
               ## Next\n\n| `Secret` | w |\n";
    assert_eq!(
        table_kinds(doc).into_iter().collect::<Vec<_>>(),
        ["CronJob", "Job", "Pod", "jobTemplate"]
    );
}

//! Compares two canonical commands and explains every difference in words a learner can act on:
//! what the answer does, and what the task needs instead.

use std::collections::BTreeSet;

use super::canonical::{key_of, shell_words};
use super::parse::{Command, FlagValue};
use crate::text::escape_controls;

/// Every way `answer` does not do what `expected` does; empty when they do the same.
pub fn differences(expected: &Command, answer: &Command) -> Vec<String> {
    let mut found = Vec::new();
    if expected.path != answer.path {
        found.push(format!(
            "this runs `kubectl {}`, but the task needs `kubectl {}`",
            answer.path_text(),
            expected.path_text()
        ));
        return found;
    }
    if expected.resource != answer.resource {
        found.push(match (&answer.resource, &expected.resource) {
            (Some(given), Some(wanted)) => format!(
                "the resource type is `{}`, but the task is about `{}`",
                escape_controls(&given.typed),
                wanted.canonical
            ),
            (Some(given), None) => format!(
                "the task names no resource type (`{}` is not asked for): it works on the objects of its files (-f or -k)",
                escape_controls(&given.typed)
            ),
            (None, Some(wanted)) => format!(
                "the answer names no resource type, but the task is about `{}`",
                wanted.canonical
            ),
            (None, None) => unreachable!("the resources differ"),
        });
    }
    if expected.names != answer.names {
        let shown = |names: &[String]| format!("`{}`", escape_controls(&names.join(" ")));
        found.push(match (answer.names.is_empty(), expected.names.is_empty()) {
            (true, _) => format!(
                "the answer names nothing, but the task needs {}",
                shown(&expected.names)
            ),
            (_, true) => format!(
                "{} is not asked for: the task names nothing here",
                shown(&answer.names)
            ),
            _ => format!(
                "the name is {}, but the task needs {}",
                shown(&answer.names),
                shown(&expected.names)
            ),
        });
    }
    compare_keyed(&expected.pairs, &answer.pairs, "", &mut found);
    compare_flags(expected, answer, &mut found);
    if expected.container_words != answer.container_words {
        let shown = |words: &Option<Vec<String>>| match words {
            Some(words) if !words.is_empty() => format!("`{}`", shell_words(words)),
            _ => "nothing".to_string(),
        };
        found.push(format!(
            "the container gets {}, but the task gives it {} (the words after `--`)",
            shown(&answer.container_words),
            shown(&expected.container_words)
        ));
    }
    found.extend(redirect_difference(
        expected.redirect.as_deref(),
        answer.redirect.as_deref(),
    ));
    found
}

/// Where the output goes matters only when the task saves it to a file.
pub(super) fn redirect_difference(expected: Option<&str>, answer: Option<&str>) -> Option<String> {
    let target = expected?;
    match answer {
        Some(given) if given == target => None,
        Some(other) => Some(format!(
            "the output goes to `{}`, but the task saves it to `{target}`",
            escape_controls(other)
        )),
        None => Some(format!(
            "the task saves the output to a file: add `> {target}`"
        )),
    }
}

fn compare_flags(expected: &Command, answer: &Command, found: &mut Vec<String>) {
    let names: BTreeSet<&&str> = expected.flags.keys().chain(answer.flags.keys()).collect();
    for name in names {
        let (wanted, given) = (expected.flags.get(*name), answer.flags.get(*name));
        if wanted == given || (wanted.is_none() && harmless_extra(answer, name)) {
            continue;
        }
        if let Some(note) = note(name, wanted, given) {
            found.push(note);
            continue;
        }
        match (wanted, given) {
            (Some(FlagValue::Set(wanted)), Some(FlagValue::Set(given))) => {
                compare_keyed(wanted, given, name, found);
            }
            (Some(wanted), Some(given)) => found.push(format!(
                "--{name} is `{}`, but the task needs `{}`",
                escape_controls(&given.show()),
                escape_controls(&wanted.show())
            )),
            (Some(FlagValue::One(value)), None) if value == "true" => {
                found.push(format!("missing --{name}"));
            }
            (Some(wanted), None) => {
                for flag in wanted.as_flags(name) {
                    found.push(format!("missing {}", escape_controls(&flag)));
                }
            }
            (None, Some(FlagValue::One(value))) if value == "true" => {
                found.push(format!("--{name} is not asked for"));
            }
            (None, Some(given)) => {
                for flag in given.as_flags(name) {
                    found.push(format!("{} is not asked for", escape_controls(&flag)));
                }
            }
            (None, None) => {}
        }
    }
}

/// Flags an answer may add when the task does not mention them: they change how the result is
/// shown, or a detail the task leaves open (a label on `run`, its restart policy), not what the
/// command does.
fn harmless_extra(answer: &Command, name: &str) -> bool {
    const READS: &[&str] = &[
        "get",
        "describe",
        "top",
        "events",
        "api-resources",
        "explain",
    ];
    match name {
        "show-labels" | "no-headers" | "sort-by" | "show-kind" | "label-columns" | "record"
        | "request-timeout" => true,
        // A format only changes what is printed; where the output goes to a file it is the file.
        "output" => READS.contains(&answer.path[0]) && answer.redirect.is_none(),
        "labels" | "restart" => answer.path == ["run"],
        _ => false,
    }
}

/// The teaching note for a flag whose difference is a classic mistake, if it has one.
fn note(name: &str, wanted: Option<&FlagValue>, given: Option<&FlagValue>) -> Option<String> {
    Some(match (name, single(wanted), single(given)) {
        ("command", None, Some(_)) => "--command makes the words after `--` replace the image's ENTRYPOINT; the task passes them as arguments to it (CMD), so leave --command out".to_string(),
        ("command", Some(_), None) => "without --command the words after `--` are arguments to the image's ENTRYPOINT; the task replaces the ENTRYPOINT with them, so add --command".to_string(),
        ("dry-run", Some(mode), None) => format!("without --dry-run={mode} kubectl really changes the cluster; the task only wants to see the result, so add --dry-run={mode}"),
        ("dry-run", None, Some(mode)) => format!("with --dry-run={mode} nothing is created or changed, but the task needs it done: leave --dry-run out"),
        ("namespace", wanted, given) => format!(
            "this runs in namespace `{}`, but the task's namespace is `{}`",
            escape_controls(given.unwrap_or("default")),
            wanted.unwrap_or("default")
        ),
        ("append-hash", None, Some(_)) => "--append-hash adds a hash of the content to the name, so the object would not have the name the task asks for".to_string(),
        ("output", Some(format), None) => format!("missing -o {format}: without it kubectl prints a summary (a table, or a one-line `created` message), not the object"),
        _ => return None,
    })
}

/// Compares two sets of `KEY=VALUE` (or plain) values, pairing them by key so that a changed
/// value reads as one difference, not as a missing and an extra one.
fn compare_keyed(
    wanted: &BTreeSet<String>,
    given: &BTreeSet<String>,
    flag: &str,
    found: &mut Vec<String>,
) {
    let prefix = if flag.is_empty() {
        String::new()
    } else {
        format!("--{flag}=")
    };
    let missing: Vec<&String> = wanted.difference(given).collect();
    let extra: Vec<&String> = given.difference(wanted).collect();
    let keyed = |value: &str| value.contains('=') || value.ends_with('-');
    let key = |value: &str| key_of(value).trim_end_matches('-').to_string();
    // The value given for each wanted one with the same key (exactly, or only in another case).
    let partner = |value: &str, pool: &[&String]| -> Option<(String, bool)> {
        if !keyed(value) {
            return None;
        }
        let candidates: Vec<&&String> = pool.iter().filter(|other| keyed(other)).collect();
        candidates
            .iter()
            .find(|other| key(other) == key(value))
            .map(|other| (other.to_string(), false))
            .or_else(|| {
                candidates
                    .iter()
                    .find(|other| key(other).eq_ignore_ascii_case(&key(value)))
                    .map(|other| (other.to_string(), true))
            })
    };
    for value in &missing {
        match partner(value, &extra) {
            None => found.push(format!("missing {prefix}{}", escape_controls(value))),
            Some((other, case_only)) => found.push(format!(
                "{prefix}{} should be {prefix}{}{}",
                escape_controls(&other),
                escape_controls(value),
                if case_only {
                    " (keys are case-sensitive)"
                } else {
                    ""
                }
            )),
        }
    }
    for value in &extra {
        if partner(value, &missing).is_none() {
            found.push(format!(
                "{prefix}{} is not asked for",
                escape_controls(value)
            ));
        }
    }
}

fn single(value: Option<&FlagValue>) -> Option<&str> {
    match value {
        Some(FlagValue::One(value)) => Some(value),
        _ => None,
    }
}

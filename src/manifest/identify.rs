//! What a document is: its apiVersion and kind, read against the kinds the checker knows, the APIs
//! Kubernetes removed, and custom resources it has no schema for.
//!
//! - a kind in an apiVersion the checker knows → checked (a built-in alpha or beta version gets a
//!   warning: since 1.24 no new beta API is on by default, so a 1.37 cluster serves it only when
//!   enabled);
//! - a removed apiVersion → `removed-api`, with the version that replaced it and what changed;
//! - a known kind in another apiVersion of a built-in group, or of a group that looks like a
//!   misspelt one → `wrong-api-version`;
//! - an unknown kind in a built-in group (or a group without a dot, which no CRD can have) →
//!   `unknown-kind`, with the closest kind;
//! - anything else is a custom resource (a CRD's group always has a dot): `not-checked`, a
//!   warning, or an error with `--strict-kinds`.

use super::diagnostic::Rule;
use super::path::Path;
use super::removed;
use super::schema::{self, Finding, KindInfo, Origin, Stability};
use super::yaml::{Node, Pos};
use crate::text::{did_you_mean, escape_controls};

fn finding(rule: Rule, field: &str, at: Pos, message: String) -> Finding {
    Finding {
        rule,
        path: Path::root().key(field),
        at,
        message,
        suggestion: None,
        help: None,
        warning: false,
    }
}

/// Finds the kind a document declares; reports a missing, removed or unknown apiVersion/kind.
pub(super) fn identify(
    root: &Node,
    findings: &mut Vec<Finding>,
    strict_kinds: bool,
) -> Option<&'static KindInfo> {
    let api_version = root.entry("apiVersion");
    let kind = root.entry("kind");
    let (Some((_, api_node)), Some((_, kind_node))) = (api_version, kind) else {
        for (field, entry, example) in [("apiVersion", api_version, "v1"), ("kind", kind, "Pod")] {
            if entry.is_none() {
                let mut missing = finding(
                    Rule::MissingField,
                    field,
                    root.at,
                    format!("missing required field `{field}`"),
                );
                missing.help = Some(format!(
                    "every manifest starts with apiVersion and kind, such as `{field}: {example}`"
                ));
                findings.push(missing);
            }
        }
        return None;
    };
    let (Some(api_text), Some(kind_text)) = (api_node.as_str(), kind_node.as_str()) else {
        findings.push(finding(
            Rule::WrongType,
            "kind",
            kind_node.at,
            "apiVersion and kind are strings".to_string(),
        ));
        return None;
    };
    if let Some(info) = schema::find_kind(api_text, kind_text) {
        if info.origin == Origin::Kubernetes && info.stability() != Stability::Stable {
            findings.push(not_enabled(info, api_node.at));
        }
        return Some(info);
    }
    if let Some(gone) = removed::find(api_text, kind_text) {
        findings.push(removed_api(gone, api_node.at));
        return None;
    }
    let group = schema::group_of(api_text);
    // Kubernetes' own groups; the Gateway API's group also has kinds and versions only its
    // experimental channel installs, which are custom resources like any other.
    let built_in_group = !group.contains('.')
        || schema::KINDS
            .iter()
            .any(|info| info.origin == Origin::Kubernetes && info.group() == group);
    let versions = schema::versions_of(kind_text);
    if let Some(preferred) = versions.first() {
        // The kind exists: is this its group misspelt or mis-versioned, or a CRD of the same name
        // (Istio's `networking.istio.io` Gateway)?
        let close_group = versions.iter().find(|info| {
            (info.group() == group && info.origin == Origin::Kubernetes)
                || (info.group() != group && did_you_mean(group, [info.group()]).is_some())
                || (built_in_group && info.origin == Origin::Kubernetes)
        });
        if built_in_group || close_group.is_some() {
            let target = close_group.copied().unwrap_or(preferred);
            let mut wrong = finding(
                Rule::WrongApiVersion,
                "apiVersion",
                api_node.at,
                format!(
                    "{kind_text} is in apiVersion `{}`, not `{}`",
                    target.api_version,
                    escape_controls(api_text)
                ),
            );
            wrong.suggestion = Some(target.api_version.to_string());
            findings.push(wrong);
            return None;
        }
    } else if built_in_group {
        findings.push(unknown_kind(kind_text, api_text, kind_node.at));
        return None;
    }
    findings.push(not_checked(kind_text, api_text, kind_node.at, strict_kinds));
    None
}

fn not_enabled(info: &KindInfo, at: Pos) -> Finding {
    let alpha = info.stability() == Stability::Alpha;
    let (message, help) = if alpha {
        (
            "is an alpha API: a Kubernetes {version} cluster serves it only when it is turned on (kube-apiserver `--runtime-config`)",
            "is served by default: use it unless the task is about the alpha API",
        )
    } else {
        (
            "is a beta API: a Kubernetes {version} cluster serves it only when it is turned on (kube-apiserver `--runtime-config`)",
            "is served by default: use it unless the task is about the beta API",
        )
    };
    let mut warning = finding(
        Rule::ApiNotEnabled,
        "apiVersion",
        at,
        format!(
            "`{}` {}",
            info.api_version,
            message.replace("{version}", crate::KUBERNETES_VERSION)
        ),
    );
    warning.warning = true;
    if let Some(stable) = schema::versions_of(info.kind)
        .into_iter()
        .find(|other| other.stability() == Stability::Stable && other.group() == info.group())
    {
        warning.help = Some(format!("`{}` {help}", stable.api_version));
    }
    warning
}

fn removed_api(gone: &removed::Removed, at: Pos) -> Finding {
    let mut error = finding(
        Rule::RemovedApi,
        "apiVersion",
        at,
        match gone.removed_in {
            Some(version) => format!(
                "`{}` {} was removed in Kubernetes {version}",
                gone.api_version, gone.kind
            ),
            None => format!(
                "`{}` {} is no longer served: Kubernetes {} removed it",
                gone.api_version,
                gone.kind,
                crate::KUBERNETES_VERSION
            ),
        },
    );
    // No suggestion: "did you mean" would offer a one-word fix, and the move may change the
    // object's shape too, which the help says.
    error.help = Some(match gone.replacement {
        Some(replacement) => format!("use `{replacement}`: {}", gone.note),
        None => gone.note.to_string(),
    });
    error
}

fn unknown_kind(kind_text: &str, api_text: &str, at: Pos) -> Finding {
    let close = schema::kind_names()
        .find(|known| known.eq_ignore_ascii_case(kind_text))
        .or_else(|| did_you_mean(kind_text, schema::kind_names()));
    let mut unknown = finding(
        Rule::UnknownKind,
        "kind",
        at,
        format!(
            "kubedrill does not know the kind `{}` in `{}`",
            escape_controls(kind_text),
            escape_controls(api_text)
        ),
    );
    unknown.suggestion = close.map(str::to_string);
    unknown.help = Some(match close.and_then(|kind| schema::versions_of(kind).first().copied()) {
        Some(info) => format!("{} is in apiVersion `{}`", info.kind, info.api_version),
        None => "kubedrill knows every kind Kubernetes 1.37 serves and the Gateway API; `kubectl api-resources` on a cluster lists what it serves".to_string(),
    });
    unknown
}

fn not_checked(kind_text: &str, api_text: &str, at: Pos, strict_kinds: bool) -> Finding {
    let mut finding = finding(
        Rule::NotChecked,
        "kind",
        at,
        format!(
            "not checked: no schema for `{}` `{}`",
            escape_controls(api_text),
            escape_controls(kind_text)
        ),
    );
    finding.help = Some(if strict_kinds {
        "a custom resource: kubedrill has no schema for it, and --strict-kinds makes that an error"
            .to_string()
    } else {
        "a custom resource: a cluster accepts it only where its CustomResourceDefinition is installed, and kubedrill has no schema to check it against (--strict-kinds makes this an error)".to_string()
    });
    finding.warning = !strict_kinds;
    finding
}

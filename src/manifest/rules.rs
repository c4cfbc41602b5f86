//! The API server's own rules that a schema cannot express: names, selectors, exclusive fields,
//! references between fields, value ranges. Each rule cites where Kubernetes enforces it
//! (paths are in kubernetes/kubernetes unless said otherwise; `core validation` is
//! pkg/apis/core/validation/validation.go, `apps validation` pkg/apis/apps/validation/validation.go).
//! Version-dependent behaviour goes through [`Version::has`] with a
//! [`Feature`](super::version::Feature).
//!
//! The rules read the tree defensively: a value of the wrong type was already reported by the
//! schema check, so a rule skips it rather than report it twice.
//!
//! This file holds the entry point, the [`Rules`] walker every subject adds its checks to, and
//! the dispatch by kind. The rules themselves live one subject to a file, in the order a
//! document is walked:
//!
//! - [`metadata`]: the object's name (the rule depends on the kind), label and annotation keys
//!   and values;
//! - [`workload`]: Deployment, ReplicaSet, DaemonSet, StatefulSet, Job and CronJob specs: the
//!   selector against the template's labels, the rollout strategy, counts and deadlines;
//! - [`pod`]: a Pod spec, and what the kind around it asks of `restartPolicy`;
//! - [`volumes`]: the Pod's volumes (names, one source, file modes) and the mounts naming them;
//! - [`container`]: one container's name, image, pull policy, restart rules, probes and hooks;
//! - [`env`]: `env` (names, `value` or `valueFrom`, the fields and resources it may read) and
//!   `envFrom`;
//! - [`ports`]: container ports (range, names, the Pod's shared port space) and protocols;
//! - [`resources`]: requests and limits;
//! - [`config`]: ConfigMap and Secret data: keys, base64, size, the keys each Secret type needs;
//! - [`service`]: a Service's type and ports;
//! - [`names`]: the name syntaxes of apimachinery (DNS labels, qualified names, port names …),
//!   pure functions shared by the others.

mod config;
mod container;
mod env;
mod metadata;
mod names;
mod pod;
mod ports;
mod resources;
mod service;
mod volumes;
mod workload;

use std::collections::BTreeMap;

use super::diagnostic::Rule;
use super::path::Path;
use super::schema::{Finding, KindInfo};
use super::version::Version;
use super::yaml::{Node, Pos, Value};

pub use names::{dns1123_label, dns1123_subdomain, qualified_name};

/// Every finding of the API server's rules on one document of `kind`, checked as `version` would.
pub fn check(root: &Node, kind: &KindInfo, version: Version) -> Vec<Finding> {
    let mut rules = Rules {
        version,
        findings: Vec::new(),
        claim_templates: Vec::new(),
        ports_seen: BTreeMap::new(),
    };
    rules.object(root, kind);
    rules.findings
}

/// The walk over one document: what it found, and what an earlier part of the document tells
/// a later one.
struct Rules {
    version: Version,
    findings: Vec<Finding>,
    /// Names of a StatefulSet's volumeClaimTemplates, which its mounts may use like volumes.
    claim_templates: Vec<String>,
    /// (containerPort, protocol) → where it was first declared in this Pod.
    ports_seen: BTreeMap<(i64, String), Path>,
}

/// Where a Pod spec sits in a workload, and what its kind requires of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PodContext {
    /// A Pod itself: `image` is required.
    Pod,
    /// The template of a controller whose Pods must always restart (Deployment, ReplicaSet, ...).
    AlwaysRestart,
    /// The template of a Job: `restartPolicy` is `OnFailure` or `Never`.
    Job,
}

/// A scalar as the learner wrote it, for messages.
fn written(node: &Node) -> String {
    match &node.value {
        Value::Int(number) => number.to_string(),
        Value::Float(number) => number.to_string(),
        Value::Str(text) => crate::text::escape_controls(text).into_owned(),
        _ => String::new(),
    }
}

fn str_of(node: &Node) -> Option<&str> {
    node.as_str()
}

impl Rules {
    fn error(
        &mut self,
        rule: Rule,
        path: Path,
        at: Pos,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.findings.push(Finding {
            rule,
            path,
            at,
            message: message.into(),
            suggestion: None,
            help: None,
            warning: false,
        });
        self.findings.last_mut().expect("just pushed")
    }

    fn object(&mut self, root: &Node, kind: &KindInfo) {
        let root_path = Path::root();
        self.metadata(root, kind.kind, &root_path);
        let spec_path = root_path.key("spec");
        let spec = root.get("spec");
        // Where a missing field of the spec is reported: its `spec:` key.
        let spec_key = root.entry("spec").map_or(root.at, |(key, _)| key.at);
        match kind.kind {
            "Pod" => {
                if let Some(spec) = spec {
                    self.pod_spec(spec, &spec_path, PodContext::Pod, spec_key);
                }
            }
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::AlwaysRestart);
                }
            }
            "Job" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::Job);
                }
            }
            "CronJob" => {
                if let Some(job_spec) = root.at_path(&["spec", "jobTemplate", "spec"]) {
                    self.workload(
                        job_spec,
                        &spec_path.key("jobTemplate").key("spec"),
                        "Job",
                        PodContext::Job,
                    );
                }
                self.cron_job(root);
            }
            "ConfigMap" => self.config_map(root),
            "Secret" => self.secret(root),
            "Service" => {
                if let Some(spec) = spec {
                    self.service(spec, &spec_path, spec_key);
                }
            }
            _ => {}
        }
    }
}

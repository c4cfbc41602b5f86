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
//!   ReplicationController and PodTemplate;
//! - [`strategy`]: the update strategies of StatefulSets and DaemonSets, and a StatefulSet's
//!   other policies;
//! - [`job`]: a Job's counts, completion mode, failure and success policies;
//! - [`cron`]: a CronJob's schedule (the API server's cron parser), time zone and limits;
//! - [`pod`]: a Pod spec, and what the kind around it asks of `restartPolicy`;
//! - [`scheduling`]: nodeSelector, affinity, tolerations, topology spread, priority;
//! - [`security`]: the Pod's and each container's securityContext;
//! - [`volumes`]: the Pod's volumes (names, one source, file modes) and the mounts naming them;
//! - [`container`]: one container's name, image, pull policy, restart rules, probes and hooks;
//! - [`probe`]: a probe's or hook's handler, its timings and thresholds;
//! - [`env`]: `env` (names, `value` or `valueFrom`, the fields and resources it may read) and
//!   `envFrom`;
//! - [`ports`]: container ports (range, names, the Pod's shared port space) and protocols;
//! - [`resources`]: requests and limits;
//! - [`config`]: ConfigMap and Secret data: keys, base64, size, the keys each Secret type needs;
//! - [`service`]: a Service's type and ports;
//! - [`network`]: NetworkPolicy and EndpointSlice; [`ingress`]: Ingress and IngressClass;
//! - [`storage`]: PersistentVolume, PersistentVolumeClaim and StorageClass;
//! - [`selectors`]: label maps, label selectors and node selectors, shared by the kinds;
//! - [`values`]: enum list items, IP addresses and CIDR ranges, wildcard host names;
//! - [`rbac`]: Role and ClusterRole rules, a ClusterRole's aggregation rule, RoleBinding and
//!   ClusterRoleBinding role references and subjects;
//! - [`quota`]: ResourceQuota names, amounts and scopes; LimitRange types and the order of its
//!   amounts;
//! - [`policy`]: PodDisruptionBudget and PriorityClass, and the value checks (one of a set, a
//!   whole number in a range) RBAC, quotas and autoscaling use;
//! - [`autoscaling`]: HorizontalPodAutoscaler v1 and v2 bounds, metrics and behavior;
//! - [`namespace`]: a Namespace's finalizers;
//! - [`crd`]: CustomResourceDefinition names, versions and conversion; [`crd_schema`]: the
//!   structural-schema basics of its versions' schemas;
//! - [`admission`]: validating and mutating webhook configurations, and the rules, match
//!   conditions and client configuration the admission kinds share; [`admission_policy`]:
//!   ValidatingAdmissionPolicy and its binding;
//! - [`cluster`]: APIService, RuntimeClass, CertificateSigningRequest and Lease;
//! - [`fields`]: small checks shared by the subjects above (a number's range, an enum's value);
//! - [`names`]: the name syntaxes of apimachinery (DNS labels, qualified names, port names …),
//!   pure functions shared by the others.

mod admission;
mod admission_policy;
mod autoscaling;
mod cluster;
mod config;
mod container;
mod crd;
mod crd_schema;
mod cron;
mod env;
mod fields;
mod ingress;
mod job;
mod metadata;
mod names;
mod namespace;
mod network;
mod pod;
mod policy;
mod ports;
mod probe;
mod quota;
mod rbac;
mod resources;
mod scheduling;
mod security;
mod selectors;
mod service;
mod storage;
mod strategy;
mod values;
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
    /// A Pod itself (core validation validatePodMetadataAndSpec adds pod-only checks).
    Pod,
    /// The template of a controller whose Pods must always restart: Deployment, ReplicaSet,
    /// DaemonSet, ReplicationController.
    AlwaysRestart,
    /// A StatefulSet's template: it must always restart; before 1.34 apps validation
    /// ValidatePodTemplateSpecForStatefulSet did not validate the rest of the Pod spec, so
    /// against those versions what would refuse its Pods is a warning.
    StatefulSet,
    /// The template of a Job: `restartPolicy` is `OnFailure` or `Never`.
    Job,
    /// A PodTemplate object's template: any restart policy.
    Template,
}

impl PodContext {
    /// Whether the kind's Pods must restart always (and may not set activeDeadlineSeconds).
    fn always_restarts(self) -> bool {
        matches!(self, PodContext::AlwaysRestart | PodContext::StatefulSet)
    }
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

/// An object's `spec`, its path, and where a missing field of it is reported (its `spec:`
/// key); `None` when there is no spec.
fn spec_of(root: &Node) -> Option<(&Node, Path, Pos)> {
    let spec = root.get("spec")?;
    let spec_key = root.entry("spec").map_or(root.at, |(key, _)| key.at);
    Some((spec, Path::root().key("spec"), spec_key))
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
            "Deployment" | "ReplicaSet" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::AlwaysRestart);
                }
            }
            "DaemonSet" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::AlwaysRestart);
                    self.daemon_set_strategy(spec, &spec_path);
                }
            }
            "StatefulSet" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::StatefulSet);
                    self.stateful_set(spec, &spec_path);
                }
            }
            "ReplicationController" => match spec {
                Some(spec) => self.replication_controller(spec, &spec_path, spec_key),
                // core validation ValidatePodTemplateSpecForRC: the template is required.
                None => {
                    self.error(
                        Rule::MissingField,
                        spec_path.key("template"),
                        root.at,
                        "a ReplicationController needs a Pod `template`",
                    )
                    .help =
                        Some("add `template:` with `metadata.labels` and a Pod `spec`".to_string());
                }
            },
            "PodTemplate" => self.pod_template(root),
            "Job" => {
                if let Some(spec) = spec {
                    self.workload(spec, &spec_path, kind.kind, PodContext::Job);
                    self.job(spec, &spec_path);
                }
                self.indexed_job_name(root);
            }
            "CronJob" => {
                let job_path = spec_path.key("jobTemplate").key("spec");
                if let Some(job_spec) = root.at_path(&["spec", "jobTemplate", "spec"]) {
                    self.workload(job_spec, &job_path, "Job", PodContext::Job);
                    self.job(job_spec, &job_path);
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
            "NetworkPolicy" => {
                if let Some(spec) = spec {
                    self.network_policy(spec, &spec_path);
                }
            }
            "ServiceCIDR" => {
                if let Some(spec) = spec {
                    self.service_cidr(spec, &spec_path, spec.at);
                }
            }
            "Ingress" => self.ingress(root, spec, &spec_path, spec_key),
            "IngressClass" => self.ingress_class(spec, &spec_path, spec_key),
            "EndpointSlice" => self.endpoint_slice(root),
            "PersistentVolume" => {
                if let Some(spec) = spec {
                    self.persistent_volume(spec, &spec_path, spec_key);
                }
            }
            "PersistentVolumeClaim" => {
                if let Some(spec) = spec {
                    self.pvc_spec(spec, &spec_path, spec_key);
                }
            }
            "StorageClass" => self.storage_class(root),
            "Role" | "ClusterRole" => self.role(root, kind.kind == "Role"),
            "RoleBinding" | "ClusterRoleBinding" => {
                self.role_binding(root, kind.kind == "ClusterRoleBinding");
            }
            "ResourceQuota" => {
                if let Some(spec) = spec {
                    self.resource_quota(spec, &spec_path);
                }
            }
            "LimitRange" => {
                if let Some(spec) = spec {
                    self.limit_range(spec, &spec_path);
                }
            }
            "PodDisruptionBudget" => {
                if let Some(spec) = spec {
                    self.pod_disruption_budget(spec, &spec_path);
                }
            }
            "PriorityClass" => self.priority_class(root),
            "Namespace" => self.namespace(root),
            "HorizontalPodAutoscaler" => {
                if let Some(spec) = spec {
                    self.horizontal_pod_autoscaler(
                        spec,
                        &spec_path,
                        kind.api_version == "autoscaling/v1",
                    );
                }
            }
            "CustomResourceDefinition" => self.custom_resource_definition(root),
            "ValidatingWebhookConfiguration" => self.webhook_configuration(root, false),
            "MutatingWebhookConfiguration" => self.webhook_configuration(root, true),
            "ValidatingAdmissionPolicy" => self.validating_admission_policy(root),
            "ValidatingAdmissionPolicyBinding" => self.validating_admission_policy_binding(root),
            "APIService" => self.api_service(root),
            "RuntimeClass" => self.runtime_class(root),
            "CertificateSigningRequest" => self.certificate_signing_request(root),
            "Lease" if kind.api_version == "coordination.k8s.io/v1" => self.lease(root),
            _ => {}
        }
    }
}

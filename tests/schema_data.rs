//! The schema data the checker embeds (`assets/schema/kubernetes-1.37.tsv`) is generated from the
//! Kubernetes API types of the pinned minor (the k8s-openapi crate, itself generated from the
//! OpenAPI spec of kubernetes/kubernetes) and must stay what they say.
//!
//! `KUBEDRILL_BLESS=1 cargo test --test schema_data` writes the file anew; without it, the test
//! fails when the checked-in file differs from what the types generate.
//!
//! The file has one line per kind (`kind`, apiVersion, kind, plural, scope, definition)
//! and one per definition (`def`, name, compact JSON Schema: only what the checker and `explain`
//! read — type, format, description, properties, required, items, additionalProperties,
//! x-kubernetes-int-or-string, enum, $ref).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use k8s_openapi::schemars::{JsonSchema, SchemaGenerator};
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope, Resource};
use serde_json::{Map, Value};

const FILE: &str = "assets/schema/kubernetes-1.37.tsv";

trait ScopeName {
    const NAME: &'static str;
}
impl ScopeName for ClusterResourceScope {
    const NAME: &'static str = "Cluster";
}
impl ScopeName for NamespaceResourceScope {
    const NAME: &'static str = "Namespaced";
}

struct KindRow {
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
    scope: &'static str,
    definition: String,
}

fn add<T>(kinds: &mut Vec<KindRow>, defs: &mut BTreeMap<String, Value>)
where
    T: Resource + JsonSchema,
    T::Scope: ScopeName,
{
    let mut root = SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value();
    let object = root.as_object_mut().expect("a root schema is an object");
    if let Some(Value::Object(found)) = object.remove("$defs") {
        for (name, schema) in found {
            defs.insert(name, compact(schema));
        }
    }
    let name = T::schema_name().into_owned();
    let mut root = compact(root);
    // k8s-openapi lists `metadata` as required on every kind (its field is not optional in
    // Rust); the API server does not: it wants a name (or generateName), which the checker's
    // metadata rule asks for, and a review kind needs neither.
    if let Some(Value::Array(required)) = root.get_mut("required") {
        required.retain(|field| field != "metadata");
        if required.is_empty() {
            root.as_object_mut().unwrap().remove("required");
        }
    }
    defs.insert(name.clone(), root);
    kinds.push(KindRow {
        api_version: T::API_VERSION,
        kind: T::KIND,
        plural: T::URL_PATH_SEGMENT,
        scope: <T::Scope as ScopeName>::NAME,
        definition: name,
    });
}

/// Only the keys the checker reads, recursively.
fn compact(schema: Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                match key.as_str() {
                    "type"
                    | "format"
                    | "description"
                    | "required"
                    | "enum"
                    | "$ref"
                    | "x-kubernetes-int-or-string" => {
                        out.insert(key, value);
                    }
                    "items" | "additionalProperties" => {
                        out.insert(key, compact(value));
                    }
                    "properties" => {
                        let properties = match value {
                            Value::Object(properties) => properties
                                .into_iter()
                                .map(|(name, schema)| (name, compact(schema)))
                                .collect(),
                            other => panic!("properties is a map, found {other}"),
                        };
                        out.insert(key, Value::Object(properties));
                    }
                    "oneOf" | "anyOf" | "allOf" => {
                        out.insert(
                            key,
                            Value::Array(
                                value
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .cloned()
                                    .map(compact)
                                    .collect(),
                            ),
                        );
                    }
                    _ => {}
                }
            }
            Value::Object(out)
        }
        other => other,
    }
}

macro_rules! generate {
    ($($ty:path),* $(,)?) => {
        fn generate() -> String {
            let mut kinds = Vec::new();
            let mut defs = BTreeMap::new();
            $( add::<$ty>(&mut kinds, &mut defs); )*
            kinds.sort_by(|a, b| (a.api_version, a.kind).cmp(&(b.api_version, b.kind)));
            // apiextensions' JSON holds any JSON value (a CRD schema's `enum` items, `default`,
            // `example`), but k8s-openapi describes it as an object: the API server takes
            // `enum: [a, b]` and `default: 3`, so the data says "any value".
            if let Some(Value::Object(json)) =
                defs.get_mut("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON")
            {
                json.remove("type");
            }
            let mut out = String::from(
                "# Schema data for kubedrill's manifest checker: every kind Kubernetes 1.37 serves, with its\n\
                 # definitions. Generated by tests/schema_data.rs from k8s-openapi (feature v1_37); do not edit:\n\
                 # run `KUBEDRILL_BLESS=1 cargo test --test schema_data` to write it again.\n",
            );
            for row in &kinds {
                writeln!(
                    out,
                    "kind\t{}\t{}\t{}\t{}\t{}",
                    row.api_version, row.kind, row.plural, row.scope, row.definition
                )
                .unwrap();
            }
            for (name, schema) in &defs {
                writeln!(out, "def\t{name}\t{}", serde_json::to_string(schema).unwrap()).unwrap();
            }
            out
        }
    };
}

generate! {
    k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1::MutatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1::MutatingWebhookConfiguration,
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1::ValidatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1::ValidatingWebhookConfiguration,
    k8s_openapi::api::admissionregistration::v1alpha1::MutatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1alpha1::MutatingAdmissionPolicy,
    k8s_openapi::api::admissionregistration::v1beta1::MutatingAdmissionPolicyBinding,
    k8s_openapi::api::admissionregistration::v1beta1::MutatingAdmissionPolicy,
    k8s_openapi::api::apiserverinternal::v1alpha1::StorageVersion,
    k8s_openapi::api::apps::v1::ControllerRevision,
    k8s_openapi::api::apps::v1::DaemonSet,
    k8s_openapi::api::apps::v1::Deployment,
    k8s_openapi::api::apps::v1::ReplicaSet,
    k8s_openapi::api::apps::v1::StatefulSet,
    k8s_openapi::api::authentication::v1::SelfSubjectReview,
    k8s_openapi::api::authentication::v1::TokenReview,
    k8s_openapi::api::authorization::v1::LocalSubjectAccessReview,
    k8s_openapi::api::authorization::v1::SelfSubjectAccessReview,
    k8s_openapi::api::authorization::v1::SelfSubjectRulesReview,
    k8s_openapi::api::authorization::v1::SubjectAccessReview,
    k8s_openapi::api::autoscaling::v1::HorizontalPodAutoscaler,
    k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler,
    k8s_openapi::api::batch::v1::CronJob,
    k8s_openapi::api::batch::v1::Job,
    k8s_openapi::api::certificates::v1::CertificateSigningRequest,
    k8s_openapi::api::certificates::v1::ClusterTrustBundle,
    k8s_openapi::api::certificates::v1::PodCertificateRequest,
    k8s_openapi::api::certificates::v1beta1::ClusterTrustBundle,
    k8s_openapi::api::certificates::v1beta1::PodCertificateRequest,
    k8s_openapi::api::coordination::v1::Lease,
    k8s_openapi::api::coordination::v1alpha2::LeaseCandidate,
    k8s_openapi::api::coordination::v1beta1::LeaseCandidate,
    k8s_openapi::api::core::v1::Binding,
    k8s_openapi::api::core::v1::ComponentStatus,
    k8s_openapi::api::core::v1::ConfigMap,
    k8s_openapi::api::core::v1::Endpoints,
    k8s_openapi::api::core::v1::Event,
    k8s_openapi::api::core::v1::LimitRange,
    k8s_openapi::api::core::v1::Namespace,
    k8s_openapi::api::core::v1::Node,
    k8s_openapi::api::core::v1::PersistentVolumeClaim,
    k8s_openapi::api::core::v1::PersistentVolume,
    k8s_openapi::api::core::v1::PodTemplate,
    k8s_openapi::api::core::v1::Pod,
    k8s_openapi::api::core::v1::ReplicationController,
    k8s_openapi::api::core::v1::ResourceQuota,
    k8s_openapi::api::core::v1::Secret,
    k8s_openapi::api::core::v1::ServiceAccount,
    k8s_openapi::api::core::v1::Service,
    k8s_openapi::api::discovery::v1::EndpointSlice,
    k8s_openapi::api::events::v1::Event,
    k8s_openapi::api::flowcontrol::v1::FlowSchema,
    k8s_openapi::api::flowcontrol::v1::PriorityLevelConfiguration,
    k8s_openapi::api::lifecycle::v1alpha1::EvictionRequest,
    k8s_openapi::api::lifecycle::v1alpha1::Eviction,
    k8s_openapi::api::networking::v1::IngressClass,
    k8s_openapi::api::networking::v1::Ingress,
    k8s_openapi::api::networking::v1::IPAddress,
    k8s_openapi::api::networking::v1::NetworkPolicy,
    k8s_openapi::api::networking::v1::ServiceCIDR,
    k8s_openapi::api::node::v1::RuntimeClass,
    k8s_openapi::api::policy::v1::PodDisruptionBudget,
    k8s_openapi::api::rbac::v1::ClusterRoleBinding,
    k8s_openapi::api::rbac::v1::ClusterRole,
    k8s_openapi::api::rbac::v1::RoleBinding,
    k8s_openapi::api::rbac::v1::Role,
    k8s_openapi::api::resource::v1::DeviceClass,
    k8s_openapi::api::resource::v1::DeviceTaintRule,
    k8s_openapi::api::resource::v1::ResourceClaimTemplate,
    k8s_openapi::api::resource::v1::ResourceClaim,
    k8s_openapi::api::resource::v1::ResourceSlice,
    k8s_openapi::api::resource::v1alpha3::DeviceTaintRule,
    k8s_openapi::api::resource::v1alpha3::ResourcePoolStatusRequest,
    k8s_openapi::api::resource::v1beta1::DeviceClass,
    k8s_openapi::api::resource::v1beta1::ResourceClaimTemplate,
    k8s_openapi::api::resource::v1beta1::ResourceClaim,
    k8s_openapi::api::resource::v1beta1::ResourceSlice,
    k8s_openapi::api::resource::v1beta2::DeviceClass,
    k8s_openapi::api::resource::v1beta2::DeviceTaintRule,
    k8s_openapi::api::resource::v1beta2::ResourceClaimTemplate,
    k8s_openapi::api::resource::v1beta2::ResourceClaim,
    k8s_openapi::api::resource::v1beta2::ResourceSlice,
    k8s_openapi::api::scheduling::v1::PriorityClass,
    k8s_openapi::api::scheduling::v1alpha3::CompositePodGroup,
    k8s_openapi::api::scheduling::v1alpha3::PodGroup,
    k8s_openapi::api::scheduling::v1alpha3::Workload,
    k8s_openapi::api::scheduling::v1beta1::PodGroup,
    k8s_openapi::api::scheduling::v1beta1::Workload,
    k8s_openapi::api::storage::v1::CSIDriver,
    k8s_openapi::api::storage::v1::CSINode,
    k8s_openapi::api::storage::v1::CSIStorageCapacity,
    k8s_openapi::api::storage::v1::StorageClass,
    k8s_openapi::api::storage::v1::VolumeAttachment,
    k8s_openapi::api::storage::v1::VolumeAttributesClass,
    k8s_openapi::api::storagemigration::v1::StorageVersionMigration,
    k8s_openapi::api::storagemigration::v1beta1::StorageVersionMigration,
    k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition,
    k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService,
}

#[test]
fn the_schema_data_is_what_the_api_types_generate() {
    let fresh = generate();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
    if std::env::var_os("KUBEDRILL_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fresh,
        "{FILE} is not what k8s-openapi generates: run `KUBEDRILL_BLESS=1 cargo test --test schema_data`"
    );
}

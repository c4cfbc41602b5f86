//! API versions Kubernetes no longer serves, what replaced them and what changed in the move, from
//! the Kubernetes deprecation guide (kubernetes.io/docs/reference/using-api/deprecation-guide/).

/// One kind in one apiVersion that a 1.37 API server no longer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The minor version whose API server stopped serving it, when the deprecation guide says;
    /// `None` for an alpha or beta version that is simply gone by the pinned version.
    pub removed_in: Option<&'static str>,
    /// The apiVersion to write instead, when the kind lives on.
    pub replacement: Option<&'static str>,
    /// What else changes in the move (or, without a replacement, what to do instead).
    pub note: &'static str,
}

const INGRESS: &str = "the backend's `serviceName` and `servicePort` became `service.name` and `service.port.number` (or `service.port.name`), and every path needs a `pathType` (Prefix, Exact or ImplementationSpecific)";
const WORKLOAD: &str =
    "`spec.selector` is required in apps/v1 and must match the template's labels";
const SAME: &str = "the shape is unchanged: only the apiVersion moves";
const CRD: &str = "`spec.version` and `spec.validation` became `spec.versions`, a list whose items each have `name`, `served`, `storage` and `schema.openAPIV3Schema`; the schema must be structural";
const WEBHOOK: &str = "`admissionReviewVersions` and `sideEffects` are required in v1, and `timeoutSeconds` defaults to 10 s instead of 30 s";
const HPA: &str = "a metric's target became `target:` with `type` (Utilization, Value or AverageValue) and `averageUtilization`, `value` or `averageValue`";
const PDB: &str = "in policy/v1 an empty `selector: {}` selects every Pod in the namespace (it selected none before)";
const ADMISSION_POLICY: &str = "ValidatingAdmissionPolicy and its binding are stable in admissionregistration.k8s.io/v1 since Kubernetes 1.30";
const PSP: &str = "PodSecurityPolicy has no replacement API: Pod Security Admission enforces the Pod Security Standards through namespace labels such as `pod-security.kubernetes.io/enforce: restricted`";

macro_rules! removed {
    ($($api_version:literal [$($kind:literal),*] $removed_in:expr, $replacement:expr, $note:expr;)*) => {
        /// Every removed (apiVersion, kind) kubedrill recognises.
        pub static REMOVED: &[Removed] = &[
            $($(Removed { api_version: $api_version, kind: $kind, removed_in: $removed_in, replacement: $replacement, note: $note },)*)*
        ];
    };
}

removed! {
    "extensions/v1beta1" ["Ingress"] Some("1.22"), Some("networking.k8s.io/v1"), INGRESS;
    "networking.k8s.io/v1beta1" ["Ingress"] Some("1.22"), Some("networking.k8s.io/v1"), INGRESS;
    "networking.k8s.io/v1beta1" ["IngressClass"] Some("1.22"), Some("networking.k8s.io/v1"), SAME;
    "extensions/v1beta1" ["Deployment", "DaemonSet", "ReplicaSet"] Some("1.16"), Some("apps/v1"), WORKLOAD;
    "apps/v1beta1" ["Deployment", "StatefulSet", "ControllerRevision"] Some("1.16"), Some("apps/v1"), WORKLOAD;
    "apps/v1beta2" ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"] Some("1.16"), Some("apps/v1"), WORKLOAD;
    "extensions/v1beta1" ["NetworkPolicy"] Some("1.16"), Some("networking.k8s.io/v1"), SAME;
    "extensions/v1beta1" ["PodSecurityPolicy"] Some("1.16"), None, PSP;
    "policy/v1beta1" ["PodSecurityPolicy"] Some("1.25"), None, PSP;
    "policy/v1beta1" ["PodDisruptionBudget"] Some("1.25"), Some("policy/v1"), PDB;
    "batch/v1beta1" ["CronJob"] Some("1.25"), Some("batch/v1"), SAME;
    "autoscaling/v2beta1" ["HorizontalPodAutoscaler"] Some("1.25"), Some("autoscaling/v2"), HPA;
    "autoscaling/v2beta2" ["HorizontalPodAutoscaler"] Some("1.26"), Some("autoscaling/v2"), SAME;
    "discovery.k8s.io/v1beta1" ["EndpointSlice"] Some("1.25"), Some("discovery.k8s.io/v1"), "`topology` became `deprecatedTopology`, and the zone moved to `zone`";
    "events.k8s.io/v1beta1" ["Event"] Some("1.25"), Some("events.k8s.io/v1"), SAME;
    "node.k8s.io/v1beta1" ["RuntimeClass"] Some("1.25"), Some("node.k8s.io/v1"), SAME;
    "rbac.authorization.k8s.io/v1beta1" ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] Some("1.22"), Some("rbac.authorization.k8s.io/v1"), SAME;
    "rbac.authorization.k8s.io/v1alpha1" ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] Some("1.22"), Some("rbac.authorization.k8s.io/v1"), SAME;
    "apiextensions.k8s.io/v1beta1" ["CustomResourceDefinition"] Some("1.22"), Some("apiextensions.k8s.io/v1"), CRD;
    "apiregistration.k8s.io/v1beta1" ["APIService"] Some("1.22"), Some("apiregistration.k8s.io/v1"), SAME;
    "admissionregistration.k8s.io/v1beta1" ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"] Some("1.22"), Some("admissionregistration.k8s.io/v1"), WEBHOOK;
    "certificates.k8s.io/v1beta1" ["CertificateSigningRequest"] Some("1.22"), Some("certificates.k8s.io/v1"), "`spec.signerName` is required, and `usages` must be ones the signer allows";
    "coordination.k8s.io/v1beta1" ["Lease"] Some("1.22"), Some("coordination.k8s.io/v1"), SAME;
    "scheduling.k8s.io/v1beta1" ["PriorityClass"] Some("1.22"), Some("scheduling.k8s.io/v1"), SAME;
    "storage.k8s.io/v1beta1" ["StorageClass", "VolumeAttachment", "CSIDriver", "CSINode"] Some("1.22"), Some("storage.k8s.io/v1"), SAME;
    "storage.k8s.io/v1beta1" ["CSIStorageCapacity"] Some("1.27"), Some("storage.k8s.io/v1"), SAME;
    "flowcontrol.apiserver.k8s.io/v1beta1" ["FlowSchema", "PriorityLevelConfiguration"] Some("1.26"), Some("flowcontrol.apiserver.k8s.io/v1"), SAME;
    "flowcontrol.apiserver.k8s.io/v1beta2" ["FlowSchema", "PriorityLevelConfiguration"] Some("1.29"), Some("flowcontrol.apiserver.k8s.io/v1"), SAME;
    "admissionregistration.k8s.io/v1alpha1" ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"] None, Some("admissionregistration.k8s.io/v1"), ADMISSION_POLICY;
    "admissionregistration.k8s.io/v1beta1" ["ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"] None, Some("admissionregistration.k8s.io/v1"), ADMISSION_POLICY;
    "flowcontrol.apiserver.k8s.io/v1beta3" ["FlowSchema", "PriorityLevelConfiguration"] Some("1.32"), Some("flowcontrol.apiserver.k8s.io/v1"), SAME;
}

/// Whether `api_version` `kind` is a removed API.
pub fn find(api_version: &str, kind: &str) -> Option<&'static Removed> {
    REMOVED
        .iter()
        .find(|removed| removed.api_version == api_version && removed.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_replacement_is_served_and_no_removed_api_is() {
        for removed in REMOVED {
            assert!(
                crate::manifest::schema::find_kind(removed.api_version, removed.kind).is_none(),
                "{removed:?} is still in the schema data"
            );
            if let Some(replacement) = removed.replacement {
                assert!(
                    crate::manifest::schema::find_kind(replacement, removed.kind).is_some(),
                    "{removed:?}: the replacement is not served"
                );
            }
        }
    }
}

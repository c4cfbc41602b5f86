//! Cluster-level kinds the CKA touches:
//!
//! - APIService (apiregistration.k8s.io/v1), as apiregistration validation
//!   (staging/src/k8s.io/kube-aggregator/pkg/apis/apiregistration/validation/validation.go,
//!   ValidateAPIService) checks it, a service's port defaulting to 443;
//! - RuntimeClass (node.k8s.io/v1), node validation ValidateRuntimeClass
//!   (pkg/apis/node/validation/validation.go): the handler, the scheduling node selector and
//!   tolerations;
//! - CertificateSigningRequest (certificates.k8s.io/v1), certificates validation
//!   validateCertificateSigningRequest (pkg/apis/certificates/validation/validation.go): the
//!   request, the usages, the signer's name, the expiration;
//! - Lease (coordination.k8s.io/v1), coordination validation ValidateLeaseSpec
//!   (pkg/apis/coordination/validation/validation.go).

use std::collections::HashSet;

use base64::Engine as _;

use super::names::{dns1035_label, dns1123_label, dns1123_subdomain, qualified_name};
use super::{Rules, spec_of, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Value};
use crate::text::escape_controls;

/// allValidUsages of a CertificateSigningRequest.
const USAGES: [&str; 23] = [
    "signing",
    "digital signature",
    "content commitment",
    "key encipherment",
    "key agreement",
    "data encipherment",
    "cert sign",
    "crl sign",
    "encipher only",
    "decipher only",
    "any",
    "server auth",
    "client auth",
    "code signing",
    "email protection",
    "s/mime",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "timestamping",
    "ocsp signing",
    "microsoft sgc",
    "netscape sgc",
];

/// The signer a v1 CertificateSigningRequest may not name (certificates.LegacyUnknownSignerName).
const LEGACY_SIGNER: &str = "kubernetes.io/legacy-unknown";

impl Rules {
    /// apiregistration validation ValidateAPIService.
    pub(super) fn api_service(&mut self, root: &Node) {
        let Some((spec, path, spec_key)) = spec_of(root) else {
            return;
        };
        let group = spec.get("group").and_then(str_of).unwrap_or_default();
        let version = spec.get("version").and_then(str_of).unwrap_or_default();
        if version.is_empty() {
            let at = spec.entry("version").map_or(spec_key, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key("version"),
                at,
                "an APIService needs a `version`",
            )
            .help = Some("the version it serves, such as `v1beta1`".to_string());
        } else if let Some(problem) = dns1035_label(version)
            && let Some(node) = spec.get("version")
        {
            self.error(
                Rule::InvalidValue,
                path.key("version"),
                node.at,
                format!(
                    "`{}` is not a valid API version: {problem}",
                    escape_controls(version)
                ),
            );
        }
        if group.is_empty() && !version.is_empty() && version != "v1" {
            let at = spec.entry("group").map_or(spec_key, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key("group"),
                at,
                "an APIService needs a `group`",
            )
            .help = Some(
                "the API group it serves, such as `metrics.k8s.io`; only the core `v1` has none"
                    .to_string(),
            );
        } else if !group.is_empty()
            && let Some(problem) = dns1123_subdomain(group)
            && let Some(node) = spec.get("group")
        {
            self.error(
                Rule::InvalidValue,
                path.key("group"),
                node.at,
                format!(
                    "`{}` is not a valid API group: {problem}",
                    escape_controls(group)
                ),
            );
        }
        if let Some(node) = root.at_path(&["metadata", "name"])
            && let Some(name) = str_of(node)
            && !version.is_empty()
            && !group.is_empty()
        {
            let required = format!("{version}.{group}");
            if name != required {
                let finding = self.error(
                    Rule::InvalidName,
                    Path::root().key("metadata").key("name"),
                    node.at,
                    format!(
                        "an APIService must be named `{}`, not `{}`",
                        escape_controls(&required),
                        escape_controls(name)
                    ),
                );
                finding.help = Some(
                    "an APIService's name is `spec.version`, a dot, then `spec.group`".to_string(),
                );
                finding.suggestion = Some(required);
            }
        }
        self.in_range(spec, "groupPriorityMinimum", &path, 1, 20000);
        self.in_range(spec, "versionPriority", &path, 1, 1000);
        self.ca_bundle(spec, &path);
        let skip_tls = spec
            .entry("insecureSkipTLSVerify")
            .filter(|(_, node)| node.value == Value::Bool(true));
        let ca_bundle = spec
            .entry("caBundle")
            .filter(|(_, node)| str_of(node).is_some_and(|text| !text.is_empty()));
        match spec.get("service").filter(|node| !node.is_null()) {
            None => {
                for (field, entry) in [("caBundle", ca_bundle), ("insecureSkipTLSVerify", skip_tls)]
                {
                    if let Some((key, _)) = entry {
                        self.error(
                            Rule::ForbiddenField,
                            path.key(field),
                            key.at,
                            format!("`{field}` is only for an APIService with a `service`"),
                        )
                        .help = Some(
                            "without `service` the API server serves the group itself, and no TLS is involved".to_string(),
                        );
                    }
                }
            }
            Some(service) => {
                let service_path = path.key("service");
                for field in ["name", "namespace"] {
                    let node = service.get(field);
                    if matches!(service.value, Value::Map(_))
                        && node.is_none_or(|node| node.is_null() || str_of(node) == Some(""))
                    {
                        let at = node.map_or_else(
                            || spec.entry("service").map_or(spec_key, |(key, _)| key.at),
                            |node| node.at,
                        );
                        self.error(
                            Rule::MissingField,
                            service_path.key(field),
                            at,
                            format!("the APIService's Service needs a `{field}`"),
                        );
                    }
                }
                self.in_range(service, "port", &service_path, 1, 65535);
                if let (Some((key, _)), Some(_)) = (skip_tls, ca_bundle) {
                    self.error(
                        Rule::ExclusiveFields,
                        path.key("insecureSkipTLSVerify"),
                        key.at,
                        "`insecureSkipTLSVerify: true` cannot be set with a `caBundle`",
                    )
                    .help = Some(
                        "with a CA bundle the API server can verify the service: remove `insecureSkipTLSVerify`".to_string(),
                    );
                }
            }
        }
    }

    /// node validation ValidateRuntimeClass: the handler is a DNS label; the scheduling node
    /// selector holds labels, its tolerations are valid.
    pub(super) fn runtime_class(&mut self, root: &Node) {
        if let Some(node) = root.get("handler")
            && let Some(handler) = str_of(node)
            && let Some(problem) = dns1123_label(handler)
        {
            let finding = self.error(
                Rule::InvalidValue,
                Path::root().key("handler"),
                node.at,
                format!(
                    "`{}` is not a valid RuntimeClass handler: {problem}",
                    escape_controls(handler)
                ),
            );
            finding.help = Some(
                "the handler is the name the node's container runtime gives the runtime, such as `runc` or `runsc`: lowercase letters, digits and '-'".to_string(),
            );
            let lower = handler.to_ascii_lowercase();
            finding.suggestion =
                (lower != handler && dns1123_label(&lower).is_none()).then_some(lower);
        }
        // validateScheduling: the node selector's labels and the tolerations, checked as a Pod
        // spec's are (core validation ValidateTolerations); a RuntimeClass's `scheduling` has
        // no other field.
        if let Some(scheduling) = root.get("scheduling")
            && matches!(scheduling.value, Value::Map(_))
        {
            self.scheduling(scheduling, &Path::root().key("scheduling"));
        }
    }

    /// certificates validation validateCertificateSigningRequest (v1 create).
    pub(super) fn certificate_signing_request(&mut self, root: &Node) {
        let Some((spec, path, spec_key)) = spec_of(root) else {
            return;
        };
        if let Some(node) = spec.get("request")
            && let Some(text) = str_of(node)
        {
            self.csr_request(node, text, &path);
        }
        let usages = spec.get("usages");
        if usages.is_none_or(|node| node.as_seq().is_empty())
            && usages.is_none_or(|node| matches!(node.value, Value::Seq(_) | Value::Null))
        {
            let at = spec.entry("usages").map_or(spec_key, |(key, _)| key.at);
            self.error(
                Rule::MissingField,
                path.key("usages"),
                at,
                "a CertificateSigningRequest needs `usages`",
            )
            .help = Some(
                "for a user's client certificate: `usages: [client auth]` (add `digital signature` and `key encipherment` if the signer wants them)".to_string(),
            );
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for (index, usage) in usages
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(text) = str_of(usage) else {
                continue;
            };
            if !self.choice_item(usage, path.key("usages").index(index), &USAGES, "key usage") {
                if let Some(finding) = self.findings.last_mut() {
                    let spaced = text.to_ascii_lowercase().replace(['-', '_'], " ");
                    if USAGES.contains(&spaced.as_str()) {
                        finding.suggestion = Some(spaced);
                    }
                    finding.help = Some(
                        "usages are lowercase words with spaces, such as `client auth`, `server auth`, `digital signature`".to_string(),
                    );
                }
            } else if !seen.insert(text) {
                self.error(
                    Rule::DuplicateName,
                    path.key("usages").index(index),
                    usage.at,
                    format!("`{}` is listed twice", escape_controls(text)),
                );
            }
        }
        if let Some(node) = spec.get("signerName")
            && let Some(signer) = str_of(node)
            && let Some(problem) = signer_name(signer)
        {
            self.error(
                Rule::InvalidValue,
                path.key("signerName"),
                node.at,
                format!(
                    "`{}` is not a valid signer name: {problem}",
                    escape_controls(signer)
                ),
            )
            .help = Some(
                "Kubernetes' own signers are `kubernetes.io/kube-apiserver-client` (users), `kubernetes.io/kube-apiserver-client-kubelet` and `kubernetes.io/kubelet-serving`".to_string(),
            );
        }
        if let Some(node) = spec.get("expirationSeconds")
            && let Value::Int(seconds) = node.value
            && seconds < 600
        {
            self.error(
                Rule::OutOfRange,
                path.key("expirationSeconds"),
                node.at,
                format!("`expirationSeconds` must be at least 600 (10 minutes), not {seconds}"),
            )
            .help = Some("a day is `expirationSeconds: 86400`".to_string());
        }
    }

    /// The request is base64 (encoding/json's []byte) of a PEM `CERTIFICATE REQUEST` block
    /// (certificates.ParseCSR). The signature inside is the API server's to check.
    fn csr_request(&mut self, node: &Node, text: &str, path: &Path) {
        let Some(bytes) = base64_bytes(text) else {
            self.error(
                Rule::InvalidBase64,
                path.key("request"),
                node.at,
                "`request` is not valid base64",
            )
            .help = Some(if text.contains("-----BEGIN") {
                "put the PEM file in base64 on one line: `base64 -w0 user.csr` (or `cat user.csr | base64 | tr -d '\\n'`)".to_string()
            } else {
                "encode the CSR file: `base64 -w0 user.csr`, and paste the output whole".to_string()
            });
            return;
        };
        let decoded = String::from_utf8_lossy(&bytes);
        let first_block = decoded.find("-----BEGIN ").and_then(|start| {
            let rest = &decoded[start + "-----BEGIN ".len()..];
            rest.find("-----").map(|end| rest[..end].to_string())
        });
        let problem = match first_block.as_deref() {
            Some("CERTIFICATE REQUEST") => {
                if decoded.contains("-----END CERTIFICATE REQUEST-----") {
                    return;
                }
                "its PEM block has no `-----END CERTIFICATE REQUEST-----` line".to_string()
            }
            Some(other) => format!(
                "it holds a PEM `{}` block, not a `CERTIFICATE REQUEST`",
                escape_controls(other)
            ),
            None => "it is not a PEM certificate signing request".to_string(),
        };
        self.error(
            Rule::InvalidValue,
            path.key("request"),
            node.at,
            format!("the decoded `request` is wrong: {problem}"),
        )
        .help = Some(
            "create the request with `openssl req -new -key user.key -subj \"/CN=user\" -out user.csr`, then `base64 -w0 user.csr`".to_string(),
        );
    }

    /// coordination validation ValidateLeaseSpec.
    pub(super) fn lease(&mut self, root: &Node) {
        let Some(spec) = root.get("spec") else {
            return;
        };
        let path = Path::root().key("spec");
        self.positive(spec, "leaseDurationSeconds", &path);
        self.non_negative(spec, "leaseTransitions", &path);
        let strategy = spec
            .get("strategy")
            .and_then(|node| Some((node, str_of(node)?)));
        if let Some((node, text)) = strategy {
            if !text.contains('/') {
                self.one_of(node, path.key("strategy"), &["OldestEmulationVersion"]);
            } else if let Some(problem) = qualified_name(text) {
                self.error(
                    Rule::InvalidValue,
                    path.key("strategy"),
                    node.at,
                    format!(
                        "`{}` is not a valid lease strategy: {problem}",
                        escape_controls(text)
                    ),
                );
            }
        }
        if let Some((key, node)) = spec.entry("preferredHolder")
            && str_of(node).is_some_and(|text| !text.is_empty())
            && strategy.is_none_or(|(_, text)| text.is_empty())
        {
            self.error(
                Rule::ForbiddenField,
                path.key("preferredHolder"),
                key.at,
                "`preferredHolder` needs a `strategy`",
            );
        }
    }
}

/// Bytes as encoding/json reads a []byte field: standard base64 with padding, line breaks
/// skipped (so `base64` output wrapped at 76 columns is fine).
pub(super) fn base64_bytes(text: &str) -> Option<Vec<u8>> {
    let joined: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    base64::engine::general_purpose::STANDARD
        .decode(joined)
        .ok()
}

/// What is wrong with a CSR's signer name (certificates validation
/// ValidateCertificateSigningRequestSignerName), legacy-unknown included.
fn signer_name(signer: &str) -> Option<String> {
    if signer == LEGACY_SIGNER {
        return Some(
            "the legacy signer cannot be requested through certificates.k8s.io/v1".to_string(),
        );
    }
    let Some((domain, name)) = signer
        .split_once('/')
        .filter(|(_, name)| !name.contains('/'))
    else {
        return Some("it must be a domain and a path, such as `example.com/my-signer`".to_string());
    };
    if domain.len() > 253 {
        return Some("its domain has more than 253 characters".to_string());
    }
    if let Some(problem) = domain.split('.').find_map(|label| {
        dns1123_label(label)
            .map(|problem| format!("in the domain part `{}`, {problem}", escape_controls(label)))
    }) {
        return Some(problem);
    }
    if !domain.contains('.') {
        return Some(format!(
            "its domain `{}` needs at least two dot-separated parts",
            escape_controls(domain)
        ));
    }
    if let Some(problem) = name.split('.').find_map(|label| {
        dns1123_subdomain(label)
            .map(|problem| format!("in the path part `{}`, {problem}", escape_controls(label)))
    }) {
        return Some(problem);
    }
    (signer.len() > 253 + 63 + 253 + 2).then(|| "it has more than 571 characters".to_string())
}

#[cfg(test)]
mod tests {
    use super::signer_name;

    #[test]
    fn signer_names_are_domain_and_path() {
        assert_eq!(signer_name("kubernetes.io/kube-apiserver-client"), None);
        assert_eq!(signer_name("example.com/team.signer"), None);
        assert!(signer_name("kube-apiserver-client").is_some());
        assert!(signer_name("example/signer").is_some());
        assert!(signer_name("example.com/a/b").is_some());
        assert!(signer_name("Example.com/signer").is_some());
        assert!(signer_name("kubernetes.io/legacy-unknown").is_some());
        assert!(signer_name("example.com/").is_some());
    }
}

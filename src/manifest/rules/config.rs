//! The data of ConfigMaps and Secrets: valid keys, base64 where bytes are expected, a
//! ConfigMap's 1 MiB limit, and the keys (and JSON) each Secret type requires. A Secret's
//! values are never echoed back in a message.

use std::collections::HashSet;

use base64::Engine as _;

use super::names::config_map_key;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Key, Node};

impl Rules {
    /// core validation ValidateConfigMap: valid keys, a key in only one of data and binaryData,
    /// binaryData is base64, 1 MiB in all.
    pub(super) fn config_map(&mut self, root: &Node) {
        let data = root.get("data");
        let binary = root.get("binaryData");
        let mut total = 0usize;
        for (key, value) in data.map(Node::as_map).unwrap_or_default() {
            self.data_key(key, &Path::root().key("data").key(&key.name));
            if let Some(text) = str_of(value) {
                total += key.name.len() + text.len();
            }
        }
        for (key, value) in binary.map(Node::as_map).unwrap_or_default() {
            let path = Path::root().key("binaryData").key(&key.name);
            self.data_key(key, &path);
            if data.is_some_and(|data| data.get(&key.name).is_some()) {
                self.error(Rule::DuplicateKey, path.clone(), key.at, format!("the key `{}` is in both `data` and `binaryData`", key.name))
                    .help = Some("a key lives in one of the two maps: text in data, base64-encoded bytes in binaryData".to_string());
            }
            if let Some(text) = str_of(value) {
                match decode_base64(text) {
                    Ok(bytes) => total += key.name.len() + bytes.len(),
                    Err(()) => {
                        self.error(Rule::InvalidBase64, path, value.at, "`binaryData` values are base64; this one is not valid base64")
                            .help = Some("put plain text under `data` instead, or encode the bytes with `base64 -w0 FILE`".to_string());
                    }
                }
            }
        }
        if total > 1024 * 1024 {
            self.error(
                Rule::TooLarge,
                Path::root(),
                root.at,
                format!("a ConfigMap holds at most 1 MiB of data; this one has {total} bytes"),
            )
            .help = Some("mount large files from a volume or an image instead".to_string());
        }
    }

    fn data_key(&mut self, key: &Key, path: &Path) {
        if let Some(problem) = config_map_key(&key.name) {
            self.error(
                Rule::InvalidKey,
                path.clone(),
                key.at,
                format!(
                    "`{}` is not a valid key: {problem}",
                    crate::text::escape_controls(&key.name)
                ),
            )
            .help = Some(
                "keys use letters, digits, '-', '_' and '.' (at most 253 characters)".to_string(),
            );
        }
    }

    /// core validation ValidateSecret: valid keys, base64 data, the keys each type requires.
    pub(super) fn secret(&mut self, root: &Node) {
        let data = root.get("data");
        let string_data = root.get("stringData");
        let mut keys: HashSet<&str> = HashSet::new();
        for (key, value) in data.map(Node::as_map).unwrap_or_default() {
            let path = Path::root().key("data").key(&key.name);
            self.data_key(key, &path);
            keys.insert(&key.name);
            if let Some(text) = str_of(value)
                && decode_base64(text).is_err()
            {
                let finding = self.error(
                    Rule::InvalidBase64,
                    path,
                    value.at,
                    "Secret `data` values are base64-encoded; this one is not valid base64",
                );
                // Never echo the value back: it is a secret, and a terminal's scrollback is not
                // the place for it.
                finding.help = Some(
                    "if this is the plain value, move it under `stringData:` and the API server encodes it; if it is meant to be base64, look for a stray character or missing `=` padding".to_string(),
                );
            }
        }
        for (key, _) in string_data.map(Node::as_map).unwrap_or_default() {
            self.data_key(key, &Path::root().key("stringData").key(&key.name));
            keys.insert(&key.name);
        }
        let Some(type_node) = root.get("type") else {
            return;
        };
        let Some(secret_type) = str_of(type_node) else {
            return;
        };
        let required: &[&[&str]] = match secret_type {
            "kubernetes.io/tls" => &[&["tls.crt"], &["tls.key"]],
            "kubernetes.io/dockerconfigjson" => &[&[".dockerconfigjson"]],
            "kubernetes.io/dockercfg" => &[&[".dockercfg"]],
            "kubernetes.io/basic-auth" => &[&["username", "password"]],
            "kubernetes.io/ssh-auth" => &[&["ssh-privatekey"]],
            _ => &[],
        };
        for alternatives in required {
            if !alternatives.iter().any(|key| keys.contains(key)) {
                let wanted = alternatives
                    .iter()
                    .map(|key| format!("`{key}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                self.error(
                    Rule::MissingKey,
                    Path::root().key("data").key(alternatives[0]),
                    type_node.at,
                    format!("a Secret of type {secret_type} needs the key {wanted}"),
                )
                .help = Some(format!(
                    "add {wanted} under `data` (base64) or `stringData` (plain text)"
                ));
            }
        }
        // core validation ValidateSecret: the docker config keys hold JSON.
        for (secret_kind, key) in [
            ("kubernetes.io/dockerconfigjson", ".dockerconfigjson"),
            ("kubernetes.io/dockercfg", ".dockercfg"),
        ] {
            if secret_type != secret_kind {
                continue;
            }
            let encoded = data
                .and_then(|data| data.get(key))
                .and_then(str_of)
                .map(|text| {
                    (
                        decode_base64(text).ok(),
                        Path::root().key("data").key(key),
                        data.and_then(|data| data.get(key)),
                    )
                });
            let plain = string_data
                .and_then(|data| data.get(key))
                .and_then(str_of)
                .map(|text| {
                    (
                        Some(text.as_bytes().to_vec()),
                        Path::root().key("stringData").key(key),
                        string_data.and_then(|data| data.get(key)),
                    )
                });
            if let Some((Some(bytes), path, Some(node))) = plain.or(encoded)
                && serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes)
                    .is_err()
            {
                self.error(Rule::InvalidValue, path, node.at, format!("the `{key}` of a {secret_kind} Secret must be a JSON object"))
                    .help = Some("`kubectl create secret docker-registry NAME --docker-server=… --docker-username=… --docker-password=…` writes it for you".to_string());
            }
        }
        if secret_type == "kubernetes.io/service-account-token"
            && root
                .at_path(&[
                    "metadata",
                    "annotations",
                    "kubernetes.io/service-account.name",
                ])
                .is_none()
        {
            self.error(Rule::MissingKey, Path::root().key("metadata").key("annotations").key("kubernetes.io/service-account.name"), type_node.at, "a service-account-token Secret needs the annotation `kubernetes.io/service-account.name`");
        }
    }
}

/// Accepts standard base64 with padding, as Go's encoding/json does for []byte. Like Go's
/// decoder it skips line breaks, so base64 wrapped at 76 columns (as `base64` prints it) is fine.
fn decode_base64(text: &str) -> Result<Vec<u8>, ()> {
    let joined: String = text.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    base64::engine::general_purpose::STANDARD
        .decode(joined)
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("cGFzc3dvcmQxMjM=").unwrap(), b"password123");
        assert!(decode_base64("password123").is_err());
        assert!(decode_base64("cGFzc3dvcmQxMjM").is_err());
    }
}

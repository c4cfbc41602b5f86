//! Volumes and the mounts that name them: a Pod's volumes have unique DNS-label names and
//! exactly one source each, their file modes are permission bits, and a container mounts only
//! volumes that exist (or a StatefulSet's claim templates), each at its own path; sources hold
//! values the API server accepts (sizeLimit, hostPath type, projected file paths).

use std::collections::HashSet;

use super::names::dns1123_label;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Key, Node, Value};
use crate::text::did_you_mean;

impl Rules {
    /// core validation ValidateVolumes: unique DNS-label names, exactly one source, modes in range.
    pub(super) fn volumes<'n>(&mut self, spec: &'n Node, path: &Path) -> Vec<&'n str> {
        let mut names = Vec::new();
        for (index, volume) in spec
            .get("volumes")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let volume_path = path.key("volumes").index(index);
            let name = volume.get("name");
            if let Some(text) = name.and_then(str_of) {
                let at = name.map_or(volume.at, |node| node.at);
                if let Some(problem) = dns1123_label(text) {
                    self.error(
                        Rule::InvalidName,
                        volume_path.key("name"),
                        at,
                        format!("`{text}` is not a valid volume name: {problem}"),
                    );
                }
                if names.contains(&text) {
                    self.error(
                        Rule::DuplicateName,
                        volume_path.key("name"),
                        at,
                        format!("two volumes are named `{text}`"),
                    );
                }
                names.push(text);
            }
            let sources: Vec<&Key> = volume
                .as_map()
                .iter()
                .filter(|(key, _)| key.name != "name")
                .map(|(key, _)| key)
                .collect();
            // No source at all is not refused: core v1 SetDefaults_Volume makes it an
            // `emptyDir: {}` before validation.
            if let [_, second, ..] = sources.as_slice() {
                let listed: Vec<&str> = sources.iter().map(|key| key.name.as_str()).collect();
                self.error(Rule::OneSource, volume_path.key(&second.name), second.at, format!("a volume has exactly one source; this one has {}", listed.join(", ")))
                    .help = Some("split it into one volume per source, or use a `projected` volume to combine ConfigMaps and Secrets".to_string());
            }
            for source in ["configMap", "secret"] {
                if let Some(source_node) = volume.get(source) {
                    self.file_modes(source_node, &volume_path.key(source), "defaultMode");
                }
            }
            if let Some(projected) = volume.get("projected") {
                self.file_modes(projected, &volume_path.key("projected"), "defaultMode");
                for (source_index, source) in projected
                    .get("sources")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    for (key, inner) in source.as_map() {
                        self.file_modes(
                            inner,
                            &volume_path
                                .key("projected")
                                .key("sources")
                                .index(source_index)
                                .key(&key.name),
                            "",
                        );
                    }
                }
            }
            if let Some(downward) = volume.get("downwardAPI") {
                self.file_modes(downward, &volume_path.key("downwardAPI"), "defaultMode");
            }
            self.volume_source_values(volume, &volume_path);
        }
        names
    }

    /// core validation validateVolumeSource: an emptyDir's `sizeLimit` is not negative, and a
    /// hostPath is one validateHostPathVolumeSource accepts.
    fn volume_source_values(&mut self, volume: &Node, path: &Path) {
        if let Some(limit) = volume.at_path(&["emptyDir", "sizeLimit"]) {
            let amount = match &limit.value {
                Value::Int(number) => Some(*number as f64),
                Value::Float(number) => Some(*number),
                _ => str_of(limit).and_then(crate::manifest::quantity::parse),
            };
            if amount.is_some_and(|amount| amount < 0.0) {
                self.error(
                    Rule::InvalidValue,
                    path.key("emptyDir").key("sizeLimit"),
                    limit.at,
                    "an emptyDir's `sizeLimit` cannot be negative",
                )
                .help = Some(
                    "give the most the volume may hold, such as 500Mi, or leave sizeLimit out"
                        .to_string(),
                );
            }
        }
        if let Some(host_path) = volume.get("hostPath") {
            self.host_path(host_path, &path.key("hostPath"));
        }
    }

    /// `defaultMode` and `items[].mode` are file permission bits: 0 to 0777 (511), and each
    /// `items[].path` stays inside the volume. core validation validateConfigMapVolumeSource
    /// &c.: "must be a number between 0 and 0777 (octal)"; validateLocalNonReservedPath.
    fn file_modes(&mut self, source: &Node, path: &Path, default_key: &str) {
        let check = |rules: &mut Rules, node: &Node, path: Path| {
            if let Value::Int(mode) = node.value
                && !(0..=0o777).contains(&mode)
            {
                let finding = rules.error(Rule::InvalidMode, path, node.at, format!("file mode {mode} is out of range: it must be between 0 and 0777 (octal), that is 0 to 511"));
                let digits = mode.to_string();
                if digits.len() <= 4 && digits.chars().all(|c| ('0'..='7').contains(&c)) {
                    finding.suggestion = Some(format!("0{digits}"));
                    finding.help = Some(format!(
                        "YAML reads {digits} as a decimal number; write the permission bits in octal with a leading 0 (0{digits}), or as the decimal {}",
                        i64::from_str_radix(&digits, 8).unwrap_or(0)
                    ));
                } else {
                    finding.help = Some(
                        "write the permission bits in octal with a leading 0, such as 0644"
                            .to_string(),
                    );
                }
            }
        };
        if !default_key.is_empty()
            && let Some(mode) = source.get(default_key)
        {
            check(self, mode, path.key(default_key));
        }
        for (index, item) in source
            .get("items")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(mode) = item.get("mode") {
                check(self, mode, path.key("items").index(index).key("mode"));
            }
            if let Some(target) = item.get("path")
                && let Some(text) = str_of(target)
            {
                self.file_path(target, text, path.key("items").index(index).key("path"));
            }
        }
    }

    /// A projected file's path: relative, with no `..` element, not starting with `..`.
    fn file_path(&mut self, target: &Node, text: &str, path: Path) {
        let problem = if text.starts_with('/') {
            "must be a relative path"
        } else if text.split('/').any(|part| part == "..") {
            "must not contain '..'"
        } else if text.starts_with("..") {
            "must not start with '..'"
        } else {
            return;
        };
        self.error(
            Rule::InvalidValue,
            path,
            target.at,
            format!(
                "the file path `{}` {problem}: a projected file stays inside its volume",
                crate::text::escape_controls(text)
            ),
        )
        .help = Some(
            "write a path relative to the mount, such as `app.properties` or `conf/app.properties`"
                .to_string(),
        );
    }

    /// core validation ValidateVolumeMounts: the volume exists, mount paths are unique.
    pub(super) fn volume_mounts(&mut self, container: &Node, path: &Path, volumes: &[&str]) {
        let mut mount_paths: HashSet<&str> = HashSet::new();
        for (index, mount) in container
            .get("volumeMounts")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let mount_path = path.key("volumeMounts").index(index);
            if let Some(name_node) = mount.get("name")
                && let Some(name) = str_of(name_node)
                && !volumes.contains(&name)
                && !self.claim_templates.iter().any(|claim| claim == name)
            {
                let finding = self.error(
                    Rule::UnknownVolume,
                    mount_path.key("name"),
                    name_node.at,
                    format!("no volume named `{name}` is defined in this Pod"),
                );
                finding.suggestion =
                    did_you_mean(name, volumes.iter().copied()).map(str::to_string);
                finding.help = Some(if volumes.is_empty() {
                    "add the volume under `spec.volumes` (for example `- name: NAME` with `emptyDir: {}`)".to_string()
                } else {
                    format!("the Pod's volumes are: {}", volumes.join(", "))
                });
            }
            if let Some(target) = mount.get("mountPath")
                && let Some(text) = str_of(target)
                && !mount_paths.insert(text)
            {
                self.error(
                    Rule::DuplicateName,
                    mount_path.key("mountPath"),
                    target.at,
                    format!("two volumes are mounted at `{text}` in this container"),
                );
            }
            for key in ["subPath", "subPathExpr"] {
                if let Some(sub_path) = mount.get(key)
                    && let Some(text) = str_of(sub_path)
                    && (text.starts_with('/') || text.split('/').any(|part| part == ".."))
                {
                    self.error(
                        Rule::InvalidValue,
                        mount_path.key(key),
                        sub_path.at,
                        format!("`{key}` must be a relative path without `..`"),
                    );
                }
            }
            if let (Some(_), Some(expression)) = (
                mount
                    .get("subPath")
                    .and_then(str_of)
                    .filter(|text| !text.is_empty()),
                mount
                    .get("subPathExpr")
                    .filter(|node| str_of(node).is_some_and(|text| !text.is_empty())),
            ) {
                self.error(
                    Rule::ExclusiveFields,
                    mount_path.key("subPathExpr"),
                    expression.at,
                    "`subPathExpr` and `subPath` are mutually exclusive",
                )
                .help = Some("keep `subPath` for a fixed path, or `subPathExpr` for one built from $(VAR) environment variables".to_string());
            }
        }
    }
}

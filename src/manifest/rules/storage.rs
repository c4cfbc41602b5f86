//! PersistentVolume, PersistentVolumeClaim (core validation ValidatePersistentVolumeSpec and
//! ValidatePersistentVolumeClaimSpec, pkg/apis/core/validation/validation.go) and StorageClass
//! (storage validation ValidateStorageClass, pkg/apis/storage/validation/validation.go):
//! capacity and requested size, access modes, exactly one volume source, reclaim policies,
//! volume modes, class names, `hostPath` and `local` paths, a `local` volume's node affinity,
//! a claim's data source, the provisioner and binding mode of a class and its topologies.
//!
//! [`Rules::pvc_spec`] is also what a StatefulSet's `volumeClaimTemplates` are checked with.

use std::collections::HashSet;

use super::names::{dns1123_subdomain, qualified_name};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::quantity;
use crate::manifest::yaml::{Key, Node, Pos, Value};
use crate::text::did_you_mean;

const ACCESS_MODES: [&str; 4] = [
    "ReadWriteOnce",
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOncePod",
];

const VOLUME_MODES: [&str; 2] = ["Filesystem", "Block"];

/// The volume sources of a PersistentVolumeSpec (core v1 PersistentVolumeSource).
const PV_SOURCES: [&str; 22] = [
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "glusterfs",
    "hostPath",
    "iscsi",
    "local",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
];

impl Rules {
    /// core validation ValidatePersistentVolumeSpec (not inline), on the defaulted object
    /// (reclaim policy Retain, volume mode Filesystem).
    pub(super) fn persistent_volume(&mut self, spec: &Node, path: &Path, anchor: Pos) {
        let capacity = spec.entry("capacity");
        let storage = capacity.and_then(|(_, node)| node.get("storage"));
        match storage {
            None => {
                self.error(
                    Rule::MissingField,
                    path.key("capacity").key("storage"),
                    capacity.map_or(anchor, |(key, _)| key.at),
                    "a PersistentVolume needs `capacity.storage`",
                )
                .help = Some(
                    "add `capacity:` with `storage: 10Gi` (the size of the volume)".to_string(),
                );
            }
            Some(node) => self.positive_size(node, path.key("capacity").key("storage")),
        }
        for (key, _) in capacity.map(|(_, node)| node.as_map()).unwrap_or_default() {
            if key.name != "storage" {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("capacity").key(&key.name),
                    key.at,
                    format!(
                        "`{}` is not a capacity of a PersistentVolume; only `storage` is",
                        crate::text::escape_controls(&key.name)
                    ),
                );
                finding.suggestion = did_you_mean(&key.name, ["storage"]).map(str::to_string);
            }
        }
        self.access_modes(spec, path, anchor, "PersistentVolume");
        let reclaim = spec.get("persistentVolumeReclaimPolicy");
        if reclaim
            .and_then(str_of)
            .is_some_and(|text| !text.is_empty())
        {
            self.enum_field(
                spec,
                "persistentVolumeReclaimPolicy",
                path,
                &["Retain", "Delete", "Recycle"],
            );
        }
        let sources: Vec<&Key> = spec
            .as_map()
            .iter()
            .filter(|(key, node)| PV_SOURCES.contains(&key.name.as_str()) && !node.is_null())
            .map(|(key, _)| key)
            .collect();
        match sources.as_slice() {
            [] => {
                self.error(
                    Rule::MissingField,
                    path.clone(),
                    anchor,
                    "a PersistentVolume needs a volume source, such as `hostPath`, `nfs`, `local` or `csi`",
                )
                .help = Some("for a practice cluster, `hostPath:` with `path: /mnt/data` is the simplest".to_string());
            }
            [_] => {}
            [_, second, ..] => {
                let listed: Vec<&str> = sources.iter().map(|key| key.name.as_str()).collect();
                self.error(
                    Rule::OneSource,
                    path.key(&second.name),
                    second.at,
                    format!(
                        "a PersistentVolume has exactly one volume source; this one has {}",
                        listed.join(", ")
                    ),
                )
                .help = Some(
                    "keep one source; make one PersistentVolume per storage backend".to_string(),
                );
            }
        }
        if let Some(host_path) = spec.get("hostPath") {
            self.host_path(host_path, &path.key("hostPath"));
            // "may not be 'recycle' for a hostPath mount of '/'"
            if host_path.get("path").and_then(str_of).is_some_and(is_root)
                && let Some(policy) = reclaim
                && str_of(policy) == Some("Recycle")
            {
                self.error(
                    Rule::ForbiddenField,
                    path.key("persistentVolumeReclaimPolicy"),
                    policy.at,
                    "a hostPath volume of `/` may not have the reclaim policy Recycle",
                )
                .help = Some("Recycle deletes the volume's files: use Retain".to_string());
            }
        }
        let affinity = spec
            .entry("nodeAffinity")
            .filter(|(_, node)| !node.is_null());
        if let Some((local_key, local)) = spec.entry("local")
            && !local.is_null()
        {
            self.no_backsteps(local, &path.key("local"));
            if affinity.is_none() {
                self.error(
                    Rule::MissingField,
                    path.key("nodeAffinity"),
                    local_key.at,
                    "a `local` volume needs `nodeAffinity` naming the node that has the disk",
                )
                .help = Some("add `nodeAffinity.required.nodeSelectorTerms` with `kubernetes.io/hostname In [NODE]`".to_string());
            }
        }
        if let Some((affinity_key, affinity)) = affinity {
            // core validation validateVolumeNodeAffinity
            match affinity.get("required").filter(|node| !node.is_null()) {
                Some(required) => {
                    self.node_selector(required, &path.key("nodeAffinity").key("required"));
                }
                None => {
                    self.error(
                        Rule::MissingField,
                        path.key("nodeAffinity").key("required"),
                        affinity_key.at,
                        "`nodeAffinity` needs `required` with the node constraints",
                    );
                }
            }
        }
        self.class_name(spec, path);
        self.enum_field(spec, "volumeMode", path, &VOLUME_MODES);
    }

    /// core validation ValidatePersistentVolumeClaimSpec.
    pub(super) fn pvc_spec(&mut self, spec: &Node, path: &Path, anchor: Pos) {
        self.access_modes(spec, path, anchor, "PersistentVolumeClaim");
        if let Some(selector) = spec.get("selector") {
            self.label_selector(selector, &path.key("selector"));
        }
        let resources = spec.entry("resources");
        let requests = resources.and_then(|(_, node)| node.entry("requests"));
        match requests.and_then(|(_, node)| node.get("storage")) {
            Some(storage) => {
                self.positive_size(
                    storage,
                    path.key("resources").key("requests").key("storage"),
                );
            }
            None => {
                let at = requests
                    .map(|(key, _)| key.at)
                    .or(resources.map(|(key, _)| key.at))
                    .unwrap_or(anchor);
                self.error(
                    Rule::MissingField,
                    path.key("resources").key("requests").key("storage"),
                    at,
                    "a claim needs `resources.requests.storage`, the size it asks for",
                )
                .help = Some("add `resources:` with `requests:` and `storage: 1Gi`".to_string());
            }
        }
        self.class_name(spec, path);
        self.enum_field(spec, "volumeMode", path, &VOLUME_MODES);
        let source = spec.entry("dataSource").filter(|(_, node)| !node.is_null());
        let reference = spec.get("dataSourceRef").filter(|node| !node.is_null());
        if let Some((_, node)) = source {
            self.data_source(node, &path.key("dataSource"));
        }
        if let Some(node) = reference {
            self.data_source(node, &path.key("dataSourceRef"));
        }
        if let (Some((key, source)), Some(reference)) = (source, reference) {
            let namespaced = reference
                .get("namespace")
                .and_then(str_of)
                .is_some_and(|text| !text.is_empty());
            let field =
                |node: &Node, name: &str| node.get(name).and_then(str_of).map(str::to_string);
            if namespaced {
                self.error(
                    Rule::ForbiddenField,
                    path.key("dataSource"),
                    key.at,
                    "`dataSource` may not be set when `dataSourceRef.namespace` is",
                )
                .help = Some("a source in another namespace is named by `dataSourceRef` alone: remove `dataSource`".to_string());
            } else if ["apiGroup", "kind", "name"]
                .into_iter()
                .any(|name| field(source, name) != field(reference, name))
            {
                self.error(
                    Rule::InvalidValue,
                    path.key("dataSource"),
                    key.at,
                    "`dataSource` and `dataSourceRef` must name the same object",
                )
                .help =
                    Some("give only one of them; the API server fills in the other".to_string());
            }
        }
    }

    /// core validation validateDataSource and validateDataSourceRef.
    fn data_source(&mut self, source: &Node, path: &Path) {
        let group = source.get("apiGroup").and_then(str_of).unwrap_or_default();
        if group.is_empty() {
            if let Some(kind) = source.get("kind")
                && let Some(text) = str_of(kind)
                && !text.is_empty()
                && text != "PersistentVolumeClaim"
            {
                let finding = self.error(
                    Rule::InvalidValue,
                    path.key("kind"),
                    kind.at,
                    format!(
                        "without an `apiGroup`, a data source is a PersistentVolumeClaim, not `{}`",
                        crate::text::escape_controls(text)
                    ),
                );
                finding.help = Some("to restore a snapshot, add `apiGroup: snapshot.storage.k8s.io` with `kind: VolumeSnapshot`".to_string());
                finding.suggestion = (text.eq_ignore_ascii_case("PersistentVolumeClaim")
                    || did_you_mean(text, ["PersistentVolumeClaim"]).is_some())
                .then(|| "PersistentVolumeClaim".to_string());
            }
        } else if let Some(problem) = dns1123_subdomain(group)
            && let Some(node) = source.get("apiGroup")
        {
            self.error(
                Rule::InvalidValue,
                path.key("apiGroup"),
                node.at,
                format!(
                    "`{}` is not a valid API group: {problem}",
                    crate::text::escape_controls(group)
                ),
            );
        }
    }

    /// `accessModes`: at least one, each known, ReadWriteOncePod alone.
    fn access_modes(&mut self, spec: &Node, path: &Path, anchor: Pos, kind: &str) {
        let modes_node = spec.entry("accessModes");
        let modes = modes_node
            .map(|(_, node)| node.as_seq())
            .unwrap_or_default();
        if modes.is_empty() {
            if !modes_node
                .is_some_and(|(_, node)| !matches!(node.value, Value::Seq(_) | Value::Null))
            {
                self.error(
                    Rule::MissingField,
                    path.key("accessModes"),
                    modes_node.map_or(anchor, |(key, _)| key.at),
                    format!("a {kind} needs at least one access mode in `accessModes`"),
                )
                .help = Some("usually `accessModes: [ReadWriteOnce]`".to_string());
            }
            return;
        }
        let mut known = Vec::new();
        for (index, mode) in modes.iter().enumerate() {
            if self.choice_item(
                mode,
                path.key("accessModes").index(index),
                &ACCESS_MODES,
                "access mode",
            ) && let Some(text) = str_of(mode)
            {
                known.push(text);
            }
        }
        if known.contains(&"ReadWriteOncePod")
            && known.iter().any(|mode| *mode != "ReadWriteOncePod")
            && let Some((key, _)) = modes_node
        {
            self.error(
                Rule::InvalidValue,
                path.key("accessModes"),
                key.at,
                "ReadWriteOncePod cannot be combined with other access modes",
            )
            .help = Some(
                "ReadWriteOncePod already means one Pod reads and writes: list it alone"
                    .to_string(),
            );
        }
    }

    /// A size that must be more than zero (ValidatePositiveQuantityValue). A value that is not
    /// a quantity at all was reported by the schema.
    fn positive_size(&mut self, node: &Node, path: Path) {
        let amount = match &node.value {
            Value::Str(text) => quantity::parse(text),
            Value::Int(number) => Some(*number as f64),
            Value::Float(number) => Some(*number),
            _ => None,
        };
        if let Some(amount) = amount
            && amount <= 0.0
        {
            self.error(
                Rule::OutOfRange,
                path,
                node.at,
                format!(
                    "a storage size of {} is not more than zero",
                    super::written(node)
                ),
            )
            .help = Some("write the size with a unit, such as `1Gi` or `500Mi`".to_string());
        }
    }

    /// `storageClassName`: empty (no class) or a DNS subdomain (ValidateClassName).
    fn class_name(&mut self, spec: &Node, path: &Path) {
        if let Some(class) = spec.get("storageClassName")
            && let Some(text) = str_of(class)
            && !text.is_empty()
            && let Some(problem) = dns1123_subdomain(text)
        {
            self.error(
                Rule::InvalidName,
                path.key("storageClassName"),
                class.at,
                format!(
                    "`{}` is not a valid StorageClass name: {problem}",
                    crate::text::escape_controls(text)
                ),
            )
            .help = Some(
                "a StorageClass name is lowercase, such as `standard`; `\"\"` asks for no class"
                    .to_string(),
            );
        }
    }

    /// core validation validateHostPathVolumeSource: a path without `..`, a known type.
    pub(super) fn host_path(&mut self, source: &Node, path: &Path) {
        self.no_backsteps(source, path);
        if source
            .get("type")
            .and_then(str_of)
            .is_some_and(|text| !text.is_empty())
        {
            self.enum_field(
                source,
                "type",
                path,
                &[
                    "DirectoryOrCreate",
                    "Directory",
                    "FileOrCreate",
                    "File",
                    "Socket",
                    "CharDevice",
                    "BlockDevice",
                ],
            );
        }
    }

    /// core validation validatePathNoBacksteps on a source's `path`.
    fn no_backsteps(&mut self, source: &Node, path: &Path) {
        if let Some(node) = source.get("path")
            && let Some(text) = str_of(node)
            && text.split('/').any(|part| part == "..")
        {
            self.error(
                Rule::InvalidValue,
                path.key("path"),
                node.at,
                format!(
                    "`{}` may not contain `..`",
                    crate::text::escape_controls(text)
                ),
            )
            .help =
                Some("write the path without going up a folder, such as `/mnt/data`".to_string());
        }
    }

    /// storage validation ValidateStorageClass (its fields are at the object's top level).
    pub(super) fn storage_class(&mut self, root: &Node) {
        let path = Path::root();
        if let Some(provisioner) = root.get("provisioner")
            && let Some(text) = str_of(provisioner)
        {
            if text.is_empty() {
                self.error(
                    Rule::MissingField,
                    path.key("provisioner"),
                    provisioner.at,
                    "a StorageClass needs a `provisioner`",
                )
                .help = Some("such as `kubernetes.io/no-provisioner` for volumes made by hand, or the CSI driver's name".to_string());
            } else if let Some(problem) = qualified_name(&text.to_ascii_lowercase()) {
                self.error(
                    Rule::InvalidValue,
                    path.key("provisioner"),
                    provisioner.at,
                    format!(
                        "`{}` is not a valid provisioner name: {problem}",
                        crate::text::escape_controls(text)
                    ),
                )
                .help = Some("a provisioner is named like `kubernetes.io/no-provisioner` or `ebs.csi.aws.com`".to_string());
            }
        }
        if root
            .get("reclaimPolicy")
            .and_then(str_of)
            .is_some_and(|text| !text.is_empty())
        {
            // storage validation validateReclaimPolicy: Recycle is for PersistentVolumes only.
            self.enum_field(root, "reclaimPolicy", &path, &["Delete", "Retain"]);
        }
        self.enum_field(
            root,
            "volumeBindingMode",
            &path,
            &["Immediate", "WaitForFirstConsumer"],
        );
        for (index, term) in root
            .get("allowedTopologies")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            self.topology_term(term, &path.key("allowedTopologies").index(index));
        }
    }

    /// core validation ValidateTopologySelectorTerm: each expression's key a label key, used
    /// once in the term, with at least one value and no value twice.
    fn topology_term(&mut self, term: &Node, path: &Path) {
        let mut keys: HashSet<&str> = HashSet::new();
        for (index, expression) in term
            .get("matchLabelExpressions")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let expression_path = path.key("matchLabelExpressions").index(index);
            if let Some(key) = expression.get("key")
                && let Some(text) = str_of(key)
            {
                if let Some(problem) = qualified_name(text) {
                    self.error(
                        Rule::InvalidLabel,
                        expression_path.key("key"),
                        key.at,
                        format!(
                            "`{}` is not a valid label key: {problem}",
                            crate::text::escape_controls(text)
                        ),
                    );
                }
                if !keys.insert(text) {
                    self.error(
                        Rule::DuplicateName,
                        expression_path.key("key"),
                        key.at,
                        format!(
                            "the key `{}` appears twice in this topology term",
                            crate::text::escape_controls(text)
                        ),
                    )
                    .help = Some(
                        "list every allowed value of a key in one expression's `values`"
                            .to_string(),
                    );
                }
            }
            let values = expression.get("values");
            let items = values.map(Node::as_seq).unwrap_or_default();
            if items.is_empty() && values.is_some_and(|node| matches!(node.value, Value::Seq(_))) {
                self.error(
                    Rule::MissingField,
                    expression_path.key("values"),
                    values.map_or(expression.at, |node| node.at),
                    "a topology expression needs at least one value in `values`",
                );
            }
            let mut seen: HashSet<&str> = HashSet::new();
            for (value_index, value) in items.iter().enumerate() {
                if let Some(text) = str_of(value)
                    && !seen.insert(text)
                {
                    self.error(
                        Rule::DuplicateName,
                        expression_path.key("values").index(value_index),
                        value.at,
                        format!(
                            "the value `{}` is listed twice",
                            crate::text::escape_controls(text)
                        ),
                    );
                }
            }
        }
    }
}

/// Whether a path is `/` once cleaned (`path.Clean(p) == "/"`).
fn is_root(text: &str) -> bool {
    !text.is_empty() && text.split('/').all(|part| part.is_empty() || part == ".")
}

#[cfg(test)]
mod tests {
    use super::is_root;

    #[test]
    fn a_root_path_is_slash_once_cleaned() {
        assert!(is_root("/"));
        assert!(is_root("//"));
        assert!(is_root("/./"));
        assert!(!is_root("/mnt"));
        assert!(!is_root(""));
    }
}

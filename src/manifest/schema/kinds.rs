//! The kinds the checker knows: every kind and version Kubernetes 1.37 serves (from the API types
//! of the pinned minor) and the Gateway API's standard channel (from its CRDs), built into static
//! tables by build.rs from `assets/schema/*.tsv`.

use std::sync::OnceLock;

use serde_json::Value as Json;

/// Where a kind's schema comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A built-in API of Kubernetes (core or an API group the API server serves itself).
    Kubernetes,
    /// The Gateway API, a set of CRDs (`gateway.networking.k8s.io`) installed on a cluster.
    GatewayApi,
}

/// A resource kind in one apiVersion.
pub struct KindInfo {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// The resource's plural name (`deployments`), as in its URL.
    pub plural: &'static str,
    /// Namespaced, or cluster-wide (Namespace, Node, ClusterRole, PersistentVolume …).
    pub namespaced: bool,
    /// The name of its schema's definition.
    pub definition: &'static str,
    /// Names kubectl accepts for it on the command line (kind, plural, short names), lowercase.
    pub aliases: &'static [&'static str],
    pub origin: Origin,
}

impl std::fmt::Debug for KindInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.api_version, self.kind)
    }
}

include!(concat!(env!("OUT_DIR"), "/schema_data.rs"));

/// How far along an API version is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stability {
    Alpha,
    Beta,
    Stable,
}

impl KindInfo {
    /// The kind's root schema.
    pub fn schema(&self) -> &'static Json {
        definition(self.definition).expect("every kind's definition is in the schema data")
    }

    /// The API group (`apps`; "" for the core group).
    pub fn group(&self) -> &'static str {
        group_of(self.api_version)
    }

    pub fn stability(&self) -> Stability {
        stability_of(self.api_version)
    }
}

/// The group of an apiVersion (`apps/v1` → `apps`, `v1` → "").
pub fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// `v1beta2` → Beta, `v1` → Stable.
pub fn stability_of(api_version: &str) -> Stability {
    let version = api_version.rsplit('/').next().unwrap_or(api_version);
    if version.contains("alpha") {
        Stability::Alpha
    } else if version.contains("beta") {
        Stability::Beta
    } else {
        Stability::Stable
    }
}

/// A definition's schema, parsed the first time it is asked for.
pub fn definition(name: &str) -> Option<&'static Json> {
    static PARSED: [OnceLock<Json>; DEFINITIONS.len()] =
        [const { OnceLock::new() }; DEFINITIONS.len()];
    let index = DEFINITIONS
        .binary_search_by(|(candidate, _, _)| (*candidate).cmp(name))
        .ok()?;
    Some(PARSED[index].get_or_init(|| {
        serde_json::from_slice(&definition_text(index)).expect("build.rs embeds valid JSON")
    }))
}

/// The JSON text of definition `index`, inflated (build.rs deflates each on its own).
fn definition_text(index: usize) -> Vec<u8> {
    let (_, offset, length) = DEFINITIONS[index];
    miniz_oxide::inflate::decompress_to_vec(&PACKED_DEFINITIONS[offset..offset + length])
        .expect("build.rs deflated it")
}

/// The kind written `kind` in `apiVersion`, if kubedrill knows it.
pub fn find_kind(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS
        .iter()
        .find(|info| info.api_version == api_version && info.kind == kind)
}

/// Every apiVersion a kind is served in, the preferred first.
pub fn versions_of(kind: &str) -> Vec<&'static KindInfo> {
    let mut found: Vec<&'static KindInfo> = KINDS.iter().filter(|info| info.kind == kind).collect();
    found.sort_by_key(|info| preference(info));
    found
}

/// The order kubectl prefers a name's kinds in: the core group first, then stable before beta
/// before alpha, then the newest version.
fn preference(info: &KindInfo) -> (bool, std::cmp::Reverse<Stability>, std::cmp::Reverse<u32>) {
    let version = info.api_version.rsplit('/').next().unwrap_or_default();
    let number = version
        .trim_start_matches('v')
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0);
    (
        !info.group().is_empty(),
        std::cmp::Reverse(info.stability()),
        std::cmp::Reverse(number),
    )
}

/// A kind by the name a person types (`Deployment`, `deploy`, `pods`, `hpa`), in its preferred
/// version, or in `api_version` when given (`hpa` in `autoscaling/v1`).
pub fn kind_by_name(name: &str, api_version: Option<&str>) -> Option<&'static KindInfo> {
    let lower = name.to_ascii_lowercase();
    let mut found: Vec<&'static KindInfo> = KINDS
        .iter()
        .filter(|info| info.aliases.contains(&lower.as_str()))
        .filter(|info| api_version.is_none_or(|wanted| info.api_version == wanted))
        .collect();
    found.sort_by_key(|info| preference(info));
    found.first().copied()
}

/// Every distinct kind name, in table order.
pub fn kind_names() -> impl Iterator<Item = &'static str> {
    let mut seen: Vec<&'static str> = Vec::new();
    for info in KINDS {
        if !seen.contains(&info.kind) {
            seen.push(info.kind);
        }
    }
    seen.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_schema_and_every_reference_resolves() {
        assert!(KINDS.len() > 100, "{}", KINDS.len());
        for info in KINDS {
            let schema = info.schema();
            assert!(
                schema.pointer("/properties/kind").is_some(),
                "{info:?} has no `kind` property"
            );
        }
        for (index, (name, _, _)) in DEFINITIONS.iter().enumerate() {
            let json = String::from_utf8(definition_text(index)).unwrap();
            for reference in json.split("\"$ref\":\"#/$defs/").skip(1) {
                let target = &reference[..reference.find('"').unwrap()];
                assert!(
                    definition(target).is_some(),
                    "{name} refers to a missing {target}"
                );
            }
        }
    }

    #[test]
    fn names_people_type_find_the_preferred_version() {
        assert_eq!(kind_by_name("deploy", None).unwrap().kind, "Deployment");
        assert_eq!(kind_by_name("Pods", None).unwrap().kind, "Pod");
        assert_eq!(kind_by_name("cm", None).unwrap().api_version, "v1");
        assert_eq!(
            kind_by_name("hpa", None).unwrap().api_version,
            "autoscaling/v2"
        );
        assert_eq!(
            kind_by_name("hpa", Some("autoscaling/v1"))
                .unwrap()
                .api_version,
            "autoscaling/v1"
        );
        assert!(kind_by_name("hpa", Some("autoscaling/v2beta2")).is_none());
        assert_eq!(kind_by_name("events", None).unwrap().api_version, "v1");
        assert_eq!(
            kind_by_name("httproute", None).unwrap().api_version,
            "gateway.networking.k8s.io/v1"
        );
        assert_eq!(
            kind_by_name("crd", None).unwrap().kind,
            "CustomResourceDefinition"
        );
        assert!(find_kind("v1", "Deployment").is_none());
        assert!(find_kind("autoscaling/v1", "HorizontalPodAutoscaler").is_some());
    }
}

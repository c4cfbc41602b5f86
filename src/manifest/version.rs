//! Kubernetes versions and the rules that changed between them, in one place. Each feature names
//! the minor version from which the API server enforces its new behaviour by default (the
//! version whose *default feature gates* turn it on), so `--k8s-version` can check against an
//! older cluster.

use std::fmt;
use std::str::FromStr;

/// A Kubernetes minor version (1.x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub minor: u32,
}

/// The oldest minor `--k8s-version` accepts: the oldest the API types crate ships.
pub const OLDEST: Version = Version { minor: 33 };

impl Version {
    /// The pinned version (the schema's version, and the default for semantic rules).
    pub fn pinned() -> Version {
        let minor = parse_minor(crate::KUBERNETES_VERSION).expect("KUBERNETES_VERSION is 1.N");
        Version { minor }
    }

    /// Whether `feature` is on by default in this version.
    pub fn has(self, feature: Feature) -> bool {
        self.minor >= feature.default_since()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Version, String> {
        let minor = parse_minor(text)
            .ok_or_else(|| format!("`{text}` is not a Kubernetes version; write it like 1.37"))?;
        let version = Version { minor };
        let pinned = Version::pinned();
        if version < OLDEST || version > pinned {
            return Err(format!(
                "kubedrill checks Kubernetes {OLDEST} to {pinned}; `{text}` is outside that range"
            ));
        }
        Ok(version)
    }
}

/// The minor number of `1.N`, `v1.N` or `1.N.P`.
fn parse_minor(text: &str) -> Option<u32> {
    let rest = text.trim().trim_start_matches('v').strip_prefix("1.")?;
    rest.split('.').next()?.parse().ok()
}

/// Behaviour that changed within the supported versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    /// Environment variable names (and envFrom prefixes) may be any printable ASCII except `=`.
    /// Gate RelaxedEnvironmentVariableValidation: beta and on by default in 1.32, GA in 1.34.
    RelaxedEnvVarNames,
    /// Init containers with `restartPolicy: Always` are sidecars.
    /// Gate SidecarContainers: beta and on by default in 1.29, GA in 1.33.
    SidecarContainers,
    /// Container-level `restartPolicy` on any container, and `restartPolicyRules`.
    /// Gate ContainerRestartRules (KEP-5307): alpha in 1.34, beta and on by default in 1.35.
    ContainerRestartRules,
}

impl Feature {
    /// The first minor version in which the feature is on by default.
    pub fn default_since(self) -> u32 {
        match self {
            Feature::RelaxedEnvVarNames => 32,
            Feature::SidecarContainers => 29,
            Feature::ContainerRestartRules => 35,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_within_the_supported_range_only() {
        assert_eq!("1.35".parse::<Version>().unwrap().minor, 35);
        assert_eq!("v1.34.2".parse::<Version>().unwrap().minor, 34);
        assert!(
            "1.20"
                .parse::<Version>()
                .unwrap_err()
                .contains("1.33 to 1.37")
        );
        assert!("2.0".parse::<Version>().is_err());
        assert_eq!(Version::pinned().to_string(), crate::KUBERNETES_VERSION);
    }

    #[test]
    fn restart_rules_are_on_from_1_35() {
        assert!(!Version { minor: 34 }.has(Feature::ContainerRestartRules));
        assert!(Version { minor: 35 }.has(Feature::ContainerRestartRules));
    }
}

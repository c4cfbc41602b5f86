//! How StatefulSets and DaemonSets roll out, and a StatefulSet's other policies (apps
//! validation ValidateStatefulSetSpec, validateRollingUpdateStatefulSet,
//! ValidatePersistentVolumeClaimRetentionPolicy, ValidateDaemonSetUpdateStrategy,
//! ValidateRollingUpdateDaemonSet). Each rule works on the values after the server's defaults
//! (apps v1 SetDefaults_StatefulSet, SetDefaults_DaemonSet), so a field left out is never
//! "missing". A Deployment's strategy is in [`workload`](super::workload).

use super::workload::Surge;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;

impl Rules {
    pub(super) fn stateful_set(&mut self, spec: &Node, path: &Path) {
        self.claim_templates(spec, path);
        self.defaulted_enum(
            spec,
            "podManagementPolicy",
            path,
            &["OrderedReady", "Parallel"],
        );
        if let Some(ordinals) = spec.get("ordinals") {
            self.non_negative(ordinals, "start", &path.key("ordinals"));
        }
        if let Some(policy) = spec.get("persistentVolumeClaimRetentionPolicy") {
            let policy_path = path.key("persistentVolumeClaimRetentionPolicy");
            for field in ["whenDeleted", "whenScaled"] {
                self.defaulted_enum(policy, field, &policy_path, &["Retain", "Delete"]);
            }
        }
        let Some(strategy) = spec.get("updateStrategy") else {
            return;
        };
        let strategy_path = path.key("updateStrategy");
        let kind = self.update_strategy_type(strategy, &strategy_path);
        let Some((rolling_key, rolling)) = strategy
            .entry("rollingUpdate")
            .filter(|(_, node)| !node.is_null())
        else {
            return;
        };
        let rolling_path = strategy_path.key("rollingUpdate");
        match kind {
            Some("OnDelete") => {
                self.error(
                    Rule::InvalidValue,
                    rolling_path,
                    rolling_key.at,
                    "`rollingUpdate` may not be set when the update strategy type is OnDelete",
                )
                .help = Some("OnDelete replaces a Pod only when you delete it: remove `rollingUpdate`, or use type RollingUpdate".to_string());
            }
            Some("RollingUpdate") => {
                self.non_negative(rolling, "partition", &rolling_path);
                // maxUnavailable: MaxUnavailableStatefulSet, beta and on by default from 1.35
                // (before, the field was dropped unread).
                if self.version.minor >= 35
                    && let Some((value, at)) = self.surge_value(
                        rolling.get("maxUnavailable"),
                        &rolling_path.key("maxUnavailable"),
                    )
                {
                    match value {
                        Surge::Percent(percent) if percent > 100 => {
                            self.error(
                                Rule::OutOfRange,
                                rolling_path.key("maxUnavailable"),
                                at,
                                "`maxUnavailable` cannot be more than 100%",
                            );
                        }
                        value if value.is_zero() => {
                            self.error(
                                Rule::OutOfRange,
                                rolling_path.key("maxUnavailable"),
                                at,
                                "a StatefulSet's `maxUnavailable` cannot be 0",
                            )
                            .help = Some("the rollout replaces Pods by taking them down, so at least one must be allowed to be unavailable: use 1 (the default) or more".to_string());
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    /// A DaemonSet's rolling update surges or takes Pods down, one or the other: after the
    /// defaults (maxUnavailable 1, maxSurge 0) exactly one of them is non-zero.
    pub(super) fn daemon_set_strategy(&mut self, spec: &Node, path: &Path) {
        let Some(strategy) = spec.get("updateStrategy") else {
            return;
        };
        let strategy_path = path.key("updateStrategy");
        let kind = self.update_strategy_type(strategy, &strategy_path);
        if kind != Some("RollingUpdate") {
            return;
        }
        let Some(rolling) = strategy.get("rollingUpdate").filter(|node| !node.is_null()) else {
            return;
        };
        let rolling_path = strategy_path.key("rollingUpdate");
        let mut values = Vec::new();
        for field in ["maxUnavailable", "maxSurge"] {
            let value = self.surge_value(
                rolling.get(field).filter(|node| !node.is_null()),
                &rolling_path.key(field),
            );
            if let Some((Surge::Percent(percent), at)) = value
                && percent > 100
            {
                self.error(
                    Rule::OutOfRange,
                    rolling_path.key(field),
                    at,
                    if field == "maxSurge" {
                        "`maxSurge` cannot be more than 100%"
                    } else {
                        "`maxUnavailable` cannot be more than 100%"
                    },
                );
            }
            values.push(value);
        }
        // A value that failed to read was reported; judge only what was read or defaulted.
        let written = |field: &str| rolling.get(field).is_some_and(|node| !node.is_null());
        if (written("maxUnavailable") && values[0].is_none())
            || (written("maxSurge") && values[1].is_none())
        {
            return;
        }
        let unavailable_zero = values[0].is_some_and(|(value, _)| value.is_zero());
        let surge_zero = values[1].is_none_or(|(value, _)| value.is_zero());
        match (unavailable_zero, surge_zero, values[0], values[1]) {
            (false, false, _, Some((_, at))) => {
                self.error(
                    Rule::InvalidValue,
                    rolling_path.key("maxSurge"),
                    at,
                    "a DaemonSet's `maxSurge` must be 0 unless `maxUnavailable` is 0 (it defaults to 1)",
                )
                .help = Some("a DaemonSet rollout either starts the new Pod first (maxSurge) or stops the old one first (maxUnavailable), not both: add `maxUnavailable: 0` to surge".to_string());
            }
            (true, true, Some((_, at)), _) => {
                self.error(
                    Rule::InvalidValue,
                    rolling_path.key("maxUnavailable"),
                    at,
                    "`maxUnavailable` and `maxSurge` cannot both be 0",
                )
                .help = Some("with neither an extra Pod nor a missing one allowed, the rollout could never replace a Pod: set one of them above 0".to_string());
            }
            _ => {}
        }
    }

    /// An update strategy's `type`, RollingUpdate or OnDelete, reported when it is neither;
    /// a missing, null or empty type is the default, RollingUpdate.
    fn update_strategy_type<'n>(
        &mut self,
        strategy: &'n Node,
        strategy_path: &Path,
    ) -> Option<&'n str> {
        self.defaulted_enum(
            strategy,
            "type",
            strategy_path,
            &["RollingUpdate", "OnDelete"],
        )
        .or(strategy
            .get("type")
            .is_none_or(|node| node.is_null() || str_of(node) == Some(""))
            .then_some("RollingUpdate"))
    }
}

//! A container's `resources`: the names of what it requests and limits, amounts that are not
//! negative, no request above its limit, requests equal to limits for what cannot be
//! overcommitted (hugepages, extended resources), whole units of extended resources and pages. Whether an amount is a well-formed quantity is the
//! schema's check; this one compares what the amounts mean.

use super::{Rules, written};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::quantity;
use crate::manifest::schema::Finding;
use crate::manifest::yaml::{Node, Value};
use crate::text::did_you_mean;

impl Rules {
    /// core validation ValidateContainerResourceRequirements: each name is a standard container
    /// resource (cpu, memory, ephemeral-storage, hugepages-SIZE) or a domain-prefixed extended
    /// one; no amount is negative; a request is at most its limit. The amount's format is the
    /// schema's Quantity check.
    pub(super) fn resources(&mut self, container: &Node, path: &Path) {
        let Some(resources) = container.get("resources") else {
            return;
        };
        let resources_path = path.key("resources");
        let amount = |node: &Node| match &node.value {
            Value::Int(number) => Some(*number as f64),
            Value::Float(number) => Some(*number),
            Value::Str(text) => quantity::parse(text),
            _ => None,
        };
        for section in ["limits", "requests"] {
            let entries = resources.get(section).map(Node::as_map).unwrap_or_default();
            for (key, value) in entries {
                let name = key.name.as_str();
                let entry_path = resources_path.key(section).key(name);
                let standard = ["cpu", "memory", "ephemeral-storage"].contains(&name)
                    || name.starts_with("hugepages-");
                if !standard && !name.contains('/') {
                    let finding = self.error(
                        Rule::InvalidValue,
                        entry_path.clone(),
                        key.at,
                        format!(
                            "`{}` is not a container resource (under `{}`)",
                            crate::text::escape_controls(name),
                            section
                        ),
                    );
                    finding.suggestion = did_you_mean(name, ["cpu", "memory", "ephemeral-storage"])
                        .map(str::to_string);
                    finding.help = Some(
                        "use cpu, memory, ephemeral-storage or hugepages-SIZE; extended resources carry a domain, such as example.com/gpu".to_string(),
                    );
                    continue;
                }
                if let Some(number) = amount(value)
                    && number < 0.0
                {
                    self.error(
                        Rule::InvalidValue,
                        entry_path.clone(),
                        value.at,
                        format!("{section}.{name} cannot be negative"),
                    )
                    .help = Some("resource amounts are zero or more".to_string());
                }
            }
        }
        let limits = resources
            .get("limits")
            .map(Node::as_map)
            .unwrap_or_default();
        let requests = resources
            .get("requests")
            .map(Node::as_map)
            .unwrap_or_default();
        for (key, request) in requests {
            let Some((_, limit)) = limits
                .iter()
                .find(|(limit_key, _)| limit_key.name == key.name)
            else {
                // "Limit must be set for non overcommitable resources"
                if !overcommit_allowed(&key.name) {
                    let name = key.name.as_str();
                    self.error(
                        Rule::MissingField,
                        resources_path.key("limits").key(name),
                        key.at,
                        format!("requests.{name} needs limits.{name} with the same amount"),
                    )
                    .help = Some(OVERCOMMIT_HELP.to_string());
                }
                continue;
            };
            if !overcommit_allowed(&key.name)
                && let (Some(wanted), Some(most)) = (amount(request), amount(limit))
                && !quantity::same_amount(wanted, most)
            {
                let name = key.name.as_str();
                self.request_against_limit(&resources_path, name, request, limit, "must equal")
                    .help = Some(OVERCOMMIT_HELP.to_string());
                continue;
            }
            if let (Some(wanted), Some(most)) = (amount(request), amount(limit))
                && wanted > most
                && !quantity::same_amount(wanted, most)
            {
                let name = key.name.as_str();
                self.request_against_limit(&resources_path, name, request, limit, "is more than")
                    .help = Some(format!(
                    "a container never gets more than its limit, so the API server rejects a larger request: lower requests.{name} or raise limits.{name}"
                ));
            }
        }
        self.whole_and_huge(resources, &resources_path, &amount);
    }

    /// "requests.{name} {request} {relation} limits.{name} {limit}", at the request.
    fn request_against_limit(
        &mut self,
        resources_path: &Path,
        name: &str,
        request: &Node,
        limit: &Node,
        relation: &str,
    ) -> &mut Finding {
        self.error(
            Rule::InvalidValue,
            resources_path.key("requests").key(name),
            request.at,
            format!(
                "requests.{name} {} {relation} limits.{name} {}",
                written(request),
                written(limit)
            ),
        )
    }

    /// ValidateResourceQuantityValue: an extended resource is counted in whole units;
    /// validateResourceRequirements: hugepages need a cpu or memory request or limit, and
    /// (validateResourceQuantityHugePageValue) a whole number of pages.
    fn whole_and_huge(
        &mut self,
        resources: &Node,
        path: &Path,
        amount: &dyn Fn(&Node) -> Option<f64>,
    ) {
        let mut huge = None;
        let mut cpu_or_memory = false;
        for section in ["limits", "requests"] {
            for (key, value) in resources.get(section).map(Node::as_map).unwrap_or_default() {
                let name = key.name.as_str();
                cpu_or_memory |= name == "cpu" || name == "memory";
                let Some(number) = amount(value) else {
                    continue;
                };
                if extended(name) && number.fract() != 0.0 {
                    self.error(
                        Rule::InvalidValue,
                        path.key(section).key(name),
                        value.at,
                        format!("{section}.{name} {} is not a whole number", written(value)),
                    )
                    .help = Some(
                        "extended resources such as GPUs are counted in whole units".to_string(),
                    );
                }
                if let Some(size) = name.strip_prefix("hugepages-") {
                    huge.get_or_insert((section, key.at));
                    if let Some(page) = quantity::parse(size)
                        && page > 0.0
                        && (number / page).fract() != 0.0
                    {
                        self.error(
                            Rule::InvalidValue,
                            path.key(section).key(name),
                            value.at,
                            format!(
                                "{section}.{name} {} is not a whole number of {size} pages",
                                written(value)
                            ),
                        );
                    }
                }
            }
        }
        if let Some((section, at)) = huge
            && !cpu_or_memory
        {
            self.error(
                Rule::MissingField,
                path.key(section),
                at,
                "a container with hugepages also needs a cpu or memory request or limit",
            );
        }
    }
}

const OVERCOMMIT_HELP: &str = "hugepages and extended resources (such as example.com/gpu) cannot be overcommitted: set the request and the limit to the same amount";

/// helper.IsOvercommitAllowed: native resources (no domain, or kubernetes.io/) but hugepages.
fn overcommit_allowed(name: &str) -> bool {
    (!name.contains('/') || name.contains("kubernetes.io/")) && !name.starts_with("hugepages-")
}

/// helper.IsExtendedResourceName: domain-prefixed, not native, not `requests.`.
fn extended(name: &str) -> bool {
    name.contains('/') && !name.contains("kubernetes.io/") && !name.starts_with("requests.")
}

//! Evaluates one exercise check against the answer's resources. Every check judges the object
//! the API server would store (defaults applied) and what the container really runs and sees, so
//! any correct spelling of an answer passes.

use serde_json::Value;

use super::process::{self, Images, container_names};
use super::references::broken_references;
use super::resources::Resource;
use super::select;
use crate::manifest::path::Path;
use crate::model::{ArgvExpect, Check, CheckRule, Comparison, EnvExpect, FieldExpect, Target};
use crate::text::did_you_mean;

/// The verdict on one check, with what was found and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// What the answer has, in a sentence (shown with the check's own message).
    pub detail: Option<String>,
    pub path: Option<String>,
    pub line: Option<usize>,
}

impl Outcome {
    fn pass(detail: impl Into<String>, resource: &Resource<'_>, path: Option<&Path>) -> Outcome {
        Outcome::new(true, Some(detail.into()), resource, path)
    }

    fn fail(detail: impl Into<String>, resource: &Resource<'_>, path: Option<&Path>) -> Outcome {
        Outcome::new(false, Some(detail.into()), resource, path)
    }

    fn new(
        passed: bool,
        detail: Option<String>,
        resource: &Resource<'_>,
        path: Option<&Path>,
    ) -> Outcome {
        let line = match (resource.node, path) {
            (Some(node), Some(path)) => Some(select::nearest_node(node, path).at.line),
            (Some(node), None) => Some(node.at.line),
            (None, _) => None,
        };
        Outcome {
            passed,
            detail,
            path: path.map(ToString::to_string),
            line,
        }
    }

    fn missing(detail: String) -> Outcome {
        Outcome {
            passed: false,
            detail: Some(detail),
            path: None,
            line: None,
        }
    }
}

/// Everything a check may look at.
#[derive(Debug)]
pub struct Context<'a> {
    pub answer: &'a [Resource<'a>],
    /// Answer and given resources together (references resolve against both).
    pub cluster: Vec<&'a Resource<'a>>,
    pub images: &'a Images,
    /// Every check's target, for `no-extra-resources`.
    pub targets: Vec<&'a Target>,
}

pub fn evaluate(check: &Check, context: &Context<'_>) -> Outcome {
    let objects: Vec<&Value> = context
        .cluster
        .iter()
        .map(|resource| &resource.object)
        .collect();
    if let Some((passed, detail)) = super::outcome::evaluate(
        &check.rule,
        check.target.as_ref(),
        &objects,
        check.namespace.as_deref().unwrap_or("default"),
    ) {
        let line = check
            .target
            .as_ref()
            .and_then(|target| context.answer.iter().find(|resource| resource.is(target)))
            .and_then(Resource::line);
        return Outcome {
            passed,
            detail: Some(detail),
            path: None,
            line,
        };
    }
    match (&check.rule, &check.target) {
        (CheckRule::References, None) => references(context.answer.iter(), context),
        (CheckRule::NoExtraResources { allow }, _) => no_extra(allow, context),
        (_, None) => Outcome::missing("this check names no target".to_string()),
        (rule, Some(target)) => match context.answer.iter().find(|resource| resource.is(target)) {
            None => Outcome::missing(absent_target(target, context.answer)),
            Some(resource) => on_resource(rule, resource, context),
        },
    }
}

fn absent_target(target: &Target, answer: &[Resource<'_>]) -> String {
    let same_kind: Vec<&str> = answer
        .iter()
        .filter(|resource| resource.kind == target.kind)
        .map(|resource| resource.name.as_str())
        .collect();
    match (
        did_you_mean(&target.name, same_kind.iter().copied()),
        same_kind.as_slice(),
    ) {
        (Some(close), _) => format!(
            "the answer has no {} named `{}`; it has `{close}`: check the name",
            target.kind, target.name
        ),
        (None, []) => format!("the answer has no {} named `{}`", target.kind, target.name),
        (None, names) => format!(
            "the answer has no {} named `{}` (it has: {})",
            target.kind,
            target.name,
            names.join(", ")
        ),
    }
}

fn on_resource(rule: &CheckRule, resource: &Resource<'_>, context: &Context<'_>) -> Outcome {
    match rule {
        CheckRule::Exists => Outcome::pass(
            format!("{} `{}` is there", resource.kind, resource.name),
            resource,
            None,
        ),
        CheckRule::Field { path, expect } => field(resource, path, expect),
        CheckRule::Argv { container, expect } => {
            with_container(resource, container, |path, object| {
                let environment = process::environment(resource, object, &context.cluster);
                if let Some(blocked) = environment
                    .blocked
                    .clone()
                    .or_else(|| unmountable(resource, context))
                {
                    return Outcome::fail(blocked, resource, Some(&path));
                }
                let words = match process::argv(object, context.images, &environment) {
                    Err(why) => return Outcome::fail(why, resource, Some(&path)),
                    Ok(words) => words,
                };
                let (passed, wanted) = match expect {
                    ArgvExpect::Equals(equals) => {
                        (words == *equals, format!("`{}`", shell_words(equals)))
                    }
                    ArgvExpect::OneOf(lists) => (
                        lists.contains(&words),
                        lists
                            .iter()
                            .map(|list| format!("`{}`", shell_words(list)))
                            .collect::<Vec<_>>()
                            .join(" or "),
                    ),
                    ArgvExpect::Matches(pattern) => match regex_lite::Regex::new(pattern) {
                        // The check's message says what is wanted; a regex helps no learner.
                        Ok(regex) => (
                            regex.is_match(&words.join(" ")),
                            "what the task asks for".to_string(),
                        ),
                        Err(why) => {
                            return Outcome::fail(
                                format!("the check's pattern `{pattern}` is invalid: {why}"),
                                resource,
                                None,
                            );
                        }
                    },
                };
                if passed {
                    Outcome::pass(
                        format!("the container runs `{}`", shell_words(&words)),
                        resource,
                        Some(&path),
                    )
                } else {
                    Outcome::fail(
                        format!("the container runs `{}`, not {wanted}", shell_words(&words)),
                        resource,
                        Some(&path),
                    )
                }
            })
        }
        CheckRule::Env {
            container,
            name,
            expect,
        } => with_container(resource, container, |path, object| {
            let environment = process::environment(resource, object, &context.cluster);
            if let Some(blocked) = environment
                .blocked
                .clone()
                .or_else(|| unmountable(resource, context))
            {
                return Outcome::fail(blocked, resource, Some(&path));
            }
            let value = environment.variables.get(name);
            match (expect, value) {
                (EnvExpect::Equals(wanted), Some(value)) if value == wanted => Outcome::pass(
                    format!("the container sees {name}={}", shown(value)),
                    resource,
                    Some(&path),
                ),
                (EnvExpect::Equals(wanted), Some(value)) => Outcome::fail(
                    format!(
                        "the container sees {name}={}, not {name}={}",
                        shown(value),
                        shown(wanted)
                    ),
                    resource,
                    Some(&path),
                ),
                (EnvExpect::Equals(_), None) => Outcome::fail(
                    missing_variable(name, &environment.variables),
                    resource,
                    Some(&path),
                ),
                (EnvExpect::Present(true), Some(_)) => {
                    Outcome::pass(format!("the container sees {name}"), resource, Some(&path))
                }
                (EnvExpect::Present(true), None) => Outcome::fail(
                    missing_variable(name, &environment.variables),
                    resource,
                    Some(&path),
                ),
                (EnvExpect::Present(false), None) => Outcome::pass(
                    format!("the container does not see {name}"),
                    resource,
                    Some(&path),
                ),
                (EnvExpect::Present(false), Some(value)) => Outcome::fail(
                    format!(
                        "the container sees {name}={}, which should not be set",
                        shown(value)
                    ),
                    resource,
                    Some(&path),
                ),
            }
        }),
        CheckRule::InitOrder { equals } => init_order(resource, equals),
        CheckRule::Rollout {
            strategy,
            max_pods,
            min_available,
        } => rollout(resource, strategy.as_deref(), *max_pods, *min_available),
        CheckRule::References => references(std::iter::once(resource), context),
        CheckRule::NoExtraResources { allow } => no_extra(allow, context),
        CheckRule::Count(_)
        | CheckRule::Unchanged { .. }
        | CheckRule::Endpoints { .. }
        | CheckRule::File { .. }
        | CheckRule::Output { .. } => Outcome::missing(
            "this check looks at a running cluster: only a scenario can have it".to_string(),
        ),
        CheckRule::Connection { .. } | CheckRule::Route { .. } | CheckRule::Binding(_) => {
            Outcome::missing("this check is judged over every object, not one".to_string())
        }
    }
}

/// A value as the learner should read it: as is when it is plain, else quoted with its control
/// characters and odd bytes escaped (a trailing newline from `echo | base64` shows as `\n`).
fn shown(value: &str) -> String {
    let plain = !value.is_empty()
        && value.chars().all(|c| !c.is_control() && c != '\u{FFFD}')
        && value.trim() == value;
    if plain {
        value.to_string()
    } else {
        format!("{value:?}")
    }
}

fn missing_variable(name: &str, variables: &std::collections::BTreeMap<String, String>) -> String {
    match did_you_mean(name, variables.keys().map(String::as_str)) {
        Some(close) => {
            format!("the container does not see {name}; it sees {close} (check the spelling)")
        }
        None if variables.is_empty() => {
            format!("the container sees no environment variables at all, so {name} is missing")
        }
        None => format!(
            "the container does not see {name} (it sees: {})",
            variables.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Why no container of the Pod starts because a volume some container mounts names a
/// ConfigMap or Secret (or a key) that does not exist: the kubelet waits for every mounted
/// volume before it starts any container, so the Pod stays in ContainerCreating with a
/// FailedMount event.
fn unmountable(resource: &Resource<'_>, context: &Context<'_>) -> Option<String> {
    let spec_path = super::resources::pod_spec_path(&resource.kind)?;
    let spec = spec_path
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key))?;
    let mounts: Vec<&str> = ["initContainers", "containers"]
        .iter()
        .filter_map(|list| spec.get(*list).and_then(Value::as_array))
        .flatten()
        .filter_map(|container| container.get("volumeMounts").and_then(Value::as_array))
        .flatten()
        .filter_map(|mount| mount.get("name").and_then(Value::as_str))
        .collect();
    if mounts.is_empty() {
        return None;
    }
    let volumes = spec.get("volumes").and_then(Value::as_array)?;
    for broken in broken_references(resource, &context.cluster) {
        let text = broken.path.to_string();
        let Some(index) = text
            .split_once("volumes[")
            .and_then(|(_, rest)| rest.split(']').next())
            .and_then(|index| index.parse::<usize>().ok())
        else {
            continue;
        };
        let name = volumes
            .get(index)
            .and_then(|volume| volume.get("name"))
            .and_then(Value::as_str);
        if let Some(name) = name.filter(|name| mounts.contains(name)) {
            return Some(format!(
                "volume `{name}` cannot be mounted, so no container of the Pod starts: {}",
                broken.message
            ));
        }
    }
    None
}

fn with_container(
    resource: &Resource<'_>,
    name: &str,
    judge: impl FnOnce(Path, &Value) -> Outcome,
) -> Outcome {
    match process::find_container(resource, name) {
        Some((path, object)) => judge(path, object),
        None => {
            let names = container_names(resource);
            let hint = did_you_mean(name, names.iter().map(String::as_str)).map_or_else(
                || {
                    if names.is_empty() {
                        "it has no containers".to_string()
                    } else {
                        format!("its containers: {}", names.join(", "))
                    }
                },
                |close| format!("did you mean `{close}`?"),
            );
            Outcome::fail(
                format!(
                    "{} `{}` has no container named `{name}`; {hint}",
                    resource.kind, resource.name
                ),
                resource,
                None,
            )
        }
    }
}

/// A list of words as a shell would need them written.
fn shell_words(words: &[String]) -> String {
    words
        .iter()
        .map(|word| {
            if word.is_empty()
                || word.contains(|c: char| c.is_whitespace() || "\"'$;&|<>()".contains(c))
            {
                format!("{word:?}")
            } else {
                word.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn show(value: &Value) -> String {
    match value {
        Value::String(text) => format!("{text:?}"),
        other => other.to_string(),
    }
}

/// JSON equality where 1 and 1.0 are the same number (YAML spells both).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        _ => a == b,
    }
}

/// Whether the field at `path` holds a resource quantity, which the API server stores in its
/// canonical form: `0.25Gi` is read back as `256Mi`, `1000m` as `1`. Resource lists are a
/// container's `resources`, a ResourceQuota's `hard` and `used`, a LimitRange item's
/// `default`, `defaultRequest`, `max`, `min` and `maxLimitRequestRatio`, and the `capacity` and
/// `allocatable` of a PersistentVolume or a Node, an autoscaler's metric targets, and an
/// `emptyDir` volume's `sizeLimit`.
fn holds_quantity(path: &Path) -> bool {
    let text = path.to_string();
    let list = |name: &str| {
        [".", "["].iter().any(|next| {
            text.starts_with(&format!("{name}{next}")) || text.contains(&format!(".{name}{next}"))
        })
    };
    text.ends_with(".divisor")
        || text.ends_with(".emptyDir.sizeLimit")
        || ["resources.limits", "resources.requests", "resources.claims"]
            .iter()
            .any(|name| list(name))
        || ["spec.hard", "status.hard", "status.used"]
            .iter()
            .any(|name| list(name))
        || ["spec.capacity", "status.capacity", "status.allocatable"]
            .iter()
            .any(|name| list(name))
        || (text.starts_with("spec.metrics[")
            && (text.ends_with(".averageValue") || text.ends_with(".value")))
        || (text.starts_with("spec.limits[")
            && [
                "default",
                "defaultRequest",
                "max",
                "min",
                "maxLimitRequestRatio",
            ]
            .iter()
            .any(|name| list(name)))
}

/// A value compared as the API server keeps it: quantities by amount, anything else by `same`.
fn same_at(path: &Path, value: &Value, wanted: &Value) -> bool {
    if holds_quantity(path)
        && let (Some(left), Some(right)) = (process::quantity(value), process::quantity(wanted))
    {
        return crate::manifest::quantity::same_amount(left, right);
    }
    same(value, wanted)
}

pub(crate) fn field(resource: &Resource<'_>, path_text: &str, expect: &FieldExpect) -> Outcome {
    let selectors = match select::parse(path_text) {
        Ok(selectors) => selectors,
        Err(why) => {
            return Outcome::fail(
                format!("the check's path `{path_text}` is invalid: {why}"),
                resource,
                None,
            );
        }
    };
    let matches: Vec<(Path, &Value)> = select::select(&resource.object, &selectors)
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .collect();
    let first_path = matches.first().map(|(path, _)| path.clone());
    let described = || match matches.as_slice() {
        [] => format!("`{path_text}` is not set"),
        [(path, value)] => format!("`{path}` is {}", show(value)),
        many => format!(
            "{} values: {}",
            many.len(),
            many.iter()
                .map(|(_, value)| show(value))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let passed = match expect {
        FieldExpect::Present(wanted) => matches.is_empty() != *wanted,
        FieldExpect::Count(count) => matches.len() as u64 == *count,
        FieldExpect::Equals(wanted) => matches
            .iter()
            .any(|(path, value)| same_at(path, value, wanted)),
        FieldExpect::OneOf(options) => matches
            .iter()
            .any(|(path, value)| options.iter().any(|option| same_at(path, value, option))),
        FieldExpect::Contains(wanted) => matches.iter().any(|(_, value)| match (value, wanted) {
            (Value::String(text), Value::String(part)) => text.contains(part.as_str()),
            (Value::Array(items), wanted) => items.iter().any(|item| same(item, wanted)),
            (Value::Object(map), Value::String(key)) => map.contains_key(key),
            _ => false,
        }),
        FieldExpect::Matches(pattern) => match regex_lite::Regex::new(pattern) {
            Ok(regex) => matches
                .iter()
                .any(|(_, value)| value.as_str().is_some_and(|text| regex.is_match(text))),
            Err(why) => {
                return Outcome::fail(
                    format!("the check's pattern `{pattern}` is invalid: {why}"),
                    resource,
                    None,
                );
            }
        },
        FieldExpect::Length(length) => matches.iter().any(|(_, value)| match value {
            Value::Array(items) => items.len() as u64 == *length,
            Value::Object(map) => map.len() as u64 == *length,
            Value::String(text) => text.chars().count() as u64 == *length,
            _ => false,
        }),
        FieldExpect::Compare(comparison, bound) => matches.iter().any(|(path, value)| {
            let number = if holds_quantity(path) {
                process::quantity(value)
            } else {
                value.as_f64()
            };
            number.is_some_and(|number| match comparison {
                Comparison::Greater => number > *bound,
                Comparison::GreaterOrEqual => number >= *bound,
                Comparison::Less => number < *bound,
                Comparison::LessOrEqual => number <= *bound,
            })
        }),
    };
    // Point at the first match, or at the deepest part of the path that does exist.
    let where_path = first_path.or_else(|| {
        (1..=selectors.len()).rev().find_map(|length| {
            select::select(&resource.object, &selectors[..length])
                .into_iter()
                .next()
                .map(|(path, _)| path)
        })
    });
    Outcome::new(passed, Some(described()), resource, where_path.as_ref())
}

fn init_order(resource: &Resource<'_>, equals: &[String]) -> Outcome {
    let Some(spec_path) = super::resources::pod_spec_path(&resource.kind) else {
        return Outcome::fail(
            format!("a {} has no containers", resource.kind),
            resource,
            None,
        );
    };
    let spec = spec_path
        .iter()
        .try_fold(&resource.object, |value, key| value.get(*key));
    let names: Vec<String> = spec
        .and_then(|spec| spec.get("initContainers"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|container| {
            container
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let path = spec_path
        .iter()
        .fold(Path::root(), |path, key| path.key(key))
        .key("initContainers");
    let shown = if names.is_empty() {
        "no init containers".to_string()
    } else {
        format!("init containers run in this order: {}", names.join(", "))
    };
    Outcome::new(names == equals, Some(shown), resource, Some(&path))
}

/// The bounds a Deployment's rolling update keeps, as the controller computes them
/// (pkg/controller/deployment/util: maxSurge rounds up, maxUnavailable down; both zero makes
/// maxUnavailable 1).
pub fn rollout_bounds(deployment: &Value) -> (String, u32, u32) {
    let spec = deployment.get("spec");
    let replicas = spec
        .and_then(|spec| spec.get("replicas"))
        .and_then(Value::as_u64)
        .unwrap_or(1) as u32;
    let strategy = spec.and_then(|spec| spec.get("strategy"));
    let kind = strategy
        .and_then(|strategy| strategy.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("RollingUpdate")
        .to_string();
    if kind == "Recreate" {
        return (kind, replicas, 0);
    }
    let rolling = strategy.and_then(|strategy| strategy.get("rollingUpdate"));
    let fence = crate::cluster::rollout::Fenceposts::of(replicas, rolling);
    (kind, fence.most(replicas), fence.least(replicas))
}

fn rollout(
    resource: &Resource<'_>,
    strategy: Option<&str>,
    max_pods: Option<u32>,
    min_available: Option<u32>,
) -> Outcome {
    if resource.kind != "Deployment" {
        return Outcome::fail(
            format!(
                "a rollout check needs a Deployment, not a {}",
                resource.kind
            ),
            resource,
            None,
        );
    }
    let (kind, most, least) = rollout_bounds(&resource.object);
    let shown =
        format!("a {kind} rollout runs at most {most} Pods and keeps at least {least} available");
    let passed = strategy.is_none_or(|wanted| wanted == kind)
        && max_pods.is_none_or(|bound| most <= bound)
        && min_available.is_none_or(|bound| least >= bound);
    Outcome::new(
        passed,
        Some(shown),
        resource,
        Some(&Path::root().key("spec").key("strategy")),
    )
}

fn references<'a>(
    resources: impl Iterator<Item = &'a Resource<'a>>,
    context: &Context<'_>,
) -> Outcome {
    let mut checked = None;
    for resource in resources {
        checked.get_or_insert(resource);
        if let Some(broken) = broken_references(resource, &context.cluster)
            .into_iter()
            .next()
        {
            return Outcome::fail(
                format!("{} `{}`: {}", resource.kind, resource.name, broken.message),
                resource,
                Some(&broken.path),
            );
        }
    }
    match checked {
        Some(resource) => Outcome::new(
            true,
            Some("every ConfigMap and Secret it uses exists, with its keys".to_string()),
            resource,
            None,
        ),
        None => Outcome {
            passed: true,
            detail: Some("the answer uses no ConfigMap or Secret".to_string()),
            path: None,
            line: None,
        },
    }
}

fn no_extra(allow: &[Target], context: &Context<'_>) -> Outcome {
    let extra: Vec<&Resource<'_>> = context
        .answer
        .iter()
        .filter(|resource| {
            !context.targets.iter().any(|target| resource.is(target))
                && !allow.iter().any(|target| resource.is(target))
        })
        .collect();
    match extra.first() {
        None => Outcome {
            passed: true,
            detail: Some("the answer holds only what the task asks for".to_string()),
            path: None,
            line: None,
        },
        Some(first) => {
            let listed: Vec<String> = extra
                .iter()
                .map(|resource| format!("{}/{}", resource.kind, resource.name))
                .collect();
            Outcome::fail(
                format!("the task does not ask for {}", listed.join(", ")),
                first,
                None,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn pod(limits: &str) -> Vec<crate::manifest::yaml::Document> {
        crate::manifest::yaml::parse(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    resources: {{limits: {{{limits}}}}}\n"
        ))
        .unwrap()
    }

    #[test]
    fn limit_ranges_and_quotas_compare_by_amount_too() {
        let documents = crate::manifest::yaml::parse(
            "apiVersion: v1\nkind: LimitRange\nmetadata: {name: defaults}\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 0.5, memory: 0.25Gi}\n    defaultRequest: {cpu: 100m}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {requests.cpu: '1', limits.memory: 2048Mi}\n",
        )
        .unwrap();
        let resources = super::super::resources::from_documents(&documents);
        for (index, path, wanted) in [
            (0, "spec.limits[type=Container].default.cpu", "500m"),
            (0, "spec.limits[0].default.memory", "256Mi"),
            (0, "spec.limits[0].defaultRequest.cpu", "0.1"),
            (1, r#"spec.hard["requests.cpu"]"#, "1000m"),
            (1, r#"spec.hard["limits.memory"]"#, "2Gi"),
        ] {
            let outcome = field(&resources[index], path, &FieldExpect::Equals(json!(wanted)));
            assert!(outcome.passed, "{path} = {wanted}: {outcome:?}");
        }
        let outcome = field(
            &resources[0],
            "spec.limits[0].default.cpu",
            &FieldExpect::Equals(json!("600m")),
        );
        assert!(!outcome.passed, "another amount is another value");
        let pod = crate::manifest::yaml::parse(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox:1.36}]\n  volumes: [{name: cache, emptyDir: {medium: Memory, sizeLimit: 0.0625Gi}}]\n",
        )
        .unwrap();
        let resources = super::super::resources::from_documents(&pod);
        let outcome = field(
            &resources[0],
            "spec.volumes[name=cache].emptyDir.sizeLimit",
            &FieldExpect::Equals(json!("64Mi")),
        );
        assert!(outcome.passed, "{outcome:?}");
    }

    #[test]
    fn resource_amounts_compare_by_amount_not_by_spelling() {
        let memory = "spec.containers[name=c].resources.limits.memory";
        let cpu = "spec.containers[name=c].resources.limits.cpu";
        for (limits, memory_is_256mi, cpu_at_most_half) in [
            ("memory: 0.25Gi, cpu: 0.5", true, true),
            ("memory: 268435456, cpu: 500m", true, true),
            ("memory: 256M, cpu: 250m", false, true),
            ("memory: 256Mi, cpu: 600m", true, false),
        ] {
            let documents = pod(limits);
            let resources = super::super::resources::from_documents(&documents);
            let equals = field(&resources[0], memory, &FieldExpect::Equals(json!("256Mi")));
            assert_eq!(equals.passed, memory_is_256mi, "{limits}");
            let at_most = field(
                &resources[0],
                cpu,
                &FieldExpect::Compare(Comparison::LessOrEqual, 0.5),
            );
            assert_eq!(at_most.passed, cpu_at_most_half, "{limits}");
        }
        // Outside resources a string is a string: "1000m" is not "1".
        let documents = pod("cpu: 1");
        let resources = super::super::resources::from_documents(&documents);
        let name = field(
            &resources[0],
            "spec.containers[name=c].name",
            &FieldExpect::Equals(json!("c")),
        );
        assert!(name.passed);
        let image = field(
            &resources[0],
            "spec.containers[name=c].image",
            &FieldExpect::Equals(json!("busybox:1.36.0")),
        );
        assert!(!image.passed);
    }
}

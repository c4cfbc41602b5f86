//! An exercise's `[[check]]` tables, each turned into a typed [`Check`]. Every check type takes
//! its own keys and refuses the others (`exists`; `field` with one expectation; `argv`; `env`;
//! `init-order`; `references`; `no-extra-resources`; `rollout`), targets are `Kind/name`, and
//! regular expressions are compiled now, so a typo is a deck problem, not a grading surprise.

use std::ops::Range;

use toml::Spanned;

use super::a;
use super::exercises::MANIFEST_REJECTION;
use super::file_checker::FileChecker;
use crate::content::files::{CheckEntry, CheckType};
use crate::diagnostic::ProblemBuilder;
use crate::model::{ArgvExpect, Check, CheckRule, Comparison, EnvExpect, FieldExpect, Target};
use crate::text::did_you_mean;

impl FileChecker<'_> {
    pub(super) fn check(&mut self, entry: &CheckEntry) -> Option<(Check, Range<usize>)> {
        let id = self.id(&entry.id, "check");
        if entry.id.get_ref() == MANIFEST_REJECTION {
            self.problem(entry.id.span(), "bad-id", format!("`{MANIFEST_REJECTION}` is reserved: [[wrong]] uses it for answers the manifest checker refuses"))
                .help("choose another check id");
            return None;
        }
        let message = self.localized(&entry.message);
        let kind = *entry.kind.get_ref();
        let type_name = check_type_name(kind);
        let scenario_only = matches!(
            kind,
            CheckType::Count
                | CheckType::Unchanged
                | CheckType::Endpoints
                | CheckType::File
                | CheckType::Output
        );
        let answer_only = matches!(
            kind,
            CheckType::Rollout | CheckType::References | CheckType::NoExtraResources
        );
        if scenario_only && !self.scenario {
            self.problem(entry.kind.span(), "bad-value", format!("{} check looks at a running cluster: only a scenario may have it", a(&format!("`{type_name}`"))))
                .help("an exercise's checks are exists, field, argv, env, init-order, rollout, references, no-extra-resources, connection, route and binding");
            return None;
        }
        if answer_only && self.scenario {
            self.problem(entry.kind.span(), "bad-value", format!("{} check judges a manifest answer: a scenario cannot have it", a(&format!("`{type_name}`"))))
                .help("a scenario's checks are exists, field, argv, env, init-order, count, unchanged, endpoints, file, output, connection, route and binding");
            return None;
        }
        let whole_answer = matches!(
            kind,
            CheckType::References
                | CheckType::NoExtraResources
                | CheckType::File
                | CheckType::Output
                | CheckType::Connection
        );
        if kind == CheckType::Connection
            && let Some(target) = &entry.target
        {
            self.problem(target.span(), "key-not-applicable", "a `connection` check looks at every NetworkPolicy, Pod and Namespace: it takes no target")
                .help("name the two ends with `from` and `to`");
            return None;
        }
        let target = match &entry.target {
            Some(target)
                if self.scenario && entry.selector.is_some() && !target.get_ref().contains('/') =>
            {
                let kind_name = target.get_ref();
                if kind_name.starts_with(|c: char| c.is_ascii_uppercase())
                    && kind_name.chars().all(|c| c.is_ascii_alphanumeric())
                {
                    Some(Some(Target {
                        kind: kind_name.clone(),
                        name: String::new(),
                    }))
                } else {
                    self.problem(
                        target.span(),
                        "bad-value",
                        format!(
                            "`{}` is not a kind",
                            crate::text::escape_controls(kind_name)
                        ),
                    )
                    .help("with `selector`, the target is a kind alone, e.g. target = \"Pod\"");
                    None
                }
            }
            Some(target) => self.target(target).map(Some),
            None if whole_answer || kind == CheckType::Route => Some(None),
            None => {
                self.problem(
                    entry.kind.span(),
                    "missing-key",
                    "this check needs `target`, the Kind/name of the resource it looks at",
                )
                .help("for example target = \"Pod/webapp\"");
                None
            }
        };
        let points = match &entry.points {
            None => Some(1),
            Some(points) if (1..=100).contains(points.get_ref()) => Some(*points.get_ref() as u32),
            Some(points) => {
                self.problem(
                    points.span(),
                    "bad-value",
                    format!(
                        "points is a whole number from 1 to 100, not {}",
                        points.get_ref()
                    ),
                );
                None
            }
        };
        // Which optional keys each type takes; any other present key is a mistake.
        let (required, allowed): (&[&str], &[&str]) = match kind {
            CheckType::Exists => (&[], &[]),
            CheckType::Field => (
                &["path"],
                &[
                    "path", "equals", "present", "contains", "matches", "one_of", "length",
                    "count", "gt", "gte", "lt", "lte",
                ],
            ),
            CheckType::References => (&[], &[]),
            CheckType::NoExtraResources => (&[], &["allow"]),
            CheckType::Argv => (
                &["container"],
                &["container", "equals", "one_of", "matches"],
            ),
            CheckType::Env => (
                &["container", "name"],
                &["container", "name", "equals", "present"],
            ),
            CheckType::InitOrder => (&["equals"], &["equals"]),
            CheckType::Rollout => (&[], &["strategy", "max_pods", "min_available"]),
            CheckType::Count => (
                &["selector"],
                &["selector", "equals", "gt", "gte", "lt", "lte"],
            ),
            CheckType::Unchanged => (&[], &["path"]),
            CheckType::Endpoints => (&["selector", "port"], &["selector", "port"]),
            CheckType::File => (
                &["file"],
                &["file", "equals", "contains", "matches", "present"],
            ),
            CheckType::Output => (&["command"], &["command", "equals", "contains", "matches"]),
            CheckType::Connection => (
                &["from", "to", "port", "allowed"],
                &["from", "to", "port", "protocol", "allowed"],
            ),
            CheckType::Route => (
                &["url"],
                &[
                    "url", "method", "headers", "backend", "backends", "redirect",
                ],
            ),
            CheckType::Binding => (&[], &["volume", "outcome"]),
        };
        // A scenario's exists, field, argv and env checks may look at every object a selector
        // finds, and every check of a scenario's objects may look in another namespace.
        let mut allowed: Vec<&str> = allowed.to_vec();
        if self.scenario
            && matches!(
                kind,
                CheckType::Exists | CheckType::Field | CheckType::Argv | CheckType::Env
            )
        {
            allowed.push("selector");
        }
        if (self.scenario && !whole_answer) || matches!(kind, CheckType::Route | CheckType::Binding)
        {
            allowed.push("namespace");
        }
        if let Some(namespace) = &entry.namespace
            && allowed.contains(&"namespace")
            && let Some(why) = crate::manifest::rules::dns1123_label(namespace.get_ref())
        {
            self.problem(
                namespace.span(),
                "bad-value",
                format!(
                    "`{}` is not a namespace name: {why}",
                    crate::text::escape_controls(namespace.get_ref())
                ),
            )
            .help("a namespace is a DNS label: lowercase letters, digits and '-', at most 63 characters");
            return None;
        }
        let present = present_keys(entry);
        let mut ok = true;
        for (key, span) in &present {
            if !allowed.contains(key) {
                ok = false;
                self.problem(
                    span.clone(),
                    "key-not-applicable",
                    format!(
                        "`{key}` does not apply to {} check",
                        a(&format!("`{type_name}`"))
                    ),
                )
                .help(if allowed.is_empty() {
                    format!("{} check takes only target", a(&format!("`{type_name}`")))
                } else {
                    format!(
                        "{} check takes: {}",
                        a(&format!("`{type_name}`")),
                        allowed.join(", ")
                    )
                });
            }
        }
        for key in required {
            if !present.iter().any(|(name, _)| name == key) {
                ok = false;
                self.problem(
                    entry.kind.span(),
                    "missing-key",
                    format!("{} check needs `{key}`", a(&format!("`{type_name}`"))),
                )
                .help("see the check types in docs/deck-format.md");
            }
        }
        if !ok {
            return None;
        }
        let rule = match kind {
            CheckType::Exists => Some(CheckRule::Exists),
            CheckType::Field => self.field_expect(entry).map(|expect| CheckRule::Field {
                path: entry
                    .path
                    .as_ref()
                    .map(|path| path.get_ref().clone())
                    .unwrap_or_default(),
                expect,
            }),
            CheckType::Argv => {
                let container = entry
                    .container
                    .as_ref()
                    .map(|container| container.get_ref().clone())
                    .unwrap_or_default();
                let expect = match (&entry.equals, &entry.one_of, &entry.matches) {
                    (Some(equals), None, None) => self.string_list(equals).map(ArgvExpect::Equals),
                    (None, Some(lists), None) => {
                        let mut all = Vec::new();
                        for list in lists.get_ref() {
                            let list = Spanned::new(lists.span(), list.clone());
                            all.push(self.string_list(&list)?);
                        }
                        if all.is_empty() {
                            self.problem(lists.span(), "bad-value", "`one_of` lists at least one process")
                                .help("write it like one_of = [[\"sh\", \"-c\", \"date\"], [\"/bin/sh\", \"-c\", \"date\"]]");
                            return None;
                        }
                        Some(ArgvExpect::OneOf(all))
                    }
                    (None, None, Some(pattern)) => self.regex(pattern).map(ArgvExpect::Matches),
                    _ => {
                        self.problem(
                            entry.kind.span(),
                            "missing-key",
                            "an `argv` check needs one of `equals`, `one_of` or `matches`",
                        )
                        .help("equals = [\"sleep\", \"10\"] for one process; one_of for several; matches for a pattern over the words joined by spaces");
                        None
                    }
                };
                expect.map(|expect| CheckRule::Argv { container, expect })
            }
            CheckType::Env => {
                let expect = match (&entry.equals, &entry.present) {
                    (Some(value), None) => match value.get_ref() {
                        toml::Value::String(text) => Some(EnvExpect::Equals(text.clone())),
                        _ => {
                            self.problem(
                                value.span(),
                                "wrong-type",
                                "an environment variable's value is a string",
                            )
                            .help("quote it: equals = \"10\"");
                            None
                        }
                    },
                    (None, Some(present)) => Some(EnvExpect::Present(*present.get_ref())),
                    (None, None) => {
                        self.problem(
                            entry.kind.span(),
                            "missing-key",
                            "an `env` check needs `equals` or `present`",
                        );
                        None
                    }
                    (Some(_), Some(present)) => {
                        self.problem(
                            present.span(),
                            "key-not-applicable",
                            "an `env` check takes `equals` or `present`, not both",
                        );
                        None
                    }
                };
                expect.map(|expect| CheckRule::Env {
                    container: entry
                        .container
                        .as_ref()
                        .map(|c| c.get_ref().clone())
                        .unwrap_or_default(),
                    name: entry
                        .name
                        .as_ref()
                        .map(|n| n.get_ref().clone())
                        .unwrap_or_default(),
                    expect,
                })
            }
            CheckType::InitOrder => self
                .string_list(entry.equals.as_ref()?)
                .map(|equals| CheckRule::InitOrder { equals }),
            CheckType::References => Some(CheckRule::References),
            CheckType::NoExtraResources => {
                let allow: Option<Vec<Target>> = entry
                    .allow
                    .iter()
                    .map(|target| self.target(target))
                    .collect();
                allow.map(|allow| CheckRule::NoExtraResources { allow })
            }
            CheckType::Count => self.field_expect(entry).map(CheckRule::Count),
            CheckType::Unchanged => Some(CheckRule::Unchanged {
                path: entry
                    .path
                    .as_ref()
                    .map_or_else(|| "spec".to_string(), |path| path.get_ref().clone()),
            }),
            CheckType::Endpoints => match entry
                .port
                .as_ref()
                .and_then(|port| port.get_ref().as_integer())
            {
                Some(port @ 1..=65535) => Some(CheckRule::Endpoints {
                    selector: entry
                        .selector
                        .as_ref()
                        .map(|selector| selector.get_ref().clone())
                        .unwrap_or_default(),
                    port: port as u32,
                }),
                _ => {
                    self.problem(
                        entry.port.as_ref().map_or(entry.kind.span(), Spanned::span),
                        "bad-value",
                        "`port` is a port number from 1 to 65535",
                    );
                    None
                }
            },
            CheckType::File => self.field_expect(entry).map(|expect| CheckRule::File {
                path: entry
                    .file
                    .as_ref()
                    .map(|file| file.get_ref().clone())
                    .unwrap_or_default(),
                expect,
            }),
            CheckType::Output => self.field_expect(entry).map(|expect| CheckRule::Output {
                command: entry
                    .command
                    .as_ref()
                    .map(|command| command.get_ref().clone())
                    .unwrap_or_default(),
                expect,
            }),
            CheckType::Connection => self.connection(entry),
            CheckType::Route => self.route(entry),
            CheckType::Binding => self.binding(entry, target.as_ref().and_then(Option::as_ref)),
            CheckType::Rollout => {
                if present.is_empty() {
                    self.problem(
                        entry.kind.span(),
                        "missing-key",
                        "a `rollout` check needs one or more of strategy, max_pods, min_available",
                    );
                    None
                } else {
                    self.rollout(entry)
                }
            }
        };
        Some((
            Check {
                id: id?,
                target: target?,
                selector: entry
                    .selector
                    .as_ref()
                    .map(|selector| selector.get_ref().clone()),
                namespace: entry
                    .namespace
                    .as_ref()
                    .map(|namespace| namespace.get_ref().clone()),
                rule: rule?,
                points: points?,
                message: message?,
            },
            entry.id.span(),
        ))
    }

    fn rollout(&mut self, entry: &CheckEntry) -> Option<CheckRule> {
        let strategy = entry
            .strategy
            .as_ref()
            .map(|strategy| strategy.get_ref().clone());
        if let Some(strategy) = &entry.strategy
            && !["RollingUpdate", "Recreate"].contains(&strategy.get_ref().as_str())
        {
            let help = did_you_mean(strategy.get_ref(), ["RollingUpdate", "Recreate"])
                .map_or("use RollingUpdate or Recreate".to_string(), |close| {
                    format!("did you mean `{close}`?")
                });
            self.problem(
                strategy.span(),
                "bad-value",
                format!(
                    "`{}` is not a Deployment strategy",
                    crate::text::escape_controls(strategy.get_ref())
                ),
            )
            .help(help);
            return None;
        }
        let mut count = |value: &Option<Spanned<i64>>| -> Option<Option<u32>> {
            match value {
                None => Some(None),
                Some(value) if *value.get_ref() >= 0 => Some(Some(*value.get_ref() as u32)),
                Some(value) => {
                    self.problem(value.span(), "bad-value", "a pod count cannot be negative");
                    None
                }
            }
        };
        let max_pods = count(&entry.max_pods)?;
        let min_available = count(&entry.min_available)?;
        Some(CheckRule::Rollout {
            strategy,
            max_pods,
            min_available,
        })
    }

    fn field_expect(&mut self, entry: &CheckEntry) -> Option<FieldExpect> {
        let mut expectations = Vec::new();
        if let Some(value) = &entry.equals {
            expectations.push((value.span(), FieldExpect::Equals(to_json(value.get_ref()))));
        }
        if let Some(value) = &entry.present {
            expectations.push((value.span(), FieldExpect::Present(*value.get_ref())));
        }
        if let Some(value) = &entry.contains {
            expectations.push((
                value.span(),
                FieldExpect::Contains(to_json(value.get_ref())),
            ));
        }
        if let Some(value) = &entry.matches {
            let pattern = self.regex(value)?;
            expectations.push((value.span(), FieldExpect::Matches(pattern)));
        }
        if let Some(value) = &entry.one_of {
            expectations.push((
                value.span(),
                FieldExpect::OneOf(value.get_ref().iter().map(to_json).collect()),
            ));
        }
        if let Some(value) = &entry.length {
            if *value.get_ref() < 0 {
                self.problem(value.span(), "bad-value", "a length cannot be negative");
                return None;
            }
            expectations.push((value.span(), FieldExpect::Length(*value.get_ref() as u64)));
        }
        if let Some(value) = &entry.count {
            if *value.get_ref() < 0 {
                self.problem(value.span(), "bad-value", "a count cannot be negative");
                return None;
            }
            expectations.push((value.span(), FieldExpect::Count(*value.get_ref() as u64)));
        }
        for (value, comparison) in [
            (&entry.gt, Comparison::Greater),
            (&entry.gte, Comparison::GreaterOrEqual),
            (&entry.lt, Comparison::Less),
            (&entry.lte, Comparison::LessOrEqual),
        ] {
            if let Some(value) = value {
                expectations.push((
                    value.span(),
                    FieldExpect::Compare(comparison, *value.get_ref()),
                ));
            }
        }
        match expectations.len() {
            0 => {
                self.problem(entry.kind.span(), "missing-key", "a `field` check needs one of equals, present, contains, matches, one_of, length, count, gt, gte, lt, lte");
                None
            }
            1 => expectations.pop().map(|(_, expect)| expect),
            _ => {
                self.problem(expectations[1].0.clone(), "key-not-applicable", "a `field` check takes one of equals, present, contains, matches, one_of, length, count, gt, gte, lt, lte")
                    .help("split it into two checks");
                None
            }
        }
    }

    /// A regular expression, checked now so a typo is a deck problem, not a grading surprise.
    fn regex(&mut self, pattern: &Spanned<String>) -> Option<String> {
        match regex_lite::Regex::new(pattern.get_ref()) {
            Ok(_) => Some(pattern.get_ref().clone()),
            Err(why) => {
                self.problem(pattern.span(), "bad-value", format!("this regular expression does not compile: {why}"))
                    .help("the syntax is Rust's regex crate's (like RE2): escape `\\.` and `\\(`, anchor with ^…$");
                None
            }
        }
    }

    fn string_list(&mut self, value: &Spanned<toml::Value>) -> Option<Vec<String>> {
        let list = match value.get_ref() {
            toml::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>(),
            _ => None,
        };
        if list.is_none() {
            self.problem(
                value.span(),
                "wrong-type",
                "`equals` is a list of strings here",
            )
            .help("write it like equals = [\"sleep\", \"10\"]");
        }
        list
    }

    fn target(&mut self, target: &Spanned<String>) -> Option<Target> {
        match target.get_ref().split_once('/') {
            Some((kind, name))
                if kind.starts_with(|c: char| c.is_ascii_uppercase())
                    && kind.chars().all(|c| c.is_ascii_alphanumeric())
                    && !name.is_empty()
                    && !name.contains('/') =>
            {
                Some(Target {
                    kind: kind.to_string(),
                    name: name.to_string(),
                })
            }
            _ => {
                self.problem(target.span(), "bad-value", format!("`{}` is not a Kind/name target", crate::text::escape_controls(target.get_ref())))
                    .help("write the resource's kind and name, e.g. \"Pod/webapp\" or \"Deployment/frontend\"");
                None
            }
        }
    }
}

pub(super) fn check_type_name(kind: CheckType) -> &'static str {
    match kind {
        CheckType::Exists => "exists",
        CheckType::Field => "field",
        CheckType::Argv => "argv",
        CheckType::Env => "env",
        CheckType::InitOrder => "init-order",
        CheckType::References => "references",
        CheckType::NoExtraResources => "no-extra-resources",
        CheckType::Rollout => "rollout",
        CheckType::Count => "count",
        CheckType::Unchanged => "unchanged",
        CheckType::Endpoints => "endpoints",
        CheckType::File => "file",
        CheckType::Output => "output",
        CheckType::Connection => "connection",
        CheckType::Route => "route",
        CheckType::Binding => "binding",
    }
}

/// The optional keys a `[[check]]` sets, with their spans.
fn present_keys(entry: &CheckEntry) -> Vec<(&'static str, Range<usize>)> {
    let mut keys = Vec::new();
    let mut add = |name: &'static str, span: Option<Range<usize>>| {
        if let Some(span) = span {
            keys.push((name, span));
        }
    };
    add("path", entry.path.as_ref().map(Spanned::span));
    add("container", entry.container.as_ref().map(Spanned::span));
    add("name", entry.name.as_ref().map(Spanned::span));
    add("equals", entry.equals.as_ref().map(Spanned::span));
    add("present", entry.present.as_ref().map(Spanned::span));
    add("contains", entry.contains.as_ref().map(Spanned::span));
    add("matches", entry.matches.as_ref().map(Spanned::span));
    add("one_of", entry.one_of.as_ref().map(Spanned::span));
    add("length", entry.length.as_ref().map(Spanned::span));
    add("count", entry.count.as_ref().map(Spanned::span));
    add("gt", entry.gt.as_ref().map(Spanned::span));
    add("gte", entry.gte.as_ref().map(Spanned::span));
    add("lt", entry.lt.as_ref().map(Spanned::span));
    add("lte", entry.lte.as_ref().map(Spanned::span));
    add("allow", entry.allow.first().map(Spanned::span));
    add("strategy", entry.strategy.as_ref().map(Spanned::span));
    add("max_pods", entry.max_pods.as_ref().map(Spanned::span));
    add(
        "min_available",
        entry.min_available.as_ref().map(Spanned::span),
    );
    add("selector", entry.selector.as_ref().map(Spanned::span));
    add("namespace", entry.namespace.as_ref().map(Spanned::span));
    add("file", entry.file.as_ref().map(Spanned::span));
    add("command", entry.command.as_ref().map(Spanned::span));
    add("port", entry.port.as_ref().map(Spanned::span));
    add("from", entry.from.as_ref().map(Spanned::span));
    add("to", entry.to.as_ref().map(Spanned::span));
    add("protocol", entry.protocol.as_ref().map(Spanned::span));
    add("allowed", entry.allowed.as_ref().map(Spanned::span));
    add("url", entry.url.as_ref().map(Spanned::span));
    add("method", entry.method.as_ref().map(Spanned::span));
    add("headers", entry.headers.as_ref().map(Spanned::span));
    add("backend", entry.backend.as_ref().map(Spanned::span));
    add("backends", entry.backends.as_ref().map(Spanned::span));
    add("redirect", entry.redirect.as_ref().map(Spanned::span));
    add("volume", entry.volume.as_ref().map(Spanned::span));
    add("outcome", entry.outcome.as_ref().map(Spanned::span));
    keys
}

fn to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text.clone()),
        toml::Value::Integer(number) => serde_json::Value::from(*number),
        toml::Value::Float(number) => serde_json::Number::from_f64(*number)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(*flag),
        toml::Value::Datetime(datetime) => serde_json::Value::String(datetime.to_string()),
        toml::Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(key, value)| (key.clone(), to_json(value)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{EXERCISE_HEAD, validate_with};

    #[test]
    fn argv_checks_take_one_expectation_and_patterns_must_compile() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"a\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\none_of = [[\"sh\", \"-c\", \"date\"], [\"/bin/sh\", \"-c\", \"date\"]]\nmessage = \"M\"\n\n[[check]]\nid = \"b\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nmessage = \"M\"\n\n[[check]]\nid = \"c\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nmatches = \"tail (-f\"\nmessage = \"M\"\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        let found: Vec<(&str, &str)> = validated
            .problems
            .iter()
            .map(|problem| (problem.rule, problem.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (
                "missing-key",
                "an `argv` check needs one of `equals`, `one_of` or `matches`"
            )
        );
        assert_eq!(found[1].0, "bad-value");
        assert!(
            found[1]
                .1
                .starts_with("this regular expression does not compile"),
            "{found:?}"
        );
    }

    #[test]
    fn checks_need_the_keys_of_their_type_and_nothing_else() {
        let exercise = format!(
            "{EXERCISE_HEAD}\n[[check]]\nid = \"c1\"\ntype = \"env\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\nequals = \"x\"\nmessage = \"M\"\n\n             [[check]]\nid = \"c2\"\ntype = \"argv\"\ntarget = \"Pod/web\"\ncontainer = \"web\"\npath = \"spec\"\nequals = [\"sleep\"]\nmessage = \"M\"\n"
        );
        let validated = validate_with(&[("topics/env/exercises/e.toml", &exercise)]);
        let messages: Vec<&str> = validated
            .problems
            .iter()
            .map(|problem| problem.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "an `env` check needs `name`",
                "`path` does not apply to an `argv` check"
            ]
        );
        assert!(validated.deck.unwrap().topics[0].exercises.is_empty());
    }
}

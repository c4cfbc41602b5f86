//! Reads a typed kubectl command into its canonical [`Command`]: shell words ([`super::shell`]), the
//! command path with kubectl's aliases, flags in every spelling kubectl accepts, operands by the
//! command's shape, and values in canonical form (see [`Form`]). An answer kubectl itself would
//! refuse is an error that says why in a sentence.

use std::collections::{BTreeMap, BTreeSet};

use super::canonical::{
    canonical_image, canonical_value, key_of, normalize_path, shell_words, split_type,
};
use super::spec::{
    Flag, Form, Ignored, Operands, Pairs, Repeat, SUBCOMMAND_ALIASES, Spec, Takes,
    canonical_resource, global, resource_names, specs,
};
use crate::text::{did_you_mean, escape_controls};

/// A command in canonical form: two commands that do the same thing are equal field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The kubectl command path (`create configmap`, `rollout undo`).
    pub path: Vec<&'static str>,
    /// The resource type, for commands that take one.
    pub resource: Option<Resource>,
    /// Object names (and, for `explain`, the field path), in order.
    pub names: Vec<String>,
    /// `KEY=VALUE` / `KEY-` / `CONTAINER=IMAGE` words, as a set.
    pub pairs: BTreeSet<String>,
    /// Flag (long name) → its canonical value. Flags equal to their default are left out.
    pub flags: BTreeMap<&'static str, FlagValue>,
    /// The container's words (after `--`, or `run`'s positional words after NAME).
    pub container_words: Option<Vec<String>>,
    /// `> FILE`: where the output goes.
    pub redirect: Option<String>,
    /// Global flags left out because they only say how kubectl reaches a cluster, logs or
    /// profiles itself (`--server`, `--profile-output`): not graded, never run.
    pub ignored: Vec<IgnoredFlag>,
}

/// A flag the grader left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredFlag {
    /// As kubectl names it: `--profile-output`.
    pub flag: String,
    pub why: Ignored,
}

/// A resource type: the canonical name compared, the typed one shown.
#[derive(Debug, Clone, Eq)]
pub struct Resource {
    pub canonical: String,
    pub typed: String,
}

impl PartialEq for Resource {
    fn eq(&self, other: &Resource) -> bool {
        self.canonical == other.canonical
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagValue {
    One(String),
    Set(BTreeSet<String>),
    List(Vec<String>),
}

impl FlagValue {
    pub fn show(&self) -> String {
        match self {
            FlagValue::One(value) => value.clone(),
            FlagValue::Set(values) => values.iter().cloned().collect::<Vec<_>>().join(","),
            FlagValue::List(values) => values.join(","),
        }
    }

    fn values(&self) -> Vec<&str> {
        match self {
            FlagValue::One(value) => vec![value],
            FlagValue::Set(values) => values.iter().map(String::as_str).collect(),
            FlagValue::List(values) => values.iter().map(String::as_str).collect(),
        }
    }
}

impl Command {
    pub fn path_text(&self) -> String {
        self.path.join(" ")
    }

    pub(super) fn spec(&self) -> &'static Spec {
        specs()
            .iter()
            .find(|spec| spec.path == self.path.as_slice())
            .expect("a command's path comes from its spec")
    }
}

/// Reads a typed command. The error says what is wrong, in a sentence a learner can act on.
pub fn parse(input: &str) -> Result<Command, String> {
    let input = input.trim();
    // A command pasted from a terminal with its prompt.
    let input = input.strip_prefix("$ ").unwrap_or(input);
    let line = super::shell::split(input)?;
    let (words, redirect) = (
        line.words,
        line.redirect.map(|target| normalize_path(&target)),
    );
    let mut words = words.into_iter();
    match words.next().as_deref() {
        Some("kubectl" | "k") => {}
        Some(other) => {
            return Err(format!(
                "a drill's answer is a kubectl command; this one starts with `{}`",
                escape_controls(other)
            ));
        }
        None => return Err("the command is empty".to_string()),
    }
    parse_kubectl(&words.collect::<Vec<_>>(), redirect)
}

/// Reads kubectl's words (after `kubectl`) and where its output goes.
pub(super) fn parse_kubectl(words: &[String], redirect: Option<String>) -> Result<Command, String> {
    let spec = find_spec(words)?;
    let mut command = Reader::new(spec).read(words)?;
    command.redirect = redirect;
    Ok(command)
}

/// Finds which command the words name, skipping global flags before it (`kubectl -n prod get`).
fn find_spec(words: &[String]) -> Result<&'static Spec, String> {
    let mut path: Vec<String> = Vec::new();
    let mut index = 0;
    while index < words.len() {
        let word = &words[index];
        if word == "--" {
            break;
        }
        if word.starts_with('-') {
            // A global flag before the command, with its value as the next word.
            let takes_next = global().iter().any(|flag| {
                flag.takes == Takes::Value
                    && (word.strip_prefix("--") == Some(flag.long)
                        || flag.short.is_some_and(|short| word == &format!("-{short}")))
            }) || (path.first().is_some_and(|first| first == "create")
                && word == "-f");
            index += if takes_next { 2 } else { 1 };
            continue;
        }
        let mut next = word.to_ascii_lowercase();
        if let Some((_, full)) = SUBCOMMAND_ALIASES.iter().find(|(alias, _)| *alias == next)
            && !path.is_empty()
        {
            next = (*full).to_string();
        }
        let mut candidate = path.clone();
        candidate.push(next);
        if specs()
            .iter()
            .any(|spec| starts_with(spec.path, &candidate))
        {
            path = candidate;
            index += 1;
            continue;
        }
        break;
    }
    // The word the path stopped at, when it is not a flag: `configmaps` in `create configmaps`.
    let stopped_at = words.get(index).filter(|word| !word.starts_with('-'));
    if let Some(spec) = specs().iter().find(|spec| spec.path == path.as_slice()) {
        // `create` alone takes only -f: a word after it is a create subcommand kubectl lacks.
        if spec.operands == Operands::Nothing
            && let Some(word) = stopped_at
            && specs()
                .iter()
                .any(|other| other.path.len() > spec.path.len() && starts_with(other.path, &path))
        {
            return Err(unknown_command(&format!("{} {}", spec.name(), word)));
        }
        return Ok(spec);
    }
    if !path.is_empty() {
        let choices: Vec<&str> = specs()
            .iter()
            .filter(|spec| spec.path.len() > path.len() && starts_with(spec.path, &path))
            .map(|spec| spec.path[path.len()])
            .collect();
        if !choices.is_empty() {
            let typed = path.join(" ");
            let unknown = stopped_at.map_or_else(String::new, |word| {
                format!(" (not `{}`)", escape_controls(word))
            });
            return Err(match choices.as_slice() {
                [only] => {
                    format!("`kubectl {typed}` needs `{only}`{unknown}: `kubectl {typed} {only} …`")
                }
                _ => format!(
                    "`kubectl {typed}` needs a subcommand{unknown}, one of {}: `kubectl {typed} {} …`",
                    choices
                        .iter()
                        .map(|choice| format!("`{choice}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    choices[0]
                ),
            });
        }
    }
    let typed = words
        .iter()
        .find(|word| !word.starts_with('-'))
        .cloned()
        .unwrap_or_default();
    Err(unknown_command(&typed))
}

fn unknown_command(typed: &str) -> String {
    let known: Vec<String> = specs().iter().map(Spec::name).collect();
    let hint = did_you_mean(typed, known.iter().map(String::as_str))
        .map_or_else(String::new, |close| {
            format!("; did you mean `kubectl {close}`?")
        });
    format!(
        "kubedrill does not know the command `kubectl {}`{hint}",
        escape_controls(typed)
    )
}

fn starts_with(path: &[&str], prefix: &[String]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(part, typed)| part == typed)
}

struct Reader {
    spec: &'static Spec,
    flags: BTreeMap<&'static str, FlagValue>,
    ignored: Vec<IgnoredFlag>,
    positional: Vec<String>,
    after_dashes: Option<Vec<String>>,
    /// Every flag as typed (long name, value), for running the command rather than comparing it.
    raw: Vec<(&'static str, String)>,
}

/// A command's words as typed, once kubectl's flag table has read them: what the offline
/// cluster runs (the canonical [`Command`] is for comparing answers).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Typed {
    /// Each flag by its long name, with the value as given (`true` for a switch), in order.
    pub flags: Vec<(&'static str, String)>,
    /// Words that are not flags, after the command path.
    pub positional: Vec<String>,
    /// Words after `--`.
    pub after_dashes: Option<Vec<String>>,
}

impl Typed {
    /// The last value of a flag.
    pub fn flag(&self, long: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(name, _)| *name == long)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a repeatable flag.
    pub fn all(&self, long: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(name, _)| *name == long)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// Whether a switch is on (`--force`, `--force=true`).
    pub fn on(&self, long: &str) -> bool {
        self.flag(long).is_some_and(|value| value != "false")
    }
}

/// Reads kubectl's words (after `kubectl`) into the canonical command and the words as typed.
pub fn parse_words(words: &[String]) -> Result<(Command, Typed), String> {
    let spec = find_spec(words)?;
    let mut reader = Reader::new(spec);
    reader.read_words(words)?;
    let typed = Typed {
        flags: reader.raw.clone(),
        positional: reader.positional.clone(),
        after_dashes: reader.after_dashes.clone(),
    };
    reader.drop_defaults();
    Ok((reader.finish()?, typed))
}

impl Reader {
    fn new(spec: &'static Spec) -> Reader {
        Reader {
            spec,
            flags: BTreeMap::new(),
            ignored: Vec::new(),
            positional: Vec::new(),
            after_dashes: None,
            raw: Vec::new(),
        }
    }

    fn read(mut self, words: &[String]) -> Result<Command, String> {
        let takes_container_words = matches!(
            self.spec.operands,
            Operands::NameAndContainerWords { .. }
                | Operands::Pod {
                    container_words: true
                }
        );
        self.read_words(words).map_err(|why| {
            // `kubectl run bb --image=busybox sh -c 'echo hi'`: -c is read as kubectl's.
            if takes_container_words && self.after_dashes.is_none() && self.positional.len() > 1 {
                format!("{why}; words meant for the container go after `--`")
            } else {
                why
            }
        })?;
        self.drop_defaults();
        self.finish()
    }

    fn read_words(&mut self, words: &[String]) -> Result<(), String> {
        let mut path_left: Vec<&str> = self.spec.path.to_vec();
        let mut index = 0;
        while index < words.len() {
            let word = &words[index];
            index += 1;
            if word == "--" {
                self.after_dashes = Some(words[index..].to_vec());
                break;
            }
            if let Some(long) = word.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (long, None),
                };
                let flag = self
                    .spec
                    .find_long(name)
                    .ok_or_else(|| self.unknown_flag(&format!("--{name}")))?;
                let value = match (flag.takes, inline) {
                    (_, Some(value)) => value,
                    (Takes::Nothing, None) => "true".to_string(),
                    (Takes::OptionalValue(implied), None) => {
                        if let Some(next) = words.get(index)
                            && flag.form == Form::DryRun
                            && matches!(next.as_str(), "client" | "server" | "none")
                        {
                            return Err(format!(
                                "`--{name} {next}` is read as `--{name}` followed by the word `{next}`: this flag takes its value only after `=`, so write `--{name}={next}`"
                            ));
                        }
                        implied.to_string()
                    }
                    (Takes::Value, None) => {
                        let value = words
                            .get(index)
                            .ok_or_else(|| format!("`--{name}` needs a value"))?
                            .clone();
                        index += 1;
                        value
                    }
                };
                self.add(flag, value)?;
            } else if word.len() > 1
                && word.starts_with('-')
                && !word[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                // Short flags: `-n prod`, `-nprod`, `-n=prod`, `-oyaml`, bundled switches `-it`.
                for (offset, letter) in word[1..].char_indices() {
                    let flag = self
                        .spec
                        .find_short(letter)
                        .ok_or_else(|| self.unknown_flag(&format!("-{letter}")))?;
                    if flag.takes == Takes::Value {
                        let rest = &word[1 + offset + letter.len_utf8()..];
                        let value = if rest.is_empty() {
                            let value = words
                                .get(index)
                                .ok_or_else(|| format!("`-{letter}` needs a value"))?
                                .clone();
                            index += 1;
                            value
                        } else {
                            rest.strip_prefix('=').unwrap_or(rest).to_string()
                        };
                        self.add(flag, value)?;
                        break;
                    }
                    let value = match flag.takes {
                        Takes::OptionalValue(implied) => implied.to_string(),
                        _ => "true".to_string(),
                    };
                    self.add(flag, value)?;
                }
            } else if path_left.first().is_some_and(|part| {
                let lower = word.to_ascii_lowercase();
                lower == *part
                    || SUBCOMMAND_ALIASES
                        .iter()
                        .any(|(alias, full)| *alias == lower && full == part)
            }) {
                path_left.remove(0);
            } else {
                self.positional.push(word.clone());
            }
        }
        Ok(())
    }

    fn unknown_flag(&self, typed: &str) -> String {
        let long = typed.trim_start_matches('-');
        let names: Vec<&str> = self.spec.flags().map(|flag| flag.long).collect();
        let starting: Vec<&str> = names
            .iter()
            .copied()
            .filter(|name| name.starts_with(long))
            .collect();
        let close = if typed.starts_with("--") {
            // A typo, or a name cut short (`--docker-user` for `--docker-username`).
            did_you_mean(long, names.iter().copied())
                .or_else(|| (long.len() >= 3 && starting.len() == 1).then(|| starting[0]))
        } else {
            // `-e` where only the long form exists (`run --env`).
            (starting.len() == 1).then(|| starting[0])
        };
        let hint = close.map_or_else(String::new, |close| {
            if typed.starts_with("--") {
                format!("; did you mean --{close}?")
            } else {
                format!("; did you mean --{close}? This command has no one-letter form of it")
            }
        });
        format!(
            "`kubectl {}` has no flag {}{hint}",
            self.spec.name(),
            escape_controls(typed)
        )
    }

    /// Records one value of a flag, in canonical form.
    fn add(&mut self, flag: &'static Flag, value: String) -> Result<(), String> {
        self.raw.push((flag.long, value.clone()));
        if let Some(why) = flag.ignored {
            // As kubectl's help writes it: `-v`, `--server`.
            let flag = if flag.long.len() == 1 {
                format!("-{}", flag.long)
            } else {
                format!("--{}", flag.long)
            };
            if !self.ignored.iter().any(|ignored| ignored.flag == flag) {
                self.ignored.push(IgnoredFlag { flag, why });
            }
            return Ok(());
        }
        let values: Vec<String> = if flag.comma_separated {
            value
                .split(',')
                .filter(|part| !part.is_empty())
                .map(str::to_string)
                .collect()
        } else {
            vec![value]
        };
        for value in values {
            let value = canonical_value(flag, &value)?;
            match flag.repeat {
                Repeat::Last => {
                    self.flags.insert(flag.long, FlagValue::One(value));
                }
                Repeat::Set => {
                    let entry = self
                        .flags
                        .entry(flag.long)
                        .or_insert_with(|| FlagValue::Set(BTreeSet::new()));
                    if let FlagValue::Set(values) = entry {
                        if flag.unique_keys {
                            let key = key_of(&value);
                            if values.iter().any(|other| key_of(other) == key) {
                                return Err(format!(
                                    "`--{}` gives the key `{}` twice; kubectl refuses with \"cannot add key {}, another key by that name already exists\"",
                                    flag.long,
                                    escape_controls(key),
                                    escape_controls(key)
                                ));
                            }
                        }
                        values.insert(value);
                    }
                }
                Repeat::List => {
                    let entry = self
                        .flags
                        .entry(flag.long)
                        .or_insert_with(|| FlagValue::List(Vec::new()));
                    if let FlagValue::List(values) = entry {
                        values.push(value);
                    }
                }
            }
        }
        Ok(())
    }

    /// A flag set to the value kubectl uses anyway is the same as leaving it out.
    fn drop_defaults(&mut self) {
        let spec = self.spec;
        self.flags.retain(|name, value| {
            let flag = spec.find_long(name).expect("flags come from the spec");
            let default = flag
                .default
                .map(|default| canonical_value(flag, default).unwrap_or_default());
            let is_default = matches!((&*value, default), (FlagValue::One(value), Some(default)) if *value == default);
            // A required flag stays even at its default (`scale --replicas=0`).
            !((is_default && !flag.required) || flag.no_effect)
        });
    }

    /// Splits the positional words by the command's shape and applies what kubectl defaults
    /// from them (`run`'s `run=NAME` label, `expose`'s Service name and target port).
    fn finish(self) -> Result<Command, String> {
        let spec = self.spec;
        let name = spec.name();
        let mut flags = self.flags;
        let mut positional = self.positional;
        let mut container_words = self.after_dashes;
        let mut resource = None;
        let mut names = Vec::new();
        let mut pairs: Vec<String> = Vec::new();
        match spec.operands {
            Operands::Name => {
                if positional.len() != 1 {
                    return Err(exactly_one_name(&name, &positional));
                }
                names = positional;
                if container_words.is_some() {
                    return Err(format!("`kubectl {name}` takes nothing after `--`"));
                }
            }
            Operands::NameAndContainerWords { positional_words } => {
                if positional.is_empty() || (!positional_words && positional.len() > 1) {
                    return Err(exactly_one_name(&name, &positional));
                }
                let rest = positional.split_off(1);
                names = positional;
                if !rest.is_empty() {
                    // `kubectl run NAME a b` gives the container `a b`, as `-- a b` does.
                    let mut words = rest;
                    words.extend(container_words.unwrap_or_default());
                    container_words = Some(words);
                }
            }
            Operands::Resource | Operands::ResourceAndPairs { .. } => {
                let mut words = positional.into_iter();
                let first = words.next().ok_or_else(|| {
                    format!("`kubectl {name}` needs a resource, such as `deployment/NAME`")
                })?;
                let (kind, first_name) = split_type(&first);
                resource = Some(resource_type(kind)?);
                names.extend(first_name);
                for word in words {
                    let is_pair = word.contains('=') || word.ends_with('-');
                    match spec.operands {
                        Operands::ResourceAndPairs { .. } if is_pair || !names.is_empty() => {
                            pairs.push(word);
                        }
                        _ => names.push(word),
                    }
                }
                if let Operands::ResourceAndPairs { pairs: kind } = spec.operands {
                    if let Some(FlagValue::Set(env)) = flags.remove("env") {
                        pairs.extend(env);
                    }
                    check_pairs(&name, kind, &pairs)?;
                    if kind == Pairs::ContainerImage {
                        for pair in &mut pairs {
                            if let Some((container, image)) = pair.split_once('=') {
                                *pair = format!("{container}={}", canonical_image(image));
                            }
                        }
                    }
                    if pairs.is_empty()
                        && !flags.contains_key("from")
                        && !flags.contains_key("list")
                    {
                        return Err(match kind {
                            Pairs::ContainerImage => {
                                format!("`kubectl {name}` needs CONTAINER=IMAGE")
                            }
                            Pairs::SetOrRemove => {
                                format!("`kubectl {name}` needs KEY=VALUE (or KEY- to remove one)")
                            }
                        });
                    }
                }
                if container_words.is_some() {
                    return Err(format!("`kubectl {name}` takes nothing after `--`"));
                }
            }
            Operands::ResourceList => {
                if positional.is_empty()
                    && !flags.contains_key("filename")
                    && !flags.contains_key("kustomize")
                {
                    return Err(format!(
                        "`kubectl {name}` needs a resource type, such as `kubectl {name} pods`"
                    ));
                }
                let mut words = positional.into_iter();
                if let Some(first) = words.next() {
                    let (kinds, first_name) = split_type(&first);
                    let mut canonical: Vec<Resource> = kinds
                        .split(',')
                        .map(resource_type)
                        .collect::<Result<_, _>>()?;
                    canonical.sort_by(|a, b| a.canonical.cmp(&b.canonical));
                    resource = Some(Resource {
                        canonical: canonical
                            .iter()
                            .map(|kind| kind.canonical.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                        typed: kinds.to_string(),
                    });
                    names.extend(first_name);
                    for word in words {
                        // `get pod/a pod/b`: every further word is TYPE/NAME too.
                        let (_, word_name) = split_type(&word);
                        names.push(word_name.unwrap_or(word));
                    }
                }
            }
            Operands::Pod {
                container_words: takes_words,
            } => {
                let mut words = positional.into_iter();
                let first = words
                    .next()
                    .ok_or_else(|| format!("`kubectl {name}` needs a Pod name"))?;
                let (kind, pod) = match split_type(&first) {
                    (kind, Some(pod)) => (resource_type(kind)?, pod),
                    (pod, None) => (
                        Resource {
                            canonical: "pod".to_string(),
                            typed: "pod".to_string(),
                        },
                        pod.to_string(),
                    ),
                };
                resource = Some(kind);
                names.push(pod);
                let rest: Vec<String> = words.collect();
                if takes_words {
                    if !rest.is_empty() {
                        return Err(format!(
                            "`kubectl {name} POD {}` is refused by kubectl: the command to run goes after `--` (`kubectl {name} POD -- {}`)",
                            shell_words(&rest),
                            shell_words(&rest)
                        ));
                    }
                } else {
                    match rest.as_slice() {
                        [] => {}
                        // `kubectl logs POD CONTAINER` is the old spelling of `-c CONTAINER`.
                        [container] if !flags.contains_key("container") => {
                            flags.insert("container", FlagValue::One(container.clone()));
                        }
                        _ => {
                            return Err(format!(
                                "`kubectl {name}` takes one Pod (and at most one container); `{}` is extra",
                                shell_words(&rest)
                            ));
                        }
                    }
                    if container_words.is_some() {
                        return Err(format!("`kubectl {name}` takes nothing after `--`"));
                    }
                }
            }
            Operands::Nothing => {
                if let Some(word) = positional.first() {
                    return Err(if flags.contains_key("filename") {
                        format!(
                            "`kubectl {name}` takes only flags; `{}` is extra",
                            escape_controls(word)
                        )
                    } else {
                        format!(
                            "`kubectl {name}` reads the files given with -f (`kubectl {name} -f {}`); a file name alone is not read",
                            escape_controls(word)
                        )
                    });
                }
            }
            Operands::Words => {
                // `kubectl explain pods.spec.containers`: the resource in any of its names.
                names = positional
                    .into_iter()
                    .map(|word| match word.split_once('.') {
                        Some((kind, rest)) => match canonical_resource(kind) {
                            Some(kind) => format!("{kind}.{rest}"),
                            None => word,
                        },
                        None => canonical_resource(&word).map_or(word, str::to_string),
                    })
                    .collect();
            }
            Operands::Names => names = positional,
            Operands::Directory => {
                // `kubectl kustomize [DIR]`: the current folder when left out.
                if positional.len() > 1 {
                    return Err(format!("`kubectl {name}` takes one folder"));
                }
                names = positional
                    .iter()
                    .map(|word| normalize_path(word))
                    .filter(|dir| dir != ".")
                    .collect();
            }
            Operands::VerbResource => {
                // `auth can-i get secrets`, `can-i create deployments.apps`, `can-i get pods/log`.
                let mut words = positional.into_iter();
                // `auth can-i --list` lists what the user may do, with no verb or resource.
                let listing = flags.contains_key("list");
                let verb = match words.next() {
                    Some(verb) => verb,
                    None if listing => String::new(),
                    None => {
                        return Err(format!(
                            "`kubectl {name}` needs a verb and a resource, such as `get secrets`"
                        ));
                    }
                };
                if !verb.is_empty() {
                    names.push(verb.to_ascii_lowercase());
                }
                if let Some(target) = words.next() {
                    let (kind, rest) = match target.split_once('/') {
                        Some((kind, rest)) => (kind.to_string(), Some(rest.to_string())),
                        None => (target.clone(), None),
                    };
                    let kind = if target.starts_with('/') || kind == "*" {
                        kind
                    } else {
                        resource_type(&kind)?.canonical
                    };
                    names.push(match rest {
                        Some(rest) => format!("{kind}/{rest}"),
                        None => kind,
                    });
                }
                names.extend(words);
            }
        }
        for flag in spec.flags().filter(|flag| flag.required) {
            if !flags.contains_key(flag.long) {
                return Err(format!("`kubectl {name}` needs --{}", flag.long));
            }
        }
        if spec.path == ["run"]
            && let (Some(FlagValue::One(labels)), Some(pod)) = (flags.get("labels"), names.first())
            && *labels == format!("run={pod}")
        {
            // `kubectl run NAME` labels the Pod run=NAME when --labels is not given.
            flags.remove("labels");
        }
        if spec.path == ["expose"] {
            if flags
                .get("target-port")
                .is_some_and(|target| Some(target) == flags.get("port"))
            {
                flags.remove("target-port");
            }
            if let (Some(FlagValue::One(service)), Some(object)) =
                (flags.get("name"), names.first())
                && service == object
            {
                flags.remove("name");
            }
        }
        Ok(Command {
            path: spec.path.to_vec(),
            resource,
            names,
            pairs: pairs.into_iter().collect(),
            flags,
            container_words,
            redirect: None,
            ignored: self.ignored,
        })
    }
}

fn exactly_one_name(command: &str, positional: &[String]) -> String {
    if positional.is_empty() {
        format!("`kubectl {command}` needs a NAME")
    } else {
        format!(
            "`kubectl {command}` takes exactly one NAME, but got `{}`",
            shell_words(positional)
        )
    }
}

fn resource_type(typed: &str) -> Result<Resource, String> {
    match canonical_resource(typed) {
        Some(canonical) => Ok(Resource {
            canonical: canonical.to_string(),
            typed: typed.to_string(),
        }),
        None => {
            let hint = did_you_mean(&typed.to_ascii_lowercase(), resource_names())
                .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
            Err(format!(
                "`{}` is not a resource type kubectl knows{hint}",
                escape_controls(typed)
            ))
        }
    }
}

/// Labels, annotations and env: `KEY=VALUE` or `KEY-`; images: `CONTAINER=IMAGE`.
fn check_pairs(command: &str, kind: Pairs, pairs: &[String]) -> Result<(), String> {
    let mut previous: Option<&str> = None;
    for pair in pairs {
        let valid = match kind {
            Pairs::SetOrRemove => {
                pair.split_once('=').is_some_and(|(key, _)| !key.is_empty())
                    || (pair.len() > 1 && pair.ends_with('-') && !pair.contains('='))
            }
            Pairs::ContainerImage => pair
                .split_once('=')
                .is_some_and(|(container, image)| !container.is_empty() && !image.is_empty()),
        };
        if !valid {
            let shape = match kind {
                Pairs::SetOrRemove => "KEY=VALUE (or KEY- to remove it)",
                Pairs::ContainerImage => "CONTAINER=IMAGE",
            };
            let quoting = previous
                .filter(|_| !pair.contains('='))
                .map_or_else(String::new, |before| {
                    format!(
                        "; if it is part of the value of `{before}`, quote the whole pair: '{before} {pair}'"
                    )
                });
            return Err(format!(
                "`kubectl {command}`: `{}` is not {shape}; write it with no spaces around `=`{quoting}",
                escape_controls(pair)
            ));
        }
        previous = Some(pair);
    }
    Ok(())
}

impl FlagValue {
    /// The values, each shown as `--flag=value`.
    pub(super) fn as_flags(&self, long: &str) -> Vec<String> {
        self.values()
            .into_iter()
            .map(|value| format!("--{long}={value}"))
            .collect()
    }
}

//! The shell tools a CKA task is typed with besides kubectl — kubeadm, etcdctl, etcdutl,
//! systemctl, journalctl, crictl, apt-get, apt-mark, helm, openssl — read into a canonical
//! [`ToolCommand`] and compared by meaning, as kubectl commands are.
//!
//! Each tool's commands and flags are a table (`tools.toml`, written from the tool's own
//! documentation or source at the version it names). Flag order, `--flag=v` and `--flag v`, short
//! and long spellings, environment variables that stand for flags (`ETCDCTL_CACERT`), values
//! equal to the default, `v1.37.1` and `1.37.1`, `kubelet` and `kubelet.service` all read the
//! same; flags marked harmless (an output format, a timeout, `-y`) are left out of the
//! comparison, so adding or leaving them out never makes an answer wrong.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Deserialize;

use super::FlagValue;
use super::canonical::normalize_path;
use crate::text::{did_you_mean, escape_controls};

/// The tools this module reads, by the name typed.
pub const TOOLS: &[&str] = &[
    "kubeadm",
    "etcdctl",
    "etcdutl",
    "systemctl",
    "journalctl",
    "crictl",
    "apt-get",
    "apt-mark",
    "helm",
    "openssl",
];

/// A tool command in canonical form: two that do the same thing are equal field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCommand {
    pub tool: &'static str,
    /// The command path (`snapshot save`), empty for a tool without subcommands.
    pub path: &'static str,
    pub operands: Vec<Operand>,
    /// Flag (its display name) → canonical value; harmless flags and defaults left out.
    pub flags: BTreeMap<&'static str, FlagValue>,
    /// `> FILE`.
    pub redirect: Option<String>,
    /// Whether the command only looks (an extra one in a sequence changes nothing).
    pub readonly: bool,
    /// The defaults of its flags (display name → value), to say what leaving one out means.
    pub defaults: BTreeMap<&'static str, String>,
}

impl ToolCommand {
    /// `etcdctl snapshot save`.
    pub fn head(&self) -> String {
        if self.path.is_empty() {
            self.tool.to_string()
        } else {
            format!("{} {}", self.tool, self.path)
        }
    }
}

/// An operand in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    One(String),
    /// Units or packages: order does not matter.
    Set(BTreeSet<String>),
    /// Other variadic words, in order.
    List(Vec<String>),
}

impl Operand {
    fn show(&self) -> String {
        match self {
            Operand::One(value) => value.clone(),
            Operand::Set(values) => values.iter().cloned().collect::<Vec<_>>().join(" "),
            Operand::List(values) => values.join(" "),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Path,
    Version,
    Urls,
    Set,
    /// systemd units, as a set: `.service` is optional.
    Units,
    List,
    Pairs,
    Number,
    Duration,
}

#[derive(Debug)]
struct FlagSpec {
    names: Vec<&'static str>,
    /// How the grader names it: the first long name (or the only name).
    display: &'static str,
    kind: Option<Kind>,
    default: Option<String>,
    /// The value of a flag with an optional value typed alone (`--wait`).
    bare: Option<&'static str>,
    harmless: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OperandKind {
    Word,
    Path,
    Version,
    Unit,
    Package,
    Number,
}

#[derive(Debug)]
struct OperandSpec {
    kind: OperandKind,
    optional: bool,
    rest: bool,
}

#[derive(Debug)]
struct CommandSpec {
    path: &'static str,
    operands: Vec<OperandSpec>,
    flags: Vec<FlagSpec>,
    readonly: bool,
    removed: Option<&'static str>,
}

#[derive(Debug)]
struct Tool {
    name: &'static str,
    single_dash: bool,
    env_prefix: Option<&'static str>,
    /// Other words for a word of a command path (`ls` for `list`).
    aliases: BTreeMap<String, String>,
    flags: Vec<FlagSpec>,
    commands: Vec<CommandSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    tools: BTreeMap<String, ToolEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ToolEntry {
    /// The version the table was written from (required, so every table says it).
    #[allow(dead_code)]
    version: String,
    style: String,
    env_prefix: Option<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    command: Vec<CommandEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandEntry {
    path: String,
    #[serde(default)]
    operands: Vec<String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    readonly: bool,
    removed: Option<String>,
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn tools() -> &'static [Tool] {
    static TOOLS_TABLE: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS_TABLE.get_or_init(|| {
        let file: TableFile =
            toml::from_str(include_str!("tools.toml")).expect("tools.toml is valid (tested)");
        file.tools
            .into_iter()
            .map(|(name, entry)| Tool {
                name: leak(name),
                single_dash: entry.style == "single-dash",
                env_prefix: entry.env_prefix.map(leak),
                aliases: entry.aliases,
                flags: entry.flags.iter().map(|line| flag_spec(line)).collect(),
                commands: entry
                    .command
                    .into_iter()
                    .map(|command| CommandSpec {
                        path: leak(command.path),
                        operands: command.operands.iter().map(|o| operand_spec(o)).collect(),
                        flags: command.flags.iter().map(|line| flag_spec(line)).collect(),
                        readonly: command.readonly,
                        removed: command.removed.map(leak),
                    })
                    .collect(),
            })
            .collect()
    })
}

fn flag_spec(line: &str) -> FlagSpec {
    let mut words = line.split_whitespace();
    let names: Vec<&'static str> = words
        .next()
        .expect("a flag line starts with its names")
        .split('|')
        .map(|name| leak(name.to_string()))
        .collect();
    let display = names
        .iter()
        .copied()
        .find(|name| name.starts_with("--"))
        .unwrap_or(names[0]);
    let mut spec = FlagSpec {
        display,
        names,
        kind: None,
        default: None,
        bare: None,
        harmless: false,
    };
    for word in words {
        if let Some(kind) = word.strip_prefix('=') {
            spec.kind = Some(match kind {
                "word" => Kind::Word,
                "path" => Kind::Path,
                "version" => Kind::Version,
                "urls" => Kind::Urls,
                "set" => Kind::Set,
                "units" => Kind::Units,
                "list" => Kind::List,
                "pairs" => Kind::Pairs,
                "number" => Kind::Number,
                "duration" => Kind::Duration,
                other => panic!("tools.toml: unknown flag kind `{other}` in `{line}`"),
            });
        } else if let Some(default) = word.strip_prefix("default=") {
            spec.default = Some(default.to_string());
        } else if let Some(bare) = word.strip_prefix("bare=") {
            spec.bare = Some(leak(bare.to_string()));
        } else if word == "harmless" {
            spec.harmless = true;
        } else {
            panic!("tools.toml: unknown word `{word}` in `{line}`");
        }
    }
    // Defaults are compared in canonical form.
    if let Some(default) = spec.default.take() {
        spec.default = Some(match spec.kind {
            Some(kind) => canonical(kind, &default, display)
                .map(|value| value.show())
                .unwrap_or(default),
            None => default,
        });
    }
    spec
}

fn operand_spec(text: &str) -> OperandSpec {
    let (text, rest) = match text.strip_suffix("...") {
        Some(text) => (text, true),
        None => (text, false),
    };
    let (text, optional) = match text.strip_suffix('?') {
        Some(text) => (text, true),
        None => (text, rest),
    };
    let kind = match text {
        "word" => OperandKind::Word,
        "path" => OperandKind::Path,
        "version" => OperandKind::Version,
        "unit" => OperandKind::Unit,
        "package" => OperandKind::Package,
        "number" => OperandKind::Number,
        other => panic!("tools.toml: unknown operand kind `{other}`"),
    };
    OperandSpec {
        kind,
        optional,
        rest,
    }
}

/// The prefix of the environment variables that stand for a tool's flags (`ETCDCTL_`).
pub fn env_prefix(tool: &str) -> Option<&'static str> {
    tools()
        .iter()
        .find(|entry| entry.name == tool)
        .and_then(|entry| entry.env_prefix)
}

/// A value in canonical form.
fn canonical(kind: Kind, value: &str, flag: &str) -> Result<FlagValue, String> {
    let value = value.trim();
    Ok(match kind {
        Kind::Word => FlagValue::One(value.to_string()),
        Kind::Path => FlagValue::One(normalize_path(value)),
        Kind::Version => FlagValue::One(canonical_version(value)),
        Kind::Urls => FlagValue::Set(
            value
                .split(',')
                .filter(|part| !part.is_empty())
                .map(|url| {
                    let url = url.strip_prefix("https://").unwrap_or(url);
                    url.trim_end_matches('/').to_string()
                })
                .collect(),
        ),
        Kind::Set => FlagValue::Set(
            value
                .split(',')
                .filter(|part| !part.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Kind::Units => FlagValue::Set(
            value
                .split(',')
                .filter(|part| !part.is_empty())
                .map(|unit| canonical_operand(OperandKind::Unit, unit))
                .collect(),
        ),
        Kind::List => FlagValue::List(vec![value.to_string()]),
        Kind::Pairs => {
            let mut pairs = BTreeSet::new();
            for pair in value.split(',').filter(|part| !part.is_empty()) {
                match pair.split_once('=') {
                    Some((key, _)) if !key.trim().is_empty() => {
                        pairs.insert(pair.to_string());
                    }
                    _ => {
                        return Err(format!(
                            "{flag} needs KEY=VALUE, not `{}`",
                            escape_controls(pair)
                        ));
                    }
                }
            }
            FlagValue::Set(pairs)
        }
        Kind::Number => match value.parse::<i64>() {
            Ok(number) => FlagValue::One(number.to_string()),
            Err(_) => {
                return Err(format!(
                    "{flag} needs a number, not `{}`",
                    escape_controls(value)
                ));
            }
        },
        Kind::Duration => match duration_millis(value) {
            Some(millis) => FlagValue::One(go_duration(millis)),
            None => {
                return Err(format!(
                    "{flag} needs a duration such as `30s` or `1h`, not `{}`",
                    escape_controls(value)
                ));
            }
        },
    })
}

/// A duration as Go prints it: `2h0m0s`, `1m30s`, `5s`, `500ms`.
fn go_duration(millis: u64) -> String {
    if millis == 0 {
        return "0s".to_string();
    }
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let (hours, rest) = (millis / 3_600_000, millis % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    let seconds = if rest % 1000 == 0 {
        format!("{}s", rest / 1000)
    } else {
        format!("{}s", rest as f64 / 1000.0)
    };
    match (hours, minutes) {
        (0, 0) => seconds,
        (0, minutes) => format!("{minutes}m{seconds}"),
        (hours, minutes) => format!("{hours}h{minutes}m{seconds}"),
    }
}

fn canonical_version(value: &str) -> String {
    match value.strip_prefix('v') {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => value.to_string(),
    }
}

/// A Go duration (`24h0m0s`, `90s`, `1.5h`, `500ms`) in milliseconds.
fn duration_millis(text: &str) -> Option<u64> {
    if text == "0" {
        return Some(0);
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|&end| end > 0)?;
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_end] {
            "h" => 3_600_000.0,
            "m" => 60_000.0,
            "s" => 1_000.0,
            "ms" => 1.0,
            _ => return None,
        };
        total += number * scale;
        rest = &rest[unit_end..];
    }
    Some(total.round() as u64)
}

fn canonical_operand(kind: OperandKind, word: &str) -> String {
    match kind {
        OperandKind::Path => normalize_path(word),
        OperandKind::Version => canonical_version(word),
        OperandKind::Unit => word.strip_suffix(".service").unwrap_or(word).to_string(),
        OperandKind::Number => word
            .parse::<i64>()
            .map_or_else(|_| word.to_string(), |n| n.to_string()),
        // `kubeadm=1.37.1-1.1` and `kubeadm='1.37.1-*'` install the same kubeadm: the
        // package revision after the last `-` (or apt's `*` for any) does not change it.
        OperandKind::Package => match word.split_once('=') {
            Some((name, version)) => {
                let upstream = version
                    .rsplit_once('-')
                    .map_or(version, |(upstream, _)| upstream);
                format!("{name}={upstream}")
            }
            None => word.to_string(),
        },
        OperandKind::Word => word.to_string(),
    }
}

/// Reads `words` (after the tool's name) as a command of `tool`, with the environment the
/// command runs in (`VAR=value` in front of it, or exported by an earlier step).
pub fn parse_tool(
    tool_name: &str,
    words: &[String],
    env: &[(String, String)],
    redirect: Option<String>,
) -> Result<ToolCommand, String> {
    let tool = tools()
        .iter()
        .find(|tool| tool.name == tool_name)
        .ok_or_else(|| format!("kubedrill does not grade `{tool_name}` commands"))?;
    let mut command: Option<&CommandSpec> = tool.commands.iter().find(|c| c.path.is_empty());
    let mut path: Vec<&str> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut typed: Vec<(&FlagSpec, Option<String>)> = Vec::new();
    let mut index = 0;
    let mut after_dashes = false;
    while index < words.len() {
        let word = &words[index];
        index += 1;
        if after_dashes {
            positionals.push(word.clone());
            continue;
        }
        if word == "--" {
            after_dashes = true;
            continue;
        }
        if word.starts_with('-') && word.len() > 1 && word.parse::<f64>().is_err() {
            let found = read_flag(tool, command, word, words, &mut index)?;
            typed.extend(found);
            continue;
        }
        // A word that continues the command path, before any operand.
        if positionals.is_empty() {
            let mut longer = path.clone();
            longer.push(tool.aliases.get(word).map_or(word.as_str(), String::as_str));
            let joined = longer.join(" ");
            let exact = tool.commands.iter().find(|c| c.path == joined);
            let prefix = tool
                .commands
                .iter()
                .any(|c| c.path.starts_with(&format!("{joined} ")));
            if exact.is_some() || prefix {
                path = longer;
                if let Some(exact) = exact {
                    if let Some(removed) = exact.removed {
                        return Err(removed.to_string());
                    }
                    command = Some(exact);
                }
                continue;
            }
            if command.is_none_or(|c| c.path.is_empty() && c.operands.is_empty()) {
                return Err(unknown_command(tool, &path, word));
            }
        }
        positionals.push(word.clone());
    }
    let Some(command) = command.filter(|c| c.path == path.join(" ")) else {
        let typed = if path.is_empty() {
            tool.name.to_string()
        } else {
            format!("{} {}", tool.name, path.join(" "))
        };
        let next: Vec<String> = tool
            .commands
            .iter()
            .filter_map(|c| {
                c.path
                    .strip_prefix(&format!("{} ", path.join(" ")))
                    .or(if path.is_empty() { Some(c.path) } else { None })
            })
            .filter_map(|rest| rest.split(' ').next())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|word| format!("`{word}`"))
            .collect();
        return Err(format!(
            "`{typed}` needs a subcommand, one of {}",
            next.join(", ")
        ));
    };
    if let Some(removed) = command.removed {
        return Err(removed.to_string());
    }
    // Flags from the environment first; flags typed on the line win over them.
    let mut flags: BTreeMap<&'static str, FlagValue> = BTreeMap::new();
    for (name, value) in env {
        if let Some(flag) = env_flag(tool, command, name, value)? {
            set_flag(&mut flags, flag, Some(value.clone()), true)?;
        }
    }
    let mut from_line: BTreeSet<&str> = BTreeSet::new();
    for (flag, value) in typed {
        let first = from_line.insert(flag.display);
        set_flag(&mut flags, flag, value, first)?;
    }
    // Harmless flags and values equal to the default are the same as leaving the flag out.
    for flag in command.flags.iter().chain(&tool.flags) {
        let drop = flags.get(flag.display).is_some_and(|value| {
            flag.harmless
                || flag
                    .default
                    .as_deref()
                    .is_some_and(|default| value.show() == default)
        });
        if drop {
            flags.remove(flag.display);
        }
    }
    let operands = read_operands(tool, command, positionals)?;
    let defaults = command
        .flags
        .iter()
        .chain(&tool.flags)
        .filter(|flag| !flag.harmless)
        .filter_map(|flag| Some((flag.display, flag.default.clone()?)))
        .collect();
    Ok(ToolCommand {
        tool: tool.name,
        path: command.path,
        operands,
        flags,
        redirect,
        readonly: command.readonly,
        defaults,
    })
}

fn unknown_command(tool: &Tool, path: &[&str], word: &str) -> String {
    let prefix = path.join(" ");
    let candidates: BTreeSet<&str> = tool
        .commands
        .iter()
        .filter_map(|c| {
            if prefix.is_empty() {
                Some(c.path)
            } else {
                c.path.strip_prefix(&format!("{prefix} "))
            }
        })
        .filter_map(|rest| rest.split(' ').next())
        .filter(|word| !word.is_empty())
        .collect();
    let typed = if prefix.is_empty() {
        format!("{} {}", tool.name, escape_controls(word))
    } else {
        format!("{} {prefix} {}", tool.name, escape_controls(word))
    };
    // `etcdutl snapshot save` is `etcdctl snapshot save`: the command of a sibling tool.
    let full = if prefix.is_empty() {
        word.to_string()
    } else {
        format!("{prefix} {word}")
    };
    if let Some(other) = tools().iter().find(|other| {
        other.name != tool.name
            && other
                .commands
                .iter()
                .any(|c| c.path == full && c.removed.is_none())
    }) {
        return format!(
            "kubedrill does not know the command `{typed}`; did you mean `{} {full}`?",
            other.name
        );
    }
    match did_you_mean(word, candidates.iter().copied()) {
        Some(suggestion) => {
            let fixed = if prefix.is_empty() {
                format!("{} {suggestion}", tool.name)
            } else {
                format!("{} {prefix} {suggestion}", tool.name)
            };
            format!("kubedrill does not know the command `{typed}`; did you mean `{fixed}`?")
        }
        None => format!("kubedrill does not know the command `{typed}`"),
    }
}

/// The flag spec for `name` (as typed, with its dashes) in the command or the tool's globals.
fn lookup<'a>(
    tool: &'a Tool,
    command: Option<&'a CommandSpec>,
    name: &str,
) -> Option<&'a FlagSpec> {
    let local = command.into_iter().flat_map(|c| c.flags.iter());
    local
        .chain(&tool.flags)
        .find(|flag| flag.names.contains(&name))
        .or_else(|| {
            // Before the command is known, a flag of any of its commands (read again once it is).
            command.is_none().then_some(())?;
            tool.commands
                .iter()
                .flat_map(|c| c.flags.iter())
                .find(|flag| flag.names.contains(&name))
        })
}

fn all_names<'a>(tool: &'a Tool, command: Option<&'a CommandSpec>) -> Vec<&'a str> {
    command
        .into_iter()
        .flat_map(|c| c.flags.iter())
        .chain(&tool.flags)
        .flat_map(|flag| flag.names.iter().copied())
        .collect()
}

fn unknown_flag(tool: &Tool, command: Option<&CommandSpec>, name: &str) -> String {
    let head = match command {
        Some(command) if !command.path.is_empty() => format!("{} {}", tool.name, command.path),
        _ => tool.name.to_string(),
    };
    let names = all_names(tool, command);
    match did_you_mean(name, names.iter().copied()) {
        Some(suggestion) => format!(
            "`{head}` has no flag {}; did you mean {suggestion}?",
            escape_controls(name)
        ),
        None => format!("`{head}` has no flag {}", escape_controls(name)),
    }
}

/// Reads the flag word at `words[*index - 1]` (and its value), moving `index` past what it used.
fn read_flag<'a>(
    tool: &'a Tool,
    command: Option<&'a CommandSpec>,
    word: &str,
    words: &[String],
    index: &mut usize,
) -> Result<Vec<(&'a FlagSpec, Option<String>)>, String> {
    let (name, inline) = if tool.single_dash {
        (word, None)
    } else {
        match word.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (word, None),
        }
    };
    if let Some(flag) = lookup(tool, command, name) {
        let value = match (flag.kind, inline) {
            (_, Some(value)) => Some(value),
            (None, None) => None,
            (Some(_), None) if flag.bare.is_some() => None,
            (Some(_), None) => match words.get(*index) {
                Some(value) => {
                    *index += 1;
                    Some(value.clone())
                }
                None => return Err(format!("{} needs a value", flag.display)),
            },
        };
        return Ok(vec![(flag, value)]);
    }
    // GNU short flags: `-it` is `-i -t`, `-wtable` is `-w table`.
    if !tool.single_dash && !word.starts_with("--") && word.len() > 2 {
        let letters: Vec<char> = word[1..].chars().collect();
        let mut found = Vec::new();
        for (at, letter) in letters.iter().enumerate() {
            let short = format!("-{letter}");
            let Some(flag) = lookup(tool, command, &short) else {
                return Err(unknown_flag(tool, command, word));
            };
            if flag.kind.is_some() {
                let rest: String = letters[at + 1..].iter().collect();
                let rest = rest.strip_prefix('=').unwrap_or(&rest).to_string();
                let value = if rest.is_empty() {
                    match words.get(*index) {
                        Some(value) => {
                            *index += 1;
                            value.clone()
                        }
                        None => return Err(format!("{} needs a value", flag.display)),
                    }
                } else {
                    rest
                };
                found.push((flag, Some(value)));
                return Ok(found);
            }
            found.push((flag, None));
        }
        return Ok(found);
    }
    Err(unknown_flag(tool, command, name))
}

/// The flag an environment variable stands for (none for one that changes nothing).
fn env_flag<'a>(
    tool: &'a Tool,
    command: &'a CommandSpec,
    name: &str,
    value: &str,
) -> Result<Option<&'a FlagSpec>, String> {
    if tool.name == "etcdctl" && name == "ETCDCTL_API" {
        return if value == "3" {
            Ok(None)
        } else {
            Err(format!(
                "ETCDCTL_API={} asks for an API etcd v3.6 no longer has: use ETCDCTL_API=3, or leave it out (v3 is the default)",
                escape_controls(value)
            ))
        };
    }
    let flag = tool.env_prefix.and_then(|prefix| {
        let rest = name.strip_prefix(prefix)?;
        let long = format!("--{}", rest.to_ascii_lowercase().replace('_', "-"));
        lookup(tool, Some(command), &long)
    });
    match flag {
        Some(flag) => Ok(Some(flag)),
        None => {
            // The variables it does read: its prefix and each flag's name (`ETCDCTL_CACERT`).
            let known: Vec<String> = tool
                .env_prefix
                .map(|prefix| {
                    tool.flags
                        .iter()
                        .chain(&command.flags)
                        .filter_map(|flag| flag.display.strip_prefix("--"))
                        .map(|long| {
                            format!("{prefix}{}", long.to_ascii_uppercase().replace('-', "_"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            Err(match did_you_mean(name, known.iter().map(String::as_str)) {
                Some(close) => format!(
                    "`{}` does not read the variable {}; did you mean {close}?",
                    tool.name,
                    escape_controls(name)
                ),
                None => format!(
                    "`{}` does not read the variable {}",
                    tool.name,
                    escape_controls(name)
                ),
            })
        }
    }
}

fn set_flag(
    flags: &mut BTreeMap<&'static str, FlagValue>,
    flag: &FlagSpec,
    value: Option<String>,
    replace: bool,
) -> Result<(), String> {
    let canonical_value = match (flag.kind, value) {
        (None, None) => FlagValue::One("true".to_string()),
        (None, Some(value)) => match value.as_str() {
            "true" | "false" => FlagValue::One(value),
            _ => {
                return Err(format!(
                    "{} is a switch: write it alone, or ={{true,false}}, not `{}`",
                    flag.display,
                    escape_controls(&value)
                ));
            }
        },
        (Some(_), None) => FlagValue::One(flag.bare.unwrap_or_default().to_string()),
        (Some(kind), Some(value)) => canonical(kind, &value, flag.display)?,
    };
    let display: &'static str = flag.display;
    match (flags.get_mut(display), canonical_value) {
        (Some(FlagValue::Set(existing)), FlagValue::Set(more)) if !replace => existing.extend(more),
        (Some(FlagValue::List(existing)), FlagValue::List(more)) if !replace => {
            existing.extend(more)
        }
        (_, value) => {
            flags.insert(display, value);
        }
    }
    Ok(())
}

fn read_operands(
    tool: &Tool,
    command: &CommandSpec,
    positionals: Vec<String>,
) -> Result<Vec<Operand>, String> {
    let head = if command.path.is_empty() {
        tool.name.to_string()
    } else {
        format!("{} {}", tool.name, command.path)
    };
    let mut operands = Vec::new();
    let mut words = positionals.into_iter().peekable();
    for spec in &command.operands {
        if spec.rest {
            let rest: Vec<String> = words
                .by_ref()
                .map(|word| canonical_operand(spec.kind, &word))
                .collect();
            operands.push(match spec.kind {
                OperandKind::Unit | OperandKind::Package => {
                    Operand::Set(rest.into_iter().collect())
                }
                _ => Operand::List(rest),
            });
            break;
        }
        match words.next() {
            Some(word) => operands.push(Operand::One(canonical_operand(spec.kind, &word))),
            None if spec.optional => operands.push(Operand::One(String::new())),
            None => {
                return Err(format!(
                    "`{head}` needs {}",
                    match spec.kind {
                        OperandKind::Path => "a file name",
                        OperandKind::Version => "the version to upgrade to (such as v1.37.1)",
                        OperandKind::Unit => "a unit (such as kubelet)",
                        OperandKind::Package => "a package",
                        OperandKind::Number => "a number",
                        OperandKind::Word => "a name",
                    }
                ));
            }
        }
    }
    if let Some(extra) = words.next() {
        return Err(format!(
            "`{head}` takes no more words than that; `{}` is one too many",
            escape_controls(&extra)
        ));
    }
    Ok(operands)
}

/// Every difference between what the task needs and the answer, in a sentence each.
pub fn tool_differences(expected: &ToolCommand, answer: &ToolCommand) -> Vec<String> {
    if expected.tool != answer.tool || expected.path != answer.path {
        return vec![format!(
            "this runs `{}`, but the task needs `{}`",
            answer.head(),
            expected.head()
        )];
    }
    let mut found = Vec::new();
    for (wanted, given) in expected.operands.iter().zip(&answer.operands) {
        match (wanted, given) {
            (Operand::Set(wanted), Operand::Set(given)) => {
                for missing in wanted.difference(given) {
                    found.push(format!("`{missing}` is missing"));
                }
                for extra in given.difference(wanted) {
                    found.push(format!("`{extra}` is not asked for"));
                }
            }
            (wanted, given) if wanted != given => {
                found.push(match (given.show().is_empty(), wanted.show().is_empty()) {
                    (true, _) => format!("`{}` is missing", wanted.show()),
                    (_, true) => format!("`{}` is not asked for", given.show()),
                    _ => format!(
                        "`{}` should be `{}`",
                        escape_controls(&given.show()),
                        wanted.show()
                    ),
                });
            }
            _ => {}
        }
    }
    for (flag, wanted) in &expected.flags {
        match answer.flags.get(flag) {
            None if wanted.show() == "true" => found.push(format!("{flag} is missing")),
            None => found.push(format!(
                "{flag} is missing: the task needs {flag}={}",
                escape_controls(&wanted.show())
            )),
            Some(given) if given != wanted => found.push(format!(
                "{flag} is `{}`, but the task needs `{}`",
                escape_controls(&given.show()),
                wanted.show()
            )),
            Some(_) => {}
        }
    }
    for (flag, given) in &answer.flags {
        if !expected.flags.contains_key(flag) {
            found.push(if let Some(default) = expected.defaults.get(flag) {
                // The task leaves it at its default, which the answer changes.
                format!(
                    "{flag} is `{}`, but the task needs `{default}`",
                    escape_controls(&given.show())
                )
            } else if given.show() == "true" {
                format!("{flag} is not asked for")
            } else {
                format!("{flag}={} is not asked for", escape_controls(&given.show()))
            });
        }
    }
    found.extend(super::compare::redirect_difference(
        expected.redirect.as_deref(),
        answer.redirect.as_deref(),
    ));
    found
}

#[cfg(test)]
mod tests;

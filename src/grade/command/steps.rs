//! A typed answer as the commands it runs, in order: one command, or a short procedure typed
//! on several lines or joined with `&&` or `;` (drain → upgrade kubeadm → `kubeadm upgrade node`
//! → upgrade the kubelet → restart it → uncordon). `sudo` in front is read and left out;
//! `VAR=value` in front of a command and `export VAR=value` before it are the environment the
//! command runs in. Each step is read by kubectl's table ([`super::parse`]) or a tool's
//! ([`super::tools`]); sequences are compared step by step, in order.

use super::compare::differences;
use super::parse::{Command, IgnoredFlag, parse_kubectl};
use super::shell;
use super::tools::{self, ToolCommand, parse_tool, tool_differences};
use crate::text::escape_controls;

/// One command of an answer, as typed and as read.
#[derive(Debug, Clone)]
pub struct Step {
    pub text: String,
    pub command: StepCommand,
}

#[derive(Debug, Clone)]
pub enum StepCommand {
    Kubectl(Command),
    Tool(ToolCommand),
}

/// kubectl commands that only look: an extra one in a sequence changes nothing.
const KUBECTL_READONLY: &[&str] = &[
    "get",
    "describe",
    "logs",
    "explain",
    "api-resources",
    "api-versions",
    "top",
    "version",
    "cluster-info",
    "events",
    "auth",
    "diff",
    "kustomize",
];

impl Step {
    /// The command without its operands and flags: `kubeadm upgrade node`, `kubectl drain`.
    pub fn head(&self) -> String {
        match &self.command {
            StepCommand::Kubectl(command) => format!("kubectl {}", command.path_text()),
            StepCommand::Tool(command) => command.head(),
        }
    }

    fn readonly(&self) -> bool {
        match &self.command {
            StepCommand::Kubectl(command) => {
                KUBECTL_READONLY.contains(&command.path[0])
                    || command.path.starts_with(&["config", "view"])
                    || command.path.starts_with(&["config", "get-contexts"])
                    || command.path.starts_with(&["config", "current-context"])
                    || command.path.starts_with(&["rollout", "status"])
                    || command.path.starts_with(&["rollout", "history"])
            }
            StepCommand::Tool(command) => command.readonly,
        }
    }
}

/// Splits typed text at the unquoted `&&`, `;` and line ends that separate its commands.
pub fn split_steps(input: &str) -> Vec<String> {
    let mut steps = Vec::new();
    let mut current = String::new();
    let mut chars = input.chars().peekable();
    let mut quote: Option<char> = None;
    let mut word_start = true;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(open), c) if c == open => {
                quote = None;
                current.push(c);
            }
            (Some('"'), '\\') => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '\\') => match chars.next() {
                // A line continued with a backslash is one line.
                Some('\n') => current.push(' '),
                Some(next) => {
                    current.push(c);
                    current.push(next);
                }
                None => current.push(c),
            },
            (None, '#') if word_start => {
                // A comment runs to the end of the line.
                while chars.next_if(|next| *next != '\n').is_some() {}
            }
            (None, ';' | '\n' | '\r') => steps.push(std::mem::take(&mut current)),
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                steps.push(std::mem::take(&mut current));
            }
            (None, c) => current.push(c),
        }
        word_start = c.is_whitespace() || matches!(c, ';' | '&' | '\n');
    }
    steps.push(current);
    steps
        .into_iter()
        .map(|step| step.trim().to_string())
        .filter(|step| !step.is_empty())
        .collect()
}

/// Why a step could not be read: which one (from 0) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError {
    pub index: usize,
    pub text: String,
    pub why: String,
}

/// Reads every step of an answer, with the flags its kubectl commands leave out of grading.
pub fn parse_steps(input: &str) -> Result<(Vec<Step>, Vec<IgnoredFlag>), StepError> {
    let mut exported: Vec<(String, String)> = Vec::new();
    let mut steps = Vec::new();
    let mut ignored = Vec::new();
    let texts = split_steps(input);
    if texts.is_empty() {
        return Err(StepError {
            index: 0,
            text: String::new(),
            why: "the command is empty".to_string(),
        });
    }
    for (index, text) in texts.into_iter().enumerate() {
        match parse_step(&text, &mut exported) {
            Ok(Some(command)) => {
                if let StepCommand::Kubectl(kubectl) = &command {
                    ignored.extend(kubectl.ignored.iter().cloned());
                }
                steps.push(Step { text, command });
            }
            Ok(None) => {}
            Err(why) => return Err(StepError { index, text, why }),
        }
    }
    if steps.is_empty() {
        return Err(StepError {
            index: 0,
            text: String::new(),
            why: "`export` only sets variables: type the command that uses them".to_string(),
        });
    }
    Ok((steps, ignored))
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Reads one step; `None` for an `export` (its variables go to `exported`).
fn parse_step(
    text: &str,
    exported: &mut Vec<(String, String)>,
) -> Result<Option<StepCommand>, String> {
    let text = text.strip_prefix("$ ").unwrap_or(text);
    let line = shell::split(text)?;
    let redirect = line
        .redirect
        .map(|target| super::canonical::normalize_path(&target));
    let mut words = line.words.into_iter().peekable();
    let mut local: Vec<(String, String)> = Vec::new();
    loop {
        match words.peek().map(String::as_str) {
            Some("sudo") => {
                words.next();
                // `sudo -E` keeps the caller's environment: the same command.
                words.next_if(|word| word == "-E");
                if words.peek().is_some_and(|word| word.starts_with('-')) {
                    return Err(
                        "type the command after `sudo` without sudo's own options".to_string()
                    );
                }
            }
            Some(word) if is_assignment(word) => {
                let word = words.next().unwrap_or_default();
                let (name, value) = word.split_once('=').unwrap_or_default();
                local.push((name.to_string(), value.to_string()));
            }
            _ => break,
        }
    }
    let Some(program) = words.next() else {
        return Err("the command is empty".to_string());
    };
    let rest: Vec<String> = words.collect();
    match program.as_str() {
        "export" => {
            if rest.is_empty() {
                return Err("`export` needs VAR=value".to_string());
            }
            for word in rest {
                match word.split_once('=') {
                    Some((name, value)) if is_assignment(&word) => {
                        exported.retain(|(other, _)| other != name);
                        exported.push((name.to_string(), value.to_string()));
                    }
                    _ => {
                        return Err(format!(
                            "`export` needs VAR=value, not `{}`",
                            escape_controls(&word)
                        ));
                    }
                }
            }
            Ok(None)
        }
        "kubectl" | "k" => {
            // kubectl reads KUBECONFIG, which (like --kubeconfig) says only how it reaches a
            // cluster; nothing else in front of it changes what it does.
            if let Some((name, _)) = local.iter().find(|(name, _)| name != "KUBECONFIG") {
                return Err(format!(
                    "`kubectl` does not read the variable {}",
                    escape_controls(name)
                ));
            }
            parse_kubectl(&rest, redirect).map(|command| Some(StepCommand::Kubectl(command)))
        }
        name => {
            let tool = if name == "apt" { "apt-get" } else { name };
            if !tools::TOOLS.contains(&tool) {
                return Err(format!(
                    "kubedrill grades commands of kubectl, {}; `{}` is not one of them",
                    tools::TOOLS.join(", "),
                    escape_controls(name)
                ));
            }
            // Exported variables the tool does not read are someone else's; variables typed in
            // front of this very command are meant for it.
            let prefix = tools::env_prefix(tool);
            let mut env: Vec<(String, String)> = exported
                .iter()
                .filter(|(name, _)| prefix.is_some_and(|prefix| name.starts_with(prefix)))
                .cloned()
                .collect();
            env.extend(local);
            parse_tool(tool, &rest, &env, redirect).map(|command| Some(StepCommand::Tool(command)))
        }
    }
}

/// What differs between two steps.
pub fn step_differences(expected: &Step, answer: &Step) -> Vec<String> {
    match (&expected.command, &answer.command) {
        (StepCommand::Kubectl(wanted), StepCommand::Kubectl(given)) => differences(wanted, given),
        (StepCommand::Tool(wanted), StepCommand::Tool(given)) => tool_differences(wanted, given),
        _ => vec![format!(
            "this runs `{}`, but the task needs `{}`",
            answer.head(),
            expected.head()
        )],
    }
}

/// Every difference between the steps a task needs and the answer's, in order: a step that
/// differs (its findings under a `step N` line), a step missing, one in the wrong place, or one
/// that does something the task does not ask for. Extra steps that only look are harmless.
pub fn sequence_differences(expected: &[Step], answer: &[Step]) -> Vec<String> {
    if let ([wanted], [given]) = (expected, answer) {
        return step_differences(wanted, given);
    }
    let pairs = best_pairing(expected, answer);
    let mut found = Vec::new();
    let paired_expected: Vec<Option<usize>> = (0..expected.len())
        .map(|e| pairs.iter().find(|(pe, _)| *pe == e).map(|(_, a)| *a))
        .collect();
    let paired_answer: Vec<bool> = (0..answer.len())
        .map(|a| pairs.iter().any(|(_, pa)| *pa == a))
        .collect();
    let mut reported_answer = vec![false; answer.len()];
    for (e, wanted) in expected.iter().enumerate() {
        match paired_expected[e] {
            Some(a) => {
                let diffs = step_differences(wanted, &answer[a]);
                if !diffs.is_empty() {
                    found.push(format!("step {}, `{}`:", e + 1, answer[a].text));
                    found.extend(diffs.into_iter().map(|diff| format!("{NESTED}{diff}")));
                }
            }
            None => {
                let moved = (0..answer.len()).find(|&a| {
                    !paired_answer[a] && !reported_answer[a] && answer[a].head() == wanted.head()
                });
                match moved {
                    Some(a) => {
                        reported_answer[a] = true;
                        found.push(match e.checked_sub(1).map(|before| &expected[before]) {
                            Some(before) => format!(
                                "`{}` is in the wrong place: it comes after `{}`",
                                answer[a].text, before.text
                            ),
                            None => format!(
                                "`{}` is in the wrong place: it comes first",
                                answer[a].text
                            ),
                        });
                        let diffs = step_differences(wanted, &answer[a]);
                        if !diffs.is_empty() {
                            found.push(format!("step {}, `{}`:", e + 1, answer[a].text));
                            found.extend(diffs.into_iter().map(|diff| format!("{NESTED}{diff}")));
                        }
                    }
                    None => found.push(format!("step {} is missing: `{}`", e + 1, wanted.text)),
                }
            }
        }
    }
    for (a, given) in answer.iter().enumerate() {
        if !paired_answer[a] && !reported_answer[a] && !given.readonly() {
            found.push(format!("`{}` is not part of the task", given.text));
        }
    }
    found
}

/// How a finding about one step of a procedure starts: it belongs under the `step N, …:` line
/// before it.
pub const NESTED: &str = "  ";

/// The pairs (expected index, answer index) that line the two procedures up best, in order: a
/// step paired with one that does exactly the same counts twice, one that runs the same command
/// with other words once, so the pairing explains the fewest differences.
fn best_pairing(expected: &[Step], answer: &[Step]) -> Vec<(usize, usize)> {
    let (n, m) = (expected.len(), answer.len());
    let weight = |i: usize, j: usize| -> usize {
        if expected[i].head() != answer[j].head() {
            0
        } else if step_differences(&expected[i], &answer[j]).is_empty() {
            2
        } else {
            1
        }
    };
    let weights: Vec<Vec<usize>> = (0..n)
        .map(|i| (0..m).map(|j| weight(i, j)).collect())
        .collect();
    let mut table = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let paired = if weights[i][j] > 0 {
                table[i + 1][j + 1] + weights[i][j]
            } else {
                0
            };
            table[i][j] = paired.max(table[i + 1][j]).max(table[i][j + 1]);
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut pairs = Vec::new();
    while i < n && j < m {
        if weights[i][j] > 0 && table[i][j] == table[i + 1][j + 1] + weights[i][j] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

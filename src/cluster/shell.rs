//! The scenario's small shell: what an exam task is typed into. It runs kubectl (and its `k`
//! alias) against the offline cluster, the text tools exam answers pass through (`grep`, `head`,
//! `tail`, `sort`, `uniq`, `wc -l`, `cut`, `awk '{print $N}'`, `base64`), `echo`/`cat`, `>`/`>>`
//! into the scenario's own files, heredocs, pipes into `kubectl apply -f -`, `vi FILE` (the
//! editor hook), `export`/`$VAR`, `sleep N` (simulated time), and the node's own text for
//! `systemctl`/`journalctl`/`crictl` where the scenario gives it. Nothing on the host is read,
//! written or run: every file is the scenario's, every program is one of these.

use crate::cluster::At as _;
use std::collections::BTreeMap;

use jiff::SignedDuration;

use super::kubectl::{self, Editor, Output};
use super::sim::Cluster;

/// How long a learner takes between two commands, in simulated time.
pub const THINKING: SignedDuration = SignedDuration::from_secs(5);

/// The longest `sleep` a command may ask for.
const MAX_SLEEP: u64 = 3600;

/// Everything this shell can run, for the refusal's message.
pub const PROGRAMS: &[&str] = &[
    "kubectl",
    "k",
    "echo",
    "cat",
    "grep",
    "head",
    "tail",
    "sort",
    "uniq",
    "wc",
    "cut",
    "awk",
    "sed",
    "tr",
    "base64",
    "sleep",
    "ls",
    "rm",
    "cp",
    "mv",
    "touch",
    "mkdir",
    "vi",
    "vim",
    "nano",
    "export",
    "alias",
    "clear",
    "pwd",
    "cd",
    "date",
    "ssh",
    "exit",
    "systemctl",
];

/// A shell session over a cluster.
#[derive(Debug, Clone)]
pub struct Shell {
    pub cluster: Cluster,
    pub variables: BTreeMap<String, String>,
    /// Whether `clear` was asked for (the screen empties its scrollback).
    pub cleared: bool,
    /// The node `ssh` went to; the exam machine when `None`.
    pub node: Option<String>,
}

/// A token of a command line.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Pipe,
    And,
    Semicolon,
    Out { append: bool, fd: u8 },
    Heredoc(String),
    InFile,
    ErrToOut,
}

impl Shell {
    pub fn new(cluster: Cluster) -> Shell {
        Shell {
            cluster,
            variables: BTreeMap::new(),
            cleared: false,
            node: None,
        }
    }

    /// The heredoc terminator a line opens (`cat <<EOF > f.yaml`), if any: the lines after it
    /// up to the terminator are its input.
    pub fn heredoc_terminator(line: &str) -> Option<String> {
        let position = line.find("<<")?;
        let rest = line[position + 2..].trim_start_matches('-').trim_start();
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '|' && *c != ';')
            .collect();
        let word = word.trim_matches(|c| c == '\'' || c == '"').to_string();
        (!word.is_empty()).then_some(word)
    }

    /// Runs a script: one command per line (`#` comments, heredocs spanning lines).
    pub fn run_script(&mut self, script: &str, editor: Editor<'_>) -> Vec<(String, Output)> {
        let mut results = Vec::new();
        let mut lines = script.lines();
        while let Some(line) = lines.next() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut shown = line.to_string();
            let input = match Shell::heredoc_terminator(line) {
                Some(terminator) => {
                    let mut body = String::new();
                    for next in lines.by_ref() {
                        shown.push('\n');
                        shown.push_str(next);
                        if next.trim() == terminator {
                            break;
                        }
                        body.push_str(next);
                        body.push('\n');
                    }
                    Some(body)
                }
                None => None,
            };
            let output = self.run_line(line, input.as_deref(), editor);
            results.push((shown, output));
        }
        results
    }

    /// Runs one command line; `heredoc` is the text of its `<<EOF` input, if it has one.
    pub fn run_line(&mut self, line: &str, heredoc: Option<&str>, editor: Editor<'_>) -> Output {
        self.cluster.advance(THINKING);
        let tokens = match self.tokens(line) {
            Ok(tokens) => tokens,
            Err(why) => return Output::error(format!("kubedrill: {why}")),
        };
        let mut out = Output::default();
        let mut rest = tokens.as_slice();
        let mut last_code = 0;
        while !rest.is_empty() {
            let end = rest
                .iter()
                .position(|token| matches!(token, Token::And | Token::Semicolon))
                .unwrap_or(rest.len());
            let (pipeline, after) = rest.split_at(end);
            let and = matches!(after.first(), Some(Token::And));
            let result = self.pipeline(pipeline, heredoc, editor);
            last_code = result.code;
            out.stdout.push_str(&result.stdout);
            out.stderr.push_str(&result.stderr);
            rest = after.get(1..).unwrap_or(&[]);
            if and && last_code != 0 {
                break;
            }
        }
        out.code = last_code;
        out
    }

    fn tokens(&self, line: &str) -> Result<Vec<Token>, String> {
        let mut tokens = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        // Whether the word holds an unquoted `*` or `?`: a pattern over the machine's files.
        let glob = std::cell::Cell::new(false);
        let mut chars = line.chars().peekable();
        let flush = |word: &mut String, in_word: &mut bool, tokens: &mut Vec<Token>| {
            if *in_word {
                let word = std::mem::take(word);
                let matches = if glob.replace(false) {
                    self.glob(&word)
                } else {
                    Vec::new()
                };
                if matches.is_empty() {
                    tokens.push(Token::Word(word));
                } else {
                    tokens.extend(matches.into_iter().map(Token::Word));
                }
                *in_word = false;
            }
        };
        while let Some(c) = chars.next() {
            match c {
                ' ' | '\t' => flush(&mut word, &mut in_word, &mut tokens),
                '#' if !in_word => break,
                '\'' => {
                    in_word = true;
                    loop {
                        match chars.next() {
                            Some('\'') => break,
                            Some(other) => word.push(other),
                            None => return Err("a quote ' is not closed".into()),
                        }
                    }
                }
                '"' => {
                    in_word = true;
                    loop {
                        match chars.next() {
                            Some('"') => break,
                            Some('\\') => match chars.next() {
                                Some(next @ ('"' | '\\' | '$' | '`')) => word.push(next),
                                Some(next) => {
                                    word.push('\\');
                                    word.push(next);
                                }
                                None => return Err("a quote \" is not closed".into()),
                            },
                            Some('$') => word.push_str(&self.variable(&mut chars)?),
                            Some('`') => return Err(substitution()),
                            Some(other) => word.push(other),
                            None => return Err("a quote \" is not closed".into()),
                        }
                    }
                }
                '\\' => {
                    in_word = true;
                    if let Some(next) = chars.next() {
                        word.push(next);
                    }
                }
                '$' => {
                    // Unquoted, the value is split into words, as a shell does (`$do`).
                    let value = self.variable(&mut chars)?;
                    let mut parts = value.split_whitespace().peekable();
                    if value.starts_with(char::is_whitespace) {
                        flush(&mut word, &mut in_word, &mut tokens);
                    }
                    while let Some(part) = parts.next() {
                        word.push_str(part);
                        in_word = true;
                        if parts.peek().is_some() {
                            flush(&mut word, &mut in_word, &mut tokens);
                        }
                    }
                    if value.ends_with(char::is_whitespace) && !value.trim().is_empty() {
                        flush(&mut word, &mut in_word, &mut tokens);
                    }
                }
                '`' => return Err(substitution()),
                '|' => {
                    flush(&mut word, &mut in_word, &mut tokens);
                    if chars.peek() == Some(&'|') {
                        return Err(
                            "`||` is not supported here; run the commands one at a time".into()
                        );
                    }
                    tokens.push(Token::Pipe);
                }
                '&' => {
                    flush(&mut word, &mut in_word, &mut tokens);
                    if chars.next_if_eq(&'&').is_some() {
                        tokens.push(Token::And);
                    } else {
                        return Err("nothing runs in the background here: drop the `&`".into());
                    }
                }
                ';' => {
                    flush(&mut word, &mut in_word, &mut tokens);
                    tokens.push(Token::Semicolon);
                }
                '<' => {
                    flush(&mut word, &mut in_word, &mut tokens);
                    if chars.next_if_eq(&'<').is_some() {
                        chars.next_if_eq(&'-');
                        while chars.next_if_eq(&' ').is_some() {}
                        let mut terminator = String::new();
                        while let Some(c) =
                            chars.next_if(|c| !c.is_whitespace() && !matches!(c, '>' | '|' | ';'))
                        {
                            terminator.push(c);
                        }
                        tokens.push(Token::Heredoc(
                            terminator
                                .trim_matches(|c| c == '\'' || c == '"')
                                .to_string(),
                        ));
                    } else {
                        tokens.push(Token::InFile);
                    }
                }
                '>' => {
                    let fd = if in_word && word == "2" {
                        word.clear();
                        in_word = false;
                        2
                    } else {
                        flush(&mut word, &mut in_word, &mut tokens);
                        1
                    };
                    if fd == 2 && chars.peek() == Some(&'&') {
                        chars.next();
                        chars.next_if_eq(&'1');
                        tokens.push(Token::ErrToOut);
                        continue;
                    }
                    let append = chars.next_if_eq(&'>').is_some();
                    tokens.push(Token::Out { append, fd });
                }
                other => {
                    if matches!(other, '*' | '?') {
                        glob.set(true);
                    }
                    in_word = true;
                    word.push(other);
                }
            }
        }
        flush(&mut word, &mut in_word, &mut tokens);
        Ok(tokens)
    }

    /// The files an unquoted pattern (`*.yaml`, `/opt/notes-?.txt`) names, sorted, written as
    /// it was (relative or not); none when nothing matches (the word then stays as typed, as
    /// bash leaves it). `*` and `?` do not cross a `/` and do not match a leading `.`.
    fn glob(&self, pattern: &str) -> Vec<String> {
        let (typed_dir, name) = match pattern.rfind('/') {
            Some(at) => (&pattern[..=at], &pattern[at + 1..]),
            None => ("", pattern),
        };
        if typed_dir.contains(['*', '?']) || name.is_empty() {
            return Vec::new();
        }
        let dir = kubectl::absolute(if typed_dir.is_empty() { "." } else { typed_dir });
        let dir = if dir.ends_with('/') {
            dir
        } else {
            format!("{dir}/")
        };
        let mut found: Vec<String> = self
            .cluster
            .files
            .keys()
            .filter_map(|path| path.strip_prefix(&dir))
            .filter(|file| !file.contains('/') && !file.starts_with('.'))
            .filter(|file| wildcard(name, file))
            .map(|file| format!("{typed_dir}{file}"))
            .collect();
        found.sort();
        found
    }

    fn variable(
        &self,
        chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    ) -> Result<String, String> {
        if chars.peek() == Some(&'(') {
            return Err(substitution());
        }
        let braced = chars.next_if_eq(&'{').is_some();
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
            name.push(c);
        }
        if braced && chars.next_if_eq(&'}').is_none() {
            return Err("a `${` is not closed".into());
        }
        if name.is_empty() {
            return Ok("$".into());
        }
        Ok(self.variables.get(&name).cloned().unwrap_or_default())
    }

    fn pipeline(&mut self, tokens: &[Token], heredoc: Option<&str>, editor: Editor<'_>) -> Output {
        let stages: Vec<&[Token]> = tokens.split(|token| *token == Token::Pipe).collect();
        let mut input: Option<String> = None;
        let mut out = Output::default();
        for (index, stage) in stages.iter().enumerate() {
            let mut words = Vec::new();
            let mut redirect: Option<(String, bool, u8)> = None;
            let mut stage_input = input.take();
            let mut err_to_out = false;
            let mut iter = stage.iter();
            while let Some(token) = iter.next() {
                match token {
                    Token::Word(word) => words.push(word.clone()),
                    Token::Out { append, fd } => match iter.next() {
                        Some(Token::Word(file)) => redirect = Some((file.clone(), *append, *fd)),
                        _ => {
                            return Output::error(
                                "kubedrill: syntax error: a redirection needs a file name",
                            );
                        }
                    },
                    Token::Heredoc(_) => {
                        stage_input = Some(heredoc.unwrap_or_default().to_string())
                    }
                    Token::InFile => match iter.next() {
                        Some(Token::Word(file)) => {
                            match self.cluster.files.get(&kubectl::absolute(file)) {
                                Some(text) => stage_input = Some(text.clone()),
                                None => {
                                    return Output::error(format!(
                                        "kubedrill: {file}: No such file or directory"
                                    ));
                                }
                            }
                        }
                        _ => {
                            return Output::error("kubedrill: syntax error: `<` needs a file name");
                        }
                    },
                    Token::ErrToOut => err_to_out = true,
                    _ => {}
                }
            }
            let mut result = self.command(&words, stage_input.as_deref(), editor);
            if err_to_out {
                result.stdout.push_str(&std::mem::take(&mut result.stderr));
            }
            if let Some((file, append, fd)) = redirect {
                let text = if fd == 2 {
                    std::mem::take(&mut result.stderr)
                } else {
                    std::mem::take(&mut result.stdout)
                };
                if let Err(why) = self.write_file(&file, &text, append) {
                    result.stderr.push_str(&why);
                    result.code = 1;
                }
            }
            out.stderr.push_str(&result.stderr);
            out.code = result.code;
            if index + 1 == stages.len() {
                out.stdout = result.stdout;
            } else {
                input = Some(result.stdout);
            }
        }
        out
    }

    fn write_file(&mut self, file: &str, text: &str, append: bool) -> Result<(), String> {
        if file == "/dev/null" {
            return Ok(());
        }
        let path = kubectl::absolute(file);
        if path.ends_with('/') || path == "/" {
            return Err(format!("kubedrill: {file}: Is a directory\n"));
        }
        let entry = self.cluster.files.entry(path).or_default();
        if !append {
            entry.clear();
        }
        entry.push_str(text);
        Ok(())
    }

    fn command(&mut self, words: &[String], input: Option<&str>, editor: Editor<'_>) -> Output {
        let Some(program) = words.first() else {
            return Output::default();
        };
        let args = &words[1..];
        // `VAR=value` alone sets a variable, as `export` does.
        if let Some((name, value)) = program.split_once('=')
            && args.is_empty()
            && is_name(name)
        {
            self.variables.insert(name.into(), value.into());
            return Output::default();
        }
        let text_in = || input.unwrap_or_default().to_string();
        match program.as_str() {
            "kubectl" | "k" => kubectl::run(&mut self.cluster, args, input, editor),
            "sudo" => self.command(args, input, editor),
            "echo" => {
                let (newline, args) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    Some("-e") => (true, &args[1..]),
                    _ => (true, args),
                };
                let mut text = args.join(" ");
                if newline {
                    text.push('\n');
                }
                Output::out(text)
            }
            "cat" => {
                if args.is_empty() || args == ["-"] {
                    return Output::out(text_in());
                }
                let mut out = Output::default();
                for file in args.iter().filter(|arg| !arg.starts_with('-')) {
                    match self.cluster.files.get(&kubectl::absolute(file)) {
                        Some(text) => out.stdout.push_str(text),
                        None => {
                            out.stderr
                                .push_str(&format!("cat: {file}: No such file or directory\n"));
                            out.code = 1;
                        }
                    }
                }
                out
            }
            "grep" | "egrep" | "head" | "tail" | "sort" | "uniq" | "wc" | "cut" | "awk" | "tr"
            | "base64" => {
                let (files, text) = match self.input_of(program, args, input) {
                    Ok(found) => found,
                    Err(output) => return output,
                };
                super::text_tools::run(program, &files, &text)
            }
            "sed" => self.sed(args, input),
            "sleep" => match args
                .first()
                .map(|value| value.trim_end_matches('s').parse::<u64>())
            {
                Some(Ok(seconds)) if seconds <= MAX_SLEEP => {
                    self.cluster
                        .advance(SignedDuration::from_secs(seconds as i64));
                    Output::default()
                }
                Some(Ok(_)) => Output::error(format!("sleep: at most {MAX_SLEEP} seconds here")),
                _ => Output::error("sleep: missing or invalid operand (use `sleep SECONDS`)"),
            },
            "ls" => {
                let operands: Vec<&String> =
                    args.iter().filter(|arg| !arg.starts_with('-')).collect();
                let home = "/root".to_string();
                let operands = if operands.is_empty() {
                    vec![&home]
                } else {
                    operands
                };
                // What a directory holds: its files and subdirectories, by name.
                let entries = |dir: &str| -> Vec<String> {
                    let prefix = format!("{}/", dir.trim_end_matches('/'));
                    self.cluster
                        .files
                        .keys()
                        .filter_map(|path| path.strip_prefix(&prefix))
                        .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect()
                };
                let mut out = Output::default();
                let mut files = Vec::new();
                let mut dirs = Vec::new();
                for operand in &operands {
                    let path = kubectl::absolute(operand);
                    if self.cluster.files.contains_key(&path) {
                        files.push((*operand).clone());
                    } else if path == "/root" || path == "/" || !entries(&path).is_empty() {
                        dirs.push(((*operand).clone(), entries(&path)));
                    } else {
                        out.stderr.push_str(&format!(
                            "ls: cannot access '{operand}': No such file or directory\n"
                        ));
                        out.code = 2;
                    }
                }
                files.sort();
                for file in &files {
                    out.stdout.push_str(&format!("{file}\n"));
                }
                let headed = operands.len() > 1;
                for (index, (name, names)) in dirs.iter().enumerate() {
                    if headed {
                        if index > 0 || !files.is_empty() {
                            out.stdout.push('\n');
                        }
                        out.stdout.push_str(&format!("{name}:\n"));
                    }
                    for entry in names {
                        out.stdout.push_str(&format!("{entry}\n"));
                    }
                }
                out
            }
            "rm" => {
                let mut out = Output::default();
                for file in args.iter().filter(|arg| !arg.starts_with('-')) {
                    if self
                        .cluster
                        .files
                        .remove(&kubectl::absolute(file))
                        .is_none()
                        && !args.iter().any(|arg| arg.contains('f'))
                    {
                        out.stderr.push_str(&format!(
                            "rm: cannot remove '{file}': No such file or directory\n"
                        ));
                        out.code = 1;
                    }
                }
                out
            }
            "cp" | "mv" => {
                let files: Vec<&String> = args.iter().filter(|arg| !arg.starts_with('-')).collect();
                let [from, to] = files.as_slice() else {
                    return Output::error(format!("{program}: needs a source and a destination"));
                };
                let Some(text) = self.cluster.files.get(&kubectl::absolute(from)).cloned() else {
                    return Output::error(format!(
                        "{program}: cannot stat '{from}': No such file or directory"
                    ));
                };
                if program == "mv" {
                    self.cluster.files.remove(&kubectl::absolute(from));
                }
                self.cluster.files.insert(kubectl::absolute(to), text);
                Output::default()
            }
            "touch" => {
                for file in args {
                    self.cluster
                        .files
                        .entry(kubectl::absolute(file))
                        .or_default();
                }
                Output::default()
            }
            "mkdir" | "cd" | "alias" | "unalias" | "source" => Output::default(),
            "clear" => {
                self.cleared = true;
                Output::default()
            }
            "pwd" => Output::out("/root\n"),
            "date" => Output::out(format!(
                "{}\n",
                self.cluster.now.strftime("%a %b %e %H:%M:%S UTC %Y")
            )),
            "export" => {
                for pair in args {
                    if let Some((name, value)) = pair.split_once('=') {
                        self.variables.insert(name.into(), value.into());
                    }
                }
                Output::default()
            }
            "vi" | "vim" | "nano" | "view" => {
                let Some(file) = args.iter().find(|arg| !arg.starts_with('-')) else {
                    return Output::error(format!(
                        "{program}: name the file to edit: `{program} FILE`"
                    ));
                };
                let path = kubectl::absolute(file);
                let current = self.cluster.files.get(&path).cloned().unwrap_or_default();
                if let Some(saved) = editor(&current)
                    && program != "view"
                {
                    self.cluster.files.insert(path, saved);
                }
                Output::default()
            }
            "ssh" => {
                let Some(target) = args.iter().find(|arg| !arg.starts_with('-')) else {
                    return Output::error("usage: ssh NODE");
                };
                let node = target.rsplit('@').next().unwrap_or(target).to_string();
                if self.cluster.objects.find("Node", "", &node).is_err() {
                    return Output::error(format!(
                        "ssh: Could not resolve hostname {node}: Name or service not known"
                    ));
                }
                self.node = Some(node);
                Output::default()
            }
            "exit" | "logout" => {
                if self.node.take().is_some() {
                    Output::out("logout\n")
                } else {
                    Output::error(
                        "kubedrill: this is the exam machine's own shell: there is nothing to exit to",
                    )
                }
            }
            "systemctl" if self.host_text(words).is_none() => self.systemctl(args),
            _ => self.host(words),
        }
    }

    /// The node host commands act on: the one `ssh` went to, else the first control-plane node.
    pub fn current_node(&self) -> String {
        if let Some(node) = &self.node {
            return node.clone();
        }
        let nodes = self.cluster.list("Node", None);
        nodes
            .iter()
            .find(|node| {
                node.at("/metadata/labels/node-role.kubernetes.io~1control-plane")
                    .is_some()
            })
            .or(nodes.first())
            .and_then(|node| {
                node.at("/metadata/name")
                    .and_then(serde_json::Value::as_str)
            })
            .map_or_else(|| "controlplane".into(), str::to_string)
    }

    /// The scenario's text for a host command on the current node (`node01: CMD`, or `CMD`).
    fn host_text(&self, words: &[String]) -> Option<String> {
        let line = words.join(" ");
        let line = line.strip_prefix("sudo ").unwrap_or(&line);
        self.cluster
            .host
            .get(&format!("{}: {line}", self.current_node()))
            .or_else(|| self.cluster.host.get(line))
            .cloned()
    }

    /// `systemctl status|start|stop|restart|enable kubelet` on the current node.
    fn systemctl(&mut self, args: &[String]) -> Output {
        let words: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|arg| !arg.starts_with('-'))
            .collect();
        let (Some(verb), Some(unit)) = (words.first(), words.get(1)) else {
            return Output::error("usage: systemctl status|start|stop|restart|enable UNIT");
        };
        let unit = unit.trim_end_matches(".service");
        if unit != "kubelet" {
            return Output::error(format!("Unit {unit}.service could not be found."));
        }
        let node = self.current_node();
        let running = !self.cluster.stopped_kubelets.contains(&node);
        match *verb {
            "status" => {
                let at = self
                    .cluster
                    .kubelet_since
                    .get(&node)
                    .copied()
                    .unwrap_or(self.cluster.now);
                let ago =
                    crate::cluster::print::human_duration(self.cluster.now.duration_since(at));
                let since = format!("{}; {ago} ago", at.strftime("%a %Y-%m-%d %H:%M:%S UTC"));
                let active = if running {
                    format!("active (running) since {since}")
                } else {
                    format!("inactive (dead) since {since}")
                };
                Output {
                    stdout: format!(
                        "● kubelet.service - kubelet: The Kubernetes Node Agent\n     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)\n    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf\n     Active: {active}\n       Docs: https://kubernetes.io/docs/\n"
                    ),
                    code: if running { 0 } else { 3 },
                    ..Output::default()
                }
            }
            "start" | "restart" => {
                if self.cluster.stopped_kubelets.remove(&node) || *verb == "restart" {
                    self.cluster.kubelet_since.insert(node, self.cluster.now);
                }
                Output::default()
            }
            "stop" => {
                if self.cluster.stopped_kubelets.insert(node.clone()) {
                    self.cluster.kubelet_since.insert(node, self.cluster.now);
                }
                Output::default()
            }
            "enable" if args.iter().any(|arg| arg == "--now") => {
                if self.cluster.stopped_kubelets.remove(&node) {
                    self.cluster.kubelet_since.insert(node, self.cluster.now);
                }
                Output::default()
            }
            "enable" | "daemon-reload" => Output::default(),
            other => Output::error(format!(
                "systemctl: `{other}` is not available here (status, start, stop, restart, enable)"
            )),
        }
    }

    /// `sed`, over standard input, the files as one stream, or each file in place (`-i`).
    fn sed(&mut self, args: &[String], input: Option<&str>) -> Output {
        let sed = match super::sed::Invocation::parse(args) {
            Ok(sed) => sed,
            Err(error) => return Output::error(error),
        };
        let read = |shell: &Self, file: &str| {
            shell
                .cluster
                .files
                .get(&kubectl::absolute(file))
                .cloned()
                .ok_or_else(|| {
                    Output::error(format!("sed: can't read {file}: No such file or directory"))
                })
        };
        if sed.in_place {
            if sed.files.is_empty() {
                return Output::error("sed: no input files");
            }
            for file in &sed.files {
                let text = match read(self, file) {
                    Ok(text) => text,
                    Err(output) => return output,
                };
                let edited = sed.run(&text);
                self.cluster.files.insert(kubectl::absolute(file), edited);
            }
            return Output::default();
        }
        let mut text = String::new();
        if sed.files.is_empty() {
            text.push_str(input.unwrap_or_default());
        }
        for file in &sed.files {
            match read(self, file) {
                Ok(content) => text.push_str(&content),
                Err(output) => return output,
            }
        }
        Output::out(sed.run(&text))
    }

    fn input_of(
        &self,
        program: &str,
        args: &[String],
        input: Option<&str>,
    ) -> Result<(Vec<String>, String), Output> {
        let operands = super::text_tools::operands(program, args);
        let files = &operands.1;
        if files.is_empty() {
            return Ok((operands.0, input.unwrap_or_default().to_string()));
        }
        let mut text = String::new();
        for file in files {
            match self.cluster.files.get(&kubectl::absolute(file)) {
                Some(content) => text.push_str(content),
                None => {
                    return Err(Output::error(format!(
                        "{program}: {file}: No such file or directory"
                    )));
                }
            }
        }
        Ok((operands.0, text))
    }

    /// A node command the scenario gives text for, or the refusal.
    fn host(&self, words: &[String]) -> Output {
        if let Some(text) = self.host_text(words) {
            let mut text = text;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            return Output::out(text);
        }
        let program = &words[0];
        let known: Vec<&String> = self.cluster.host.keys().collect();
        if known
            .iter()
            .any(|key| key.split_whitespace().next() == Some(program.as_str()))
        {
            let list = known
                .iter()
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Output::error(format!(
                "kubedrill: this scenario answers only {list} on the node"
            ));
        }
        Output::error(format!(
            "kubedrill: {}: not available in this scenario's shell; it runs {}{}",
            crate::text::escape_controls(program),
            PROGRAMS.join(", "),
            if known.is_empty() {
                String::new()
            } else {
                format!(
                    ", and on the node: {}",
                    known
                        .iter()
                        .map(|key| format!("`{key}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ))
    }
}

fn substitution() -> String {
    "command substitution (`$(…)` or backquotes) is not supported here; run the inner command first and type its result".into()
}

fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !text.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether `text` matches a shell pattern of `*` (any run) and `?` (one character).
fn wildcard(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // The classic two-pointer match with backtracking to the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

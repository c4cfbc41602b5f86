//! The text tools exam answers pass through, over text only: grep, head, tail, sort, uniq, wc,
//! cut, awk (`{print $N}` with `-F` and an `NR` condition), tr and base64. Their options are the
//! common ones; anything else is refused by name.

use base64::Engine as _;

use super::kubectl::Output;

/// Options that take the next word as their value, per program.
fn takes_value(program: &str, option: &str) -> bool {
    matches!(
        (program, option),
        ("grep" | "egrep", "-e" | "-m" | "-A" | "-B" | "-C")
            | ("head" | "tail", "-n" | "-c")
            | ("sort", "-k" | "-t")
            | ("cut", "-d" | "-f" | "-c")
            | ("awk", "-F")
    )
}

/// Splits a tool's words into (options and operands that are not files, files).
pub fn operands(program: &str, args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut options = Vec::new();
    let mut files = Vec::new();
    let mut index = 0;
    let mut needs_pattern = matches!(program, "grep" | "egrep" | "awk");
    while index < args.len() {
        let word = &args[index];
        if word.starts_with('-') && word.len() > 1 {
            options.push(word.clone());
            if takes_value(program, word) && index + 1 < args.len() {
                options.push(args[index + 1].clone());
                index += 1;
            }
            if matches!(program, "grep" | "egrep") && word == "-e" {
                needs_pattern = false;
            }
        } else if needs_pattern {
            options.push(word.clone());
            needs_pattern = false;
        } else if program == "tr" {
            options.push(word.clone());
        } else {
            files.push(word.clone());
        }
        index += 1;
    }
    (options, files)
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn joined(lines: &[String]) -> String {
    let mut out = lines.join("\n");
    if !lines.is_empty() {
        out.push('\n');
    }
    out
}

fn number_after(options: &[String], flag: &str) -> Option<String> {
    options
        .iter()
        .position(|option| option == flag)
        .and_then(|at| options.get(at + 1).cloned())
        .or_else(|| {
            options
                .iter()
                .find(|option| option.starts_with(flag) && option.len() > flag.len())
                .map(|option| option[flag.len()..].to_string())
        })
}

/// Runs a tool over `text` with its options.
pub fn run(program: &str, options: &[String], text: &str) -> Output {
    match program {
        "grep" | "egrep" => grep(options, text),
        "head" | "tail" => {
            let count = number_after(options, "-n")
                .or_else(|| {
                    options
                        .iter()
                        .find(|option| option[1..].chars().all(|c| c.is_ascii_digit()))
                        .map(|option| option[1..].to_string())
                })
                .unwrap_or_else(|| "10".into());
            let all = lines(text);
            let selected: Vec<String> = if program == "head" {
                let count: usize = count.trim_start_matches('+').parse().unwrap_or(10);
                all.iter()
                    .take(count)
                    .map(|line| (*line).to_string())
                    .collect()
            } else if let Some(from) = count.strip_prefix('+') {
                let from: usize = from.parse().unwrap_or(1);
                all.iter()
                    .skip(from.saturating_sub(1))
                    .map(|line| (*line).to_string())
                    .collect()
            } else {
                let count: usize = count.parse().unwrap_or(10);
                all.iter()
                    .skip(all.len().saturating_sub(count))
                    .map(|line| (*line).to_string())
                    .collect()
            };
            Output::out(joined(&selected))
        }
        "sort" => sort(options, text),
        "uniq" => {
            let mut out: Vec<(usize, String)> = Vec::new();
            for line in lines(text) {
                match out.last_mut() {
                    Some((count, last)) if last == line => *count += 1,
                    _ => out.push((1, line.to_string())),
                }
            }
            let counted = options.iter().any(|option| option == "-c");
            Output::out(joined(
                &out.into_iter()
                    .map(|(count, line)| {
                        if counted {
                            format!("{count:>7} {line}")
                        } else {
                            line
                        }
                    })
                    .collect::<Vec<_>>(),
            ))
        }
        "wc" => {
            let line_count = text.matches('\n').count();
            let words = text.split_whitespace().count();
            let bytes = text.len();
            let text = match options.first().map(String::as_str) {
                Some("-l") => line_count.to_string(),
                Some("-w") => words.to_string(),
                Some("-c") => bytes.to_string(),
                _ => format!("{line_count:>7} {words:>7} {bytes:>7}"),
            };
            Output::out(format!("{text}\n"))
        }
        "cut" => {
            let delimiter = number_after(options, "-d").unwrap_or_else(|| "\t".into());
            let Some(fields) = number_after(options, "-f") else {
                return Output::error(
                    "cut: you must specify a list of fields with -f (and -d for the delimiter)",
                );
            };
            let wanted = ranges(&fields);
            let out: Vec<String> = lines(text)
                .iter()
                .map(|line| {
                    if !line.contains(delimiter.as_str()) {
                        return (*line).to_string();
                    }
                    line.split(delimiter.as_str())
                        .enumerate()
                        .filter(|(index, _)| wanted(index + 1))
                        .map(|(_, part)| part)
                        .collect::<Vec<_>>()
                        .join(&delimiter)
                })
                .collect();
            Output::out(joined(&out))
        }
        "awk" => awk(options, text),
        "tr" => {
            let delete = options.iter().any(|option| option == "-d");
            let sets: Vec<Vec<char>> = options
                .iter()
                .filter(|option| !option.starts_with('-'))
                .map(|set| expand_set(set))
                .collect();
            let out: String = text
                .chars()
                .filter_map(|c| match (delete, sets.as_slice()) {
                    (true, [set, ..]) => (!set.contains(&c)).then_some(c),
                    (false, [from, to, ..]) => Some(
                        from.iter()
                            .position(|f| *f == c)
                            .map_or(c, |at| *to.get(at).or(to.last()).unwrap_or(&c)),
                    ),
                    _ => Some(c),
                })
                .collect();
            Output::out(out)
        }
        "base64" => {
            if options
                .iter()
                .any(|option| option == "-d" || option == "--decode")
            {
                let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                match base64::engine::general_purpose::STANDARD.decode(joined) {
                    Ok(bytes) => Output::out(String::from_utf8_lossy(&bytes).into_owned()),
                    Err(_) => Output::error("base64: invalid input"),
                }
            } else {
                Output::out(format!(
                    "{}\n",
                    base64::engine::general_purpose::STANDARD.encode(text)
                ))
            }
        }
        other => Output::error(format!("{other}: not available here")),
    }
}

fn expand_set(set: &str) -> Vec<char> {
    match set {
        "[:upper:]" | "A-Z" => ('A'..='Z').collect(),
        "[:lower:]" | "a-z" => ('a'..='z').collect(),
        "[:digit:]" | "0-9" => ('0'..='9').collect(),
        other => other.replace("\\n", "\n").chars().collect(),
    }
}

/// `2`, `1,3`, `2-4`, `3-` → whether a 1-based field is wanted.
fn ranges(list: &str) -> impl Fn(usize) -> bool + '_ {
    move |field| {
        list.split(',').any(|part| match part.split_once('-') {
            Some((from, to)) => {
                let from = from.parse().unwrap_or(1);
                let to = if to.is_empty() {
                    usize::MAX
                } else {
                    to.parse().unwrap_or(usize::MAX)
                };
                (from..=to).contains(&field)
            }
            None => part.parse() == Ok(field),
        })
    }
}

fn grep(options: &[String], text: &str) -> Output {
    let mut pattern: Option<String> = number_after(options, "-e");
    let mut flags = String::new();
    // Context lines: -A after, -B before, -C both.
    let (mut after, mut before) = (0usize, 0usize);
    let mut index = 0;
    while index < options.len() {
        let option = &options[index];
        if option == "-e" {
            index += 2;
            continue;
        }
        if let Some(which) = ["-A", "-B", "-C"]
            .iter()
            .find(|flag| option.starts_with(**flag))
        {
            let attached = &option[2..];
            let value = if attached.is_empty() {
                index += 1;
                options.get(index).cloned().unwrap_or_default()
            } else {
                attached.to_string()
            };
            let Ok(count) = value.parse::<usize>() else {
                return Output::error(format!("grep: {value}: invalid context length argument"));
            };
            match *which {
                "-A" => after = count,
                "-B" => before = count,
                _ => (after, before) = (count, count),
            }
            index += 1;
            continue;
        }
        if let Some(letters) = option
            .strip_prefix('-')
            .filter(|_| option.len() > 1 && !option.starts_with("--"))
        {
            flags.push_str(letters);
        } else if option.starts_with("--") {
            return Output::error(format!(
                "grep: {option}: not available here (use -i, -v, -c, -n, -w, -o, -E, -e)"
            ));
        } else if pattern.is_none() {
            pattern = Some(option.clone());
        }
        index += 1;
    }
    let Some(pattern) = pattern else {
        return Output::error("Usage: grep [OPTION]... PATTERNS [FILE]...");
    };
    for letter in flags.chars() {
        if !"ivcnwoEFh".contains(letter) {
            return Output::error(format!(
                "grep: -{letter}: not available here (use -i, -v, -c, -n, -w, -o, -E, -F)"
            ));
        }
    }
    let source = if flags.contains('F') {
        regex_lite::escape(&pattern)
    } else if flags.contains('E') {
        pattern.clone()
    } else {
        // Basic regular expressions: `\|` and `\(` are the operators, bare ones are literal.
        basic_to_extended(&pattern)
    };
    let source = if flags.contains('w') {
        format!(r"\b(?:{source})\b")
    } else {
        source
    };
    let source = if flags.contains('i') {
        format!("(?i){source}")
    } else {
        source
    };
    let regex = match regex_lite::Regex::new(&source) {
        Ok(regex) => regex,
        Err(_) => return Output::error(format!("grep: invalid regular expression: {pattern}")),
    };
    let invert = flags.contains('v');
    let all = lines(text);
    if after + before > 0 && !flags.contains('c') && !flags.contains('o') {
        // Matching lines with their context, groups apart separated by `--`.
        let matched: Vec<usize> = (0..all.len())
            .filter(|at| regex.is_match(all[*at]) != invert)
            .collect();
        let mut shown: Vec<usize> = Vec::new();
        for at in &matched {
            for line in at.saturating_sub(before)..=(*at + after).min(all.len().saturating_sub(1)) {
                if shown.last().is_none_or(|last| *last < line) {
                    shown.push(line);
                }
            }
        }
        let mut out = Vec::new();
        for (position, line) in shown.iter().enumerate() {
            if position > 0 && shown[position - 1] + 1 != *line {
                out.push("--".to_string());
            }
            let separator = if matched.contains(line) { ':' } else { '-' };
            out.push(if flags.contains('n') {
                format!("{}{separator}{}", line + 1, all[*line])
            } else {
                all[*line].to_string()
            });
        }
        return Output {
            stdout: joined(&out),
            code: i32::from(matched.is_empty()),
            ..Output::default()
        };
    }
    let mut out = Vec::new();
    let mut count = 0;
    for (number, line) in all.iter().enumerate() {
        if regex.is_match(line) == invert {
            continue;
        }
        count += 1;
        if flags.contains('o') && !invert {
            out.extend(
                regex
                    .find_iter(line)
                    .map(|found| found.as_str().to_string()),
            );
        } else if flags.contains('n') {
            out.push(format!("{}:{line}", number + 1));
        } else {
            out.push((*line).to_string());
        }
    }
    if flags.contains('c') {
        return Output {
            stdout: format!("{count}\n"),
            code: i32::from(count == 0),
            ..Output::default()
        };
    }
    Output {
        stdout: joined(&out),
        code: i32::from(count == 0),
        ..Output::default()
    }
}

pub(super) fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('|' | '(' | ')' | '{' | '}' | '+' | '?')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push_str("\\\\"),
            },
            '|' | '(' | ')' | '{' | '}' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

fn sort(options: &[String], text: &str) -> Output {
    let flags: String = options
        .iter()
        .filter(|option| {
            option.starts_with('-') && !option.starts_with("-k") && !option.starts_with("-t")
        })
        .map(|option| option[1..].to_string())
        .collect();
    let key: Option<usize> = number_after(options, "-k").and_then(|key| {
        key.split([',', '.']).next().and_then(|first| {
            first
                .trim_end_matches(|c: char| c.is_alphabetic())
                .parse()
                .ok()
        })
    });
    let separator = number_after(options, "-t");
    let key_flags = number_after(options, "-k")
        .map(|key| {
            key.chars()
                .filter(|c| c.is_alphabetic())
                .collect::<String>()
        })
        .unwrap_or_default();
    let numeric = flags.contains('n')
        || flags.contains('h')
        || key_flags.contains('n')
        || key_flags.contains('h');
    let reverse = flags.contains('r') || key_flags.contains('r');
    let field_of = |line: &str| -> String {
        match key {
            None => line.to_string(),
            Some(key) => match &separator {
                Some(separator) => line
                    .split(separator.as_str())
                    .nth(key - 1)
                    .unwrap_or_default()
                    .to_string(),
                None => line
                    .split_whitespace()
                    .nth(key - 1)
                    .unwrap_or_default()
                    .to_string(),
            },
        }
    };
    let number = |text: &str| -> f64 {
        let trimmed = text.trim();
        crate::manifest::quantity::parse(trimmed)
            .or_else(|| {
                trimmed
                    .trim_end_matches(|c: char| !c.is_ascii_digit() && c != '.')
                    .parse()
                    .ok()
            })
            .unwrap_or(0.0)
    };
    let mut all: Vec<String> = lines(text).iter().map(|line| (*line).to_string()).collect();
    all.sort_by(|a, b| {
        let (a_key, b_key) = (field_of(a), field_of(b));
        let order = if numeric {
            number(&a_key).total_cmp(&number(&b_key))
        } else {
            a_key.cmp(&b_key)
        };
        order.then_with(|| a.cmp(b))
    });
    if reverse {
        all.reverse();
    }
    if flags.contains('u') {
        all.dedup();
    }
    Output::out(joined(&all))
}

fn awk(options: &[String], text: &str) -> Output {
    let separator = number_after(options, "-F");
    let program = options
        .iter()
        .enumerate()
        .find(|(index, option)| {
            !option.starts_with('-') && (*index == 0 || options[index - 1] != "-F")
        })
        .map(|(_, option)| option.clone())
        .unwrap_or_default();
    let unsupported = || {
        Output::error(format!(
            "awk: only `{{print $N[, $M…]}}` (with an optional `NR>N` or `/regex/` before it) is available here, not `{program}`"
        ))
    };
    let Some(open) = program.find('{') else {
        return unsupported();
    };
    let condition = program[..open].trim().to_string();
    let Some(body) = program[open + 1..].trim().strip_suffix('}') else {
        return unsupported();
    };
    let Some(fields) = body.trim().strip_prefix("print") else {
        return unsupported();
    };
    let fields: Vec<String> = fields
        .split(',')
        .map(|field| field.trim().to_string())
        .filter(|field| !field.is_empty())
        .collect();
    let pattern = condition
        .strip_prefix('/')
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|source| regex_lite::Regex::new(source).ok());
    let mut out = Vec::new();
    for (number, line) in lines(text).iter().enumerate() {
        let record = number + 1;
        let keep = if condition.is_empty() {
            true
        } else if let Some(pattern) = &pattern {
            pattern.is_match(line)
        } else if let Some(value) = condition.strip_prefix("NR>") {
            value
                .trim()
                .parse::<usize>()
                .is_ok_and(|value| record > value)
        } else if let Some(value) = condition.strip_prefix("NR==") {
            value
                .trim()
                .parse::<usize>()
                .is_ok_and(|value| record == value)
        } else {
            return unsupported();
        };
        if !keep {
            continue;
        }
        let parts: Vec<&str> = match &separator {
            Some(separator) => line.split(separator.as_str()).collect(),
            None => line.split_whitespace().collect(),
        };
        let mut printed = Vec::new();
        for field in &fields {
            if field == "$0" {
                printed.push((*line).to_string());
            } else if field == "$NF" {
                printed.push(parts.last().copied().unwrap_or_default().to_string());
            } else if let Some(index) = field
                .strip_prefix('$')
                .and_then(|index| index.parse::<usize>().ok())
            {
                printed.push(
                    parts
                        .get(index.wrapping_sub(1))
                        .copied()
                        .unwrap_or_default()
                        .to_string(),
                );
            } else if let Some(literal) = field
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
            {
                printed.push(literal.to_string());
            } else {
                return unsupported();
            }
        }
        out.push(if fields.is_empty() {
            (*line).to_string()
        } else {
            printed.join(" ")
        });
    }
    Output::out(joined(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &[&str]) -> Vec<String> {
        text.iter().map(|word| (*word).to_string()).collect()
    }

    const TOP: &str = "NAME   CPU(cores)   MEMORY(bytes)\napi-a  12m          30Mi\napi-b  250m         41Mi\napi-c  40m          28Mi\n";

    #[test]
    fn the_usual_answer_pipelines_give_what_a_real_shell_gives() {
        let sorted = run(
            "sort",
            &words(&["-k2", "-n", "-r"]),
            &run("tail", &words(&["-n", "+2"]), TOP).stdout,
        )
        .stdout;
        assert_eq!(
            run("head", &words(&["-1"]), &sorted).stdout,
            "api-b  250m         41Mi\n"
        );
        assert_eq!(
            run("awk", &words(&["NR>1 {print $1}"]), TOP).stdout,
            "api-a\napi-b\napi-c\n"
        );
        assert_eq!(run("wc", &words(&["-l"]), TOP).stdout, "4\n");
        assert_eq!(run("grep", &words(&["-c", "api"]), TOP).stdout, "3\n");
        assert_eq!(
            run("grep", &words(&["-v", "api"]), TOP).stdout,
            "NAME   CPU(cores)   MEMORY(bytes)\n"
        );
        assert_eq!(
            run("cut", &words(&["-d", "-", "-f2"]), "api-a\nweb-b\n").stdout,
            "a\nb\n"
        );
        assert_eq!(run("base64", &words(&["-d"]), "Ymx1ZQ==").stdout, "blue");
        assert_eq!(
            run("grep", &words(&["ERROR\\|WARN"]), "ok\nERROR x\nWARN y\n").stdout,
            "ERROR x\nWARN y\n"
        );
        assert_eq!(run("grep", &words(&["nothing"]), TOP).code, 1);
        assert!(
            run("awk", &words(&["BEGIN {x=1}"]), TOP)
                .stderr
                .contains("only")
        );
    }
}

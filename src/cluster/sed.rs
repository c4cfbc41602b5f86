//! `sed`, as exam answers use it: `s///` with `g`, `p`, `I` and a number, `d`, `p`, `q`, `a`, `i`,
//! `c` and `y`, on line numbers, `$`, `/regex/` and ranges, with `-n`, `-E`/`-r`, `-e` and
//! `-i[SUFFIX]`. Regular expressions are basic unless `-E`, as GNU sed reads them. What it does
//! not do (the hold space, `N`, `D`, branches, script files) is refused by name, in GNU sed's words
//! where it has them.

use regex_lite::Regex;

use super::text_tools::basic_to_extended;

/// A parsed `sed` command line.
#[derive(Debug)]
pub struct Invocation {
    /// `-i`: edit the files in place (a suffix, if given, would name a backup; none is kept
    /// apart from the file itself here, so it is accepted and ignored).
    pub in_place: bool,
    /// `-n`: print only what the script prints.
    quiet: bool,
    /// The files, in order; none means standard input.
    pub files: Vec<String>,
    commands: Vec<Command>,
}

#[derive(Debug, Clone)]
enum Address {
    Line(usize),
    Last,
    Match(Regex),
}

#[derive(Debug)]
enum Action {
    Substitute {
        regex: Regex,
        replacement: Vec<Piece>,
        global: bool,
        nth: usize,
        print: bool,
    },
    Delete,
    Print,
    Quit,
    Append(String),
    Insert(String),
    Change(String),
    Translate(Vec<(char, char)>),
}

#[derive(Debug)]
enum Piece {
    Text(String),
    Group(usize),
}

#[derive(Debug)]
struct Command {
    from: Option<Address>,
    to: Option<Address>,
    negate: bool,
    action: Action,
}

/// Where a script went wrong: GNU sed's `-e expression #N, char M: …`.
struct Failure {
    at: usize,
    what: String,
}

fn fail<T>(at: usize, what: impl Into<String>) -> Result<T, Failure> {
    Err(Failure {
        at,
        what: what.into(),
    })
}

impl Invocation {
    /// Reads sed's words (after `sed`); the error is what sed prints.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut scripts = Vec::new();
        let mut files = Vec::new();
        let (mut quiet, mut in_place, mut extended) = (false, false, false);
        let mut index = 0;
        while index < args.len() {
            let word = &args[index];
            index += 1;
            if let Some(script) = word.strip_prefix("--expression=") {
                scripts.push(script.to_string());
                continue;
            }
            match word.as_str() {
                "--quiet" | "--silent" => quiet = true,
                "--regexp-extended" => extended = true,
                "--in-place" => in_place = true,
                "--" => {
                    files.extend(args[index..].iter().cloned());
                    break;
                }
                _ if word.starts_with("--in-place=") => in_place = true,
                _ if word.starts_with("--") => {
                    return Err(format!(
                        "sed: unrecognized option '{word}' (here: -n, -e, -E, -r, -i, -s)"
                    ));
                }
                _ if word.starts_with('-') && word.len() > 1 => {
                    let letters: Vec<char> = word[1..].chars().collect();
                    let mut at = 0;
                    while at < letters.len() {
                        match letters[at] {
                            'n' => quiet = true,
                            'E' | 'r' => extended = true,
                            's' | 'u' => {}
                            // `-i` takes the rest of the word as its backup suffix.
                            'i' => {
                                in_place = true;
                                break;
                            }
                            'e' => {
                                let rest: String = letters[at + 1..].iter().collect();
                                if !rest.is_empty() {
                                    scripts.push(rest);
                                } else if let Some(script) = args.get(index) {
                                    scripts.push(script.clone());
                                    index += 1;
                                } else {
                                    return Err("sed: option requires an argument -- 'e'".into());
                                }
                                break;
                            }
                            'f' => {
                                return Err(
                                    "sed: -f: script files are not available here; give the script with -e".into(),
                                );
                            }
                            other => {
                                return Err(format!(
                                    "sed: invalid option -- '{other}' (here: -n, -e, -E, -r, -i, -s)"
                                ));
                            }
                        }
                        at += 1;
                    }
                }
                _ if scripts.is_empty() => scripts.push(word.clone()),
                _ => files.push(word.clone()),
            }
        }
        if scripts.is_empty() {
            return Err(
                "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...".into(),
            );
        }
        let mut commands = Vec::new();
        for (number, script) in scripts.iter().enumerate() {
            match parse_script(script, extended) {
                Ok(mut parsed) => commands.append(&mut parsed),
                Err(failure) => {
                    return Err(format!(
                        "sed: -e expression #{}, char {}: {}",
                        number + 1,
                        failure.at,
                        failure.what
                    ));
                }
            }
        }
        Ok(Invocation {
            in_place,
            quiet,
            files,
            commands,
        })
    }

    /// Runs the script over one stream of text and returns what sed prints.
    pub fn run(&self, text: &str) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let mut out = String::new();
        // Per command: inside a range since the line it started on.
        let mut open: Vec<bool> = vec![false; self.commands.len()];
        'lines: for (index, line) in lines.iter().enumerate() {
            let number = index + 1;
            let last = number == lines.len();
            let mut space = (*line).to_string();
            let mut appended = String::new();
            for (at, command) in self.commands.iter().enumerate() {
                let (selected, range_ends) = command.selects(&mut open[at], number, last, &space);
                if selected == command.negate {
                    continue;
                }
                match &command.action {
                    Action::Substitute {
                        regex,
                        replacement,
                        global,
                        nth,
                        print,
                    } => {
                        if let Some(replaced) =
                            substitute(regex, replacement, *global, *nth, &space)
                        {
                            space = replaced;
                            if *print {
                                out.push_str(&space);
                                out.push('\n');
                            }
                        }
                    }
                    Action::Delete => {
                        out.push_str(&appended);
                        continue 'lines;
                    }
                    Action::Print => {
                        out.push_str(&space);
                        out.push('\n');
                    }
                    Action::Quit => {
                        if !self.quiet {
                            out.push_str(&space);
                            out.push('\n');
                        }
                        out.push_str(&appended);
                        return out;
                    }
                    Action::Append(text) => {
                        appended.push_str(text);
                        appended.push('\n');
                    }
                    Action::Insert(text) => {
                        out.push_str(text);
                        out.push('\n');
                    }
                    Action::Change(text) => {
                        // Over a range, the text replaces the whole range: printed at its end.
                        if command.to.is_none() || command.negate || range_ends {
                            out.push_str(text);
                            out.push('\n');
                        }
                        out.push_str(&appended);
                        continue 'lines;
                    }
                    Action::Translate(pairs) => {
                        space = space
                            .chars()
                            .map(|c| {
                                pairs
                                    .iter()
                                    .find(|(from, _)| *from == c)
                                    .map_or(c, |(_, to)| *to)
                            })
                            .collect();
                    }
                }
            }
            if !self.quiet {
                out.push_str(&space);
                out.push('\n');
            }
            out.push_str(&appended);
        }
        out
    }
}

impl Command {
    /// Whether this line is selected, and whether a range ends on it.
    fn selects(&self, open: &mut bool, number: usize, last: bool, space: &str) -> (bool, bool) {
        let hits = |address: &Address| match address {
            Address::Line(line) => *line == number,
            Address::Last => last,
            Address::Match(regex) => regex.is_match(space),
        };
        let Some(from) = &self.from else {
            return (true, false);
        };
        let Some(to) = &self.to else {
            return (hits(from), false);
        };
        if *open {
            let ends = match to {
                Address::Line(line) => number >= *line,
                other => hits(other),
            };
            if ends {
                *open = false;
            }
            return (true, ends || last);
        }
        if hits(from) {
            // A line-number end at or before the start selects the start line alone.
            let ends_here = matches!(to, Address::Line(line) if *line <= number);
            *open = !ends_here;
            return (true, ends_here || last);
        }
        (false, false)
    }
}

fn substitute(
    regex: &Regex,
    replacement: &[Piece],
    global: bool,
    nth: usize,
    space: &str,
) -> Option<String> {
    let mut out = String::new();
    let mut kept = 0;
    let mut count = 0;
    let mut replaced = false;
    for captures in regex.captures_iter(space) {
        let Some(whole) = captures.get(0) else {
            continue;
        };
        count += 1;
        if count < nth || (replaced && !global) {
            continue;
        }
        out.push_str(&space[kept..whole.start()]);
        for piece in replacement {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Group(group) => {
                    out.push_str(captures.get(*group).map_or("", |found| found.as_str()));
                }
            }
        }
        kept = whole.end();
        replaced = true;
    }
    replaced.then(|| {
        out.push_str(&space[kept..]);
        out
    })
}

/// Reads `text` up to an unescaped `delimiter`, from `chars[*at]`; `\delimiter` is the delimiter
/// itself. Returns None when the delimiter never comes.
fn until(chars: &[char], at: &mut usize, delimiter: char) -> Option<String> {
    let mut out = String::new();
    while *at < chars.len() {
        let c = chars[*at];
        *at += 1;
        if c == delimiter {
            return Some(out);
        }
        if c == '\\' && *at < chars.len() {
            let next = chars[*at];
            *at += 1;
            if next == delimiter {
                out.push(next);
            } else {
                out.push('\\');
                out.push(next);
            }
            continue;
        }
        out.push(c);
    }
    None
}

fn compile(pattern: &str, extended: bool, insensitive: bool, at: usize) -> Result<Regex, Failure> {
    let source = if extended {
        pattern.to_string()
    } else {
        basic_to_extended(pattern)
    };
    let source = if insensitive {
        format!("(?i){source}")
    } else {
        source
    };
    Regex::new(&source).or_else(|error| {
        let first = error.to_string();
        fail(
            at,
            first
                .lines()
                .last()
                .unwrap_or("invalid regular expression")
                .trim()
                .to_string(),
        )
    })
}

fn address(chars: &[char], at: &mut usize, extended: bool) -> Result<Option<Address>, Failure> {
    match chars.get(*at) {
        Some(c) if c.is_ascii_digit() => {
            let start = *at;
            while chars.get(*at).is_some_and(char::is_ascii_digit) {
                *at += 1;
            }
            let digits: String = chars[start..*at].iter().collect();
            match digits.parse::<usize>() {
                Ok(0) => fail(*at, "invalid usage of line address 0"),
                Ok(line) => Ok(Some(Address::Line(line))),
                Err(_) => fail(*at, "line number too large"),
            }
        }
        Some('$') => {
            *at += 1;
            Ok(Some(Address::Last))
        }
        Some('/') => {
            *at += 1;
            let Some(pattern) = until(chars, at, '/') else {
                return fail(*at, "unterminated address regex");
            };
            let insensitive = chars.get(*at) == Some(&'I');
            if insensitive {
                *at += 1;
            }
            Ok(Some(Address::Match(compile(
                &pattern,
                extended,
                insensitive,
                *at,
            )?)))
        }
        _ => Ok(None),
    }
}

/// The text of `a`, `i` and `c`: GNU's one-line form (`a text`) or the classic `a\` + text.
fn text_argument(chars: &[char], at: &mut usize) -> String {
    while chars.get(*at).is_some_and(|c| *c == ' ' || *c == '\t') {
        *at += 1;
    }
    if chars.get(*at) == Some(&'\\') {
        *at += 1;
        if chars.get(*at) == Some(&'\n') {
            *at += 1;
        }
    }
    let mut out = String::new();
    while *at < chars.len() && chars[*at] != '\n' {
        if chars[*at] == '\\' && *at + 1 < chars.len() {
            *at += 1;
        }
        out.push(chars[*at]);
        *at += 1;
    }
    out
}

fn replacement(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '&' => {
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
                pieces.push(Piece::Group(0));
            }
            '\\' => match chars.next() {
                Some(digit @ '0'..='9') => {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    pieces.push(Piece::Group(digit as usize - '0' as usize));
                }
                Some('n') => literal.push('\n'),
                Some('t') => literal.push('\t'),
                Some(other) => literal.push(other),
                None => {}
            },
            other => literal.push(other),
        }
    }
    pieces.push(Piece::Text(literal));
    pieces
}

fn parse_script(script: &str, extended: bool) -> Result<Vec<Command>, Failure> {
    let chars: Vec<char> = script.chars().collect();
    let mut at = 0;
    let mut commands = Vec::new();
    loop {
        while chars
            .get(at)
            .is_some_and(|c| c.is_whitespace() || *c == ';')
        {
            at += 1;
        }
        if at >= chars.len() {
            return Ok(commands);
        }
        let from = address(&chars, &mut at, extended)?;
        let mut to = None;
        if from.is_some() && chars.get(at) == Some(&',') {
            at += 1;
            to = address(&chars, &mut at, extended)?;
            if to.is_none() {
                return fail(at, "unexpected `,'");
            }
        }
        while chars.get(at) == Some(&' ') {
            at += 1;
        }
        let negate = chars.get(at) == Some(&'!');
        if negate {
            at += 1;
            while chars.get(at) == Some(&' ') {
                at += 1;
            }
        }
        let Some(&letter) = chars.get(at) else {
            return fail(at, "missing command");
        };
        at += 1;
        let action = match letter {
            's' => {
                let Some(&delimiter) = chars.get(at) else {
                    return fail(at, "unterminated `s' command");
                };
                if delimiter == '\n' || delimiter == '\\' {
                    return fail(at, "unterminated `s' command");
                }
                at += 1;
                let Some(pattern) = until(&chars, &mut at, delimiter) else {
                    return fail(at, "unterminated `s' command");
                };
                let Some(with) = until(&chars, &mut at, delimiter) else {
                    return fail(at, "unterminated `s' command");
                };
                let (mut global, mut print, mut insensitive, mut nth) = (false, false, false, 1);
                while let Some(&flag) = chars.get(at) {
                    match flag {
                        'g' => global = true,
                        'p' => print = true,
                        'i' | 'I' => insensitive = true,
                        '0'..='9' => {
                            let start = at;
                            while chars.get(at + 1).is_some_and(char::is_ascii_digit) {
                                at += 1;
                            }
                            let digits: String = chars[start..=at].iter().collect();
                            nth = match digits.parse::<usize>() {
                                Ok(0) | Err(_) => {
                                    return fail(
                                        at + 1,
                                        "number option to `s' command may not be zero",
                                    );
                                }
                                Ok(number) => number,
                            };
                        }
                        ';' | '\n' | ' ' | '}' => break,
                        'w' | 'e' | 'm' | 'M' => {
                            return fail(
                                at + 1,
                                format!("the `{flag}' option of `s' is not available here"),
                            );
                        }
                        _ => return fail(at + 1, "unknown option to `s'"),
                    }
                    at += 1;
                }
                if pattern.is_empty() {
                    return fail(at, "no previous regular expression");
                }
                Action::Substitute {
                    regex: compile(&pattern, extended, insensitive, at)?,
                    replacement: replacement(&with),
                    global,
                    nth,
                    print,
                }
            }
            'y' => {
                let Some(&delimiter) = chars.get(at) else {
                    return fail(at, "unterminated `y' command");
                };
                at += 1;
                let (Some(source), Some(dest)) = (
                    until(&chars, &mut at, delimiter),
                    until(&chars, &mut at, delimiter),
                ) else {
                    return fail(at, "unterminated `y' command");
                };
                let unescape = |text: String| text.replace("\\n", "\n").replace("\\\\", "\\");
                let (source, dest): (Vec<char>, Vec<char>) = (
                    unescape(source).chars().collect(),
                    unescape(dest).chars().collect(),
                );
                if source.len() != dest.len() {
                    return fail(at, "strings for `y' command are different lengths");
                }
                Action::Translate(source.into_iter().zip(dest).collect())
            }
            'd' => Action::Delete,
            'p' => Action::Print,
            'q' => Action::Quit,
            'a' => Action::Append(text_argument(&chars, &mut at)),
            'i' => Action::Insert(text_argument(&chars, &mut at)),
            'c' => Action::Change(text_argument(&chars, &mut at)),
            'N' | 'D' | 'P' | 'h' | 'H' | 'g' | 'G' | 'x' | 'b' | 't' | 'T' | ':' | '{' | '}'
            | 'n' | 'r' | 'R' | 'w' | 'W' | 'e' | 'l' | '=' | 'z' | 'F' | 'Q' | 'v' => {
                return fail(
                    at,
                    format!(
                        "`{letter}' is not available in this shell's sed (here: s, d, p, q, a, i, c, y)"
                    ),
                );
            }
            other => return fail(at, format!("unknown command: `{other}'")),
        };
        while chars.get(at) == Some(&' ') {
            at += 1;
        }
        match chars.get(at) {
            None | Some(';' | '\n') => {}
            Some(_) => return fail(at + 1, "extra characters after command"),
        }
        commands.push(Command {
            from,
            to,
            negate,
            action,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(args: &[&str], text: &str) -> String {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_string()).collect();
        Invocation::parse(&args).map_or_else(|error| format!("error: {error}"), |sed| sed.run(text))
    }

    const POD: &str =
        "spec:\n  containers:\n  - command:\n    - sleep2.0\n    image: ubuntu-sleeper\n";

    #[test]
    fn substitutes_as_exam_answers_do() {
        assert_eq!(
            sed(&["s/sleep2.0/sleep/"], POD),
            POD.replace("sleep2.0", "sleep")
        );
        assert_eq!(sed(&["s/o/0/"], "foo\nboo\n"), "f0o\nb0o\n");
        assert_eq!(sed(&["s/o/0/g"], "foo\n"), "f00\n");
        assert_eq!(sed(&["s/o/0/2"], "fooo\n"), "fo0o\n");
        assert_eq!(
            sed(&["s|image: .*|image: nginx:1.27|"], POD).lines().nth(4),
            Some("    image: nginx:1.27")
        );
        // Basic regular expressions: `\(…\)` groups, `+` is a plain character; -E flips both.
        assert_eq!(sed(&["s/\\(a*\\)b/[\\1]/"], "aab+\n"), "[aa]+\n");
        assert_eq!(sed(&["-E", "s/(a+)b/<&>/"], "aab\n"), "<aab>\n");
        assert_eq!(sed(&["s/A/x/I"], "abA\n"), "xbA\n");
        assert_eq!(sed(&["s/ /\\n/"], "a b\n"), "a\nb\n");
    }

    #[test]
    fn addresses_ranges_and_printing() {
        let text = "1\n2\n3\n4\n5\n";
        assert_eq!(sed(&["-n", "2,4p"], text), "2\n3\n4\n");
        assert_eq!(sed(&["-n", "$p"], text), "5\n");
        assert_eq!(sed(&["2d"], text), "1\n3\n4\n5\n");
        assert_eq!(sed(&["/3/,$d"], text), "1\n2\n");
        assert_eq!(sed(&["3!d"], text), "3\n");
        assert_eq!(sed(&["4,2d"], text), "1\n2\n3\n5\n");
        assert_eq!(sed(&["2q"], text), "1\n2\n");
        assert_eq!(sed(&["-n", "/^[24]$/p"], text), "2\n4\n");
        assert_eq!(
            sed(&["-e", "1d", "-e", "s/5/five/"], text),
            "2\n3\n4\nfive\n"
        );
        assert_eq!(sed(&["1d;2d"], text), "3\n4\n5\n");
        assert_eq!(sed(&["2a after two"], "1\n2\n3\n"), "1\n2\nafter two\n3\n");
        assert_eq!(sed(&["1i\\\nfirst"], "1\n"), "first\n1\n");
        assert_eq!(sed(&["$a last"], "1\n"), "1\nlast\n");
        assert_eq!(sed(&["2,3c gone"], "1\n2\n3\n4\n"), "1\ngone\n4\n");
        assert_eq!(sed(&["y/abc/xyz/"], "aabbcc\n"), "xxyyzz\n");
    }

    #[test]
    fn refuses_in_gnu_seds_words() {
        assert_eq!(
            sed(&["s/a/b"], "a\n"),
            "error: sed: -e expression #1, char 5: unterminated `s' command"
        );
        assert_eq!(
            sed(&["s/a/b/z"], "a\n"),
            "error: sed: -e expression #1, char 7: unknown option to `s'"
        );
        assert_eq!(
            sed(&["k"], "a\n"),
            "error: sed: -e expression #1, char 1: unknown command: `k'"
        );
        assert!(sed(&["N"], "a\n").contains("not available"));
        assert!(sed(&[], "a\n").starts_with("error: Usage: sed"));
        assert!(sed(&["--debug", "p"], "a\n").contains("unrecognized option '--debug'"));
    }

    #[test]
    fn in_place_files_and_the_script_come_apart() {
        let args: Vec<String> = ["-i.bak", "s/a/b/", "p.yaml", "q.yaml"]
            .iter()
            .map(|arg| (*arg).to_string())
            .collect();
        let sed = Invocation::parse(&args).unwrap();
        assert!(sed.in_place);
        assert_eq!(sed.files, ["p.yaml", "q.yaml"]);
    }
}

//! Shell words as a POSIX shell would split a typed command line: quotes, backslashes and
//! comments, and also what only the learner's own shell would do with it, so the grader can say
//! so: an unquoted `;`, `|` or `&` ends the kubectl command, and a `$VAR`, `$(…)` or `` `…` ``
//! outside single quotes is replaced by the local shell before kubectl ever sees it (the
//! container's shell never gets to expand it).

/// A command line split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    pub words: Vec<String>,
    /// `> FILE` or `>> FILE` at the end.
    pub redirect: Option<String>,
}

/// Splits a command line; the error says what the shell would do instead, in a sentence.
pub(super) fn split(input: &str) -> Result<Line, String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut redirect_next = false;
    let mut redirect: Option<String> = None;
    let mut chars = input.chars().peekable();
    let finish = |current: &mut String,
                  in_word: &mut bool,
                  words: &mut Vec<String>,
                  redirect_next: &mut bool,
                  redirect: &mut Option<String>|
     -> Result<(), String> {
        if *in_word {
            if *redirect_next {
                *redirect = Some(std::mem::take(current));
                *redirect_next = false;
            } else if redirect.is_some() {
                return Err("put the redirection `> FILE` at the end of the command".to_string());
            } else {
                words.push(std::mem::take(current));
            }
        }
        *in_word = false;
        Ok(())
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => finish(
                &mut current,
                &mut in_word,
                &mut words,
                &mut redirect_next,
                &mut redirect,
            )?,
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => current.push(c),
                        None => return Err(unbalanced()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('$' | '`' | '"' | '\\')) => current.push(escaped),
                            Some('\n') => {}
                            Some(other) => {
                                current.push('\\');
                                current.push(other);
                            }
                            None => return Err(unbalanced()),
                        },
                        Some('$') => return Err(local_expansion(&mut chars, true)),
                        Some('`') => return Err(substitution()),
                        Some(c) => current.push(c),
                        None => return Err(unbalanced()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(escaped) => {
                    in_word = true;
                    current.push(escaped);
                }
                None => {}
            },
            '$' if chars.peek().is_some_and(|next| expands(*next)) => {
                return Err(local_expansion(&mut chars, false));
            }
            '`' => return Err(substitution()),
            '<' => {
                return Err("type one command: an unquoted `<` makes your shell feed a file to the command, which kubedrill does not grade (quote it if it belongs to an argument)".to_string());
            }
            ';' | '|' | '&' => {
                let operator: String = std::iter::once(c)
                    .chain(chars.next_if(|next| matches!(next, '|' | '&')))
                    .collect();
                return Err(format!(
                    "type one command: an unquoted `{operator}` ends the command there and starts another, which kubedrill does not grade (quote it if it belongs to an argument)"
                ));
            }
            '>' => {
                finish(
                    &mut current,
                    &mut in_word,
                    &mut words,
                    &mut redirect_next,
                    &mut redirect,
                )?;
                chars.next_if_eq(&'>');
                if redirect.is_some() || redirect_next {
                    return Err("the output can go to one file only".to_string());
                }
                redirect_next = true;
            }
            other => {
                in_word = true;
                current.push(other);
            }
        }
    }
    finish(
        &mut current,
        &mut in_word,
        &mut words,
        &mut redirect_next,
        &mut redirect,
    )?;
    if redirect_next {
        return Err("`>` needs a file name to write to".to_string());
    }
    Ok(Line { words, redirect })
}

fn unbalanced() -> String {
    "the command has an unbalanced quote: every ' and \" needs its partner".to_string()
}

fn substitution() -> String {
    "a command substitution in backquotes runs on your machine before the command starts; kubedrill grades the command alone".to_string()
}

/// Whether `$` followed by this character is expanded by the shell.
fn expands(next: char) -> bool {
    next.is_ascii_alphanumeric()
        || matches!(
            next,
            '_' | '{' | '(' | '@' | '*' | '#' | '?' | '!' | '$' | '-'
        )
}

fn local_expansion(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    in_double_quotes: bool,
) -> String {
    let mut name = String::from("$");
    while let Some(c) =
        chars.next_if(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '{' | '}' | '(' | ')'))
    {
        name.push(c);
    }
    let quoted = if in_double_quotes {
        "inside double quotes "
    } else {
        ""
    };
    format!(
        "`{name}` {quoted}is expanded by your own shell before kubectl runs, so the container never sees it (usually it becomes empty); put the words in single quotes ('…') so the container's shell expands it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(input: &str) -> Vec<String> {
        split(input).unwrap().words
    }

    #[test]
    fn quotes_and_escapes_are_removed_as_the_shell_does() {
        assert_eq!(
            words(r#"kubectl run bb -- sh -c 'echo $HOME; date' "a b" c\ d "\$X" #comment"#),
            [
                "kubectl",
                "run",
                "bb",
                "--",
                "sh",
                "-c",
                "echo $HOME; date",
                "a b",
                "c d",
                "$X"
            ]
        );
        assert_eq!(words("--from-literal=''"), ["--from-literal="]);
        assert_eq!(
            split("kubectl get po -o yaml > pod.yaml")
                .unwrap()
                .redirect
                .as_deref(),
            Some("pod.yaml")
        );
        assert_eq!(
            split("kubectl get po -o yaml >>out.yaml")
                .unwrap()
                .redirect
                .as_deref(),
            Some("out.yaml")
        );
    }

    #[test]
    fn what_only_the_local_shell_would_do_is_an_error_that_says_so() {
        let error = split("kubectl exec web -- sh -c \"echo $APP_COLOR\"").unwrap_err();
        assert!(
            error.starts_with("`$APP_COLOR` inside double quotes is expanded by your own shell"),
            "{error}"
        );
        assert!(
            split("kubectl exec web -- echo $APP_COLOR")
                .unwrap_err()
                .contains("`$APP_COLOR` is expanded")
        );
        let error =
            split("kubectl run t --image=busybox -- sh -c while true; do date; done").unwrap_err();
        assert!(error.contains("unquoted `;`"), "{error}");
        assert!(
            split("kubectl get pods | grep web")
                .unwrap_err()
                .contains("unquoted `|`")
        );
        assert!(
            split("kubectl get pods && echo ok")
                .unwrap_err()
                .contains("unquoted `&&`")
        );
        assert!(
            split("kubectl run x --image='busybox")
                .unwrap_err()
                .contains("unbalanced")
        );
        assert!(split("kubectl get po > a > b").is_err());
        // A dollar sign the shell leaves alone.
        assert_eq!(
            words("kubectl create secret generic s --from-literal=price=5$"),
            [
                "kubectl",
                "create",
                "secret",
                "generic",
                "s",
                "--from-literal=price=5$"
            ]
        );
    }
}

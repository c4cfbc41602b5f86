//! Command drills, graded by meaning, not by text: kubectl's own commands, and those of the
//! other tools a CKA task is typed with (kubeadm, etcdctl, helm…, see [`tools`]), one command or
//! a short procedure of several ([`steps`]).
//!
//! A typed command is split with shell quoting rules, then read against a table of kubectl's
//! commands and flags ([`spec`]) into a canonical [`Command`] ([`parse`]): resource short names
//! and plurals become one name, `TYPE/NAME` and `TYPE NAME` are the same, `--flag=v`, `--flag v`
//! and short flags are the same, flags kubectl treats as sets (`--from-literal`, `--env`)
//! compare as sets, a flag set to its default is the same as leaving it out, and the
//! container's words (after `--`) are compared word for word. Two canonical commands are then
//! compared and every difference explained ([`compare`]).
//!
//! Where `kubectl` is on PATH, commands that build an object from their own words are also
//! rendered by it offline and the objects compared ([`kubectl`]); the grader never needs it.

mod canonical;
mod compare;
mod kubectl;
mod parse;
mod shell;
mod spec;
mod steps;
mod tools;

pub use compare::differences;
pub use kubectl::Kubectl;
pub use parse::{Command, FlagValue, IgnoredFlag, Resource, Typed, parse, parse_words};
pub use spec::Ignored;
pub use steps::{Step, StepCommand, parse_steps, split_steps};
pub use tools::{TOOLS, ToolCommand};

use steps::sequence_differences;

use super::{CheckResult, GradeReport};
use crate::diagnostic::Severity;
use crate::manifest::diagnostic::{Diagnostic, Rule};
use crate::model::{Drill, ItemId};

/// The verdict on a typed command against a drill's accepted commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub correct: bool,
    /// What differs from the closest accepted command, or why the command cannot be read
    /// (empty when correct).
    pub differences: Vec<String>,
    /// Whether kubectl's rendering of the objects decided it.
    pub by_kubectl: bool,
    /// Flags of the answer left out of grading, and why (`--server`, `--profile-output`).
    pub ignored: Vec<IgnoredFlag>,
}

/// Compares a typed command (or a sequence of them) with the accepted ones (the reference
/// first).
pub fn judge(accepted: &[&str], answer: &str, kubectl: Option<&Kubectl>) -> Verdict {
    let unreadable = |differences: Vec<String>| Verdict {
        correct: false,
        differences,
        by_kubectl: false,
        ignored: Vec::new(),
    };
    let expected: Vec<Vec<Step>> = accepted
        .iter()
        .filter_map(|text| parse_steps(text).ok().map(|(steps, _)| steps))
        .collect();
    let (answer_steps, ignored) = match parse_steps(answer) {
        Ok(parsed) => parsed,
        Err(error) => {
            let one_step = expected.iter().all(|steps| steps.len() == 1);
            let texts = split_steps(answer);
            let several = texts.len() > 1;
            let starts_kubectl = texts.first().is_some_and(|text| {
                matches!(text.split_whitespace().next(), Some("kubectl" | "k"))
            });
            return unreadable(if one_step && several && starts_kubectl {
                // A one-command kubectl task: say what the shell does with the rest of the line.
                vec![parse(answer).err().unwrap_or(error.why)]
            } else if several {
                vec![
                    format!("step {}, `{}`:", error.index + 1, error.text),
                    error.why,
                ]
            } else {
                vec![error.why]
            });
        }
    };
    let mut closest: Option<((bool, usize), Vec<String>)> = None;
    for wanted in &expected {
        let found = sequence_differences(wanted, &answer_steps);
        if found.is_empty() {
            return Verdict {
                correct: true,
                differences: Vec::new(),
                by_kubectl: false,
                ignored,
            };
        }
        if let (Some(kubectl), [wanted], [given]) =
            (kubectl, wanted.as_slice(), answer_steps.as_slice())
            && let (StepCommand::Kubectl(wanted), StepCommand::Kubectl(given)) =
                (&wanted.command, &given.command)
            && same_by_kubectl(kubectl, wanted, given)
        {
            return Verdict {
                correct: true,
                differences: Vec::new(),
                by_kubectl: true,
                ignored,
            };
        }
        // The closest accepted command is one that runs the same commands, then the one with
        // the fewest differences: an answer to `helm install` is explained against the
        // `helm install` form, not an accepted `helm upgrade --install`.
        let heads = |steps: &[Step]| steps.iter().map(Step::head).collect::<Vec<_>>();
        let key = (heads(wanted) != heads(&answer_steps), found.len());
        if closest.as_ref().is_none_or(|(best, _)| key < *best) {
            closest = Some((key, found));
        }
    }
    let closest = closest.map(|(_, found)| found);
    Verdict {
        correct: false,
        differences: closest
            .unwrap_or_else(|| vec!["the drill has no command kubedrill can read".to_string()]),
        by_kubectl: false,
        ignored,
    }
}

/// kubectl is the authority on what a create command builds: the same object, printed the
/// same way, in the same namespace, is the same command.
fn same_by_kubectl(kubectl: &Kubectl, expected: &Command, answer: &Command) -> bool {
    if expected.path != answer.path
        || expected.redirect != answer.redirect
        || kubectl::NOT_RENDERED
            .iter()
            .any(|flag| expected.flags.get(flag) != answer.flags.get(flag))
    {
        return false;
    }
    match (kubectl.render(expected), kubectl.render(answer)) {
        (Some(wanted), Some(given)) => wanted == given,
        _ => false,
    }
}

/// Grades a typed command for a drill, as a report with one check.
pub fn grade_drill(id: &ItemId, drill: &Drill, command: &str, language: &str) -> GradeReport {
    let accepted: Vec<&str> = std::iter::once(drill.answer.as_str())
        .chain(drill.accept.iter().map(String::as_str))
        .collect();
    let verdict = judge(&accepted, command, Kubectl::detect().as_ref());
    let detail = if verdict.correct {
        None
    } else {
        // One difference a line, so each can be translated on its own (GradeReport::localized).
        Some(verdict.differences.join("\n"))
    };
    let check = CheckResult {
        id: "command".to_string(),
        passed: verdict.correct,
        weight: 1,
        message: drill.prompt.get(language).to_string(),
        detail,
        path: None,
        line: None,
    };
    GradeReport::new(
        id.to_string(),
        vec![check],
        ignored_flag_warnings(command, &verdict.ignored),
    )
}

/// One warning per flag the grader left out, at its column in the typed command.
pub fn ignored_flag_warnings(command: &str, ignored: &[IgnoredFlag]) -> Vec<Diagnostic> {
    ignored
        .iter()
        .map(|ignored| {
            let column = command
                .find(&ignored.flag)
                .map_or(1, |offset| command[..offset].chars().count() + 1);
            Diagnostic {
                document: 0,
                kind: None,
                name: None,
                severity: Severity::Warning,
                rule: Rule::IgnoredFlag,
                path: ignored.flag.clone(),
                line: 1,
                column,
                message: format!(
                    "{} is ignored: {}, so kubedrill never passes it to kubectl and it does not change what the command does",
                    ignored.flag,
                    ignored.why.reason()
                ),
                suggestion: None,
                help: Some("leave it out: a drill grades what the command does".to_string()),
                offset: command.find(&ignored.flag).unwrap_or(0),
                len: ignored.flag.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        judge(&[a], b, None).correct
    }

    fn why(expected: &str, answer: &str) -> Vec<String> {
        judge(&[expected], answer, None).differences
    }

    #[test]
    fn spellings_of_the_same_command_are_equal() {
        assert!(same(
            "kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod",
            "k create cm app-config --from-literal APP_MODE=prod --from-literal='APP_COLOR=blue'"
        ));
        assert!(same(
            "kubectl rollout undo deployment/frontend",
            "kubectl rollout undo deploy frontend"
        ));
        assert!(same(
            "kubectl set image deployment/frontend web=nginx:1.28",
            "kubectl -n default set image deployments frontend web=nginx:1.28 --record"
        ));
        assert!(same(
            "kubectl run my-app --image=ubuntu-sleeper -- 10",
            "kubectl run my-app --restart=Always --image ubuntu-sleeper -- 10"
        ));
        assert!(same("kubectl get pods -o wide", "kubectl get po -owide"));
        assert!(same(
            "kubectl create quota q -n dev --hard=requests.cpu=2,pods=10",
            "kubectl -n dev create resourcequota q --hard pods=10,requests.cpu=2"
        ));
        assert!(same(
            "kubectl create priorityclass high --value=1000 --description=\"payment services\"",
            "kubectl create pc high --description 'payment services' --value 1000"
        ));
        assert!(!same(
            "kubectl create priorityclass high --value=1000",
            "kubectl create priorityclass high --value=100"
        ));
        assert!(same(
            "kubectl get pods -o wide",
            "$ kubectl get pods -o wide"
        ));
    }

    #[test]
    fn selectors_are_compared_by_what_they_select() {
        assert!(same(
            "kubectl get pods -l app=web",
            "kubectl get po -l app==web"
        ));
        assert!(same(
            "kubectl get pods -l app=web,tier=frontend",
            "kubectl get pods --selector 'tier = frontend, app=web'"
        ));
        assert!(same(
            "kubectl get pods -l 'env in (prod,qa),!canary'",
            "kubectl get pods -l '!canary,env in (qa, prod)'"
        ));
        assert!(same(
            "kubectl get pods -l tier=web",
            "kubectl get pods -l 'tier in (web)'"
        ));
        assert!(same(
            "kubectl get pods --field-selector status.phase=Running",
            "kubectl get pods --field-selector=status.phase==Running"
        ));
        assert!(!same(
            "kubectl get pods -l app=web",
            "kubectl get pods -l app!=web"
        ));
        assert!(!same(
            "kubectl get pods -l app=web,tier=frontend",
            "kubectl get pods -l app=web"
        ));
        assert!(!same(
            "kubectl get pods -l 'env in (prod,qa)'",
            "kubectl get pods -l 'env notin (prod,qa)'"
        ));
    }

    #[test]
    fn the_difference_is_named_in_words() {
        assert_eq!(
            why(
                "kubectl rollout undo deployment/frontend --to-revision=2",
                "kubectl rollout undo deploy frontend --to-revision 3"
            ),
            ["--to-revision is `3`, but the task needs `2`"]
        );
        assert_eq!(
            why(
                "kubectl create configmap a --from-literal=K=V",
                "kubectl create configmap a --from-literal=K"
            ),
            ["`--from-literal` needs KEY=VALUE, not `K`"]
        );
        assert_eq!(
            why(
                "kubectl create configmap a --from-literal=K=V",
                "kubectl create configmap a --from-literal=K=W"
            ),
            ["--from-literal=K=W should be --from-literal=K=V"]
        );
        assert_eq!(
            why(
                "kubectl label pod web tier=frontend",
                "kubectl label pod web tier=frontend env=prod"
            ),
            ["env=prod is not asked for"]
        );
        assert!(
            why(
                "kubectl create configmap a --from-literal=K=V",
                "kubectl create configmap a --from-literals=K=V"
            )[0]
            .contains("did you mean --from-literal?")
        );
        assert!(
            why(
                "kubectl create configmap a --from-literal=K=V",
                "kubectl create configmap a --from-literal='K=V"
            )[0]
            .contains("unbalanced quote")
        );
    }

    #[test]
    fn command_and_args_are_told_apart() {
        let replaces = why(
            "kubectl run my-app --image=ubuntu-sleeper -- 10",
            "kubectl run my-app --image=ubuntu-sleeper --command -- 10",
        );
        assert_eq!(replaces.len(), 1);
        assert!(
            replaces[0].contains("replace the image's ENTRYPOINT"),
            "{replaces:?}"
        );
        let passes = why(
            "kubectl run bb --image=busybox --command -- sleep 3600",
            "kubectl run bb --image=busybox -- sleep 3600",
        );
        assert!(passes[0].contains("add --command"), "{passes:?}");
    }

    #[test]
    fn redirections_are_read_and_pipes_refused() {
        let expected = "kubectl run web --image=nginx --dry-run=client -o yaml > pod.yaml";
        assert!(same(
            expected,
            "kubectl run web --image=nginx --dry-run=client -oyaml >./pod.yaml"
        ));
        assert_eq!(
            why(
                expected,
                "kubectl run web --image=nginx --dry-run=client -o yaml > web.yaml"
            ),
            ["the output goes to `web.yaml`, but the task saves it to `pod.yaml`"]
        );
        assert!(
            why("kubectl get pods", "kubectl get pods | grep web")[0]
                .contains("unquoted `|` ends the command")
        );
    }

    #[test]
    fn an_incomplete_command_says_what_comes_next() {
        assert_eq!(
            parse("kubectl create secret db --from-literal=a=b").unwrap_err(),
            "`kubectl create secret` needs a subcommand (not `db`), one of `generic`, `tls`, `docker-registry`: `kubectl create secret generic …`"
        );
        assert_eq!(
            parse("kubectl create configmaps x").unwrap_err(),
            "kubedrill does not know the command `kubectl create configmaps`; did you mean `kubectl create configmap`?"
        );
    }
}

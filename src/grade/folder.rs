//! Folder exercises: the learner's file joins the exercise's other files in a fresh temporary
//! folder, the kustomization is checked for anything it would read or fetch outside that folder
//! ([`crate::manifest::kustomize`]: remote locations, absolute paths, Helm, plugins are refused
//! before anything runs), and the real `kubectl kustomize` builds it inside the sandbox. The
//! checks then grade the objects it built. Without kubectl the exercise cannot be graded, and
//! the report says so.

use crate::diagnostic::Severity;
use crate::manifest::diagnostic::{Diagnostic, Rule};
use crate::manifest::kustomize::{self, Build};
use crate::model::KustomizeTask;

/// The diagnostics of the learner's kustomization as it is typed: its fields and every
/// reference checked in the folder it joins, without running kubectl (quick enough to run as
/// the learner types).
pub fn check_answer(task: &KustomizeTask, answer: &str) -> Vec<Diagnostic> {
    let Ok(folder) = tempfile::tempdir() else {
        return Vec::new();
    };
    if write_folder(folder.path(), task, answer).is_err() {
        return Vec::new();
    }
    let top = folder.path().join(&task.build);
    match kustomize::check_tree_within(folder.path(), &top) {
        Ok(tree) => answer_diagnostics(&tree, task),
        Err(_) => Vec::new(),
    }
}

fn write_folder(root: &std::path::Path, task: &KustomizeTask, answer: &str) -> Result<(), String> {
    for (path, text) in task
        .files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .chain([(task.answer.as_str(), answer)])
    {
        // Paths were checked when the deck was loaded: relative, plain names only.
        let target = root.join(path);
        target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&target, text))
            .map_err(|error| format!("kubedrill could not write {path} to build it: {error}"))?;
    }
    Ok(())
}

fn answer_diagnostics(tree: &kustomize::Tree, task: &KustomizeTask) -> Vec<Diagnostic> {
    tree.files
        .iter()
        .filter(|file| file.path.ends_with(&task.answer))
        .flat_map(|file| file.diagnostics.iter().cloned())
        .collect()
}

/// What `kubectl kustomize` built from the folder with `answer` in it, or the diagnostics
/// that say why nothing was built (at the answer's lines where they are the answer's).
pub fn build_folder(task: &KustomizeTask, answer: &str) -> Result<String, Vec<Diagnostic>> {
    let folder = tempfile::tempdir().map_err(|error| {
        vec![failure(format!(
            "kubedrill could not make a folder to build in: {error}"
        ))]
    })?;
    let root = folder.path();
    write_folder(root, task, answer).map_err(|why| vec![failure(why)])?;
    let top = root.join(&task.build);
    let tree = kustomize::check_tree_within(root, &top)
        .map_err(|error| vec![failure(format!("the folder cannot be read: {error}"))])?;
    let own = answer_diagnostics(&tree, task);
    if !tree.buildable() {
        let mut refused: Vec<Diagnostic> = own
            .into_iter()
            .filter(|diagnostic| diagnostic.is_error())
            .collect();
        if refused.is_empty() {
            refused.push(failure(
                "the kustomization names something kubedrill does not let kustomize read"
                    .to_string(),
            ));
        }
        return Err(refused);
    }
    if let Some(error) = own.iter().find(|diagnostic| diagnostic.is_error()) {
        return Err(vec![error.clone()]);
    }
    let Some(kubectl) = crate::sandbox::find_kubectl() else {
        return Err(vec![failure(
            "kustomize exercises are built with the real `kubectl kustomize`, and kubectl is not on PATH: install kubectl (1.37) to grade this one"
                .to_string(),
        )]);
    };
    match kustomize::build(&kubectl, &top) {
        Build::Built(text) => Ok(text),
        // kustomize's own words, as code: they are not kubedrill's to translate.
        Build::Failed(reason) => Err(vec![failure(format!(
            "kubectl kustomize could not build the directory: `{}`",
            reason
                .replace(&root.to_string_lossy().into_owned(), ".")
                .replace('`', "'")
        ))]),
        Build::TimedOut => Err(vec![failure(format!(
            "kubectl kustomize did not finish within {} seconds, so it was stopped",
            kustomize::TIME_LIMIT.as_secs()
        ))]),
        Build::TooLarge => Err(vec![failure(format!(
            "kubectl kustomize printed more than {} bytes (1 MiB), more than kubedrill checks at a time",
            kustomize::MAX_OUTPUT_BYTES
        ))]),
    }
}

fn failure(message: String) -> Diagnostic {
    Diagnostic {
        document: 0,
        kind: None,
        name: None,
        severity: Severity::Error,
        rule: Rule::KustomizeBuild,
        path: String::new(),
        line: 1,
        column: 1,
        message,
        suggestion: None,
        help: None,
        offset: 0,
        len: 1,
    }
}

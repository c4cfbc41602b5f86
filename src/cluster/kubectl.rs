//! kubectl over the offline cluster: the words are read by the drill grader's parser (the same
//! flag table, generated from kubectl 1.37's `--help`), then run against the store, printing
//! what kubectl 1.37 prints, errors included.

mod describe;
mod describe_more;
mod describe_net;
mod exec;
mod generate;
mod get;
mod misc;
mod tables;
mod write;

use crate::cluster::At as _;
use serde_json::Value;

use super::objects::ApiError;
use super::sim::Cluster;
use crate::grade::command::{Typed, parse_words};
use crate::manifest::schema::{self as kinds, KindInfo};

/// What a command printed, and its exit status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    pub fn out(text: impl Into<String>) -> Output {
        Output {
            stdout: text.into(),
            ..Output::default()
        }
    }

    pub fn error(text: impl Into<String>) -> Output {
        let mut text = text.into();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Output {
            stderr: text,
            code: 1,
            ..Output::default()
        }
    }

    fn api(error: &ApiError) -> Output {
        Output::error(error.to_string())
    }

    /// Appends another command's output (several objects in one command).
    fn and(mut self, other: &Output) -> Output {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.code = self.code.max(other.code);
        self
    }
}

/// Opens an editor on a text and returns what was saved (`None`: quit without saving).
pub type Editor<'e> = &'e mut dyn FnMut(&str) -> Option<String>;

/// What every command needs: the cluster, the namespace it works in, and its flags.
pub(crate) struct Run<'c> {
    pub cluster: &'c mut Cluster,
    pub typed: Typed,
    pub namespace: String,
    pub all_namespaces: bool,
    pub stdin: Option<&'c str>,
}

impl Run<'_> {
    fn flag(&self, long: &str) -> Option<&str> {
        self.typed.flag(long)
    }
}

/// Runs `kubectl WORDS…` (the words after `kubectl`).
pub fn run(
    cluster: &mut Cluster,
    words: &[String],
    stdin: Option<&str>,
    editor: Editor<'_>,
) -> Output {
    let (command, typed) = match parse_words(words) {
        Ok(parsed) => parsed,
        Err(why) => return Output::error(kubectl_words(&why)),
    };
    let namespace = typed
        .flag("namespace")
        .map_or_else(|| cluster.namespace.clone(), str::to_string);
    let all_namespaces = typed.on("all-namespaces");
    let path: Vec<&str> = command.path.clone();
    let mut run = Run {
        cluster,
        typed,
        namespace,
        all_namespaces,
        stdin,
    };
    if path.first() != Some(&"config")
        && !path.starts_with(&["create", "namespace"])
        && run
            .cluster
            .objects
            .find("Namespace", "", &run.namespace)
            .is_err()
        && matches!(path.first(), Some(&("create" | "apply" | "run" | "expose")))
        && run.typed.flag("filename").is_none()
    {
        return Output::error(format!(
            "Error from server (NotFound): namespaces \"{}\" not found",
            run.namespace
        ));
    }
    // The API server warns on every request for v1 Endpoints (deprecated since 1.33).
    let endpoints_warning = matches!(
        path.first(),
        Some(&("get" | "describe" | "delete" | "edit" | "patch" | "label" | "annotate"))
    ) && run.typed.positional.first().is_some_and(|resources| {
        resources
            .split(',')
            .filter_map(|resource| resource.split('/').next())
            .any(|resource| kind_of(resource).is_ok_and(|info| info.kind == "Endpoints"))
    });
    let mut output = dispatch(&mut run, &path, editor);
    if endpoints_warning {
        output.stderr.insert_str(
            0,
            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n",
        );
    }
    output
}

/// The command `path` names, run.
fn dispatch(run: &mut Run<'_>, path: &[&str], editor: Editor<'_>) -> Output {
    match path {
        ["get"] => get::get(run),
        ["describe"] => describe::describe(run),
        ["logs"] => misc::logs(run),
        ["exec"] => exec::exec(run),
        ["events"] => misc::events(run, false),
        ["top", what] => misc::top(run, what),
        ["auth", "can-i"] => misc::can_i(run),
        ["config", what] => misc::config(run, what),
        ["version"] => Output::out(
            "Client Version: v1.37.1\nKustomize Version: v5.7.1\nServer Version: v1.37.1\n",
        ),
        ["cluster-info"] => Output::out(
            "Kubernetes control plane is running at https://controlplane:6443\nCoreDNS is running at https://controlplane:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
        ),
        ["explain"] => misc::explain(run),
        ["rollout", what] => misc::rollout(run, what),
        ["apply"] | ["create"] | ["replace"] => write::from_files(run, path[0]),
        ["delete"] => write::delete(run),
        ["edit"] => write::edit(run, editor),
        ["patch"] => write::patch(run),
        ["run"] => generate::run_pod(run),
        ["expose"] => generate::expose(run),
        ["scale"] => generate::scale(run),
        ["set", what] => generate::set(run, what),
        ["label"] => generate::metadata_pairs(run, "labels", "labeled"),
        ["annotate"] => generate::metadata_pairs(run, "annotations", "annotated"),
        ["taint"] => generate::taint(run),
        ["cordon"] => generate::cordon(run, true),
        ["uncordon"] => generate::cordon(run, false),
        ["drain"] => generate::drain(run),
        ["create", ..] => generate::create_sub(run, &path[1..]),
        other => Output::error(format!(
            "error: the offline cluster does not run `kubectl {}`",
            other.join(" ")
        )),
    }
}

/// The drill parser's explanation of a command kubectl refuses, in kubectl's own words where
/// kubectl says it differently (an unknown flag, an unknown resource type); its sentence
/// otherwise.
fn kubectl_words(why: &str) -> String {
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_string);
    if why.contains(" has no flag ") {
        // `kubectl get` has no flag --types; did you mean …
        let flag = why
            .split(" has no flag ")
            .nth(1)
            .and_then(|rest| rest.split([';', ' ']).next())
            .unwrap_or_default();
        let command = quoted(why).unwrap_or_default();
        let command = command.trim_start_matches("kubectl ");
        return format!("error: unknown flag: {flag}\nSee 'kubectl {command} --help' for usage.");
    }
    if why.contains("is not a resource type")
        && let Some(kind) = quoted(why)
    {
        return format!("error: the server doesn't have a resource type \"{kind}\"");
    }
    format!("error: {why}")
}

/// The Pod `TYPE/NAME` names for `kubectl logs` and `exec`: the Pod itself, or the first Pod a
/// workload's selector finds, as kubectl picks one. `none` is what to say when there is none.
pub(super) fn pod_for(
    run: &Run<'_>,
    kind: &str,
    name: &str,
    none: impl Fn(&KindInfo) -> String,
) -> Result<String, Output> {
    let info = kind_of(kind)?;
    if info.kind == "Pod" {
        return Ok(name.to_string());
    }
    let Ok(owner) = run.cluster.objects.find(info.kind, &run.namespace, name) else {
        return Err(Output::error(format!(
            "Error from server (NotFound): {} \"{name}\" not found",
            super::objects::Objects::resource_name(info.kind)
        )));
    };
    let selector = owner
        .at("/spec/selector")
        .map(super::labels::Selector::from_object)
        .unwrap_or_default();
    match run
        .cluster
        .objects
        .list("Pod", Some(&run.namespace), &selector)
        .first()
    {
        Some((key, _)) => Ok(key.name.clone()),
        None => Err(Output::error(none(info))),
    }
}

/// A resource type as typed (`po`, `deployments.apps`, `svc`) → its kind.
pub(crate) fn kind_of(typed: &str) -> Result<&'static KindInfo, Output> {
    let base = typed.split('.').next().unwrap_or(typed);
    kinds::kind_by_name(base, None).ok_or_else(|| {
        Output::error(format!(
            "error: the server doesn't have a resource type \"{typed}\""
        ))
    })
}

/// The kind a type word names, with `all` expanded as kubectl's category does.
pub(crate) fn kinds_of(word: &str) -> Result<Vec<&'static KindInfo>, Output> {
    let mut found = Vec::new();
    for part in word.split(',').filter(|part| !part.is_empty()) {
        if part.eq_ignore_ascii_case("all") {
            for kind in [
                "pods",
                "services",
                "daemonsets",
                "deployments",
                "replicasets",
                "statefulsets",
                "jobs",
                "cronjobs",
            ] {
                found.push(kind_of(kind)?);
            }
        } else {
            found.push(kind_of(part)?);
        }
    }
    Ok(found)
}

/// `TYPE NAME…`, `TYPE/NAME …` → (kind, names) pairs, in order.
pub(crate) fn targets(
    positional: &[String],
) -> Result<Vec<(&'static KindInfo, Option<String>)>, Output> {
    let mut out = Vec::new();
    let Some(first) = positional.first() else {
        return Ok(out);
    };
    if first.contains('/') {
        for word in positional {
            let Some((kind, name)) = word.split_once('/') else {
                return Err(Output::error(
                    "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
                ));
            };
            out.push((kind_of(kind)?, Some(name.to_string())));
        }
        return Ok(out);
    }
    let kinds = kinds_of(first)?;
    if positional.len() == 1 {
        out.extend(kinds.into_iter().map(|kind| (kind, None)));
    } else {
        for kind in kinds {
            for name in &positional[1..] {
                out.push((kind, Some(name.clone())));
            }
        }
    }
    Ok(out)
}

/// How kubectl names an object in messages: `pod/web`, `deployment.apps/web`.
pub(crate) fn qualified(info: &KindInfo, name: &str) -> String {
    let kind = info.kind.to_lowercase();
    match info.api_version.split_once('/') {
        Some((group, _)) => format!("{kind}.{group}/{name}"),
        None => format!("{kind}/{name}"),
    }
}

/// Where a relative path points: the exam machine's home directory.
pub fn absolute(path: &str) -> String {
    let path = path.trim();
    let joined = if path.starts_with('/') {
        path.to_string()
    } else if let Some(rest) = path.strip_prefix("~/") {
        format!("/root/{rest}")
    } else {
        format!("/root/{}", path.trim_start_matches("./"))
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

pub(crate) fn text<'v>(object: &'v Value, pointer: &str) -> &'v str {
    object
        .at(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

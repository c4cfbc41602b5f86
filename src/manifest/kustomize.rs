//! Kustomizations: a directory's `kustomization.yaml` checked offline, and the directory built
//! with the learner's own `kubectl kustomize` only when everything it names is safe to read.
//!
//! Words used here:
//! - the *tree* is the directory named on the command line; nothing outside it is read, and
//!   kustomize is not run on a kustomization that names anything outside it;
//! - a *kustomization* is one `kustomization.yaml` (or `.yml`, or `Kustomization`) of the tree:
//!   the one in the tree's top directory, and every one it reaches through `resources`,
//!   `bases` and `components`;
//! - a *refusal* is a [`Rule::RefusedSource`] error: a remote location, an absolute path, a
//!   path that does not exist (kustomize would try it as a remote location) or leaves the tree,
//!   Helm charts, a plugin or KRM function. One refusal anywhere and nothing is built.
//!
//! Checking a kustomization is [`check_tree`] (its fields against the schema in
//! `assets/schema/kustomization.json`, deprecated fields, and the refusals); building is
//! [`build`], which runs kubectl inside [`crate::sandbox`] with the load restrictor set to
//! `LoadRestrictionsRootOnly`. The built stream is then an ordinary stream for
//! [`super::check_with`], and [`Tree::source_of`] names the file each built object came from.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use super::diagnostic::{Diagnostic, Rule};
use super::schema::{self, Finding};
use super::yaml::{self, Node, Pos, Value};
use crate::diagnostic::Severity;
use crate::text::escape_controls;

/// The names kustomize looks for in a directory, in its order.
pub const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// How long `kubectl kustomize` may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(20);
/// The most of a build's output read: what `kubedrill check` reads of one file.
pub const MAX_OUTPUT_BYTES: u64 = yaml::MAX_INPUT_BYTES as u64;
/// The most kustomizations one tree may reach, and the most files it may name.
const MAX_KUSTOMIZATIONS: usize = 64;
const MAX_FILES: usize = 1000;

/// Annotations that make a transformer, generator or validator config a KRM function.
const FUNCTION_ANNOTATIONS: [&str; 2] = ["config.kubernetes.io/function", "config.k8s.io/function"];

/// Whether `path` names a kustomization file (by its file name).
pub fn is_kustomization_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| FILE_NAMES.contains(&name))
}

/// The kustomization file in `dir`, if it has one.
pub fn file_in(dir: &Path) -> Option<PathBuf> {
    FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
}

/// The tree a command-line argument names: a directory, or a kustomization file's directory.
/// `None` when the argument is neither.
pub fn tree_of(argument: &Path) -> Option<PathBuf> {
    if argument.is_dir() {
        return Some(argument.to_path_buf());
    }
    if is_kustomization_file(argument) {
        return Some(match argument.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        });
    }
    None
}

/// One kustomization file of the tree, as read and checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file, under the tree as the learner named it (`app/base/kustomization.yaml`).
    pub path: PathBuf,
    /// Its text (empty when it could not be read; then `diagnostics` says why).
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a built object came from: a resource file, or the generator of a kustomization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: String,
    pub name: String,
    /// As shown to the learner, under the tree.
    pub file: PathBuf,
}

/// A tree's kustomizations, checked.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The directory named on the command line.
    pub root: PathBuf,
    /// The top kustomization first, then each one it reaches.
    pub files: Vec<Checked>,
    /// The objects the resource files declare and the generators make.
    pub sources: Vec<Source>,
    /// Every kustomization was read and every reference in it was seen: without that, a
    /// reference kubedrill could not see might be remote, so nothing is built.
    complete: bool,
}

impl Tree {
    /// Whether kustomize may be run on the tree: everything was read and nothing refused.
    pub fn buildable(&self) -> bool {
        self.complete
            && !self
                .files
                .iter()
                .flat_map(|file| &file.diagnostics)
                .any(|diagnostic| diagnostic.rule == Rule::RefusedSource)
    }

    /// The file a built object came from, matched by kind and name: the name as written, or
    /// inside a longer one (kustomize adds `namePrefix`, `nameSuffix` and a generated object's
    /// hash). `None` when no file, or more than one, could be it.
    pub fn source_of(&self, kind: &str, name: &str) -> Option<&Path> {
        let same_kind = || {
            self.sources
                .iter()
                .filter(move |source| source.kind == kind)
        };
        let exact: Vec<&Source> = same_kind().filter(|source| source.name == name).collect();
        let candidates = if exact.is_empty() {
            let longest = same_kind()
                .filter(|source| !source.name.is_empty() && name.contains(&source.name))
                .map(|source| source.name.len())
                .max()?;
            same_kind()
                .filter(|source| source.name.len() == longest && name.contains(&source.name))
                .collect()
        } else {
            exact
        };
        let first = candidates.first()?;
        candidates
            .iter()
            .all(|source| source.file == first.file)
            .then_some(first.file.as_path())
    }
}

/// Reads and checks the kustomization of `root` (a directory that has one) and every
/// kustomization it reaches inside the tree.
pub fn check_tree(root: &Path) -> std::io::Result<Tree> {
    check_tree_within(root, root)
}

/// Reads and checks the kustomization of `top` (a directory inside `root` that has one) and
/// every kustomization it reaches inside `root`: an overlay in `overlays/prod` may name
/// `../../base` when the tree is the folder that holds both.
pub fn check_tree_within(root: &Path, top: &Path) -> std::io::Result<Tree> {
    let canonical_root = std::fs::canonicalize(root)?;
    let canonical_top = std::fs::canonicalize(top)?;
    if !canonical_top.starts_with(&canonical_root) {
        return Err(std::io::Error::other(
            "the kustomization is outside the tree",
        ));
    }
    let mut walk = Walk {
        root: root.to_path_buf(),
        canonical_root,
        files: Vec::new(),
        sources: Vec::new(),
        complete: true,
        queued: HashSet::from([canonical_top.clone()]),
        queue: vec![canonical_top],
        files_named: 0,
    };
    while let Some(dir) = walk.queue.pop() {
        walk.kustomization(&dir);
    }
    Ok(Tree {
        root: walk.root,
        files: walk.files,
        sources: walk.sources,
        complete: walk.complete,
    })
}

/// How a build ended.
#[derive(Debug)]
pub enum Build {
    /// The built stream.
    Built(String),
    /// kubectl refused (its own message), or could not be run.
    Failed(String),
    /// Still running at [`TIME_LIMIT`]; killed.
    TimedOut,
    /// It printed more than [`MAX_OUTPUT_BYTES`].
    TooLarge,
}

/// Runs `kubectl kustomize` on `root` inside [`crate::sandbox`]. Call it only for a tree that
/// is [`Tree::buildable`].
pub fn build(kubectl: &Path, root: &Path) -> Build {
    let root = match std::fs::canonicalize(root) {
        Ok(root) => root,
        Err(error) => return Build::Failed(error.to_string()),
    };
    let arguments = vec![
        "kustomize".to_string(),
        root.to_string_lossy().into_owned(),
        "--load-restrictor".to_string(),
        "LoadRestrictionsRootOnly".to_string(),
        crate::sandbox::NO_SERVER.to_string(),
    ];
    let limits = crate::sandbox::Limits {
        time: TIME_LIMIT,
        stdout_bytes: MAX_OUTPUT_BYTES,
        stderr_bytes: 16 * 1024,
    };
    match crate::sandbox::run(kubectl, &arguments, limits) {
        Err(crate::sandbox::Failure::TimedOut) => Build::TimedOut,
        Err(crate::sandbox::Failure::Start(error)) => Build::Failed(error.to_string()),
        Ok(ran) if ran.stdout_cut => Build::TooLarge,
        Ok(ran) if !ran.status.success() => {
            let said = String::from_utf8_lossy(&ran.stderr);
            let said = klog_error(said.trim());
            let said = said.trim().trim_start_matches("error: ").trim();
            Build::Failed(if said.is_empty() {
                format!("kubectl ended with {}", ran.status)
            } else {
                escape_controls(said).into_owned()
            })
        }
        Ok(ran) => match String::from_utf8(ran.stdout) {
            Ok(text) => Build::Built(text),
            Err(_) => Build::Failed("its output is not UTF-8 text".to_string()),
        },
    }
}

/// kubectl 1.37 reports a failed command as a klog line
/// (`E1207 18:36:46.185282 5366 run.go:72] "command failed" err="…"`): its `err` value is the
/// message, the rest is a timestamp and a process id that change every run.
fn klog_error(said: &str) -> String {
    let Some(start) = said.find("] \"command failed\" err=\"") else {
        return said.to_string();
    };
    let quoted = &said[start + "] \"command failed\" err=\"".len()..];
    let quoted = quoted.strip_suffix('"').unwrap_or(quoted);
    let mut message = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('"' | '\\'))) => {
                message.push(next);
                chars.next();
            }
            _ => message.push(c),
        }
    }
    message
}

/// The schema of a kustomization file.
fn kustomization_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(|| {
        serde_json::from_str(include_str!("../../assets/schema/kustomization.json"))
            .expect("assets/schema/kustomization.json is JSON")
    })
}

/// Deprecated fields, what replaces each, and why it matters.
const DEPRECATED: [(&str, &str, &str); 6] = [
    (
        "commonLabels",
        "labels",
        "commonLabels also changes selectors, which cannot change on a running Deployment; `labels:` with `pairs:` leaves them alone unless `includeSelectors: true`",
    ),
    (
        "patchesStrategicMerge",
        "patches",
        "`patches:` takes the same patch files (`- path: FILE`) and inline patches (`- patch: |-`), with an optional `target:`",
    ),
    (
        "patchesJson6902",
        "patches",
        "`patches:` takes the same JSON 6902 patches, each with its `target:` and `path:` or `patch:`",
    ),
    (
        "bases",
        "resources",
        "a base is listed under `resources:` like any other directory",
    ),
    ("imageTags", "images", "`images:` takes the same entries"),
    (
        "vars",
        "replacements",
        "`replacements:` copies a field from one object into others, as vars did",
    ),
];

/// Fields whose every entry is a file (or a directory, for resources and components).
enum Entry {
    /// A resource: a file of objects, or a directory with a kustomization.
    Resource,
    /// A component: a directory with a kustomization.
    Component,
    /// A file kustomize reads (a patch, a CRD, an env file, an OpenAPI schema).
    File,
    /// A generator, transformer or validator: a file of plugin configs, or an inline config.
    Plugin,
    /// A strategic-merge patch: a file, or the patch written inline.
    FileOrInline,
}

/// The refusal of one reference.
#[derive(Debug, Clone, Copy)]
enum Refused {
    Remote,
    Absolute,
    Missing,
    Outside,
}

struct Walk {
    root: PathBuf,
    canonical_root: PathBuf,
    files: Vec<Checked>,
    sources: Vec<Source>,
    complete: bool,
    queued: HashSet<PathBuf>,
    queue: Vec<PathBuf>,
    files_named: usize,
}

/// One kustomization being checked.
struct Current {
    /// Its directory (canonical).
    dir: PathBuf,
    /// Its file, as shown.
    shown: PathBuf,
    kind: String,
    diagnostics: Vec<Diagnostic>,
}

impl Current {
    fn report(
        &mut self,
        rule: Rule,
        at: Pos,
        path: &str,
        message: String,
        help: Option<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic {
            document: 0,
            kind: Some(self.kind.clone()),
            name: None,
            severity: Severity::Error,
            rule,
            path: path.to_string(),
            line: at.line,
            column: at.column,
            message,
            suggestion: None,
            help,
            offset: at.offset,
            len: at.len.max(1),
        });
        self.diagnostics.last_mut().expect("just pushed")
    }
}

impl Walk {
    /// The path under the tree as the learner named it, for a canonical path inside the tree.
    fn shown(&self, canonical: &Path) -> PathBuf {
        match canonical.strip_prefix(&self.canonical_root) {
            Ok(relative) if relative.as_os_str().is_empty() => self.root.clone(),
            Ok(relative) => self.root.join(relative),
            Err(_) => canonical.to_path_buf(),
        }
    }

    fn kustomization(&mut self, dir: &Path) {
        let Some(file) = file_in(dir) else {
            // A directory under `resources` without a kustomization: kustomize says so itself.
            return;
        };
        let shown = self.shown(&file);
        let text = match crate::bounded_read::regular_file(&file, yaml::MAX_INPUT_BYTES as u64 + 1)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
        {
            Some(text) => text,
            None => {
                self.complete = false;
                let mut current = Current {
                    dir: dir.to_path_buf(),
                    shown: shown.clone(),
                    kind: "Kustomization".to_string(),
                    diagnostics: Vec::new(),
                };
                current.report(
                    Rule::RefusedSource,
                    Pos {
                        line: 1,
                        column: 1,
                        ..Pos::default()
                    },
                    "",
                    "this kustomization file cannot be read as UTF-8 text of at most 1 MiB, so kubedrill does not build the directory".to_string(),
                    None,
                );
                self.files.push(Checked {
                    path: shown,
                    text: String::new(),
                    diagnostics: current.diagnostics,
                });
                return;
            }
        };
        let diagnostics = self.check_text(dir, &shown, &text);
        self.files.push(Checked {
            path: shown,
            text,
            diagnostics,
        });
    }

    fn check_text(&mut self, dir: &Path, shown: &Path, text: &str) -> Vec<Diagnostic> {
        let documents = match yaml::parse(text) {
            Ok(documents) => documents,
            Err(_) => {
                // The YAML error itself, as `check` reports it for any file.
                self.complete = false;
                return super::check(text, super::Version::pinned()).diagnostics;
            }
        };
        let Some(document) = documents.first() else {
            return Vec::new();
        };
        let root = &document.root;
        let kind = root
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or("Kustomization")
            .to_string();
        let mut current = Current {
            dir: dir.to_path_buf(),
            shown: shown.to_path_buf(),
            kind,
            diagnostics: Vec::new(),
        };
        if documents.len() > 1 {
            let at = documents[1].root.at;
            current.report(
                Rule::NotAnObject,
                at,
                "",
                "a kustomization file holds one document; kustomize reads only the first"
                    .to_string(),
                None,
            );
        }
        if !matches!(root.value, Value::Map(_)) {
            self.complete = false;
            current.report(
                Rule::NotAnObject,
                root.at,
                "",
                format!(
                    "a kustomization is a map of fields such as resources and patches; this one is {}",
                    root.value.describe()
                ),
                None,
            );
            return current.diagnostics;
        }
        for finding in schema::check_against(root, kustomization_schema()) {
            push_finding(&mut current, finding);
        }
        self.api_version(root, &mut current);
        for (field, replacement, help) in DEPRECATED {
            if let Some((key, _)) = root.entry(field) {
                let diagnostic = current.report(
                    Rule::DeprecatedField,
                    key.at,
                    field,
                    format!("`{field}` is deprecated: use `{replacement}`"),
                    Some(help.to_string()),
                );
                diagnostic.severity = Severity::Warning;
            }
        }
        self.references(root, &mut current);
        current
            .diagnostics
            .sort_by_key(|diagnostic| (diagnostic.line, diagnostic.column));
        current.diagnostics
    }

    /// A Component is `v1alpha1`, a Kustomization `v1beta1` (each may be left out).
    fn api_version(&self, root: &Node, current: &mut Current) {
        let Some(node) = root.get("apiVersion") else {
            return;
        };
        let Some(written) = node.as_str() else { return };
        let expected = if current.kind == "Component" {
            "kustomize.config.k8s.io/v1alpha1"
        } else {
            "kustomize.config.k8s.io/v1beta1"
        };
        let known = [
            "kustomize.config.k8s.io/v1beta1",
            "kustomize.config.k8s.io/v1alpha1",
        ];
        if written != expected && known.contains(&written) {
            let kind = current.kind.clone();
            let diagnostic = current.report(
                Rule::WrongApiVersion,
                node.at,
                "apiVersion",
                format!("{kind} is in apiVersion `{expected}`, not `{written}`"),
                None,
            );
            diagnostic.suggestion = Some(expected.to_string());
        }
    }

    /// Every path and location the kustomization names, and the fields that run programs.
    fn references(&mut self, root: &Node, current: &mut Current) {
        for field in ["helmCharts", "helmGlobals", "helmChartInflationGenerator"] {
            if let Some((key, _)) = root.entry(field) {
                current.report(
                    Rule::RefusedSource,
                    key.at,
                    field,
                    format!("`{field}` inflates Helm charts, which needs the helm program and often the network; kubedrill does not build this directory"),
                    Some("render the chart yourself with `helm template` and list the file it writes under `resources:`".to_string()),
                );
            }
        }
        for (field, entry) in [
            ("resources", Entry::Resource),
            ("bases", Entry::Resource),
            ("components", Entry::Component),
            ("crds", Entry::File),
            ("configurations", Entry::File),
            ("patchesStrategicMerge", Entry::FileOrInline),
            ("generators", Entry::Plugin),
            ("transformers", Entry::Plugin),
            ("validators", Entry::Plugin),
        ] {
            for (index, item) in items(root, field) {
                let path = format!("{field}[{index}]");
                self.entry(item, &entry, &path, current);
            }
        }
        for field in ["patches", "patchesJson6902", "replacements"] {
            for (index, item) in items(root, field) {
                if let Some(node) = item.get("path") {
                    self.entry(
                        node,
                        &Entry::File,
                        &format!("{field}[{index}].path"),
                        current,
                    );
                }
            }
        }
        if let Some(node) = root.at_path(&["openapi", "path"]) {
            self.entry(node, &Entry::File, "openapi.path", current);
        }
        for (field, kind) in [
            ("configMapGenerator", "ConfigMap"),
            ("secretGenerator", "Secret"),
        ] {
            for (index, item) in items(root, field) {
                if let Some(name) = item.get("name").and_then(Node::as_str) {
                    self.sources.push(Source {
                        kind: kind.to_string(),
                        name: name.to_string(),
                        file: current.shown.clone(),
                    });
                }
                for list in ["files", "envs"] {
                    for (position, node) in items(item, list) {
                        // `files` entries may be `KEY=PATH`.
                        let path = format!("{field}[{index}].{list}[{position}]");
                        match node.as_str().and_then(|text| text.split_once('=')) {
                            Some((_, file)) if list == "files" => {
                                self.path(file, node.at, &Entry::File, &path, current);
                            }
                            _ => self.entry(node, &Entry::File, &path, current),
                        }
                    }
                }
                if let Some(node) = item.get("env") {
                    self.entry(
                        node,
                        &Entry::File,
                        &format!("{field}[{index}].env"),
                        current,
                    );
                }
            }
        }
    }

    fn entry(&mut self, node: &Node, entry: &Entry, path: &str, current: &mut Current) {
        let Some(text) = node.as_str() else {
            // Not a string: the schema reported it, and kustomize will refuse the file.
            return;
        };
        let inline = text.contains('\n');
        match entry {
            Entry::FileOrInline if inline => {}
            Entry::Plugin if inline => self.plugin_configs(text, node.at, path, current),
            _ => self.path(text, node.at, entry, path, current),
        }
    }

    /// One path: refused, or followed (a directory is queued, a file read for what it holds).
    fn path(&mut self, written: &str, at: Pos, entry: &Entry, path: &str, current: &mut Current) {
        self.files_named += 1;
        if self.files_named > MAX_FILES {
            // Said once, at the first path past the limit.
            if self.files_named == MAX_FILES + 1 {
                current.report(
                    Rule::RefusedSource,
                    at,
                    path,
                    format!("the kustomizations of this directory name more than {MAX_FILES} paths, more than kubedrill follows; it does not build the directory"),
                    None,
                );
            }
            return;
        }
        let target = match self.resolve(&current.dir, written) {
            Ok(target) => target,
            Err(refused) => {
                let resource = matches!(entry, Entry::Resource | Entry::Component);
                self.refuse(refused, resource, written, at, path, current);
                return;
            }
        };
        let is_dir = target.is_dir();
        match entry {
            Entry::Resource | Entry::Component if is_dir => {
                if !self.queued.contains(&target) {
                    if self.queued.len() >= MAX_KUSTOMIZATIONS {
                        current.report(
                            Rule::RefusedSource,
                            at,
                            path,
                            format!("this directory reaches more than {MAX_KUSTOMIZATIONS} kustomizations, more than kubedrill follows; it does not build the directory"),
                            None,
                        );
                    } else {
                        self.queued.insert(target.clone());
                        self.queue.push(target);
                    }
                }
            }
            Entry::Resource => self.record_objects(&target),
            Entry::Plugin if is_dir => {
                current.report(
                    Rule::RefusedSource,
                    at,
                    path,
                    format!("`{}` is a directory; kubedrill reads generator, transformer and validator configs only from files, so it does not build this directory", escape_controls(written)),
                    None,
                );
            }
            Entry::Plugin => match read_text(&target) {
                Some(text) => self.plugin_configs(&text, at, path, current),
                None => self.unreadable_config(at, path, current),
            },
            Entry::Component | Entry::File | Entry::FileOrInline => {}
        }
    }

    /// Where `written` leads from `dir`, when it stays inside the tree and exists.
    fn resolve(&self, dir: &Path, written: &str) -> Result<PathBuf, Refused> {
        if looks_remote(written) {
            return Err(Refused::Remote);
        }
        let relative = Path::new(written);
        if relative.is_absolute() || written.starts_with('~') {
            return Err(Refused::Absolute);
        }
        // `..` that climbs out is refused before looking, so nothing outside is even touched.
        let mut depth = dir
            .strip_prefix(&self.canonical_root)
            .map(|inside| inside.components().count() as isize)
            .unwrap_or(0);
        for component in relative.components() {
            match component {
                Component::ParentDir => depth -= 1,
                Component::Normal(_) => depth += 1,
                _ => {}
            }
            if depth < 0 {
                return Err(Refused::Outside);
            }
        }
        let target = std::fs::canonicalize(dir.join(relative)).map_err(|_| Refused::Missing)?;
        // A symbolic link inside the tree may still lead out of it.
        if !target.starts_with(&self.canonical_root) {
            return Err(Refused::Outside);
        }
        Ok(target)
    }

    fn refuse(
        &self,
        refused: Refused,
        resource: bool,
        written: &str,
        at: Pos,
        path: &str,
        current: &mut Current,
    ) {
        let written = escape_controls(written);
        let root = escape_controls(&self.root.to_string_lossy()).into_owned();
        let (message, help) = match refused {
            Refused::Remote => (
                format!("`{written}` is a remote location; kubedrill never lets kustomize fetch anything, so it does not build this directory"),
                "copy what you need into the directory and list it by its relative path".to_string(),
            ),
            Refused::Absolute => (
                format!("`{written}` is an absolute path; kubedrill builds only what is inside the directory it was given, so it does not build this directory"),
                "write the path relative to this kustomization file".to_string(),
            ),
            Refused::Missing if resource => (
                format!("`{written}` does not exist here; kustomize would try to fetch it as a remote location, so kubedrill does not build this directory"),
                "paths are relative to the directory of this kustomization file".to_string(),
            ),
            Refused::Missing => (
                format!("`{written}` does not exist here, so kubedrill does not build this directory"),
                "paths are relative to the directory of this kustomization file".to_string(),
            ),
            Refused::Outside => (
                format!("`{written}` is outside `{root}`, the directory given to kubedrill check, so kubedrill does not build it"),
                "kubedrill builds only what is inside the directory named on the command line: name a directory that holds everything this kustomization uses".to_string(),
            ),
        };
        current.report(Rule::RefusedSource, at, path, message, Some(help));
    }

    /// Records the kind and name of each object of a resource file, for [`Tree::source_of`].
    fn record_objects(&mut self, file: &Path) {
        let Some(text) = read_text(file) else { return };
        let Ok(documents) = yaml::parse(&text) else {
            return;
        };
        let shown = self.shown(file);
        for document in documents {
            let (Some(kind), Some(name)) = (
                document.root.get("kind").and_then(Node::as_str),
                document
                    .root
                    .at_path(&["metadata", "name"])
                    .and_then(Node::as_str),
            ) else {
                continue;
            };
            self.sources.push(Source {
                kind: kind.to_string(),
                name: name.to_string(),
                file: shown.clone(),
            });
        }
    }

    /// A plugin config kubedrill cannot read may hide a plugin: nothing is built.
    fn unreadable_config(&mut self, at: Pos, path: &str, current: &mut Current) {
        current.report(
            Rule::RefusedSource,
            at,
            path,
            "kubedrill cannot read this config as YAML (UTF-8, at most 1 MiB) to see which plugin it configures, so it does not build this directory".to_string(),
            None,
        );
    }

    /// Generator, transformer and validator configs: only kustomize's builtin plugins, which
    /// run no program. A KRM function or an exec plugin is refused.
    fn plugin_configs(&mut self, text: &str, at: Pos, path: &str, current: &mut Current) {
        let Ok(documents) = yaml::parse(text) else {
            self.unreadable_config(at, path, current);
            return;
        };
        for document in documents {
            let root = &document.root;
            let function = FUNCTION_ANNOTATIONS.iter().find(|annotation| {
                root.at_path(&["metadata", "annotations", annotation])
                    .is_some()
            });
            let api_version = root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
            let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
            let message = match function {
                Some(annotation) => format!(
                    "this configures a KRM function (the annotation `{annotation}`), which runs a program; kubedrill does not build this directory"
                ),
                None if api_version != "builtin" => format!(
                    "this configures a plugin (apiVersion `{}`, kind `{}`) that is not one of kustomize's builtin plugins and would run a program; kubedrill does not build this directory",
                    escape_controls(api_version),
                    escape_controls(kind)
                ),
                None => continue,
            };
            current.report(
                Rule::RefusedSource,
                at,
                path,
                message,
                Some("only kustomize's builtin plugins (apiVersion: builtin) are built; most of them have a field of their own, such as patches or images".to_string()),
            );
        }
    }
}

fn push_finding(current: &mut Current, mut finding: Finding) {
    if finding.rule == Rule::UnknownField && finding.suggestion.is_some() {
        finding.help =
            Some("kustomize refuses a kustomization with a field it does not know".to_string());
    }
    let warning = finding.warning;
    let diagnostic = current.report(
        finding.rule,
        finding.at,
        &finding.path.to_string(),
        finding.message,
        finding.help,
    );
    diagnostic.suggestion = finding.suggestion;
    if warning {
        diagnostic.severity = Severity::Warning;
    }
}

/// A file inside the tree as text, when it is a regular UTF-8 file of at most 1 MiB.
/// The items of the list `parent.field`, with their indexes (none when it is missing or not a
/// list).
fn items<'n>(parent: &'n Node, field: &str) -> impl Iterator<Item = (usize, &'n Node)> {
    parent
        .get(field)
        .map(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
}

fn read_text(path: &Path) -> Option<String> {
    crate::bounded_read::regular_file(path, yaml::MAX_INPUT_BYTES as u64)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
}

/// What kustomize would fetch rather than read: URLs, `git@host:`, `github.com/…`, `?ref=`.
fn looks_remote(written: &str) -> bool {
    let lower = written.trim().to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("git@")
        || lower.starts_with("git::")
        || lower.starts_with("gh:")
        || lower.contains("?ref=")
        || lower.contains("?version=")
        || lower.contains("?submodules=")
        || lower.contains("?timeout=")
        || [
            "github.com",
            "gitlab.com",
            "bitbucket.org",
            "dev.azure.com",
            "ssh.dev.azure.com",
        ]
        .iter()
        .any(|host| lower.starts_with(host))
}

#[cfg(test)]
mod klog_tests {
    #[test]
    fn a_klog_line_is_read_for_its_message() {
        assert_eq!(
            super::klog_error(
                r#"E1207 18:36:46.185282    5366 run.go:72] "command failed" err="accumulating components: loader.New \"must build at directory: './x': file is not directory\"""#
            ),
            r#"accumulating components: loader.New "must build at directory: './x': file is not directory""#
        );
        assert_eq!(super::klog_error("error: plain"), "error: plain");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_locations_are_recognized_in_every_spelling() {
        for remote in [
            "https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0",
            "github.com/kubernetes-sigs/kustomize/examples/helloWorld",
            "git@github.com:owner/repo.git",
            "ssh://git@example.com/repo",
            "git::https://example.com/repo",
            "example/repo?ref=main",
            "HTTP://EXAMPLE.COM/x.yaml",
        ] {
            assert!(looks_remote(remote), "{remote}");
        }
        for local in [
            "deployment.yaml",
            "../base",
            "base/",
            "my-github.com-notes.yaml",
        ] {
            assert!(!looks_remote(local), "{local}");
        }
    }

    #[test]
    fn the_schema_is_valid_json_with_every_documented_field() {
        let schema = kustomization_schema();
        let properties = schema["properties"].as_object().unwrap();
        for field in [
            "resources",
            "components",
            "namespace",
            "namePrefix",
            "nameSuffix",
            "commonLabels",
            "labels",
            "commonAnnotations",
            "images",
            "replicas",
            "patches",
            "patchesStrategicMerge",
            "patchesJson6902",
            "configMapGenerator",
            "secretGenerator",
            "generatorOptions",
            "crds",
            "openapi",
            "helmCharts",
            "buildMetadata",
            "sortOptions",
            "transformers",
            "generators",
            "validators",
            "bases",
        ] {
            assert!(properties.contains_key(field), "{field}");
        }
    }

    #[test]
    fn a_built_object_is_traced_through_a_prefix_and_a_hash() {
        let tree = Tree {
            root: PathBuf::from("app"),
            files: Vec::new(),
            sources: vec![
                Source {
                    kind: "Deployment".into(),
                    name: "web".into(),
                    file: PathBuf::from("app/base/deployment.yaml"),
                },
                Source {
                    kind: "ConfigMap".into(),
                    name: "web-config".into(),
                    file: PathBuf::from("app/kustomization.yaml"),
                },
            ],
            complete: true,
        };
        assert_eq!(
            tree.source_of("Deployment", "prod-web"),
            Some(Path::new("app/base/deployment.yaml"))
        );
        assert_eq!(
            tree.source_of("ConfigMap", "prod-web-config-7g2h5k8"),
            Some(Path::new("app/kustomization.yaml"))
        );
        assert_eq!(tree.source_of("Service", "web"), None);
    }
}

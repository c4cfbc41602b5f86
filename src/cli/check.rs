//! `kubedrill check FILE... | DIR | -`: strict manifest check, per the CLI contract (design.md §4).
//!
//! A directory (or a file named `kustomization.yaml`) is a kustomization: each kustomization
//! file of the tree is one entry (its own fields, deprecated fields, and what kubedrill refuses
//! to let kustomize read or run); then, when nothing was refused and kubectl is on PATH, the
//! directory is built with `kubectl kustomize` and the stream it prints is one more entry,
//! `DIR (built)`. Each built object is traced to the file it came from: in text, a note under
//! each of its diagnostics; in JSON, the entry's `sources` (design.md §4 leaves the diagnostic's
//! own fields as they are). Without kubectl the build is a warning, not an error.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::{CliError, Format, Lang, Outcome, say};
use crate::diagnostic::{Severity, use_color};
use crate::manifest::{self, Diagnostic, Rule, Version, diagnostic::render_text, kustomize};
use crate::text::escape_controls;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Manifest files (YAML or JSON, several documents each); `-` reads standard input; a
    /// directory (or a kustomization.yaml) is a kustomization, checked and built with kubectl
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Check against the API server rules of this Kubernetes version [default: the pinned one]
    #[arg(long = "k8s-version", value_name = "V", value_parser = parse_version)]
    pub version: Option<Version>,
    /// A custom resource kubedrill has no schema for is an error, not a warning
    #[arg(long = "strict-kinds")]
    pub strict_kinds: bool,
}

fn parse_version(text: &str) -> Result<Version, String> {
    text.parse()
}

/// A file's text, or why it could not be read (an I/O problem is exit 2, not a finding).
pub(crate) fn read_input(path: &std::path::Path) -> io::Result<String> {
    let limit = manifest::yaml::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut bytes)?;
    } else {
        // Regular files only, never blocking: a FIFO or a device named here would hang the
        // read or never end it. Standard input (`-`) is where piped text goes.
        bytes = crate::bounded_read::regular_file(path, limit).map_err(|error| match error {
            crate::bounded_read::ReadError::Io(error) => error,
            crate::bounded_read::ReadError::NotRegular(what) => io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{what}, not a regular file (to check piped text, pipe it into `kubedrill check -`)"),
            ),
            crate::bounded_read::ReadError::TooLarge { .. } => io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "larger than {} bytes (1 MiB), the most kubedrill checks at a time",
                    manifest::yaml::MAX_INPUT_BYTES
                ),
            ),
        })?;
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid = error.utf8_error().valid_up_to();
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not UTF-8 text (invalid byte at offset {valid})"),
        )
    })
}

/// `check --format json` (design.md §4): one object for every file given.
#[derive(Debug, Serialize)]
struct CheckJson {
    valid: bool,
    files: Vec<FileJson>,
}

/// One file's verdict; `error` when it could not be read (then it has no diagnostics).
#[derive(Debug, Serialize)]
struct FileJson {
    path: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    diagnostics: Vec<Diagnostic>,
    /// A kustomization's build (`DIR (built)`): the file each built document came from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sources: Vec<SourceJson>,
}

/// Where one document of a built stream came from.
#[derive(Debug, Serialize)]
struct SourceJson {
    document: usize,
    kind: String,
    name: String,
    file: String,
}

/// What one `check` run shares across its files.
struct Run<'a> {
    args: &'a CheckArgs,
    lang: Lang,
    version: Version,
    color: bool,
    outcome: Outcome,
    files: Vec<FileJson>,
}

pub fn run(args: &CheckArgs, lang: Lang, out: &mut impl Write) -> Result<Outcome, CliError> {
    let mut run = Run {
        args,
        lang,
        version: args.version.unwrap_or_else(Version::pinned),
        color: use_color(io::IsTerminal::is_terminal(&io::stdout())),
        outcome: Outcome::Success,
        files: Vec::new(),
    };
    for path in &args.files {
        if path.as_os_str() != "-"
            && let Some(tree) = kustomize::tree_of(path)
        {
            run.kustomization(path, &tree, out)?;
            continue;
        }
        let shown = path.to_string_lossy().into_owned();
        let text = match read_input(path) {
            Ok(text) => text,
            // One file that cannot be read does not stop the others being checked.
            Err(error) => {
                run.unreadable(path, error);
                continue;
            }
        };
        let report = manifest::check_with(
            &text,
            manifest::Options {
                version: run.version,
                strict_kinds: args.strict_kinds,
            },
        );
        let display = if shown == "-" {
            "<stdin>".to_string()
        } else {
            shown.clone()
        };
        let documents = report.documents.len();
        let version = run.version;
        run.entry(
            out,
            shown,
            &display,
            &text,
            report.diagnostics,
            &|errors, lang| match (errors, lang) {
                (0, Lang::En) => format!(
                    "valid ({} checked against Kubernetes {version})",
                    crate::text::plural(documents, "document")
                ),
                (0, Lang::Ko) => {
                    format!("올바릅니다 (문서 {documents}개, Kubernetes {version} 기준)")
                }
                (_, Lang::En) => crate::text::plural(errors, "error"),
                (_, Lang::Ko) => format!("오류 {errors}개"),
            },
        )?;
    }
    if args.format == Format::Json {
        let document = CheckJson {
            valid: run.outcome == Outcome::Success,
            files: run.files,
        };
        super::print_json(out, &document)?;
    }
    Ok(run.outcome)
}

impl Run<'_> {
    /// A file or folder that cannot be read: said, and exit 2, but the others are still checked.
    fn unreadable(&mut self, path: &std::path::Path, error: io::Error) {
        self.outcome = Outcome::Error;
        let shown = path.to_string_lossy().into_owned();
        let error = CliError::read(path, error);
        match self.args.format {
            Format::Text => say(&error.message(self.lang)),
            // JSON stays English, for tools.
            Format::Json => self.files.push(FileJson {
                path: shown,
                valid: false,
                error: Some(error.message(Lang::En)),
                diagnostics: Vec::new(),
                sources: Vec::new(),
            }),
        }
    }

    /// One entry of the output: a file's diagnostics over its text, and its one-line verdict
    /// (`summary(errors, lang)`, after `DISPLAY: `).
    fn entry(
        &mut self,
        out: &mut impl Write,
        path: String,
        display: &str,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        summary: &dyn Fn(usize, Lang) -> String,
    ) -> Result<(), CliError> {
        self.built_entry(out, path, display, text, diagnostics, Vec::new(), summary)
    }

    /// [`Run::entry`] with the source file of each document of a built stream.
    #[allow(clippy::too_many_arguments)]
    fn built_entry(
        &mut self,
        out: &mut impl Write,
        path: String,
        display: &str,
        text: &str,
        diagnostics: Vec<Diagnostic>,
        sources: Vec<SourceJson>,
        summary: &dyn Fn(usize, Lang) -> String,
    ) -> Result<(), CliError> {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 && self.outcome == Outcome::Success {
            self.outcome = Outcome::Failure;
        }
        match self.args.format {
            Format::Json => self.files.push(FileJson {
                path,
                valid: errors == 0,
                error: None,
                diagnostics,
                sources,
            }),
            Format::Text => {
                let lang = self.lang;
                let shown: Vec<Diagnostic> = diagnostics
                    .into_iter()
                    .map(|diagnostic| diagnostic.localized(lang))
                    .collect();
                // One rendering per document, so a built document's source can follow its own
                // diagnostics (and a plain file's are rendered in one go, as they always were).
                for group in shown.chunk_by(|a, b| a.document == b.document || sources.is_empty()) {
                    let rendered = if text.is_empty() {
                        group.iter().map(plain_text).collect()
                    } else {
                        render_text(group, display, text, self.color, lang)
                    };
                    let source = sources
                        .iter()
                        .find(|source| source.document == group[0].document);
                    match source {
                        Some(source) => {
                            let file = escape_controls(&source.file);
                            out.write_all(rendered.trim_end().as_bytes())?;
                            match lang {
                                Lang::En => {
                                    writeln!(out, "\nnote: built by kustomize from {file}\n")?
                                }
                                Lang::Ko => writeln!(
                                    out,
                                    "\nnote: kustomize 빌드 결과, 원본 파일: {file}\n"
                                )?,
                            }
                        }
                        None => out.write_all(rendered.as_bytes())?,
                    }
                }
                writeln!(
                    out,
                    "{}: {}",
                    escape_controls(display),
                    summary(errors, lang)
                )?;
            }
        }
        Ok(())
    }

    /// `check DIR`: the kustomization files of the tree, then its build.
    fn kustomization(
        &mut self,
        argument: &std::path::Path,
        tree: &std::path::Path,
        out: &mut impl Write,
    ) -> Result<(), CliError> {
        if kustomize::file_in(tree).is_none() {
            // JSON stays English, for tools.
            let reason = match (self.args.format, self.lang) {
                (Format::Text, Lang::Ko) => {
                    "kustomization.yaml이 없는 폴더입니다. 폴더 안의 매니페스트 파일을 지정하세요"
                }
                _ => "a folder without a kustomization.yaml; name the manifest files in it instead",
            };
            let error = io::Error::new(io::ErrorKind::InvalidInput, reason);
            self.unreadable(argument, error);
            return Ok(());
        }
        let checked = match kustomize::check_tree(tree) {
            Ok(checked) => checked,
            Err(error) => {
                self.unreadable(argument, error);
                return Ok(());
            }
        };
        for file in &checked.files {
            let shown = file.path.to_string_lossy().into_owned();
            self.entry(
                out,
                shown.clone(),
                &shown,
                &file.text,
                file.diagnostics.clone(),
                &|errors, lang| match (errors, lang) {
                    (0, Lang::En) => "valid kustomization fields".to_string(),
                    (0, Lang::Ko) => "kustomization 필드가 올바릅니다".to_string(),
                    (_, Lang::En) => crate::text::plural(errors, "error"),
                    (_, Lang::Ko) => format!("오류 {errors}개"),
                },
            )?;
        }
        let built = format!("{} (built)", tree.to_string_lossy());
        if !checked.buildable() {
            if self.args.format == Format::Text {
                let display = escape_controls(&built);
                match self.lang {
                    Lang::En => writeln!(out, "{display}: not built (see the errors above)")?,
                    Lang::Ko => writeln!(out, "{display}: 빌드하지 않았습니다 (위의 오류 참고)")?,
                }
            }
            return Ok(());
        }
        let Some(kubectl) = crate::sandbox::find_kubectl() else {
            let warning = build_diagnostic(
                Severity::Warning,
                Rule::NotChecked,
                "building the kustomization needs kubectl, which is not on PATH; only its own fields were checked".to_string(),
                Some("install kubectl to check the objects the kustomization makes".to_string()),
            );
            return self.entry(out, built.clone(), &built, "", vec![warning], &not_built);
        };
        let failed = |message: String| {
            build_diagnostic(Severity::Error, Rule::KustomizeBuild, message, None)
        };
        let text = match kustomize::build(&kubectl, tree) {
            kustomize::Build::Built(text) => text,
            kustomize::Build::Failed(reason) => {
                let error = failed(format!(
                    "kubectl kustomize could not build the directory: {reason}"
                ));
                return self.entry(out, built.clone(), &built, "", vec![error], &not_built);
            }
            kustomize::Build::TimedOut => {
                let error = failed(format!(
                    "kubectl kustomize did not finish within {} seconds, so it was stopped",
                    kustomize::TIME_LIMIT.as_secs()
                ));
                return self.entry(out, built.clone(), &built, "", vec![error], &not_built);
            }
            kustomize::Build::TooLarge => {
                let error = failed(format!(
                    "kubectl kustomize printed more than {} bytes (1 MiB), more than kubedrill checks at a time",
                    kustomize::MAX_OUTPUT_BYTES
                ));
                return self.entry(out, built.clone(), &built, "", vec![error], &not_built);
            }
        };
        let report = manifest::check_with(
            &text,
            manifest::Options {
                version: self.version,
                strict_kinds: self.args.strict_kinds,
            },
        );
        let sources = report
            .documents
            .iter()
            .filter_map(|document| {
                let kind = document.root.get("kind")?.as_str()?;
                let name = document.root.at_path(&["metadata", "name"])?.as_str()?;
                let file = checked.source_of(kind, name)?;
                Some(SourceJson {
                    document: document.index,
                    kind: kind.to_string(),
                    name: name.to_string(),
                    file: file.to_string_lossy().into_owned(),
                })
            })
            .collect();
        let documents = report.documents.len();
        let version = self.version;
        self.built_entry(
            out,
            built.clone(),
            &built,
            &text,
            report.diagnostics,
            sources,
            &|errors, lang| match (errors, lang) {
                (0, Lang::En) => format!(
                    "valid ({} built by kubectl kustomize, checked against Kubernetes {version})",
                    crate::text::plural(documents, "document")
                ),
                (0, Lang::Ko) => format!(
                    "올바릅니다 (kubectl kustomize로 만든 문서 {documents}개, Kubernetes {version} 기준)"
                ),
                (_, Lang::En) => crate::text::plural(errors, "error"),
                (_, Lang::Ko) => format!("오류 {errors}개"),
            },
        )
    }
}

/// The verdict line of a build that did not happen or failed.
fn not_built(errors: usize, lang: Lang) -> String {
    match (errors, lang) {
        (0, Lang::En) => "not built".to_string(),
        (0, Lang::Ko) => "빌드하지 않았습니다".to_string(),
        (_, Lang::En) => "could not be built".to_string(),
        (_, Lang::Ko) => "빌드하지 못했습니다".to_string(),
    }
}

/// A finding about the build as a whole: no line of its own, so line 1, column 1, path "".
fn build_diagnostic(
    severity: Severity,
    rule: Rule,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    Diagnostic {
        document: 0,
        kind: None,
        name: None,
        severity,
        rule,
        path: String::new(),
        line: 1,
        column: 1,
        message,
        suggestion: None,
        help,
        offset: 0,
        len: 0,
    }
}

/// A diagnostic with no text to point into: `warning[rule]: message` and its help.
fn plain_text(diagnostic: &Diagnostic) -> String {
    let level = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut text = format!(
        "{level}[{}]: {}\n",
        diagnostic.rule,
        escape_controls(&diagnostic.message)
    );
    if let Some(help) = &diagnostic.help {
        text.push_str(&format!("  = help: {}\n", escape_controls(help)));
    }
    text.push('\n');
    text
}

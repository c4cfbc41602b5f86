//! `kubedrill lsp`: the manifest checker as a language server, over stdio (lsp-server, the
//! protocol crate rust-analyzer is built on; lsp-types for the messages).
//!
//! - Diagnostics, on open, change and save, for YAML that looks like a Kubernetes manifest:
//!   every finding of `kubedrill check` with its range, severity and rule. When the file names
//!   an exercise (`# kubedrill: TOPIC/EXERCISE`), the checks the answer fails are diagnostics
//!   too.
//! - A quick fix for every finding that has a replacement ("did you mean `name`?").
//! - Hover: what `kubectl explain` says of the field under the cursor.
//! - Completion: the field names valid where the cursor is, from the pinned API schema.
//!
//! Positions are UTF-16 code units, the protocol's default.
//!
//! The stream is read by [`transport`], not by lsp-server's stdio threads: those end the
//! session at the first frame they cannot parse and allocate whatever `Content-Length` says.
//! Here a malformed frame gets the JSON-RPC error reply and the server reads on, bodies are
//! capped at 16 MiB, and the loop is one thread that reads a message and answers it. The exit
//! status is the protocol's: 0 after `shutdown` then `exit`, 1 for `exit` (or the end of the
//! input) without `shutdown`.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, Exit,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, HoverRequest, Initialize, Request as _, Shutdown,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionParams,
    CompletionResponse, Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    Documentation, Hover, HoverContents, HoverParams, HoverProviderCapability, MarkupContent,
    MarkupKind, NumberOrString, Position, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};

use crate::diagnostic::Severity;
use crate::manifest::{self, Version};
use crate::model::{ItemId, ItemRef, Library};

pub mod transport;

use transport::Frames;

/// Serves one client on stdin and stdout until it says `exit` or closes stdin. True when the
/// client sent `shutdown` first: the protocol asks for exit status 0 then, and 1 otherwise.
pub fn serve_stdio(library: Library) -> io::Result<bool> {
    serve(io::stdin().lock(), io::stdout().lock(), library)
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(lsp_types::CompletionOptions::default()),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// Where a session is in the protocol's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `initialize`: requests get ServerNotInitialized, notifications are dropped.
    Uninitialized,
    Running,
    /// After `shutdown`: requests get InvalidRequest; only `exit` is left to come.
    ShutDown,
}

/// The server's loop on a byte stream, one message at a time: the initialize handshake, then
/// requests and notifications until `exit` or the end of the input. Returns whether `shutdown`
/// came first (see [`serve_stdio`]).
///
/// A frame that is not a message is answered with the protocol's error reply and the loop reads
/// on ([`transport`]): an editor's bad frame, or a hostile one, costs that frame and no more.
/// Errors are only those of the streams themselves (the client gone while it is answered).
pub fn serve(input: impl BufRead, mut output: impl Write, library: Library) -> io::Result<bool> {
    let mut frames = Frames::new(input);
    let mut server = Server {
        documents: HashMap::new(),
        library,
    };
    let mut phase = Phase::Uninitialized;
    while let Some(frame) = frames.next_message()? {
        let message = match frame {
            Ok(message) => message,
            Err(rejection) => {
                transport::write(&mut output, &rejection.reply())?;
                continue;
            }
        };
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let refuse = |code: ErrorCode, why: &str| {
                    Response::new_err(id.clone(), code as i32, why.to_string())
                };
                let response = match (phase, request.method.as_str()) {
                    (Phase::Uninitialized, Initialize::METHOD) => {
                        phase = Phase::Running;
                        Response::new_ok(id, serde_json::json!({"capabilities": capabilities()}))
                    }
                    (Phase::Uninitialized, _) => refuse(
                        ErrorCode::ServerNotInitialized,
                        "the first request must be initialize",
                    ),
                    (Phase::Running, Initialize::METHOD) => {
                        refuse(ErrorCode::InvalidRequest, "initialize was already received")
                    }
                    (Phase::Running, Shutdown::METHOD) => {
                        phase = Phase::ShutDown;
                        Response::new_ok(id, ())
                    }
                    (Phase::Running, _) => server.request(request),
                    (Phase::ShutDown, _) => {
                        refuse(ErrorCode::InvalidRequest, "the server is shut down")
                    }
                };
                transport::write_message(&mut output, &Message::Response(response))?;
            }
            Message::Notification(notification) if notification.method == Exit::METHOD => {
                return Ok(phase == Phase::ShutDown);
            }
            Message::Notification(notification) => {
                // Before initialize and after shutdown, notifications are dropped.
                if phase != Phase::Running {
                    continue;
                }
                if let Some(publish) = server.notification(notification) {
                    transport::write_message(&mut output, &Message::Notification(publish))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    // The client closed the stream: an exit, without the word.
    Ok(phase == Phase::ShutDown)
}

struct Server {
    /// Open documents by URI: their full text.
    documents: HashMap<String, String>,
    /// Decks, for answers that name their exercise.
    library: Library,
}

impl Server {
    fn request(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => params::<HoverParams>(request)
                .map(|p| serde_json::to_value(self.hover(&p)).unwrap_or_default()),
            Completion::METHOD => params::<CompletionParams>(request)
                .map(|p| serde_json::to_value(self.complete(&p)).unwrap_or_default()),
            CodeActionRequest::METHOD => params::<CodeActionParams>(request)
                .map(|p| serde_json::to_value(self.code_actions(&p)).unwrap_or_default()),
            other => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("kubedrill does not answer {other}"),
                );
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(why) => Response::new_err(id, ErrorCode::InvalidParams as i32, why),
        }
    }

    fn notification(&mut self, notification: Notification) -> Option<Notification> {
        let uri = match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                self.documents.insert(
                    p.text_document.uri.as_str().to_string(),
                    p.text_document.text,
                );
                p.text_document.uri
            }
            DidChangeTextDocument::METHOD => {
                let mut p: DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                // Full sync: the last change holds the whole text.
                let text = p.content_changes.pop()?.text;
                self.documents
                    .insert(p.text_document.uri.as_str().to_string(), text);
                p.text_document.uri
            }
            DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                if let Some(text) = p.text {
                    self.documents
                        .insert(p.text_document.uri.as_str().to_string(), text);
                }
                p.text_document.uri
            }
            DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                self.documents.remove(p.text_document.uri.as_str());
                // Clear what was shown for it.
                return Some(publish(p.text_document.uri, Vec::new()));
            }
            _ => return None,
        };
        let text = self.documents.get(uri.as_str())?;
        let diagnostics = self.diagnostics(text);
        Some(publish(uri, diagnostics))
    }

    /// The checker's findings, and the failing checks of a named exercise.
    fn diagnostics(&self, text: &str) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = findings(text)
            .into_iter()
            .map(|(diagnostic, _)| diagnostic)
            .collect();
        if let Some((id, exercise, deck_images)) = self.exercise_named(text) {
            let images = crate::grade::Images::built_in().with(deck_images);
            let report =
                crate::grade::grade_exercise(&id, exercise, &images, text, "en", Version::pinned());
            for check in report.checks.iter().filter(|check| !check.passed) {
                let line = check.line.map_or(0, |line| line.saturating_sub(1)) as u32;
                let width = text
                    .lines()
                    .nth(line as usize)
                    .map_or(0, |l| l.encode_utf16().count()) as u32;
                let mut message = format!("{id}: {}", check.message);
                if let Some(detail) = &check.detail {
                    message.push_str(&format!(" ({detail})"));
                }
                out.push(Diagnostic {
                    range: Range::new(Position::new(line, 0), Position::new(line, width)),
                    severity: Some(DiagnosticSeverity::INFORMATION),
                    code: Some(NumberOrString::String(check.id.clone())),
                    source: Some("kubedrill grade".to_string()),
                    message,
                    ..Diagnostic::default()
                });
            }
        }
        out
    }

    /// The exercise a `# kubedrill: TOPIC/EXERCISE` comment names; for a parameterized one,
    /// `# kubedrill: TOPIC/EXERCISE variant N` names its variant N (from 1; the first when
    /// the comment does not say).
    fn exercise_named(
        &self,
        text: &str,
    ) -> Option<(
        ItemId,
        &crate::model::Exercise,
        &std::collections::BTreeMap<String, crate::model::Image>,
    )> {
        let named = text.lines().find_map(|line| {
            line.trim()
                .strip_prefix('#')?
                .trim()
                .strip_prefix("kubedrill:")
                .map(|rest| rest.trim().to_string())
        })?;
        let (named, variant) = match named.split_once(" variant ") {
            Some((named, number)) => (
                named.trim().to_string(),
                number.trim().parse::<usize>().ok()?.checked_sub(1)?,
            ),
            None => (named, 0),
        };
        let id = ItemId::parse(&named).ok()?;
        self.library
            .decks
            .iter()
            .rev()
            .find_map(|deck| match deck.item(&id)? {
                ItemRef::Exercise(exercise) if variant < exercise.variant_count() => {
                    Some((id.clone(), exercise.variant(variant), &deck.images))
                }
                _ => None,
            })
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let document = &p.text_document_position_params;
        let text = self.documents.get(document.text_document.uri.as_str())?;
        let offset = offset_at(text, document.position)?;
        let (query, range) = field_at(text, offset)?;
        let explanation = explain_at(text, offset, &query)?;
        let mut value = format!(
            "**{}.{}** `{}`\n\n{}",
            explanation.kind, explanation.path, explanation.type_name, explanation.description
        );
        if !explanation.fields.is_empty() {
            value.push_str("\n\nFields: ");
            let names: Vec<&str> = explanation.fields.iter().map(|f| f.name.as_str()).collect();
            value.push_str(&names.join(", "));
        }
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(Range::new(
                position_at(text, range.0),
                position_at(text, range.1),
            )),
        })
    }

    fn complete(&self, p: &CompletionParams) -> Option<CompletionResponse> {
        let document = &p.text_document_position;
        let text = self.documents.get(document.text_document.uri.as_str())?;
        let offset = offset_at(text, document.position)?;
        let query = mapping_at(text, offset)?;
        let explanation = explain_at(text, offset, &query)?;
        let items = explanation
            .fields
            .iter()
            .map(|field| CompletionItem {
                label: field.name.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(if field.required {
                    format!("{} (required)", field.type_name)
                } else {
                    field.type_name.clone()
                }),
                documentation: Some(Documentation::String(field.summary.clone())),
                insert_text: Some(format!("{}: ", field.name)),
                ..CompletionItem::default()
            })
            .collect();
        Some(CompletionResponse::Array(items))
    }

    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(text) = self.documents.get(p.text_document.uri.as_str()) else {
            return Vec::new();
        };
        findings(text)
            .into_iter()
            .filter(|(diagnostic, _)| overlaps(diagnostic.range, p.range))
            .filter_map(|(diagnostic, suggestion)| {
                let suggestion = suggestion?;
                let edit = TextEdit::new(diagnostic.range, suggestion.clone());
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Change to `{suggestion}`"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(p.text_document.uri.clone(), vec![edit])])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }))
            })
            .collect()
    }
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|error| error.to_string())
}

fn publish(uri: Uri, diagnostics: Vec<Diagnostic>) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}

fn overlaps(a: Range, b: Range) -> bool {
    let key = |p: Position| (p.line, p.character);
    key(a.start) <= key(b.end) && key(b.start) <= key(a.end)
}

/// Whether a YAML text is a Kubernetes manifest worth checking: it has `apiVersion:` or
/// `kind:` at the start of a line. Other YAML (CI files, Compose files) gets no diagnostics.
pub fn looks_like_manifest(text: &str) -> bool {
    text.lines()
        .any(|line| line.starts_with("apiVersion:") || line.starts_with("kind:"))
}

/// The checker's findings as protocol diagnostics, each with its replacement when one is known.
pub fn findings(text: &str) -> Vec<(Diagnostic, Option<String>)> {
    if !looks_like_manifest(text) {
        return Vec::new();
    }
    manifest::check(text, Version::pinned())
        .diagnostics
        .into_iter()
        .map(|d| {
            let start = position_at(text, d.offset.min(text.len()));
            let end = position_at(text, (d.offset + d.len.max(1)).min(text.len()));
            let mut message = d.message.clone();
            if let Some(suggestion) = &d.suggestion {
                message.push_str(&format!("; did you mean `{suggestion}`?"));
            }
            if let Some(help) = &d.help {
                message.push_str(&format!("\n{help}"));
            }
            let diagnostic = Diagnostic {
                range: Range::new(start, end),
                severity: Some(match d.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                }),
                code: Some(NumberOrString::String(d.rule.to_string())),
                source: Some("kubedrill".to_string()),
                message,
                ..Diagnostic::default()
            };
            (diagnostic, d.suggestion)
        })
        .collect()
}

/// The byte offset of a protocol position (UTF-16 columns).
pub fn offset_at(text: &str, position: Position) -> Option<usize> {
    let mut line_start = 0;
    for _ in 0..position.line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let line = text[line_start..].split('\n').next().unwrap_or_default();
    let mut units = 0;
    for (index, c) in line.char_indices() {
        if units >= position.character as usize {
            return Some(line_start + index);
        }
        units += c.len_utf16();
    }
    Some(line_start + line.len())
}

/// The protocol position of a byte offset.
pub fn position_at(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// One line of block YAML, as far as completion and hover need it.
struct YamlLine<'t> {
    /// Column of `- ` when the line starts a list item.
    dash: Option<usize>,
    /// Column where the key (or the value) starts.
    column: usize,
    key: Option<&'t str>,
    /// Something follows `key:` on the line.
    has_value: bool,
}

fn yaml_line(line: &str) -> Option<YamlLine<'_>> {
    let content = line.trim_start_matches(' ');
    if content.is_empty() || content.starts_with('#') || content.starts_with("---") {
        return None;
    }
    let indent = line.len() - content.len();
    let (dash, column, rest) = match content
        .strip_prefix("- ")
        .or(content.strip_prefix('-').filter(|r| r.is_empty()))
    {
        Some(rest) => {
            let inner = rest.trim_start_matches(' ');
            (
                Some(indent),
                indent + 1 + (rest.len() - inner.len()) + usize::from(!rest.is_empty()),
                inner,
            )
        }
        None => (None, indent, content),
    };
    let (key, has_value) = match rest.split_once(':') {
        Some((key, after))
            if !key.is_empty()
                && !key.contains(' ')
                && (after.is_empty() || after.starts_with(' ')) =>
        {
            let value = after.trim();
            (Some(key), !value.is_empty() && !value.starts_with('#'))
        }
        _ => (None, false),
    };
    Some(YamlLine {
        dash,
        column,
        key,
        has_value,
    })
}

/// The keys from the document's root down to the mapping that holds the line `line` at column
/// `column`, found by indentation (works while the text is half typed and does not parse).
fn parents(lines: &[&str], line: usize, column: usize) -> Vec<String> {
    let mut keys = Vec::new();
    let mut target = column;
    // Inside a list item whose dash is at this column: the sequence's key is at or left of it.
    let mut item_dash: Option<usize> = None;
    for text in lines[..line].iter().rev() {
        let Some(parsed) = yaml_line(text) else {
            if text.trim_start().starts_with("---") {
                break;
            }
            continue;
        };
        if let Some(dash) = item_dash {
            let is_parent =
                parsed.column < dash || (parsed.column == dash && parsed.dash.is_none());
            if is_parent && parsed.key.is_some() && !parsed.has_value {
                keys.push(parsed.key.unwrap_or_default().to_string());
                target = parsed.column;
                item_dash = parsed.dash;
            }
            continue;
        }
        if parsed.column == target && parsed.dash.is_some() {
            // A sibling that starts this list item.
            item_dash = parsed.dash;
        } else if parsed.column < target && parsed.key.is_some() && !parsed.has_value {
            keys.push(parsed.key.unwrap_or_default().to_string());
            target = parsed.column;
            item_dash = parsed.dash;
        } else if parsed.column < target && parsed.dash.is_some() {
            item_dash = parsed.dash;
        }
        if target == 0 && item_dash.is_none() {
            break;
        }
    }
    keys.reverse();
    keys
}

/// The kind named at the top of the document holding `line`.
fn kind_of(lines: &[&str], line: usize) -> Option<String> {
    top_field(lines, line, "kind:")
}

/// A top-level scalar (`kind:`, `apiVersion:`) of the document holding `line`.
fn top_field(lines: &[&str], line: usize, key: &str) -> Option<String> {
    let start = lines[..=line.min(lines.len().saturating_sub(1))]
        .iter()
        .rposition(|l| l.starts_with("---"))
        .map_or(0, |at| at + 1);
    let end = lines[start..]
        .iter()
        .position(|l| l.starts_with("---"))
        .map_or(lines.len(), |at| start + at);
    lines[start..end].iter().find_map(|l| {
        l.strip_prefix(key)
            .map(|value| value.trim().trim_matches(['"', '\'']).to_string())
            .filter(|value| !value.is_empty())
    })
}

/// The `apiVersion` of the document holding `offset`: hover and completion explain the kind in
/// the version written (an `autoscaling/v1` HorizontalPodAutoscaler has v1's fields).
pub fn api_version_at(text: &str, offset: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    top_field(
        &lines,
        position_at(text, offset).line as usize,
        "apiVersion:",
    )
}

/// `explain` in the document's apiVersion when kubedrill knows the kind there, else in the
/// kind's preferred version.
fn explain_at(text: &str, offset: usize, query: &str) -> Option<manifest::schema::Explanation> {
    let api_version = api_version_at(text, offset);
    manifest::schema::explain_in(query, api_version.as_deref())
        .or_else(|_| manifest::schema::explain(query))
        .ok()
}

/// The `explain` query of the mapping the cursor is in (`pod.spec.containers`), for completion.
pub fn mapping_at(text: &str, offset: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let position = position_at(text, offset);
    let line = position.line as usize;
    let before = text.get(line_start(text, line)..offset)?;
    let column = match yaml_line(before) {
        Some(parsed) => parsed.column,
        None => before.len(),
    };
    let kind = kind_of(&lines, line)?;
    let mut query = vec![kind.to_ascii_lowercase()];
    query.extend(parents(&lines, line, column));
    Some(query.join("."))
}

fn line_start(text: &str, line: usize) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match text[start..].find('\n') {
            Some(at) => start += at + 1,
            None => break,
        }
    }
    start
}

/// The `explain` query of the key under the cursor (`pod.spec.containers.envFrom`) and the
/// key's byte range, for hover.
pub fn field_at(text: &str, offset: usize) -> Option<(String, (usize, usize))> {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = position_at(text, offset).line as usize;
    let current = lines.get(line)?;
    let parsed = yaml_line(current)?;
    let key = parsed.key?;
    let start = line_start(text, line) + parsed.column;
    let end = start + key.len();
    if offset < start || offset > end {
        return None;
    }
    let kind = kind_of(&lines, line)?;
    let mut query = vec![kind.to_ascii_lowercase()];
    query.extend(parents(&lines, line, parsed.column));
    query.push(key.to_string());
    Some((query.join("."), (start, end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n      envFrom:\n        - configMapRef:\n            name: app\n      \n";

    #[test]
    fn the_mapping_at_the_cursor_is_found_by_indentation() {
        let at = |line: usize, column: usize| line_start(POD, line) + column;
        assert_eq!(
            mapping_at(POD, at(11, 6)).as_deref(),
            Some("pod.spec.containers")
        );
        assert_eq!(mapping_at(POD, at(3, 2)).as_deref(), Some("pod.metadata"));
        assert_eq!(
            mapping_at(POD, at(10, 12)).as_deref(),
            Some("pod.spec.containers.envFrom.configMapRef")
        );
        assert_eq!(
            field_at(POD, at(8, 8)).map(|(query, _)| query).as_deref(),
            Some("pod.spec.containers.envFrom")
        );
        assert_eq!(
            field_at(POD, at(6, 7)).map(|(query, _)| query).as_deref(),
            Some("pod.spec.containers.name")
        );
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: 한글\nb: 😀x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(position_at(text, offset), Position::new(1, 5));
        assert_eq!(offset_at(text, Position::new(1, 5)), Some(offset));
    }
}

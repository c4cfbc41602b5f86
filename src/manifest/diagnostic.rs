//! What the manifest checker found, in the shape of the CLI contract (design.md §4), and its
//! rustc-like text rendering.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

use crate::cli::Lang;
use crate::diagnostic::Severity;
use crate::i18n::localize;
use crate::text::escape_controls;

/// One finding in one document of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Which document of the stream (from 0).
    pub document: usize,
    /// The resource's kind and name, when the document says.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub severity: Severity,
    /// Stable kebab-case name of the rule (`unknown-field`, `selector-mismatch`).
    pub rule: &'static str,
    /// Where in the object: dots and `[index]`; "" for the whole file.
    pub path: String,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The replacement to write, when one is known (`name` for `nmae`).
    pub suggestion: Option<String>,
    /// A sentence on why, or what to do, when the message alone does not say.
    pub help: Option<String>,
    #[serde(skip)]
    pub offset: usize,
    #[serde(skip)]
    pub len: usize,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same finding with its message and help in `lang` (crate::i18n).
    pub fn localized(mut self, lang: Lang) -> Diagnostic {
        self.message = localize(&self.message, lang).into_owned();
        self.help = self.help.map(|help| localize(&help, lang).into_owned());
        self
    }
}

/// Renders diagnostics as rustc does: `error[rule]: message`, `--> file:line:col`, the line with
/// a caret, then the suggestion and help. The messages are shown as given (see
/// [`Diagnostic::localized`]); `lang` is for the words around them.
pub fn render_text(
    diagnostics: &[Diagnostic],
    file: &str,
    source: &str,
    color: bool,
    lang: Lang,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let masked = crate::text::mask_controls(source);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let span = caret_span(&masked, diagnostic.offset, diagnostic.len);
        // The path labels the caret (rustc puts its labels there), so the message stays a sentence.
        let annotation = AnnotationKind::Primary.span(span);
        let annotation = if diagnostic.path.is_empty() {
            annotation
        } else {
            annotation.label(escape_controls(&diagnostic.path).into_owned())
        };
        let mut group = level
            .primary_title(escape_controls(&diagnostic.message).into_owned())
            .id(diagnostic.rule)
            .element(
                Snippet::source(masked.as_ref())
                    .path(escape_controls(file).into_owned())
                    .annotation(annotation),
            );
        if let Some(suggestion) = &diagnostic.suggestion {
            group = group.element(Level::HELP.message(match lang {
                Lang::En => format!("did you mean `{}`?", escape_controls(suggestion)),
                Lang::Ko => format!("혹시 `{}`인가요?", escape_controls(suggestion)),
            }));
        }
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(escape_controls(help).into_owned()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// A non-empty span on one line for the caret.
fn caret_span(text: &str, offset: usize, len: usize) -> std::ops::Range<usize> {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let line_end = text[start..]
        .find('\n')
        .map_or(text.len(), |end| start + end);
    let mut end = (start + len.max(1)).min(line_end);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    if end <= start {
        start..start
    } else {
        start..end
    }
}

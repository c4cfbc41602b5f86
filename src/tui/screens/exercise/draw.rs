//! Drawing the exercise: the task pane (hints, the solution as a diff or the grade report,
//! the task, with "more" markers on its border) and the editor with its gutter and the checker.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::i18n::{Lang, localize};
use crate::manifest::Diagnostic;
use crate::model::{Exercise, ItemRef};
use crate::tui::app::App;
use crate::tui::ctx::Ctx;
use crate::tui::widgets::{check_lines, clean, fit, markdown_lines, panel};

use super::{ExerciseState, Grading, Panes};

pub fn draw(app: &App, frame: &mut Frame, area: Rect, state: &ExerciseState) {
    let ItemRef::Exercise(exercise) = app.item(state.key).variant(state.variant) else {
        return;
    };
    let panes = Panes::of(app, area, state);
    task_pane(app, frame, panes.task, state, exercise);
    editor_pane(app, frame, &panes, state);
}

/// The task pane's text for a pane `pane_width` cells wide, fitted to the inside of its border,
/// and the line where what the learner asked for last starts (the solution or the grade
/// report; 0 when neither is shown): the pane scrolls there when it appears.
pub(super) fn task_text(
    app: &Ctx,
    state: &ExerciseState,
    exercise: &Exercise,
    pane_width: u16,
) -> (Vec<Line<'static>>, usize) {
    let theme = app.theme;
    let width = pane_width.saturating_sub(4);
    let mut lines: Vec<Line> = Vec::new();
    // Hints asked for come first: the learner is waiting for them.
    for (index, hint) in exercise.hints.iter().take(state.attempt.hints).enumerate() {
        let label = match app.lang {
            Lang::En => format!("Hint {}: ", index + 1),
            Lang::Ko => format!("힌트 {}: ", index + 1),
        };
        let mut hint_lines = markdown_lines(app, hint.get(app.tag()), width.saturating_sub(9));
        if let Some(first) = hint_lines.first_mut() {
            first.spans.insert(0, Span::styled(label, theme.warn()));
        }
        lines.extend(hint_lines);
        lines.push(Line::default());
    }
    let section = lines.len();
    if state.show_solution() {
        lines.push(Line::styled(
            app.t(
                "The solution, as a diff against your answer (- yours, + the solution):",
                "풀이를 내 답안과 비교한 결과입니다(- 내 답안, + 풀이):",
            ),
            theme.dim(),
        ));
        let answer: Vec<String> = state.editor.lines().to_vec();
        let solution: Vec<String> = exercise
            .solution
            .trim_start_matches('\n')
            .lines()
            .map(str::to_string)
            .collect();
        for (mark, line) in diff(&answer, &solution) {
            let style = match mark {
                '-' => theme.bad(),
                '+' => theme.good(),
                _ => theme.dim(),
            };
            lines.push(Line::styled(format!("{mark} {}", clean(&line)), style));
        }
    } else if let Some(report) = &state.report {
        lines.push(if report.passed {
            Line::styled(
                app.t(
                    "✓ Passed: every check holds.",
                    "✓ 통과: 모든 검사를 통과했습니다.",
                ),
                theme.good(),
            )
        } else {
            Line::styled(
                match app.lang {
                    Lang::En => format!("✗ Not yet: {:.0}% of the points.", report.score * 100.0),
                    Lang::Ko => format!("✗ 아직입니다: {:.0}점(100점 만점)", report.score * 100.0),
                },
                theme.bad(),
            )
        });
        if report.passed
            && let Some((rating, next)) = &state.recorded
        {
            lines.push(Line::styled(
                crate::i18n::rated(app.lang, *rating, Some(next)),
                theme.title(),
            ));
        }
        let errors: Vec<&Diagnostic> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        if !errors.is_empty() {
            // A kubeconfig file never reaches an API server: kubectl is what fails on it.
            let kubeconfig = errors
                .iter()
                .all(|diagnostic| diagnostic.kind.as_deref() == Some("Config"));
            // A folder exercise's kustomization is refused by kustomize (or by kubedrill before
            // kustomize runs), not by an API server.
            let folder = matches!(
                app.item(state.key).variant(state.variant),
                crate::model::ItemRef::Exercise(exercise) if exercise.kustomize.is_some()
            ) && errors.iter().all(|diagnostic| {
                matches!(
                    diagnostic.rule,
                    crate::manifest::diagnostic::Rule::KustomizeBuild
                        | crate::manifest::diagnostic::Rule::RefusedSource
                ) || diagnostic.kind.as_deref() == Some("Kustomization")
            });
            lines.push(Line::styled(
                if folder {
                    app.t(
                        "kustomize cannot build this kustomization:",
                        "kustomize가 이 kustomization을 빌드할 수 없습니다:",
                    )
                } else if kubeconfig {
                    app.t(
                        "kubectl cannot use this kubeconfig:",
                        "kubectl이 이 kubeconfig를 쓸 수 없습니다:",
                    )
                } else {
                    app.t(
                        "The API server would refuse this manifest:",
                        "API 서버가 이 매니페스트를 거부합니다:",
                    )
                },
                theme.bad(),
            ));
            for (index, diagnostic) in errors.into_iter().enumerate() {
                lines.push(Line::from(vec![
                    Span::styled(
                        format!("  {}:{} ", diagnostic.line, diagnostic.column),
                        theme.key(),
                    ),
                    Span::raw(clean(&localize(&diagnostic.message, app.lang))),
                ]));
                if let Some(suggestion) = &diagnostic.suggestion {
                    lines.push(Line::styled(
                        format!("      → {}", clean(suggestion)),
                        theme.good(),
                    ));
                }
                // The first error's advice only: the checks below must stay in view.
                if index == 0
                    && let Some(help) = &diagnostic.help
                {
                    lines.push(Line::styled(
                        format!("      {}", clean(&localize(help, app.lang))),
                        theme.dim(),
                    ));
                }
            }
        }
        lines.extend(check_lines(app, &report.checks, true));
        if report.passed {
            lines.push(Line::default());
            lines.push(Line::styled(
                app.t(
                    "Press Enter for the next one.",
                    "Enter를 누르면 다음으로 넘어갑니다.",
                ),
                theme.dim(),
            ));
        }
        lines.push(Line::default());
        lines.push(Line::styled("─".repeat(usize::from(width)), theme.border()));
        lines.extend(markdown_lines(app, exercise.prompt.get(app.tag()), width));
    } else {
        lines.extend(markdown_lines(app, exercise.prompt.get(app.tag()), width));
    }
    let inner = pane_width.saturating_sub(2);
    let section = if state.show_solution() || state.report.is_some() {
        let before: Vec<Line> = lines[..section].to_vec();
        fit(before, inner, false).len()
    } else {
        0
    };
    (fit(lines, inner, false), section)
}

fn task_pane(app: &App, frame: &mut Frame, area: Rect, state: &ExerciseState, exercise: &Exercise) {
    let theme = app.theme;
    let (lines, _) = task_text(app, state, exercise, area.width);
    let height = usize::from(area.height.saturating_sub(2));
    let last = lines.len().saturating_sub(height);
    let scroll = state.prompt_scroll.min(last);
    let title = format!(
        "{} {}",
        clean(exercise.title.get(app.tag())),
        "★".repeat(usize::from(exercise.difficulty))
    );
    let total = lines.len();
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(panel(app, &title, !state.typing())),
        area,
    );
    // Text above or below the pane is said on its border, with the key that shows it (no
    // scrollbar: the border's last column stays a border).
    let mut marker = |text: String, y: u16| {
        let width = (text.width() as u16).min(area.width.saturating_sub(4));
        let at = Rect {
            x: area.x + area.width.saturating_sub(width + 2),
            y,
            width,
            height: 1,
        };
        frame.render_widget(Line::styled(text, theme.key()), at);
    };
    if total > height && area.height > 2 {
        if scroll > 0 {
            marker(" ▲ PgUp ".to_string(), area.y);
        }
        if scroll < last {
            marker(
                format!(" {} ", app.t("▼ more: PgDn", "▼ 더 보기: PgDn")),
                area.y + area.height - 1,
            );
        }
    }
}

fn editor_pane(app: &App, frame: &mut Frame, panes: &Panes, state: &ExerciseState) {
    let theme = app.theme;
    let lines = state.editor.lines();
    let shown: Vec<&Diagnostic> = state.shown_diagnostics().iter().collect();
    let status_height = panes.status.height.saturating_sub(2);
    let (text_area, status_area) = (panes.editor, panes.status);
    let inner_height = usize::from(text_area.height.saturating_sub(2));
    let number_width = lines.len().to_string().len().max(2);
    let highlighted = crate::tui::yaml::highlight(
        &lines[state.top.min(lines.len())..(state.top + inner_height).min(lines.len())],
        theme,
    );
    let mut rendered = Vec::new();
    for (offset, spans) in highlighted.into_iter().enumerate() {
        let line_number = state.top + offset + 1;
        let error = shown.iter().any(|d| d.line == line_number && d.is_error());
        let warning = shown.iter().any(|d| d.line == line_number && !d.is_error());
        let gutter = if error {
            Span::styled("●", theme.bad())
        } else if warning {
            Span::styled("●", theme.warn())
        } else {
            Span::raw(" ")
        };
        let mut line = vec![
            gutter,
            Span::styled(format!("{line_number:>number_width$} "), theme.dim()),
        ];
        line.extend(
            spans
                .into_iter()
                .map(|span| Span::styled(clean(&span.content), span.style)),
        );
        rendered.push(Line::from(line));
    }
    let watching;
    let title = if let Some(file) = &state.watching {
        watching = match app.lang {
            Lang::En => format!("Your answer · watching {}", clean(file)),
            Lang::Ko => format!("답안 · {} 감시 중", clean(file)),
        };
        watching.as_str()
    } else if state.typing() && state.grading == Grading::AtHandIn {
        app.t(
            "Your answer (typing: Esc to stop; graded when you hand in)",
            "답안 (편집 중: Esc로 끝내기, 제출할 때 채점)",
        )
    } else if state.typing() {
        app.t(
            "Your answer (typing: Esc to stop, Ctrl-S to grade)",
            "답안 (편집 중: Esc로 끝내기, Ctrl-S로 채점)",
        )
    } else {
        app.t(
            "Your answer (i to edit, e for $EDITOR)",
            "답안 (i로 편집, e로 외부 편집기)",
        )
    };
    frame.render_widget(
        Paragraph::new(rendered).block(panel(app, title, state.typing())),
        text_area,
    );
    if state.typing() {
        let ratatui_textarea::DataCursor(row, column) = state.editor.cursor();
        if row >= state.top && row < state.top + inner_height {
            let before: String = lines
                .get(row)
                .map(|line| line.chars().take(column).collect())
                .unwrap_or_default();
            let x = text_area.x + 1 + 1 + number_width as u16 + 1 + clean(&before).width() as u16;
            let y = text_area.y + 1 + (row - state.top) as u16;
            if x < text_area.x + text_area.width - 1 {
                frame.set_cursor_position(Position { x, y });
            }
        }
    }
    let mut status = checker_lines(app, state, status_area.width.saturating_sub(2));
    status.truncate(usize::from(status_height));
    frame.render_widget(
        Paragraph::new(status).block(panel(app, app.t("Checker", "검사기"), false)),
        status_area,
    );
}

/// The checker's pane: what the live check says of the text on screen, each diagnostic
/// wrapped to `width` (never cut at the pane's edge).
pub(super) fn checker_lines(app: &Ctx, state: &ExerciseState, width: u16) -> Vec<Line<'static>> {
    let theme = app.theme;
    let shown = state.shown_diagnostics();
    let mut status: Vec<Line> = Vec::new();
    if shown.is_empty() {
        let text = if state
            .editor
            .lines()
            .iter()
            .all(|line| line.trim().is_empty())
        {
            app.t(
                "Write the manifest; it is checked as you type.",
                "매니페스트를 작성하세요. 입력하는 동안 검사합니다.",
            )
        } else if state.check_at.is_some() {
            app.t("Checking…", "검사 중…")
        } else {
            app.t(
                "✓ Valid Kubernetes so far.",
                "✓ 지금까지 올바른 Kubernetes 매니페스트입니다.",
            )
        };
        status.push(Line::styled(
            text,
            if text.starts_with('✓') {
                theme.good()
            } else {
                theme.dim()
            },
        ));
    }
    for diagnostic in shown {
        let style: Style = if diagnostic.is_error() {
            theme.bad()
        } else {
            theme.warn()
        };
        let mut spans = vec![
            Span::styled(format!("{}:{} ", diagnostic.line, diagnostic.column), style),
            Span::raw(clean(&localize(&diagnostic.message, app.lang))),
        ];
        if let Some(suggestion) = &diagnostic.suggestion {
            spans.push(Span::styled(
                format!(" → {}", clean(suggestion)),
                theme.good(),
            ));
        }
        status.push(Line::from(spans));
    }
    fit(status, width, true)
}

/// A line diff (longest common subsequence): `' '` kept, `'-'` only in `ours`, `'+'` only in
/// `theirs`.
pub fn diff(ours: &[String], theirs: &[String]) -> Vec<(char, String)> {
    let (n, m) = (ours.len(), theirs.len());
    let mut common = vec![vec![0u16; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if ours[i].trim_end() == theirs[j].trim_end() {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        if ours[i].trim_end() == theirs[j].trim_end() {
            out.push((' ', theirs[j].clone()));
            i += 1;
            j += 1;
        } else if common[i + 1][j] >= common[i][j + 1] {
            out.push(('-', ours[i].clone()));
            i += 1;
        } else {
            out.push(('+', theirs[j].clone()));
            j += 1;
        }
    }
    out.extend(ours[i..].iter().map(|line| ('-', line.clone())));
    out.extend(theirs[j..].iter().map(|line| ('+', line.clone())));
    out
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn the_diff_keeps_common_lines_and_marks_the_rest() {
        let ours: Vec<String> = ["a", "b", "x", "d"].iter().map(|s| s.to_string()).collect();
        let theirs: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let marks: String = diff(&ours, &theirs).iter().map(|(mark, _)| *mark).collect();
        assert_eq!(marks, "  -+ +");
    }
}

//! A class report as terminal text, CSV, and a self-contained HTML page (tables and bar charts
//! drawn as inline SVG; no script, nothing fetched).

use std::fmt::Write as _;

use super::class::ClassReport;

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// A table: its title, header and rows.
type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// The four tables of a report.
fn tables(report: &ClassReport) -> Vec<Table> {
    vec![
        (
            "Items the class fails most",
            vec![
                "item",
                "kind",
                "learners failed",
                "again",
                "attempts",
                "fail rate",
            ],
            report
                .items
                .iter()
                .map(|row| {
                    vec![
                        format!("{}/{}", row.deck, row.item),
                        row.kind.clone(),
                        format!("{} of {}", row.learners_failed, row.learners),
                        row.again.to_string(),
                        row.attempts.to_string(),
                        percent(row.fail_rate),
                    ]
                })
                .collect(),
        ),
        (
            "Exercise checks failed most",
            vec!["item", "check", "failed", "answers", "fail rate"],
            report
                .checks
                .iter()
                .map(|row| {
                    vec![
                        format!("{}/{}", row.deck, row.item),
                        row.check.clone(),
                        row.failed.to_string(),
                        row.answers.to_string(),
                        percent(row.fail_rate),
                    ]
                })
                .collect(),
        ),
        (
            "Topics by predicted recall (weakest first)",
            vec!["topic", "title", "recall", "coverage"],
            report
                .topics
                .iter()
                .map(|row| {
                    vec![
                        format!("{}/{}", row.deck, row.topic),
                        row.title.clone(),
                        percent(row.recall),
                        percent(row.coverage),
                    ]
                })
                .collect(),
        ),
        (
            "Learners at risk",
            vec!["learner", "recall at exam", "coverage", "why"],
            report
                .at_risk
                .iter()
                .map(|row| {
                    vec![
                        row.name.clone(),
                        percent(row.recall_at_exam),
                        percent(row.coverage),
                        row.reasons.join("; "),
                    ]
                })
                .collect(),
        ),
    ]
}

/// Aligned tables for the terminal (control characters in names made visible).
pub fn text(report: &ClassReport) -> String {
    let mut out = format!(
        "Class report: {} learner{}{}\n",
        report.learners,
        if report.learners == 1 { "" } else { "s" },
        report
            .exam_date
            .map_or_else(String::new, |date| format!(", recall projected to {date}"))
    );
    for (title, header, rows) in tables(report) {
        let _ = writeln!(out, "\n{title}");
        if rows.is_empty() {
            out.push_str("  (none)\n");
            continue;
        }
        let cells: Vec<Vec<String>> =
            std::iter::once(header.iter().map(|h| h.to_string()).collect())
                .chain(rows.into_iter().map(|row| {
                    row.iter()
                        .map(|cell| crate::text::escape_controls(cell).into_owned())
                        .collect()
                }))
                .collect();
        let widths: Vec<usize> = (0..cells[0].len())
            .map(|column| {
                cells
                    .iter()
                    .map(|row| unicode_width::UnicodeWidthStr::width(row[column].as_str()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &cells {
            out.push(' ');
            for (cell, width) in row.iter().zip(&widths) {
                let pad = width - unicode_width::UnicodeWidthStr::width(cell.as_str());
                let _ = write!(out, " {cell}{}", " ".repeat(pad));
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
        }
    }
    out
}

/// One CSV: a `table` column names which table a row belongs to, then that table's columns.
pub fn csv(report: &ClassReport) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for (title, header, rows) in tables(report) {
        let table = title.to_lowercase().replace(' ', "-");
        let _ = writer.write_record(std::iter::once("table").chain(header.iter().copied()));
        for row in rows {
            let _ = writer.write_record(std::iter::once(table.clone()).chain(row));
        }
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart of `bars` (label, share 0–1) as inline SVG.
fn chart(title: &str, bars: &[(String, f64)]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let height = bars.len() * 22 + 10;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg role=\"img\" width=\"640\" height=\"{height}\" viewBox=\"0 0 640 {height}\">",
        escape(title)
    );
    for (index, (label, share)) in bars.iter().enumerate() {
        let y = index * 22 + 5;
        let width = (share.clamp(0.0, 1.0) * 380.0).round();
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"220\" y=\"{y}\" width=\"{width}\" height=\"16\" fill=\"#3b6ea5\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            y + 13,
            escape(label),
            226.0 + width,
            y + 13,
            percent(*share)
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// A self-contained page: the same tables, and bar charts of fail rates and recall.
pub fn html(report: &ClassReport) -> String {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>kubedrill class report</title>\
         <style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin-bottom:1.5em}\
         th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}th{background:#eee}</style></head><body>\n",
    );
    let _ = writeln!(
        page,
        "<h1>Class report</h1><p>{} learner{}{}</p>",
        report.learners,
        if report.learners == 1 { "" } else { "s" },
        report
            .exam_date
            .map_or_else(String::new, |date| format!(", recall projected to {date}"))
    );
    let charts = [
        chart(
            "Fail rate of the items failed most",
            &report
                .items
                .iter()
                .map(|row| (format!("{}/{}", row.deck, row.item), row.fail_rate))
                .collect::<Vec<_>>(),
        ),
        chart(
            "Fail rate of the checks failed most",
            &report
                .checks
                .iter()
                .map(|row| (format!("{}: {}", row.item, row.check), row.fail_rate))
                .collect::<Vec<_>>(),
        ),
        chart(
            "Predicted recall per topic",
            &report
                .topics
                .iter()
                .map(|row| (row.title.clone(), row.recall))
                .collect::<Vec<_>>(),
        ),
        String::new(),
    ];
    for ((title, header, rows), chart) in tables(report).into_iter().zip(charts) {
        let _ = writeln!(page, "<section><h2>{}</h2>", escape(title));
        page.push_str(&chart);
        if rows.is_empty() {
            page.push_str("<p>None.</p></section>\n");
            continue;
        }
        page.push_str("<table><thead><tr>");
        for cell in header {
            let _ = write!(page, "<th>{}</th>", escape(cell));
        }
        page.push_str("</tr></thead><tbody>\n");
        for row in rows {
            page.push_str("<tr>");
            for cell in row {
                let _ = write!(page, "<td>{}</td>", escape(&cell));
            }
            page.push_str("</tr>\n");
        }
        page.push_str("</tbody></table></section>\n");
    }
    page.push_str("</body></html>\n");
    page
}

//! Go's text/tabwriter, as `kubectl describe` uses it (`minwidth 0, padding 2, ' '`): cells end
//! at tabs, a column is aligned over each block of consecutive lines that have a cell in it, and
//! the text after a line's last tab is never padded.

/// Aligns `text` (lines of tab-separated cells) as Go's tabwriter does.
pub fn align(text: &str, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text
        .split_terminator('\n')
        .map(|line| line.split('\t').collect())
        .collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut widths: Vec<usize> = Vec::new();
    format(&lines, 0, lines.len(), &mut widths, padding, &mut out);
    out
}

fn width(cell: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(cell)
}

fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut column_width = 0;
        while this < line1 && column + 1 < lines[this].len() {
            column_width = column_width.max(width(lines[this][column]) + padding);
            this += 1;
        }
        widths.push(column_width);
        format(lines, line0, this, widths, padding, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (index, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if index + 1 < line.len() && index < widths.len() {
                for _ in width(cell)..widths[index] {
                    out.push(' ');
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_over_blocks_of_lines_that_have_them() {
        let text = "Name:\tweb\nNamespace:\tdefault\nContainers:\n  app:\n    Image:\tnginx\n    Restart Count:\t0\n";
        assert_eq!(
            align(text, 2),
            "Name:       web\nNamespace:  default\nContainers:\n  app:\n    Image:          nginx\n    Restart Count:  0\n"
        );
    }
}

//! Inputs the fuzz targets (fuzz/) once crashed on, replayed with the same assertions as the
//! targets, so a fixed bug stays fixed without running the fuzzer. One folder per target under
//! tests/fixtures/fuzz/; the file format is the target's (for lesson_render, the first byte is
//! the width).

use std::path::{Path, PathBuf};

#[cfg_attr(not(feature = "tui"), allow(dead_code))]
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| (entry.path(), std::fs::read(entry.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[cfg(feature = "tui")]
#[test]
fn lesson_render_crashes_stay_fixed() {
    use kubedrill::tui::{Theme, render_lesson};
    let files = inputs("lesson_render");
    assert!(!files.is_empty(), "the lesson_render regressions are there");
    for (path, data) in files {
        let Some((&width, rest)) = data.split_first() else {
            continue;
        };
        let Ok(markdown) = std::str::from_utf8(rest) else {
            continue;
        };
        let width = u16::from(width).max(20);
        let rendered = render_lesson(markdown, width, Theme { color: true });
        for line in &rendered.lines {
            assert!(
                line.width() <= usize::from(width),
                "{}: a line of {} columns at width {width}",
                path.display(),
                line.width()
            );
        }
        for heading in &rendered.headings {
            assert!(heading.line < rendered.lines.len().max(1));
        }
        for link in &rendered.links {
            assert!(link.line < rendered.lines.len().max(1));
        }
    }
}

/// The world the `scenario_shell` target types into (the same file the target includes).
const SHELL_WORLD: &str = include_str!("fixtures/fuzz/scenario_shell.world.toml");

#[test]
fn scenario_shell_findings_stay_fixed() {
    use kubedrill::cluster::shell::Shell;
    use kubedrill::cluster::sim::Cluster;
    let files = inputs("scenario_shell");
    assert!(
        !files.is_empty(),
        "the scenario_shell regressions are there"
    );
    let world: kubedrill::model::world::World = toml::from_str(SHELL_WORLD).unwrap();
    let started = Shell::new(Cluster::start(&world).unwrap());
    for (path, data) in files {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let mut shell = started.clone();
        let mut saved = Some("kind: Pod\n".to_string());
        for line in text.lines().take(4) {
            let heredoc = Shell::heredoc_terminator(line)
                .map(|_| "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
            let output = shell.run_line(line, heredoc, &mut |_| saved.take());
            if output.code != 0 && output.stdout.is_empty() {
                // As the target: grep and friends fail silently (however the name is quoted),
                // and `2>` sends the reason elsewhere; anything else says why.
                let plain: String = line
                    .chars()
                    .filter(|c| !matches!(c, '\\' | '\'' | '"'))
                    .collect();
                let silent = [
                    "grep",
                    "printenv",
                    "getent",
                    "k exec",
                    "kubectl exec",
                    "false",
                ]
                .iter()
                .any(|quiet| plain.contains(quiet))
                    || line.contains("2>");
                assert!(
                    silent || !output.stderr.trim().is_empty(),
                    "{}: {line:?} failed silently",
                    path.display()
                );
            }
        }
        assert!(shell.cluster.files.keys().all(|path| path.starts_with('/')));
    }
}

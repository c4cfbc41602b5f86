//! `kubedrill deck new`: a new deck folder holding one example of every kind of item.
//!
//! The example is the one at the end of docs/deck-format.md (one fenced block per file,
//! ```` ```toml file=deck.toml ````), compiled in, so the reference and what `deck new` writes
//! are the same text and tests/deck_format_doc.rs keeps both valid.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::Id;

const DECK_FORMAT: &str = include_str!("../../docs/deck-format.md");

/// `(path, contents)` of every fenced block of `markdown` whose info string names a `file=`.
pub fn example_files(markdown: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let fence_len = line.chars().take_while(|c| *c == '`').count();
        if fence_len < 3 {
            continue;
        }
        let info = &line[fence_len..];
        let Some(path) = info
            .split_whitespace()
            .find_map(|word| word.strip_prefix("file="))
        else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            let closing = line.trim_end();
            if closing.len() >= fence_len && closing.chars().all(|c| c == '`') {
                break;
            }
            body.push_str(line);
            body.push('\n');
        }
        files.push((path.to_string(), body));
    }
    files
}

/// The example deck of docs/deck-format.md.
pub fn documented_example() -> Vec<(String, String)> {
    example_files(DECK_FORMAT)
}

/// Why a new deck was not written.
#[derive(Debug)]
pub enum NewDeckError {
    /// The folder exists and holds files: nothing is overwritten.
    NotEmpty(PathBuf),
    BadId(String, String),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for NewDeckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewDeckError::NotEmpty(path) => write!(
                f,
                "{} already exists and is not empty; nothing was written (choose a new folder)",
                path.display()
            ),
            NewDeckError::BadId(id, why) => write!(
                f,
                "`{id}` cannot be a deck id: {why} (give one with --id, such as `my-cka-deck`)"
            ),
            NewDeckError::Io(path, error) => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

/// A deck id from a folder name: `My CKA Deck` → `my-cka-deck`.
pub fn id_from_name(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').chars().take(64).collect()
}

/// Writes the example deck into `dir` (created; it must not hold files yet) under `id`, with
/// `title` as its English title when given. Returns the files written, relative to `dir`.
pub fn write_new_deck(
    dir: &Path,
    id: &str,
    title: Option<&str>,
) -> Result<Vec<String>, NewDeckError> {
    Id::parse(id).map_err(|why| NewDeckError::BadId(id.to_string(), why))?;
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(NewDeckError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(NewDeckError::Io(dir.to_path_buf(), error)),
    }
    let mut written = Vec::new();
    for (path, contents) in documented_example() {
        let contents = if path == "deck.toml" {
            deck_toml(&contents, id, title)
        } else {
            contents
        };
        let target = dir.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| NewDeckError::Io(parent.to_path_buf(), error))?;
        }
        std::fs::write(&target, contents).map_err(|error| NewDeckError::Io(target, error))?;
        written.push(path);
    }
    let readme = dir.join("README.md");
    std::fs::write(&readme, readme_text(id)).map_err(|error| NewDeckError::Io(readme, error))?;
    written.push("README.md".to_string());
    Ok(written)
}

/// The example's deck.toml with the new id and title.
fn deck_toml(example: &str, id: &str, title: Option<&str>) -> String {
    let mut out = String::new();
    for line in example.lines() {
        if line.starts_with("id = ") && out.lines().all(|line| !line.starts_with("id = ")) {
            out.push_str(&format!("id = {}\n", toml_string(id)));
        } else if let Some(title) = title
            && line.starts_with("title.en = ")
            && !out.contains("[[topic]]")
        {
            out.push_str(&format!("title.en = {}\n", toml_string(title)));
        } else if title.is_some() && line.starts_with("title.ko = ") && !out.contains("[[topic]]") {
            // The example's Korean title no longer says the same; the author writes a new one.
            continue;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn readme_text(id: &str) -> String {
    format!(
        "# {id}\n\n\
         A kubedrill deck. It starts as the example of the deck format: one topic with a lesson in\n\
         English and Korean, a flashcard, two quiz questions, two kubectl drills and two graded\n\
         exercises; one drill and one exercise declare `params`, so each review shows other names and\n\
         numbers. Replace them with your own.\n\n\
         - `kubedrill deck check .` reports every problem with file:line:column and proves each exercise;\n\
         - `kubedrill deck preview .` studies the deck in a throwaway session and reloads on every save;\n\
         - `kubedrill deck add .` installs it for everyday study.\n\n\
         The format is described in kubedrill's docs/deck-format.md, and docs/authoring.md walks\n\
         through writing a deck from an empty folder. This README is not read by kubedrill.\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_become_ids() {
        assert_eq!(id_from_name("My CKA Deck"), "my-cka-deck");
        assert_eq!(id_from_name("--cka__2026--"), "cka-2026");
        assert_eq!(id_from_name("한국어"), "");
    }

    #[test]
    fn the_new_deck_toml_takes_the_id_and_title() {
        let example = &documented_example()[0];
        assert_eq!(example.0, "deck.toml");
        let written = deck_toml(&example.1, "class-2027", Some("Class of \"2027\""));
        assert!(written.contains("id = \"class-2027\"\n"), "{written}");
        assert!(written.contains("title.en = \"Class of \\\"2027\\\"\"\n"));
        assert!(!written.contains("예제 덱"));
        // The topic keeps its own id and titles.
        assert!(written.contains("[[topic]]\nid = \"env\"\ntitle.en = \"Environment variables\"\ntitle.ko = \"환경 변수\""));
    }
}

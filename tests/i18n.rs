//! Every message a learner can be shown by the manifest checker and the graders has Korean.
//! The corpus is everything the project already runs: the manifest fixtures, every exercise's
//! starter, solution and known wrong answers (graded against its checks), the drill corpus and
//! every drill of the built-in deck with a wrong command. Each message and help sentence must
//! match a template of `assets/i18n/ko/*.toml` and come out with no English sentence left.
//!
//! `KUBEDRILL_I18N_MISSING=FILE cargo test --test i18n` writes the uncovered messages to FILE.

use std::collections::BTreeSet;
use std::path::Path;

use kubedrill::grade::command::judge;
use kubedrill::grade::{Images, grade_exercise};
use kubedrill::i18n::Lang;
use kubedrill::i18n::{catalog, localize};
use kubedrill::manifest::{self, Version};
use kubedrill::model::{ItemId, ItemRef};
use serde::Deserialize;

#[derive(Default)]
struct Corpus {
    /// Each message with where it came from (for the failure report).
    messages: Vec<(String, String)>,
}

impl Corpus {
    fn add(&mut self, origin: &str, text: &str) {
        // A procedure's finding about one step is indented under it; the indent is not text.
        let text = text.trim_start();
        if !text.trim().is_empty() {
            self.messages.push((text.to_string(), origin.to_string()));
        }
    }

    fn diagnostics(&mut self, origin: &str, diagnostics: &[manifest::Diagnostic]) {
        for diagnostic in diagnostics {
            self.add(origin, &diagnostic.message);
            if let Some(help) = &diagnostic.help {
                self.add(origin, help);
            }
        }
    }
}

#[derive(Deserialize)]
struct DrillCorpus {
    case: Vec<DrillCase>,
}

#[derive(Deserialize)]
struct DrillCase {
    expected: String,
    answer: String,
}

fn corpus() -> Corpus {
    let mut corpus = Corpus::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures/manifests"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    fixtures.sort();
    for path in fixtures {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = manifest::check(&text, Version::pinned());
        let name = path.file_name().unwrap().to_string_lossy();
        corpus.diagnostics(&format!("manifest {name}"), &report.diagnostics);
    }

    let deck = kubedrill::content::built_in().deck.unwrap();
    let images = Images::built_in().with(&deck.images);
    for topic in &deck.topics {
        for exercise in &topic.exercises {
            let id = ItemId::parse(&format!("{}/{}", topic.id, exercise.id)).unwrap();
            let Some(ItemRef::Exercise(found)) = deck.item(&id) else {
                panic!("{id} is listed but not found");
            };
            let answers = found
                .starter
                .iter()
                .chain([&found.solution])
                .chain(found.wrong_answers.iter().map(|wrong| &wrong.answer));
            for answer in answers {
                let report = grade_exercise(&id, found, &images, answer, "en", Version::pinned());
                let origin = format!("exercise {id}");
                corpus.diagnostics(&origin, &report.diagnostics);
                for check in &report.checks {
                    if let Some(detail) = &check.detail {
                        corpus.add(&origin, detail);
                    }
                }
            }
        }
        for drill in &topic.drills {
            // A near miss of every drill: one word dropped, as a learner forgets a flag.
            let words: Vec<&str> = drill.answer.split(' ').collect();
            for skip in 1..words.len() {
                let mut answer = words.clone();
                answer.remove(skip);
                let verdict = judge(&[&drill.answer], &answer.join(" "), None);
                for difference in &verdict.differences {
                    corpus.add(&format!("drill {}/{}", topic.id, drill.id), difference);
                }
            }
            // And every known wrong answer, with the explanation a learner sees.
            let accepted: Vec<&str> = std::iter::once(drill.answer.as_str())
                .chain(drill.accept.iter().map(String::as_str))
                .collect();
            for wrong in &drill.wrong {
                let verdict = judge(&accepted, &wrong.answer, None);
                for difference in &verdict.differences {
                    corpus.add(
                        &format!("drill {}/{} (wrong)", topic.id, drill.id),
                        difference,
                    );
                }
            }
        }
    }

    let drills: DrillCorpus =
        toml::from_str(&std::fs::read_to_string(root.join("tests/fixtures/drills.toml")).unwrap())
            .unwrap();
    for case in drills.case {
        let verdict = judge(&[&case.expected], &case.answer, None);
        for difference in &verdict.differences {
            corpus.add(&format!("drill corpus: {}", case.answer), difference);
        }
    }
    corpus
}

/// Whether a translation still holds an English sentence (a value left as it was written is
/// fine: names, paths, commands and YAML are not translated).
fn english_left(text: &str) -> bool {
    // Code in backticks and values in double quotes (a string from the learner's answer, such
    // as a CEL rule's message) are data, not sentences to translate.
    let mut outside = String::new();
    let mut in_code = false;
    let mut in_value = false;
    for c in text.chars() {
        if c == '`' && !in_value {
            in_code = !in_code;
        } else if c == '"' && !in_code {
            in_value = !in_value;
        } else if !in_code && !in_value {
            outside.push(c);
        }
    }
    let words: Vec<&str> = outside
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() > 1)
        .collect();
    const COMMON: [&str; 12] = [
        "the", "is", "are", "not", "must", "and", "of", "to", "with", "be", "this", "that",
    ];
    words.iter().filter(|word| COMMON.contains(word)).count() >= 2
}

#[test]
fn every_message_a_learner_can_see_has_korean() {
    let corpus = corpus();
    assert!(
        corpus.messages.len() > 300,
        "the corpus should be large: {}",
        corpus.messages.len()
    );
    let mut missing: BTreeSet<String> = BTreeSet::new();
    let mut dump: BTreeSet<String> = BTreeSet::new();
    let mut english: Vec<String> = Vec::new();
    let mut examples = Vec::new();
    for (message, origin) in &corpus.messages {
        match catalog().korean(message) {
            None => {
                if missing.insert(message.clone()) {
                    examples.push(format!("{message}\n    (from {origin})"));
                }
                let kind = origin.split([' ', ':']).next().unwrap_or_default();
                dump.insert(format!("{kind}\t{}", message.replace('\n', "\\n")));
            }
            Some(korean) if english_left(&korean) => {
                english.push(format!("{message}\n    → {korean}"));
            }
            Some(_) => {}
        }
    }
    if let Ok(file) = std::env::var("KUBEDRILL_I18N_MISSING") {
        std::fs::write(file, dump.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap();
    }
    english.sort();
    english.dedup();
    assert!(
        missing.is_empty() && english.is_empty(),
        "{} messages have no Korean template:\n{}\n\n{} translate with English left:\n{}",
        missing.len(),
        examples.join("\n"),
        english.len(),
        english.join("\n")
    );
}

/// The words of every `.rs` file under `dir`.
fn source_words(dir: &Path, words: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|entry| entry.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_words(&path, words);
        } else if path
            .extension()
            .is_some_and(|ext| ext == "rs" || ext == "toml")
            && !path.ends_with("i18n.rs")
        {
            let text = std::fs::read_to_string(&path).unwrap();
            words.extend(
                text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .filter(|word| !word.is_empty())
                    .map(str::to_string),
            );
        }
    }
}

/// Where cargo unpacked a dependency whose messages reach learners (the YAML parser's syntax
/// errors): `CARGO_HOME/registry/src/*/NAME-VERSION/src`, the version from Cargo.lock.
fn dependency_source(package: &str) -> Option<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).ok()?;
    let version = lock
        .split("[[package]]")
        .find(|entry| entry.contains(&format!("name = \"{package}\"\n")))?
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))?
        .trim_end_matches('"')
        .to_string();
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))?;
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .filter_map(Result::ok)
        .map(|index| index.path().join(format!("{package}-{version}/src")))
        .find(|path| path.is_dir())
}

#[test]
fn every_template_is_something_the_code_writes() {
    // A template holding a word the code never writes is a message that changed its wording
    // (or a typo): its Korean would silently stop being used. The code is kubedrill's own and
    // the YAML parser's, whose syntax errors are shown as they are.
    let mut words = BTreeSet::new();
    source_words(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut words,
    );
    let parser = dependency_source("saphyr-parser")
        .expect("saphyr-parser's source is in cargo's registry (Cargo.lock's version)");
    source_words(&parser, &mut words);
    let stale: Vec<String> = catalog()
        .entries
        .iter()
        .filter_map(|entry| {
            let absent: Vec<&str> = entry
                .fixed_texts()
                .into_iter()
                .flat_map(|text| text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-'))
                .filter(|word| word.len() >= 3 && !words.contains(*word))
                .collect();
            (!absent.is_empty())
                .then(|| format!("{:?}: the code never writes {absent:?}", entry.en))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "{} stale templates:\n{}",
        stale.len(),
        stale.join("\n")
    );
}

#[test]
fn a_korean_learner_reads_the_checker_in_korean() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n      nmae: x\n";
    let report = manifest::check(text, Version::pinned());
    let message = &report.diagnostics[0].message;
    assert_eq!(message, "unknown field `nmae`");
    assert_eq!(localize(message, Lang::Ko), "알 수 없는 필드 `nmae`");
    assert_eq!(localize(message, Lang::En), "unknown field `nmae`");
}

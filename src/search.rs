//! Fuzzy search over everything a learner can open: lessons and their headings, cards,
//! questions, exercises and drills, in one language. `kubedrill search` and the interface's
//! search palette rank the same way (nucleo's fzf-like scoring, best first).

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use serde::Serialize;

use crate::model::{Deck, Library};

/// What a hit opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitKind {
    Lesson,
    Heading,
    Card,
    Question,
    Exercise,
    Drill,
    Scenario,
}

impl HitKind {
    pub fn name(self) -> &'static str {
        match self {
            HitKind::Lesson => "lesson",
            HitKind::Heading => "heading",
            HitKind::Card => "card",
            HitKind::Question => "question",
            HitKind::Exercise => "exercise",
            HitKind::Drill => "drill",
            HitKind::Scenario => "scenario",
        }
    }
}

/// One thing that can be found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub kind: HitKind,
    pub deck: String,
    pub topic: String,
    /// The item id (cards, questions, exercises, drills), or the heading's text.
    pub item: Option<String>,
    /// For a heading: its line in the lesson (from 0).
    pub line: Option<usize>,
    /// What is shown and matched.
    pub title: String,
    /// More text that is matched too (a card's back), weighted lower; lowercased once here so
    /// a keystroke does not lowercase 10,000 texts.
    #[serde(skip)]
    pub body: String,
}

/// A ranked hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit<'a> {
    pub score: i64,
    #[serde(flatten)]
    pub target: &'a Target,
    /// Character positions of `title` that matched, for highlighting.
    #[serde(skip)]
    pub positions: Vec<usize>,
}

/// The score of a hit whose id is the query itself: above any fuzzy score.
const EXACT_ID: i64 = i64::MAX / 2;

/// How many candidates per shown hit the greedy pass hands to the optimal matcher.
const RESCORED: usize = 10;

/// Everything searchable, in one language.
#[derive(Debug, Default)]
pub struct Index {
    pub targets: Vec<Target>,
    /// Each target's title as the matcher reads it, converted once.
    titles: Vec<Utf32String>,
    /// The queries searched as one is typed, each with every target it matched: a query that
    /// only grows is looked for among its prefix's matches (a title that matches `rollo`
    /// fuzzily matches `roll`, and a body that holds `rollo` holds `roll`), and one erased back
    /// to a prefix finds it here.
    typed: std::sync::Mutex<Vec<(String, std::sync::Arc<Vec<usize>>)>>,
}

/// The most queries [`Index`] keeps while one is typed.
const TYPED: usize = 32;

impl Index {
    pub fn build(library: &Library, language: &str) -> Index {
        let mut targets = Vec::new();
        for deck in &library.decks {
            add_deck(&mut targets, deck, language);
        }
        let titles = targets
            .iter()
            .map(|target| Utf32String::from(target.title.as_str()))
            .collect();
        Index {
            targets,
            titles,
            typed: std::sync::Mutex::default(),
        }
    }

    /// The targets `query` can match: the matches of the longest query searched before that it
    /// extends (every target when there is none).
    fn candidates(&self, query: &str) -> Option<std::sync::Arc<Vec<usize>>> {
        let mut typed = self.typed.lock().unwrap_or_else(|error| error.into_inner());
        // Only prefixes of this query stay: the others were typed on another path.
        typed.retain(|(before, _)| query.starts_with(before.as_str()));
        typed.last().map(|(_, matched)| matched.clone())
    }

    fn remember(&self, query: &str, matched: Vec<usize>) {
        let mut typed = self.typed.lock().unwrap_or_else(|error| error.into_inner());
        if typed.last().is_some_and(|(last, _)| last == query) {
            return;
        }
        if typed.len() == TYPED {
            typed.remove(0);
        }
        typed.push((query.to_string(), std::sync::Arc::new(matched)));
    }

    /// The best `limit` hits for `query`, best first. An empty query lists nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit<'_>> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        // Words are matched each on its own, in any order, as fzf does: `envfrom whole` finds
        // "Load a whole ConfigMap with envFrom". nucleo's matcher (helix's) scores like fzf.
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        // One substring searcher per word of the query, shared by every body it is tried on.
        let terms: Vec<memchr::memmem::Finder<'static>> = query
            .split_whitespace()
            .map(|word| memchr::memmem::Finder::new(word.to_lowercase().as_bytes()).into_owned())
            .collect();
        let typed = query.chars().count() as i64;
        // Two passes, as fzf does on big inputs. First every title is scored with the greedy
        // matcher (one scan per word; it finds a match exactly when the optimal one does), on
        // every core for a big library. Then the best candidates are scored again with the
        // optimal matcher, which ranks better but costs a table per title.
        let bonus = |target: &Target| match target.kind {
            // Lessons and headings lead a tie: they are where to start.
            HitKind::Lesson | HitKind::Heading => 1,
            _ => 0,
        };
        let score = |matcher: &mut Matcher, at: usize| {
            let target = &self.targets[at];
            let title_score = pattern.atoms.iter().try_fold(0u32, |sum, atom| {
                matcher
                    .fuzzy_match_greedy(self.titles[at].slice(..), atom.needle_text())
                    .map(|score| sum + u32::from(score))
            });
            // The body (a card's back, an exercise's task) counts only where it holds every
            // word as typed: fuzzy matches across a long text are mostly noise.
            let body = (title_score.is_none()
                && !target.body.is_empty()
                && terms
                    .iter()
                    .all(|term| term.find(target.body.as_bytes()).is_some()))
            .then_some(typed * 8);
            let (score, in_title) = match (title_score, body) {
                (Some(score), _) => (i64::from(score) * 2, true),
                (None, Some(score)) => (score, false),
                (None, None) => return None,
            };
            Some((score + bonus(target), at, in_title))
        };
        let new_matcher = || {
            let mut matcher = Matcher::new(Config::DEFAULT);
            // As the pattern does (ignore case; letters with accents match plain ones unless
            // the query itself has some), so no title the optimal pass would match is left out.
            matcher.config.ignore_case = true;
            matcher.config.normalize = query.is_ascii();
            matcher
        };
        let mut hits: Vec<(i64, usize, bool)> = match self.candidates(query) {
            Some(candidates) => crate::parallel::chunks(&candidates, 2000, |_, ats| {
                let mut matcher = new_matcher();
                ats.iter()
                    .filter_map(|&at| score(&mut matcher, at))
                    .collect()
            }),
            None => crate::parallel::chunks(&self.titles, 2000, |offset, titles| {
                let mut matcher = new_matcher();
                (offset..offset + titles.len())
                    .filter_map(|at| score(&mut matcher, at))
                    .collect()
            }),
        };
        self.remember(query, hits.iter().map(|(_, at, _)| *at).collect());
        // An item's exact id (`TOPIC/ITEM` or `ITEM`) is what was meant: it leads.
        let exact = |target: &Target| {
            target.line.is_none()
                && target.item.as_deref().is_some_and(|item| {
                    query == item || query.split_once('/') == Some((target.topic.as_str(), item))
                })
        };
        for (score, at, _) in &mut hits {
            if exact(&self.targets[*at]) {
                *score = EXACT_ID;
            }
        }
        // Only the best few are ranked: a short query matches most of a big library, and
        // sorting every hit was a good part of a keystroke. Ties keep the library's order (the
        // hits are in it), as a stable sort by score would.
        let rank = |(score, at, _): &(i64, usize, bool)| (std::cmp::Reverse(*score), *at);
        let best = limit.max(1) * RESCORED;
        if hits.len() > best {
            hits.select_nth_unstable_by_key(best, rank);
            hits.truncate(best);
        }
        hits.sort_unstable_by_key(rank);
        let mut matcher = Matcher::new(Config::DEFAULT);
        for (score, at, in_title) in &mut hits {
            if *in_title
                && *score != EXACT_ID
                && let Some(optimal) = pattern.score(self.titles[*at].slice(..), &mut matcher)
            {
                *score = i64::from(optimal) * 2 + bonus(&self.targets[*at]);
            }
        }
        hits.sort_by_key(|(score, _, _)| std::cmp::Reverse(*score));
        hits.truncate(limit);
        let mut found: Vec<u32> = Vec::new();
        hits.into_iter()
            .map(|(score, at, in_title)| {
                let mut positions = Vec::new();
                if in_title {
                    found.clear();
                    pattern.indices(self.titles[at].slice(..), &mut matcher, &mut found);
                    found.sort_unstable();
                    found.dedup();
                    positions.extend(found.iter().map(|&index| index as usize));
                }
                Hit {
                    score,
                    target: &self.targets[at],
                    positions,
                }
            })
            .collect()
    }
}

fn add_deck(targets: &mut Vec<Target>, deck: &Deck, language: &str) {
    for topic in &deck.topics {
        let target = |kind, item: Option<String>, line, title: &str, body: &str| {
            // An item is found by its id too (`configmaps/app-config-envfrom`, as `grade`
            // and `watch` take it): the id leads its body.
            let body = match (&item, kind) {
                (
                    Some(id),
                    HitKind::Card | HitKind::Question | HitKind::Exercise | HitKind::Drill,
                ) => {
                    format!("{}/{id} {}", topic.id, one_line(body))
                }
                _ => one_line(body),
            };
            Target {
                kind,
                deck: deck.id.to_string(),
                topic: topic.id.to_string(),
                item,
                line,
                title: one_line(title),
                body: body.to_lowercase(),
            }
        };
        targets.push(target(
            HitKind::Lesson,
            None,
            None,
            topic.title.get(language),
            "",
        ));
        for (line, heading) in headings(topic.lesson.get(language)) {
            targets.push(target(
                HitKind::Heading,
                Some(heading.clone()),
                Some(line),
                &heading,
                "",
            ));
        }
        for card in &topic.cards {
            targets.push(target(
                HitKind::Card,
                Some(card.id.to_string()),
                None,
                card.front.get(language),
                card.back.get(language),
            ));
        }
        for question in &topic.questions {
            targets.push(target(
                HitKind::Question,
                Some(question.id.to_string()),
                None,
                question.question.get(language),
                "",
            ));
        }
        for exercise in &topic.exercises {
            targets.push(target(
                HitKind::Exercise,
                Some(exercise.id.to_string()),
                None,
                exercise.title.get(language),
                exercise.prompt.get(language),
            ));
        }
        for scenario in &topic.scenarios {
            targets.push(target(
                HitKind::Scenario,
                Some(scenario.id.to_string()),
                None,
                scenario.title.get(language),
                scenario.task.get(language),
            ));
        }
        for drill in &topic.drills {
            targets.push(target(
                HitKind::Drill,
                Some(drill.id.to_string()),
                None,
                drill.prompt.get(language),
                &drill.answer,
            ));
        }
    }
}

/// The headings of a Markdown lesson (`## …` lines outside code fences), with their lines.
pub fn headings(markdown: &str) -> Vec<(usize, String)> {
    let mut in_fence = false;
    let mut found = Vec::new();
    for (line_number, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (2..=4).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
            found.push((line_number, trimmed[hashes..].trim().to_string()));
        }
    }
    found
}

/// Text on one line, Markdown backticks and emphasis left out, for lists of hits.
fn one_line(text: &str) -> String {
    let joined: Vec<&str> = text.split_whitespace().collect();
    joined
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '`' | '*'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Typing narrows among the previous query's matches, and erasing goes back to them: the
    /// hits are always those a search from scratch finds.
    #[test]
    fn typing_and_erasing_find_what_a_fresh_search_finds() {
        let library = crate::content::load_library(true, None, &[]).library;
        let typed = Index::build(&library, "en");
        let shown = |hits: Vec<Hit<'_>>| -> Vec<(i64, String, Vec<usize>)> {
            hits.into_iter()
                .map(|hit| (hit.score, hit.target.title.clone(), hit.positions))
                .collect()
        };
        let mut queries = Vec::new();
        for query in ["rollout undo", "configmap envfrom", "pods/scale", "롤백 é"] {
            let chars: Vec<char> = query.chars().collect();
            for end in (1..=chars.len()).chain((1..chars.len()).rev()) {
                queries.push(chars[..end].iter().collect::<String>());
            }
        }
        let mut narrowed = 0;
        for query in &queries {
            narrowed += usize::from(typed.candidates(query.trim()).is_some());
            let fresh = Index::build(&library, "en");
            assert_eq!(
                shown(typed.search(query, 50)),
                shown(fresh.search(query, 50)),
                "{query:?}"
            );
        }
        assert!(
            narrowed > queries.len() / 2,
            "{narrowed} of {}",
            queries.len()
        );
    }

    #[test]
    fn headings_skip_code_fences_and_the_title() {
        let lesson =
            "# Title\n\n## First\ntext\n```sh\n## not a heading\n```\n### Second part\n#hashtag\n";
        assert_eq!(
            headings(lesson),
            [(2, "First".to_string()), (7, "Second part".to_string())]
        );
    }

    #[test]
    fn a_typo_still_finds_the_exercise_and_headings_are_found() {
        let library = crate::content::load_library(true, None, &[]).library;
        let index = Index::build(&library, "en");
        assert!(index.targets.len() > 300, "{}", index.targets.len());
        let hits = index.search("whole confgmap envfrom", 5);
        assert!(
            hits.iter().any(|hit| hit.target.kind == HitKind::Exercise
                && hit.target.item.as_deref() == Some("app-config-envfrom")),
            "{hits:#?}"
        );
        let heading = index.search("rolling update strategy", 3);
        assert!(
            heading
                .iter()
                .any(|hit| hit.target.kind == HitKind::Heading),
            "{heading:#?}"
        );
        let korean = Index::build(&library, "ko");
        assert!(
            !korean.search("롤백", 5).is_empty(),
            "Korean text is searchable"
        );
        assert!(index.search("   ", 5).is_empty());
    }

    #[test]
    fn an_items_id_finds_it_first() {
        let library = crate::content::load_library(true, None, &[]).library;
        for language in ["en", "ko"] {
            let index = Index::build(&library, language);
            for query in ["configmaps/app-config-envfrom", "app-config-envfrom"] {
                let hits = index.search(query, 5);
                let first = &hits.first().expect("a hit").target;
                assert_eq!(
                    (first.kind, first.topic.as_str(), first.item.as_deref()),
                    (HitKind::Exercise, "configmaps", Some("app-config-envfrom")),
                    "{query} in {language}: {hits:#?}"
                );
            }
            // Part of an id finds it too, through the body.
            let hits = index.search("app-config-env", 10);
            assert!(
                hits.iter()
                    .any(|hit| hit.target.item.as_deref() == Some("app-config-envfrom")),
                "{hits:#?}"
            );
        }
    }
}

//! Fuzzy search over everything a learner can open: lessons and their headings, cards,
//! questions, exercises and drills, in one language. `kubedrill search` and the interface's
//! search palette rank the same way (nucleo's fzf-like scoring, best first).

use std::sync::Arc;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};
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

/// One thing that can be found. A library's every card is one, so it is kept small: the deck
/// and topic ids are shared by the topic's targets, and texts are boxed to their length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    pub kind: HitKind,
    pub deck: Arc<str>,
    pub topic: Arc<str>,
    /// The item id (cards, questions, exercises, drills), or the heading's text.
    pub item: Option<Box<str>>,
    /// For a heading: its line in the lesson (from 0).
    pub line: Option<usize>,
    /// What is shown and matched.
    pub title: Box<str>,
    /// More text that is matched too (a card's back), weighted lower; lowercased once here so
    /// a keystroke does not lowercase 10,000 texts.
    #[serde(skip)]
    pub body: Box<str>,
    /// The title as the matcher reads it (its graphemes' first characters) where it is not
    /// ASCII; an ASCII title is read as it is.
    #[serde(skip)]
    wide: Option<Box<[char]>>,
}

impl Target {
    /// The title as the matcher reads it.
    fn matched(&self) -> Utf32Str<'_> {
        match &self.wide {
            Some(chars) => Utf32Str::Unicode(chars),
            None => Utf32Str::Ascii(self.title.as_bytes()),
        }
    }

    /// Whether an item's `TOPIC/ITEM` id holds `term` (items are found by their ids too, as
    /// `grade` and `watch` take them). `id` is a buffer for the id, reused from call to call.
    fn id_holds(&self, term: &memchr::memmem::Finder<'_>, id: &mut String) -> bool {
        let Some(item) = self.item.as_deref().filter(|_| {
            matches!(
                self.kind,
                HitKind::Card | HitKind::Question | HitKind::Exercise | HitKind::Drill
            )
        }) else {
            return false;
        };
        if id.is_empty() {
            id.push_str(&self.topic);
            id.push('/');
            id.push_str(item);
        }
        term.find(id.as_bytes()).is_some()
    }
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
    /// The queries searched as one is typed, each with every target it matched and its ranked
    /// hits: a query that only grows is looked for among its prefix's matches (a title that
    /// matches `rollo` fuzzily matches `roll`, and a body that holds `rollo` holds `roll`), and
    /// one erased back to a prefix is answered from here without matching anything.
    typed: std::sync::Mutex<Vec<Typed>>,
}

/// A query searched while one is typed.
#[derive(Debug)]
struct Typed {
    query: String,
    /// Every target it matched, in the library's order.
    matched: Arc<Vec<usize>>,
    /// Its ranked hits (score, target, matched in the title), for each limit asked.
    ranked: Vec<(usize, Arc<Vec<Ranked>>)>,
}

/// A hit before its matched positions are found: score, target, matched in the title.
type Ranked = (i64, usize, bool);

/// What [`Index::recall`] knows of a query: the candidates, and the ranked hits.
type Recalled = (Option<Arc<Vec<usize>>>, Option<Arc<Vec<Ranked>>>);

/// The most queries [`Index`] keeps while one is typed.
const TYPED: usize = 32;

impl Index {
    pub fn build(library: &Library, language: &str) -> Index {
        let mut targets = Vec::new();
        for deck in &library.decks {
            add_deck(&mut targets, deck, language);
        }
        targets.shrink_to_fit();
        Index {
            targets,
            typed: std::sync::Mutex::default(),
        }
    }

    /// What is known of `query` from the queries typed before it: the matches of the longest
    /// one it extends (none when there is none), and its ranked hits for `limit` if it was
    /// itself searched with that limit (typed, then erased back to).
    fn recall(&self, query: &str, limit: usize) -> Recalled {
        let mut typed = self.typed.lock().unwrap_or_else(|error| error.into_inner());
        // Only prefixes of this query stay: the others were typed on another path.
        typed.retain(|before| query.starts_with(before.query.as_str()));
        let Some(last) = typed.last() else {
            return (None, None);
        };
        let ranked = (last.query == query)
            .then(|| last.ranked.iter().find(|(asked, _)| *asked == limit))
            .flatten()
            .map(|(_, ranked)| ranked.clone());
        (Some(last.matched.clone()), ranked)
    }

    fn remember(
        &self,
        query: &str,
        matched: Arc<Vec<usize>>,
        limit: usize,
        ranked: Arc<Vec<Ranked>>,
    ) {
        let mut typed = self.typed.lock().unwrap_or_else(|error| error.into_inner());
        if let Some(last) = typed.last_mut().filter(|last| last.query == query) {
            last.ranked.retain(|(asked, _)| *asked != limit);
            last.ranked.push((limit, ranked));
            return;
        }
        if typed.len() == TYPED {
            typed.remove(0);
        }
        typed.push(Typed {
            query: query.to_string(),
            matched,
            ranked: vec![(limit, ranked)],
        });
    }

    /// The best `limit` hits for `query`, best first. An empty query lists nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit<'_>> {
        let query = query.trim();
        if query.is_empty() {
            // What was typed before the query was erased is forgotten: the next one is new.
            self.typed
                .lock()
                .unwrap_or_else(|error| error.into_inner())
                .clear();
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
        let (candidates, recalled) = self.recall(query, limit);
        let ranked = match recalled {
            Some(ranked) => ranked,
            None => {
                let (matched, ranked) = self.rank(query, &pattern, candidates.as_deref(), limit);
                let ranked = Arc::new(ranked);
                self.remember(query, Arc::new(matched), limit, ranked.clone());
                ranked
            }
        };
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut found: Vec<u32> = Vec::new();
        ranked
            .iter()
            .map(|&(score, at, in_title)| {
                let mut positions = Vec::new();
                if in_title {
                    found.clear();
                    pattern.indices(self.targets[at].matched(), &mut matcher, &mut found);
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

    /// Every target `query` matches among `candidates` (every target when none), and the best
    /// `limit` of them ranked.
    fn rank(
        &self,
        query: &str,
        pattern: &Pattern,
        candidates: Option<&Vec<usize>>,
        limit: usize,
    ) -> (Vec<usize>, Vec<Ranked>) {
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
        let score = |matcher: &mut Matcher, id: &mut String, at: usize| {
            let target = &self.targets[at];
            let title_score = pattern.atoms.iter().try_fold(0u32, |sum, atom| {
                matcher
                    .fuzzy_match_greedy(self.targets[at].matched(), atom.needle_text())
                    .map(|score| sum + u32::from(score))
            });
            // The body (a card's back, an exercise's task) and the item's id count only where
            // they hold every word as typed: fuzzy matches across a long text are mostly noise.
            id.clear();
            let body = (title_score.is_none()
                && terms.iter().all(|term| {
                    term.find(target.body.as_bytes()).is_some() || target.id_holds(term, id)
                }))
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
        let mut hits: Vec<Ranked> = match candidates {
            Some(candidates) => crate::parallel::chunks(candidates, 2000, |_, ats| {
                let (mut matcher, mut id) = (new_matcher(), String::new());
                ats.iter()
                    .filter_map(|&at| score(&mut matcher, &mut id, at))
                    .collect()
            }),
            None => crate::parallel::chunks(&self.targets, 2000, |offset, targets| {
                let (mut matcher, mut id) = (new_matcher(), String::new());
                (offset..offset + targets.len())
                    .filter_map(|at| score(&mut matcher, &mut id, at))
                    .collect()
            }),
        };
        let matched = hits.iter().map(|(_, at, _)| *at).collect();
        // An item's exact id (`TOPIC/ITEM` or `ITEM`) is what was meant: it leads.
        let exact = |target: &Target| {
            target.line.is_none()
                && target.item.as_deref().is_some_and(|item| {
                    query == item || query.split_once('/') == Some((&*target.topic, item))
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
        let rank = |(score, at, _): &Ranked| (std::cmp::Reverse(*score), *at);
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
                && let Some(optimal) = pattern.score(self.targets[*at].matched(), &mut matcher)
            {
                *score = i64::from(optimal) * 2 + bonus(&self.targets[*at]);
            }
        }
        hits.sort_by_key(|(score, _, _)| std::cmp::Reverse(*score));
        hits.truncate(limit);
        (matched, hits)
    }
}

fn add_deck(targets: &mut Vec<Target>, deck: &Deck, language: &str) {
    let deck_id: Arc<str> = Arc::from(deck.id.as_str());
    for topic in &deck.topics {
        let topic_id: Arc<str> = Arc::from(topic.id.as_str());
        let target = |kind, item: Option<String>, line, title: &str, body: &str| {
            let title = one_line(title).into_boxed_str();
            let wide = match Utf32String::from(&*title) {
                Utf32String::Unicode(chars) => Some(chars),
                Utf32String::Ascii(_) => None,
            };
            Target {
                kind,
                deck: deck_id.clone(),
                topic: topic_id.clone(),
                item: item.map(String::into_boxed_str),
                line,
                title,
                body: one_line(body).to_lowercase().into_boxed_str(),
                wide,
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
                .map(|hit| (hit.score, hit.target.title.to_string(), hit.positions))
                .collect()
        };
        let mut queries = Vec::new();
        for query in ["rollout undo", "configmap envfrom", "pods/scale", "롤백 é"] {
            let chars: Vec<char> = query.chars().collect();
            for end in (1..=chars.len()).chain((1..chars.len()).rev()) {
                queries.push(chars[..end].iter().collect::<String>());
            }
        }
        let (mut narrowed, mut recalled) = (0, 0);
        for query in &queries {
            let (candidates, ranked) = typed.recall(query.trim(), 50);
            narrowed += usize::from(candidates.is_some());
            recalled += usize::from(ranked.is_some());
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
        // Every query erased back to was answered from what its typing found.
        let erased: usize = ["rollout undo", "configmap envfrom", "pods/scale", "롤백 é"]
            .iter()
            .map(|query| query.chars().count() - 1)
            .sum();
        assert!(recalled >= erased, "{recalled} of {erased}");
        // A query erased whole is forgotten: the next is searched afresh.
        assert!(typed.recall("롤", 50).0.is_some());
        assert!(typed.search("", 50).is_empty());
        assert_eq!(typed.recall("롤", 50), (None, None));
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
                    (first.kind, &*first.topic, first.item.as_deref()),
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

//! The order of a topic's first pass, so that what was just read is what is practised next.
//!
//! The English lesson is cut into its sections (`## ` headings; the text before the first one
//! belongs to the first). Each item goes to the first section that links to it (`](card:ID)`,
//! `](drill:ID)`, … — a "Practice:" line is such a set of links). An item no section links to
//! is spread evenly over the sections in deck order, as the deck lists it; an exercise no
//! section links to goes to the last section, after everything it may build on. Within a
//! section the order is cards, then questions, then drills, then exercises: recall first, then
//! the work that applies it.

use std::collections::HashMap;

use crate::model::{ItemKind, ItemRef, Topic};

/// The topic's items in first-pass order.
pub fn first_pass<'a>(topic: &'a Topic) -> Vec<ItemRef<'a>> {
    let lesson = topic.lesson.get("en");
    let (sections, linked) = sections_and_links(lesson);
    let mut placed: Vec<Vec<ItemRef<'a>>> = vec![Vec::new(); sections];
    let place = |items: Vec<(ItemRef<'a>, &'a str)>, kind: ItemKind| {
        let unlinked = items
            .iter()
            .filter(|(_, id)| !linked.contains_key(&(kind, *id)))
            .count();
        let mut nth_unlinked = 0;
        let mut by_section: Vec<Vec<ItemRef<'a>>> = vec![Vec::new(); sections];
        for (item, id) in items {
            let section = match linked.get(&(kind, id)) {
                Some(section) => *section,
                None if matches!(kind, ItemKind::Exercise | ItemKind::Scenario) => sections - 1,
                None => {
                    let section = nth_unlinked * sections / unlinked.max(1);
                    nth_unlinked += 1;
                    section
                }
            };
            by_section[section].push(item);
        }
        by_section
    };
    let kinds = [
        place(
            topic
                .cards
                .iter()
                .map(|item| (ItemRef::Card(item), item.id.as_str()))
                .collect(),
            ItemKind::Card,
        ),
        place(
            topic
                .questions
                .iter()
                .map(|item| (ItemRef::Question(item), item.id.as_str()))
                .collect(),
            ItemKind::Question,
        ),
        place(
            topic
                .drills
                .iter()
                .map(|item| (ItemRef::Drill(item), item.id.as_str()))
                .collect(),
            ItemKind::Drill,
        ),
        place(
            topic
                .exercises
                .iter()
                .map(|item| (ItemRef::Exercise(item), item.id.as_str()))
                .collect(),
            ItemKind::Exercise,
        ),
        place(
            topic
                .scenarios
                .iter()
                .map(|item| (ItemRef::Scenario(item), item.id.as_str()))
                .collect(),
            ItemKind::Scenario,
        ),
    ];
    for kind in kinds {
        for (section, items) in kind.into_iter().enumerate() {
            placed[section].extend(items);
        }
    }
    let mut flat: Vec<(usize, ItemRef<'a>)> = placed
        .into_iter()
        .enumerate()
        .flat_map(|(section, items)| items.into_iter().map(move |item| (section, item)))
        .collect();
    let slugs = section_slugs(lesson);
    // Twice, so an item whose prerequisite moved on the first pass follows it.
    for _ in 0..2 {
        for index in 0..flat.len() {
            let (_, item) = flat[index];
            let after = after_of(&item);
            if !after.is_empty() {
                move_after_what_it_builds_on(&mut flat, &item, after, &slugs);
            }
        }
    }
    flat.into_iter().map(|(_, item)| item).collect()
}

/// What an item says it builds on.
fn after_of<'a>(item: &ItemRef<'a>) -> &'a [crate::model::After] {
    match *item {
        ItemRef::Card(card) => &card.after,
        ItemRef::Question(question) => &question.after,
        ItemRef::Drill(drill) => &drill.after,
        ItemRef::Exercise(exercise) => &exercise.after,
        ItemRef::Scenario(scenario) => &scenario.after,
    }
}

fn same(a: &ItemRef<'_>, kind: &str, id: &str) -> bool {
    a.kind().name() == kind && item_id(a) == id
}

fn item_id<'a>(item: &ItemRef<'a>) -> &'a str {
    match *item {
        ItemRef::Card(card) => card.id.as_str(),
        ItemRef::Question(question) => question.id.as_str(),
        ItemRef::Drill(drill) => drill.id.as_str(),
        ItemRef::Exercise(exercise) => exercise.id.as_str(),
        ItemRef::Scenario(scenario) => scenario.id.as_str(),
    }
}

/// Moves `item` later when it comes before a section or an item it builds on: to just after
/// the last of them (the end of a named section). It never moves earlier.
fn move_after_what_it_builds_on<'a>(
    flat: &mut Vec<(usize, ItemRef<'a>)>,
    item: &ItemRef<'a>,
    after: &[crate::model::After],
    slugs: &[String],
) {
    let kind = item.kind().name();
    let id = item_id(item);
    let Some(at) = flat.iter().position(|(_, other)| same(other, kind, id)) else {
        return;
    };
    let mut section = flat[at].0;
    let mut after_item: Option<usize> = None;
    for target in after {
        let Some((target_kind, target_id)) = target.target.split_once(':') else {
            continue;
        };
        if target_kind == "section" {
            if let Some(index) = slugs.iter().position(|slug| slug == target_id) {
                section = section.max(index);
            }
        } else if let Some(position) = flat
            .iter()
            .position(|(_, other)| same(other, target_kind, target_id))
        {
            section = section.max(flat[position].0);
            after_item = after_item.max(Some(position));
        }
    }
    let in_place = flat[at].0 >= section && after_item.is_none_or(|position| position < at);
    if in_place {
        return;
    }
    let (_, moving) = flat.remove(at);
    let after_item = after_item.map(|position| {
        if position > at {
            position - 1
        } else {
            position
        }
    });
    let end_of_section = flat
        .iter()
        .position(|(other, _)| *other > section)
        .unwrap_or(flat.len());
    let to = end_of_section.max(after_item.map_or(0, |position| position + 1));
    flat.insert(to.min(flat.len()), (section, moving));
}

/// The slugs of the lesson's `##` sections, in order: the heading in lowercase, letters, digits,
/// `-` and `_` kept, spaces made `-`, everything else dropped (as GitHub makes anchors):
/// "RollingUpdate: the default strategy" is `rollingupdate-the-default-strategy`.
pub fn section_slugs(lesson: &str) -> Vec<String> {
    outline(lesson)
        .filter_map(|line| match line {
            Line::Heading(heading) => Some(slug(heading)),
            Line::Text(..) => None,
        })
        .collect()
}

fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A line of a lesson outside its code fences.
enum Line<'a> {
    /// A `## ` heading's text: a new section starts.
    Heading(&'a str),
    /// Any other line, with the section it is in (the text before the first heading is in the
    /// first section).
    Text(usize, &'a str),
}

fn outline(lesson: &str) -> impl Iterator<Item = Line<'_>> {
    let mut in_fence = false;
    let mut section: Option<usize> = None;
    lesson.lines().filter_map(move |line| {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            return None;
        }
        if in_fence {
            return None;
        }
        if let Some(heading) = trimmed.strip_prefix("## ") {
            section = Some(section.map_or(0, |at| at + 1));
            return Some(Line::Heading(heading));
        }
        Some(Line::Text(section.unwrap_or(0), line))
    })
}

/// How many sections the lesson has (at least one), and for each item it links to, the first
/// section that does.
fn sections_and_links(lesson: &str) -> (usize, HashMap<(ItemKind, &str), usize>) {
    let mut sections = 0;
    let mut links = HashMap::new();
    for line in outline(lesson) {
        let (here, mut rest) = match line {
            Line::Heading(_) => {
                sections += 1;
                continue;
            }
            Line::Text(here, text) => (here, text),
        };
        while let Some(found) = rest.find("](") {
            rest = &rest[found + 2..];
            let end = rest.find([')', ' ']).unwrap_or(rest.len());
            let Some((scheme, id)) = rest[..end].split_once(':') else {
                continue;
            };
            let kind = match scheme {
                "card" => ItemKind::Card,
                "question" => ItemKind::Question,
                "drill" => ItemKind::Drill,
                "exercise" => ItemKind::Exercise,
                _ => continue,
            };
            links.entry((kind, id)).or_insert(here);
        }
    }
    (sections.max(1), links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Card, Drill, Exercise, Id, Localized, Question, QuestionAnswer};

    fn card(id: &str) -> Card {
        Card {
            id: Id::parse(id).unwrap(),
            front: Localized::english(id),
            back: Localized::english(id),
            explain: None,
            tags: Vec::new(),
            after: Vec::new(),
        }
    }

    fn topic(lesson: &str, cards: &[&str], questions: &[&str], drills: &[&str]) -> Topic {
        Topic {
            id: Id::parse("t").unwrap(),
            title: Localized::english("T"),
            summary: None,
            domain: None,
            lesson: Localized::english(lesson),
            cards: cards.iter().map(|id| card(id)).collect(),
            questions: questions
                .iter()
                .map(|id| Question {
                    id: Id::parse(id).unwrap(),
                    question: Localized::english(*id),
                    answer: QuestionAnswer::TypeIn {
                        accept: vec!["x".into()],
                    },
                    explain: None,
                    after: Vec::new(),
                })
                .collect(),
            drills: drills
                .iter()
                .map(|id| Drill {
                    id: Id::parse(id).unwrap(),
                    prompt: Localized::english(*id),
                    answer: "kubectl get pods".into(),
                    accept: Vec::new(),
                    explain: None,
                    after: Vec::new(),
                    wrong: Vec::new(),
                    variants: Default::default(),
                })
                .collect(),
            exercises: Vec::<Exercise>::new(),
            scenarios: Vec::new(),
        }
    }

    fn ids(topic: &Topic) -> Vec<String> {
        first_pass(topic)
            .iter()
            .map(|item| match item {
                ItemRef::Card(card) => format!("c:{}", card.id.as_str()),
                ItemRef::Question(question) => format!("q:{}", question.id.as_str()),
                ItemRef::Drill(drill) => format!("d:{}", drill.id.as_str()),
                ItemRef::Exercise(exercise) => format!("e:{}", exercise.id.as_str()),
                ItemRef::Scenario(scenario) => format!("s:{}", scenario.id.as_str()),
            })
            .collect()
    }

    #[test]
    fn items_follow_the_section_that_links_them_and_the_rest_spread_evenly() {
        let lesson = "# T\nintro\n## One\ntext\n```\n## not a heading\n```\n\
                      ## Two\nPractice: [drill](drill:d-two), [card](card:c-late)\n\
                      ## Three\nSee [again](drill:d-two) and [q](question:q-three).\n";
        let topic = topic(
            lesson,
            &["c-a", "c-b", "c-c", "c-late"],
            &["q-three", "q-free"],
            &["d-free", "d-two"],
        );
        assert_eq!(
            ids(&topic),
            [
                // One: the first unlinked card, question and drill.
                "c:c-a",
                "q:q-free",
                "d:d-free", //
                // Two: the next unlinked card, the linked card, the linked drill.
                "c:c-b",
                "c:c-late",
                "d:d-two", //
                // Three: the last unlinked card, the linked question (the drill came first).
                "c:c-c",
                "q:q-three",
            ]
        );
    }

    #[test]
    fn an_item_comes_after_what_it_says_it_builds_on() {
        let lesson = "# T\n## One: start\ntext\n## Two\nmore\n";
        let mut topic = topic(lesson, &["a", "b", "c"], &["q"], &["d"]);
        let after = |target: &str| crate::model::After {
            target: target.to_string(),
            offset: 0,
        };
        // Without `after`: One has a, b, q, d; Two has c.
        assert_eq!(ids(&topic), ["c:a", "c:b", "q:q", "d:d", "c:c"]);
        // The card `a` builds on the drill; the question on the section Two.
        topic.cards[0].after = vec![after("drill:d")];
        topic.questions[0].after = vec![after("section:two")];
        assert_eq!(ids(&topic), ["c:b", "d:d", "c:a", "c:c", "q:q"]);
        assert_eq!(section_slugs(lesson), ["one-start", "two"]);
    }

    #[test]
    fn a_lesson_without_sections_keeps_the_kinds_in_deck_order() {
        let topic = topic("# T\nno sections\n", &["a", "b"], &["q"], &["d"]);
        assert_eq!(ids(&topic), ["c:a", "c:b", "q:q", "d:d"]);
    }
}

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
                None if kind == ItemKind::Exercise => sections - 1,
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
    ];
    for kind in kinds {
        for (section, items) in kind.into_iter().enumerate() {
            placed[section].extend(items);
        }
    }
    placed.into_iter().flatten().collect()
}

/// How many sections the lesson has (at least one), and for each item it links to, the first
/// section that does.
fn sections_and_links(lesson: &str) -> (usize, HashMap<(ItemKind, &str), usize>) {
    let mut section: Option<usize> = None;
    let mut in_fence = false;
    let mut links = HashMap::new();
    for line in lesson.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.starts_with("## ") {
            section = Some(section.map_or(0, |at| at + 1));
            continue;
        }
        let here = section.unwrap_or(0);
        let mut rest = line;
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
    (section.map_or(1, |last| last + 1), links)
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
        }
    }

    fn topic(lesson: &str, cards: &[&str], questions: &[&str], drills: &[&str]) -> Topic {
        Topic {
            id: Id::parse("t").unwrap(),
            title: Localized::english("T"),
            summary: None,
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
                    variants: Default::default(),
                })
                .collect(),
            exercises: Vec::<Exercise>::new(),
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
    fn a_lesson_without_sections_keeps_the_kinds_in_deck_order() {
        let topic = topic("# T\nno sections\n", &["a", "b"], &["q"], &["d"]);
        assert_eq!(ids(&topic), ["c:a", "c:b", "q:q", "d:d"]);
    }
}

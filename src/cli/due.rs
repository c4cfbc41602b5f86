//! `kubedrill due`: what today's study holds, per deck and topic, within the daily limits.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;

use super::{Context, Format, Lang, Outcome};
use crate::i18n::{self, PathStyle};
use crate::srs::Phase;
use crate::study;
use crate::text::escape_controls;

pub fn run(format: Format, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    let loaded = context.load_library();
    let Some(store) = context.open_store() else {
        return Ok(Outcome::Error);
    };
    let read = store.settings().and_then(|settings| {
        let today = study::today(
            &loaded.library,
            &store,
            &settings,
            context.now,
            &context.zone,
            |_| true,
        )?;
        Ok((settings, today))
    });
    // Damage met while reading moves the file aside as at opening, and is told the same way.
    for notice in store.take_notices() {
        eprintln!(
            "kubedrill: {}",
            i18n::store_notice(lang, &notice, PathStyle::Full)
        );
    }
    let (settings, today) = match read {
        Ok(read) => read,
        Err(error) => {
            eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
            return Ok(Outcome::Error);
        }
    };
    // (deck, topic) → (learning, reviews, new), in deck order.
    let mut per_topic: BTreeMap<(usize, usize), (usize, usize, usize)> = BTreeMap::new();
    for (entry, state) in &today.items {
        let deck_index = loaded
            .library
            .decks
            .iter()
            .position(|deck| deck.id == entry.deck.id)
            .unwrap_or(0);
        let topic_index = entry
            .deck
            .topics
            .iter()
            .position(|topic| topic.id == entry.topic.id)
            .unwrap_or(0);
        let counts = per_topic.entry((deck_index, topic_index)).or_default();
        match state.as_ref().map(|state| state.phase) {
            None | Some(Phase::New) => counts.2 += 1,
            Some(Phase::Learning | Phase::Relearning) => counts.0 += 1,
            Some(Phase::Review) => counts.1 += 1,
        }
    }
    let exam_days = settings.exam_date.and_then(|date| {
        let days = date.since(today.day.date).ok()?.get_days();
        (days >= 0).then_some(days)
    });
    if format == Format::Json {
        let topics: Vec<_> = per_topic
            .iter()
            .map(|((deck, topic), (learning, reviews, new))| {
                let deck = &loaded.library.decks[*deck];
                json!({
                    "deck": deck.id.as_str(),
                    "topic": deck.topics[*topic].id.as_str(),
                    "learning": learning,
                    "reviews": reviews,
                    "new": new,
                })
            })
            .collect();
        let document = json!({
            "date": today.day.date.to_string(),
            "total": today.items.len(),
            "learning": today.learning,
            "reviews": today.reviews,
            "new": today.new,
            "later_today": today.later_today,
            "reviews_held_back": today.reviews_held_back,
            "new_held_back": today.new_held_back,
            "exam_date": settings.exam_date.map(|date| date.to_string()),
            "exam_in_days": exam_days,
            "topics": topics,
        });
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&document).expect("JSON serializes")
        )?;
        return Ok(Outcome::Success);
    }
    let date = today.day.date;
    match lang {
        Lang::En => writeln!(
            out,
            "Today ({date}): {} to study: {} learning, {} reviews, {} new",
            today.items.len(),
            today.learning,
            today.reviews,
            today.new
        )?,
        Lang::Ko => writeln!(
            out,
            "오늘({date}) 학습할 항목 {}개: 학습 중 {}개, 복습 {}개, 새 항목 {}개",
            today.items.len(),
            today.learning,
            today.reviews,
            today.new
        )?,
    }
    let mut last_deck = None;
    for ((deck_index, topic_index), (learning, reviews, new)) in &per_topic {
        let deck = &loaded.library.decks[*deck_index];
        if last_deck != Some(deck_index) {
            writeln!(
                out,
                "  {}  {}",
                deck.id,
                escape_controls(deck.title.get(lang.tag()))
            )?;
            last_deck = Some(deck_index);
        }
        let topic = &deck.topics[*topic_index];
        let mut parts = Vec::new();
        for (count, en, ko) in [
            (learning, "learning", "학습 중"),
            (reviews, "reviews", "복습"),
            (new, "new", "새 항목"),
        ] {
            if *count > 0 {
                parts.push(match lang {
                    Lang::En => format!("{count} {en}"),
                    Lang::Ko => format!("{ko} {count}"),
                });
            }
        }
        writeln!(out, "    {:<18} {}", topic.id.as_str(), parts.join(", "))?;
    }
    if today.later_today > 0 {
        match lang {
            Lang::En => writeln!(
                out,
                "Later today: {} learning steps come due.",
                today.later_today
            )?,
            Lang::Ko => writeln!(
                out,
                "오늘 중에 학습 단계 {}개가 더 돌아옵니다.",
                today.later_today
            )?,
        }
    }
    let mut held = Vec::new();
    if today.new_held_back > 0 {
        held.push(match lang {
            Lang::En => format!(
                "{} new (new-per-day {})",
                today.new_held_back, settings.new_per_day
            ),
            Lang::Ko => format!(
                "새 항목 {}개(new-per-day {})",
                today.new_held_back, settings.new_per_day
            ),
        });
    }
    if today.reviews_held_back > 0 {
        held.push(match lang {
            Lang::En => format!(
                "{} reviews (reviews-per-day {})",
                today.reviews_held_back, settings.reviews_per_day
            ),
            Lang::Ko => format!(
                "복습 {}개(reviews-per-day {})",
                today.reviews_held_back, settings.reviews_per_day
            ),
        });
    }
    if !held.is_empty() {
        match lang {
            Lang::En => writeln!(out, "Held back by today's limits: {}.", held.join(", "))?,
            Lang::Ko => writeln!(out, "오늘 한도 때문에 미룬 항목: {}.", held.join(", "))?,
        }
    }
    if let (Some(days), Some(exam)) = (exam_days, settings.exam_date) {
        match lang {
            Lang::En if days == 0 => writeln!(out, "Exam today ({exam}).")?,
            Lang::En => writeln!(
                out,
                "Exam in {} ({exam}).",
                crate::text::plural(days as usize, "day")
            )?,
            Lang::Ko => writeln!(out, "시험까지 {days}일 남았습니다({exam}).")?,
        }
    }
    Ok(Outcome::Success)
}

//! A study session: a snapshot of a queue worked through item by item (today's, or one
//! topic's), its ratings (for undo and the summary), and the moves between its items. Every
//! move is a [`Transition`]: the next item replaces the last, the summary replaces the last
//! item, and without a session an item goes back to where it was opened from.

use jiff::{SignedDuration, Timestamp};

use super::action::Effect;
use super::app::{Screen, Transition};
use super::ctx::{Ctx, ItemKey, Outcome, QueueKey, stay, stay_with};
use super::screens::modal::{Modal, Question};
use super::screens::summary::SummaryState;
use crate::model::ItemKind;
use crate::srs::{ItemState, Phase, Rating};

#[derive(Debug, Clone)]
pub struct Session {
    pub title: String,
    /// Its entries (lessons and items), with each item's state as the session saw it.
    pub items: Vec<(QueueKey, Option<ItemState>)>,
    pub position: usize,
    /// Ratings given, in order, with the review id (for undo).
    pub done: Vec<(ItemKey, Rating, i64)>,
    pub started: Timestamp,
}

impl Session {
    /// What is left, the item on screen included, as Anki counts it: new · learning · review.
    pub fn left(&self) -> crate::study::PhaseCounts {
        let mut counts = crate::study::PhaseCounts::default();
        for (key, state) in self.items.iter().skip(self.position) {
            if matches!(key, QueueKey::Lesson { .. }) {
                continue;
            }
            match state.as_ref().map(|state| state.phase) {
                None | Some(Phase::New) => counts.new += 1,
                Some(Phase::Learning | Phase::Relearning) => counts.learning += 1,
                Some(Phase::Review) => counts.reviews += 1,
            }
        }
        counts
    }
}

impl Ctx {
    /// Starts a session over today's queue, or over one topic's cards and questions.
    pub fn start_session(&mut self, topic: Option<(usize, usize)>) -> Outcome {
        let items: Vec<(QueueKey, Option<ItemState>)> = match topic {
            None => self.progress.queue.clone(),
            Some((deck, topic)) => {
                // The topic's due items first, then its new cards and questions.
                let mut due: Vec<(QueueKey, Option<ItemState>)> = self
                    .progress
                    .queue
                    .iter()
                    .filter(|(key, _)| {
                        matches!(key, QueueKey::Item(key) if key.deck == deck && key.topic == topic)
                    })
                    .cloned()
                    .collect();
                let topic_ref = self.topic(deck, topic);
                for (kind, count) in [
                    (ItemKind::Card, topic_ref.cards.len()),
                    (ItemKind::Question, topic_ref.questions.len()),
                ] {
                    for index in 0..count {
                        let key = ItemKey {
                            deck,
                            topic,
                            kind,
                            index,
                        };
                        if !self.progress.states.contains_key(&key)
                            && !due.iter().any(|(queued, _)| *queued == QueueKey::Item(key))
                        {
                            due.push((QueueKey::Item(key), None));
                        }
                    }
                }
                due
            }
        };
        if items.is_empty() {
            let message = self.t("Nothing is due now. New items come tomorrow, or study a topic from Home.", "지금 할 항목이 없습니다. 새 항목은 내일 나오며, 홈에서 주제를 골라 학습할 수도 있습니다.").to_string();
            self.toast(message);
            return stay();
        }
        let title = match topic {
            None => self.t("Today", "오늘의 학습").to_string(),
            Some((deck, topic)) => self.topic(deck, topic).title.get(self.tag()).to_string(),
        };
        let first = items[0].0;
        self.session = Some(Session {
            title,
            items,
            position: 0,
            done: Vec::new(),
            started: self.now,
        });
        match first {
            QueueKey::Item(key) => self.open_item(key, false),
            // A lesson opens in the session's place, over Home.
            QueueKey::Lesson { deck, topic } => {
                let mut state = super::screens::lesson::LessonState::open(self, deck, topic, None);
                state.in_session = true;
                (Transition::Go(Screen::Lesson(Box::new(state))), Vec::new())
            }
        }
    }

    /// On to the session's next item, or its summary; without a session, back.
    pub fn next_item(&mut self) -> Outcome {
        let Some(session) = &mut self.session else {
            return (Transition::Back, Vec::new());
        };
        session.position += 1;
        match session.items.get(session.position) {
            Some((key, _)) => {
                let key = *key;
                self.open_step(key)
            }
            None => self.end_session(),
        }
    }

    /// Ends the session: its summary takes the place of the item on screen.
    pub fn end_session(&mut self) -> Outcome {
        let Some(session) = self.session.take() else {
            return stay();
        };
        let mut ratings = [0usize; 4];
        for (_, rating, _) in &session.done {
            ratings[rating.number() as usize - 1] += 1;
        }
        // Items left, not lessons.
        let remaining = session
            .items
            .iter()
            .skip(session.position + 1)
            .filter(|(key, _)| matches!(key, QueueKey::Item(_)))
            .count();
        let summary = SummaryState {
            title: session.title,
            ratings,
            minutes: self.now.duration_since(session.started).as_secs_f64() / 60.0,
            remaining,
        };
        (
            Transition::Replace(Screen::Summary(summary)),
            vec![Effect::Refresh],
        )
    }

    /// Back from an item: in a session, asks whether to end it.
    pub fn ask_end_or_back(&mut self) -> Outcome {
        if self.session.is_some() {
            self.modal = Some(Modal::Confirm {
                question: Question::EndSession,
            });
            stay()
        } else {
            (Transition::Back, Vec::new())
        }
    }

    /// Takes back the session's last rating.
    pub fn undo(&self) -> Outcome {
        match self
            .session
            .as_ref()
            .and_then(|session| session.done.last())
        {
            Some((key, _, _)) => stay_with(vec![Effect::Undo { deck: key.deck }]),
            None => stay(),
        }
    }

    /// The item's state before this review, as the session saw it.
    pub fn state_of(&self, key: ItemKey) -> Option<ItemState> {
        if let Some(session) = &self.session
            && let Some((_, state)) = session
                .items
                .get(session.position)
                .filter(|(queued, _)| *queued == QueueKey::Item(key))
        {
            return state.clone();
        }
        self.progress.states.get(&key).cloned()
    }

    /// The effect that saves a rating of `key`, remembered for the summary.
    pub fn rate(
        &mut self,
        key: ItemKey,
        rating: Rating,
        took: SignedDuration,
        score: Option<f64>,
    ) -> Effect {
        self.last_rating = Some(rating);
        Effect::Rate {
            key,
            before: self.state_of(key),
            rating,
            at: self.now,
            duration_ms: took.as_millis().clamp(0, i128::from(i64::MAX)) as i64,
            score,
        }
    }

    /// A rating was saved: note it, and bring learning items back later in the session.
    pub fn rated(&mut self, key: ItemKey, after: &ItemState, review: i64) {
        let rating = self.last_rating.unwrap_or(Rating::Good);
        self.progress.states.insert(key, after.clone());
        if let Some(session) = &mut self.session {
            session.done.push((key, rating, review));
            if matches!(after.phase, Phase::Learning | Phase::Relearning)
                && after.due <= self.now + crate::srs::queue::LEARN_AHEAD
            {
                session
                    .items
                    .push((QueueKey::Item(key), Some(after.clone())));
            }
        }
    }

    /// A rating was taken back: the item comes back on screen.
    pub fn undone(&mut self, restored: Option<(ItemKey, Option<ItemState>)>) -> Outcome {
        let Some((key, state)) = restored else {
            self.toast(self.t("Nothing to undo.", "되돌릴 것이 없습니다."));
            return stay();
        };
        match &state {
            Some(state) => {
                self.progress.states.insert(key, state.clone());
            }
            None => {
                self.progress.states.remove(&key);
            }
        }
        if let Some(session) = &mut self.session {
            session.done.pop();
            // Drop the requeued copy, if the undone rating had requeued it.
            if session.items.len() > session.position + 1
                && session
                    .items
                    .last()
                    .is_some_and(|(queued, _)| *queued == QueueKey::Item(key))
                && session
                    .items
                    .iter()
                    .filter(|(queued, _)| *queued == QueueKey::Item(key))
                    .count()
                    > 1
            {
                session.items.pop();
            }
            if let Some(at) = session.items[..=session.position.min(session.items.len() - 1)]
                .iter()
                .rposition(|(queued, _)| *queued == QueueKey::Item(key))
            {
                session.position = at;
                session.items[at].1 = state;
            }
        }
        self.toast(self.t(
            "Undone: the item is back.",
            "되돌렸습니다. 항목을 다시 보여 드립니다.",
        ));
        self.open_item(key, self.session.is_some())
    }
}

//! Today's queue: what to study now, in order. Pure: it takes the items (in deck order) with
//! their states, the time, where today ends and how much of the daily limits is left.
//!
//! Order: items in (re)learning whose step is due (they are on a clock of minutes), then reviews
//! due today, most overdue first, then new items in the deck's order, and last the learning items
//! whose step comes within [`LEARN_AHEAD`]: as in Anki, a step is learnt ahead of its time only
//! when nothing else is left, so a card rated Good with a 10-minute step does not come straight
//! back when the session is reopened. Reviews stop at the daily review limit and new items at the
//! daily new limit; learning items are never held back, as holding them would undo the learning
//! just done.

use jiff::{SignedDuration, Timestamp};

use super::{ItemState, Phase};

/// How far ahead a learning item may be shown when nothing else is left (Anki's "learn ahead").
pub const LEARN_AHEAD: SignedDuration = SignedDuration::from_mins(20);

/// What is left of today's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub new_left: usize,
    pub reviews_left: usize,
}

/// Today's queue, as indices into the candidates given to [`build`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Learning items whose step is due now.
    pub learning: Vec<usize>,
    /// Learning items whose step comes within [`LEARN_AHEAD`]: shown after everything else.
    pub learn_ahead: Vec<usize>,
    pub reviews: Vec<usize>,
    pub new: Vec<usize>,
    /// Learning items due later today (they join when their time comes).
    pub later_today: usize,
    /// Reviews due today beyond the review limit.
    pub reviews_held_back: usize,
    /// New items beyond the new limit.
    pub new_held_back: usize,
}

impl Queue {
    /// Everything to study now, in order.
    pub fn order(&self) -> impl Iterator<Item = usize> + '_ {
        self.learning
            .iter()
            .chain(&self.reviews)
            .chain(&self.new)
            .chain(&self.learn_ahead)
            .copied()
    }

    pub fn len(&self) -> usize {
        self.learning.len() + self.reviews.len() + self.new.len() + self.learn_ahead.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Builds the queue. `states[i]` is the state of the i-th item in deck order (`None`: never
/// studied); `day_end` is when today ends for the learner.
pub fn build(
    states: &[Option<&ItemState>],
    now: Timestamp,
    day_end: Timestamp,
    limits: Limits,
) -> Queue {
    let mut queue = Queue::default();
    let mut learning: Vec<(Timestamp, usize)> = Vec::new();
    let mut ahead: Vec<(Timestamp, usize)> = Vec::new();
    let mut reviews: Vec<(Timestamp, usize)> = Vec::new();
    for (index, state) in states.iter().enumerate() {
        match state {
            None => queue.new.push(index),
            Some(state) => match state.phase {
                Phase::New => queue.new.push(index),
                Phase::Learning | Phase::Relearning => {
                    if state.due <= now {
                        learning.push((state.due, index));
                    } else if state.due <= now + LEARN_AHEAD {
                        ahead.push((state.due, index));
                    } else if state.due < day_end {
                        queue.later_today += 1;
                    }
                }
                Phase::Review => {
                    if state.due < day_end {
                        reviews.push((state.due, index));
                    }
                }
            },
        }
    }
    learning.sort();
    ahead.sort();
    reviews.sort();
    queue.learning = learning.into_iter().map(|(_, index)| index).collect();
    queue.learn_ahead = ahead.into_iter().map(|(_, index)| index).collect();
    queue.reviews_held_back = reviews.len().saturating_sub(limits.reviews_left);
    queue.reviews = reviews
        .into_iter()
        .take(limits.reviews_left)
        .map(|(_, index)| index)
        .collect();
    queue.new_held_back = queue.new.len().saturating_sub(limits.new_left);
    queue.new.truncate(limits.new_left);
    queue
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(phase: Phase, due: Timestamp) -> ItemState {
        ItemState {
            phase,
            due,
            ..ItemState::new(due)
        }
    }

    #[test]
    fn learning_first_then_the_most_overdue_reviews_then_new_within_the_limits() {
        let now: Timestamp = "2026-05-01T10:00:00Z".parse().unwrap();
        let hours = |h: i64| now + SignedDuration::from_hours(h);
        let day_end = hours(18);
        let items = [
            state(Phase::Review, hours(-48)),
            state(Phase::Learning, now + SignedDuration::from_mins(5)),
            state(Phase::Review, hours(-1)),
            state(Phase::Review, hours(30)),
            state(Phase::Relearning, hours(3)),
            state(Phase::Review, hours(-100)),
            state(Phase::Learning, now - SignedDuration::from_mins(2)),
        ];
        let mut states: Vec<Option<&ItemState>> = items.iter().map(Some).collect();
        states.extend([None, None, None]);
        let queue = build(
            &states,
            now,
            day_end,
            Limits {
                new_left: 2,
                reviews_left: 2,
            },
        );
        assert_eq!(queue.learning, [6], "only the step that is due");
        assert_eq!(
            queue.learn_ahead,
            [1],
            "due in 5 minutes: after everything else"
        );
        assert_eq!(
            queue.reviews,
            [5, 0],
            "most overdue first, within the limit"
        );
        assert_eq!(queue.reviews_held_back, 1);
        assert_eq!(queue.new, [7, 8]);
        assert_eq!(queue.new_held_back, 1);
        assert_eq!(queue.later_today, 1);
        assert_eq!(queue.order().collect::<Vec<_>>(), [6, 5, 0, 7, 8, 1]);
    }

    #[test]
    fn a_learning_step_not_yet_due_waits_while_new_items_remain() {
        let now: Timestamp = "2026-05-01T10:00:00Z".parse().unwrap();
        let day_end = now + SignedDuration::from_hours(12);
        // Rated Good a minute ago: its 10-minute step is due in 9 minutes.
        let learning = state(Phase::Learning, now + SignedDuration::from_mins(9));
        let states = [Some(&learning), None, None];
        let limits = Limits {
            new_left: 20,
            reviews_left: 200,
        };
        let queue = build(&states, now, day_end, limits);
        assert_eq!(queue.order().collect::<Vec<_>>(), [1, 2, 0]);
        // Nothing else left: it is learnt ahead.
        let queue = build(&states[..1], now, day_end, limits);
        assert_eq!(queue.order().collect::<Vec<_>>(), [0]);
        // Its step has come: it goes first.
        let later = now + SignedDuration::from_mins(10);
        let queue = build(&states, later, day_end, limits);
        assert_eq!(queue.order().collect::<Vec<_>>(), [0, 1, 2]);
    }
}

//! Drafts: an exercise's answer as the learner left it, unpassed, kept until it is opened again
//! (as rustlings keeps the exercise file). One row per exercise; a pass or a reset to the
//! starter removes it.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, millis};

impl Store {
    /// The draft of an exercise (`TOPIC/ITEM`), if one was left.
    pub fn draft(&self, deck: &str, item: &str) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            conn.prepare_cached("SELECT text FROM drafts WHERE deck = ?1 AND item = ?2")?
                .query_row([deck, item], |row| row.get(0))
                .optional()
        })
    }

    /// Keeps `text` as the exercise's draft, or (`None`) forgets it.
    pub fn set_draft(
        &mut self,
        deck: &str,
        item: &str,
        text: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.write(|conn| match text {
            Some(text) => conn
                .execute(
                    "INSERT INTO drafts (deck, item, text, saved_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (deck, item) DO UPDATE
                     SET text = excluded.text, saved_at = excluded.saved_at",
                    params![deck, item, text, millis(at)],
                )
                .map(|_| ()),
            None => conn
                .execute(
                    "DELETE FROM drafts WHERE deck = ?1 AND item = ?2",
                    params![deck, item],
                )
                .map(|_| ()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_kept_replaced_and_forgotten() {
        let mut store = Store::in_memory().unwrap();
        let at = Timestamp::from_second(1_780_000_000).unwrap();
        assert_eq!(store.draft("d", "t/e").unwrap(), None);
        store.set_draft("d", "t/e", Some("kind: Pod"), at).unwrap();
        store.set_draft("d", "t/e", Some("kind: Job"), at).unwrap();
        assert_eq!(
            store.draft("d", "t/e").unwrap().as_deref(),
            Some("kind: Job")
        );
        assert_eq!(store.draft("other", "t/e").unwrap(), None);
        store.set_draft("d", "t/e", None, at).unwrap();
        assert_eq!(store.draft("d", "t/e").unwrap(), None);
    }
}

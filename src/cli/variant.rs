//! Which variant of a parameterized exercise or drill a command uses: `--variant N` (1-based)
//! when given, else the one the learner would see now in the app (their `variant-seed` and the
//! item's review count, [`crate::model::variant_index`]).

use super::{CliError, Context, Lang};
use crate::model::{Deck, ItemId, ItemRef};
use crate::store::Store;

/// The 0-based variant to use; an `asked` variant outside 1..=count is an error that says the
/// range.
pub(super) fn choose(
    context: &Context,
    deck: &Deck,
    id: &ItemId,
    item: ItemRef<'_>,
    asked: Option<usize>,
) -> Result<usize, CliError> {
    let count = item.variant_count();
    if let Some(asked) = asked {
        if (1..=count).contains(&asked) {
            return Ok(asked - 1);
        }
        return Err(CliError::Message(out_of_range(
            context.lang,
            id,
            asked,
            count,
        )));
    }
    if count == 1 {
        return Ok(0);
    }
    // Without a readable store the variant is still a fixed one: seed 0, never reviewed.
    Ok(match context.opened() {
        Ok(mut opened) => current(&mut opened.store, deck, id, count),
        Err(_) => crate::model::variant_index(deck.id.as_str(), &id.to_string(), 0, 0, count),
    })
}

/// The variant the learner would see now: their seed (created if this is the first time) and
/// how many times the item was reviewed.
pub(super) fn current(store: &mut Store, deck: &Deck, id: &ItemId, count: usize) -> usize {
    if count <= 1 {
        return 0;
    }
    let seed = store.variant_seed().unwrap_or(0);
    let key = id.to_string();
    let reps = store
        .state(deck.id.as_str(), &key)
        .ok()
        .flatten()
        .map_or(0, |state| state.reps);
    crate::model::variant_index(deck.id.as_str(), &key, seed, reps, count)
}

/// `variant 2 of 4: replicas=3, app={name=api, port=9090}`, for a parameterized item.
pub(super) fn describe(lang: Lang, item: ItemRef<'_>, index: usize) -> Option<String> {
    let label = crate::text::escape_controls(item.variant_label(index)?).into_owned();
    let (number, count) = (index + 1, item.variant_count());
    Some(match lang {
        Lang::En => format!("variant {number} of {count}: {label}"),
        Lang::Ko => format!("변형 {number}/{count}: {label}"),
    })
}

fn out_of_range(lang: Lang, id: &ItemId, asked: usize, count: usize) -> String {
    match (lang, count) {
        (Lang::En, 1) => format!(
            "`{id}` has no parameters, so it has one variant: --variant takes only 1, not {asked}"
        ),
        (Lang::En, _) => {
            format!("`{id}` has {count} variants: --variant takes 1 to {count}, not {asked}")
        }
        (Lang::Ko, 1) => format!(
            "`{id}`에는 매개변수가 없어 변형이 하나뿐입니다. --variant에는 1만 쓸 수 있습니다({asked}은(는) 안 됩니다)"
        ),
        (Lang::Ko, _) => format!(
            "`{id}`의 변형은 {count}개입니다. --variant에는 1부터 {count}까지 쓸 수 있습니다({asked}은(는) 안 됩니다)"
        ),
    }
}

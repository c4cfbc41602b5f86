//! Parameterized items: an exercise or drill that declares `params` is loaded as every concrete
//! variant (the product of its parameters' values), and each showing picks one of them.
//!
//! Which one is a pure function of the deck, the item, the learner's seed and how many times the
//! item was reviewed before ([`variant_index`]): consecutive reviews show different variants, and
//! an undo (which restores the review count) or a restart shows the same one again.

use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Where a parameterized item is written, to make any of its variants again from its text: the
/// file (relative to the deck), its text, the deck's languages, and, for an item that is one
/// `[[KEY]]` table of several (a drill), the key and the table's index. Plain data, so a deck
/// with lazily made variants can be cached (see `content::cache`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipe {
    pub file: String,
    /// Shared by every item of one file; stored once per file ([`shared_texts`]).
    #[serde(with = "shared_texts")]
    pub text: Arc<str>,
    pub languages: Vec<String>,
    pub entry: Option<(String, usize)>,
}

/// The texts of [`Recipe`]s, stored once each however many items of a file vary: while a deck
/// is written, each text is written as its number in a table ([`shared_texts::collect`]), and
/// while one is read, the numbers are looked up in that table ([`shared_texts::provide`]).
/// Outside those two, a recipe cannot be written or read.
pub mod shared_texts {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Default)]
    struct Table {
        texts: Vec<Arc<str>>,
        numbers: HashMap<Arc<str>, u32>,
    }

    thread_local! {
        static TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
    }

    /// Runs `write` (which serializes a deck) and returns its result with the table of texts
    /// the recipes it wrote refer to.
    pub fn collect<R>(write: impl FnOnce() -> R) -> (R, Vec<Arc<str>>) {
        TABLE.with(|table| *table.borrow_mut() = Some(Table::default()));
        let result = write();
        let table = TABLE
            .with(|table| table.borrow_mut().take())
            .unwrap_or_default();
        (result, table.texts)
    }

    /// Runs `read` (which deserializes a deck) with the table `texts` written beside it.
    pub fn provide<R>(texts: Vec<Arc<str>>, read: impl FnOnce() -> R) -> R {
        TABLE.with(|table| {
            *table.borrow_mut() = Some(Table {
                texts,
                numbers: HashMap::new(),
            })
        });
        let result = read();
        TABLE.with(|table| table.borrow_mut().take());
        result
    }

    pub fn serialize<S: Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
        let number = TABLE.with(|table| {
            let mut table = table.borrow_mut();
            let table = table.as_mut()?;
            let next = table.texts.len() as u32;
            let number = *table.numbers.entry(text.clone()).or_insert(next);
            if number == next {
                table.texts.push(text.clone());
            }
            Some(number)
        });
        number
            .ok_or_else(|| serde::ser::Error::custom("a recipe is written only with its deck"))?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        let number = u32::deserialize(deserializer)?;
        TABLE
            .with(|table| {
                table
                    .borrow()
                    .as_ref()
                    .and_then(|table| table.texts.get(number as usize).cloned())
            })
            .ok_or_else(|| serde::de::Error::custom("a recipe's text is not in the table"))
    }
}

/// An item whose variants can be made from a [`Recipe`] (the deck loader implements it for
/// exercises, drills and scenarios).
pub trait Renderable: Clone + Sized {
    /// Variant `index` of the item the recipe locates; `None` if it cannot be made.
    fn render(recipe: &Recipe, index: usize) -> Option<Self>;
}

/// The concrete variants of a parameterized item, each with the parameter values that made it.
/// Empty for an item without parameters (the item is then its own single variant).
///
/// Variants are made when first asked for, so a deck loaded to study builds only the first one
/// of each item up front (`deck check` and the content tests build and prove them all). A
/// variant that cannot be made (its deck was never checked) stands in as the first one.
pub struct Variants<T>(Option<Arc<Slots<T>>>);

struct Slots<T> {
    labels: Vec<String>,
    items: Vec<OnceLock<T>>,
    recipe: Option<Recipe>,
}

impl<T> Clone for Variants<T> {
    fn clone(&self) -> Self {
        Variants(self.0.clone())
    }
}

impl<T> Default for Variants<T> {
    fn default() -> Self {
        Variants(None)
    }
}

impl<T> std::fmt::Debug for Variants<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().flat_map(|slots| &slots.labels))
            .finish()
    }
}

/// The variants as stored: every label, the variants made so far, and how to make the others.
#[derive(Serialize, Deserialize)]
struct Stored<T> {
    labels: Vec<String>,
    items: Vec<Option<T>>,
    recipe: Option<Recipe>,
}

impl<T: Serialize + Clone> Serialize for Variants<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let stored = self.0.as_ref().map(|slots| Stored {
            labels: slots.labels.clone(),
            items: slots.items.iter().map(|item| item.get().cloned()).collect(),
            recipe: slots.recipe.clone(),
        });
        stored.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Variants<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored: Option<Stored<T>> = Option::deserialize(deserializer)?;
        let Some(stored) = stored else {
            return Ok(Variants(None));
        };
        if stored.labels.len() != stored.items.len()
            || stored.items.first().is_none_or(Option::is_none)
        {
            return Err(serde::de::Error::custom("variants without their first"));
        }
        let items = stored
            .items
            .into_iter()
            .map(|item| item.map_or_else(OnceLock::new, OnceLock::from))
            .collect();
        Ok(Variants(Some(Arc::new(Slots {
            labels: stored.labels,
            items,
            recipe: stored.recipe,
        }))))
    }
}

impl<T: Renderable> Variants<T> {
    /// Every variant made already, each with its label.
    pub fn new(variants: Vec<Variant<T>>) -> Variants<T> {
        if variants.is_empty() {
            return Variants(None);
        }
        let (labels, items) = variants
            .into_iter()
            .map(|variant| (variant.label, OnceLock::from(variant.item)))
            .unzip();
        Variants(Some(Arc::new(Slots {
            labels,
            items,
            recipe: None,
        })))
    }

    /// The first variant made, the others made from `recipe` when first asked for.
    pub fn lazy(labels: Vec<String>, first: &T, recipe: Recipe) -> Variants<T> {
        let items = (0..labels.len())
            .map(|index| {
                if index == 0 {
                    OnceLock::from(first.clone())
                } else {
                    OnceLock::new()
                }
            })
            .collect();
        Variants(Some(Arc::new(Slots {
            labels,
            items,
            recipe: Some(recipe),
        })))
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each variant's parameter values, in order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .flat_map(|slots| slots.labels.iter().map(String::as_str))
    }

    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |slots| slots.labels.len())
    }

    /// Variant `index` (made now if it was not yet).
    pub fn get(&self, index: usize) -> Option<Variant<&T, &str>> {
        let slots = self.0.as_ref()?;
        let label = slots.labels.get(index)?;
        let item = slots.items[index].get_or_init(|| {
            slots
                .recipe
                .as_ref()
                .and_then(|recipe| T::render(recipe, index))
                .unwrap_or_else(|| slots.items[0].get().expect("the first is made").clone())
        });
        Some(Variant {
            label: label.as_str(),
            item,
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Variant<&T, &str>> {
        (0..self.len()).filter_map(|index| self.get(index))
    }
}

/// One concrete variant.
#[derive(Debug, Clone)]
pub struct Variant<T, L = String> {
    /// The parameter values, for people: `replicas=4, app={name=web, port=8080}`.
    pub label: L,
    pub item: T,
}

/// Variant access shared by exercises and drills (the item itself is variant 0).
macro_rules! varied {
    ($type:ty) => {
        impl $type {
            /// How many variants the item has: 1 when it declares no parameters.
            pub fn variant_count(&self) -> usize {
                self.variants.len().max(1)
            }

            /// Variant `index` (0-based, taken modulo the count), with every placeholder
            /// replaced; the item itself when it has no parameters.
            pub fn variant(&self, index: usize) -> &$type {
                match self.variants.len() {
                    0 => self,
                    count => self.variants.get(index % count).expect("in range").item,
                }
            }

            /// The parameter values of variant `index`, when the item has parameters.
            pub fn variant_label(&self, index: usize) -> Option<&str> {
                match self.variants.len() {
                    0 => None,
                    count => self
                        .variants
                        .get(index % count)
                        .map(|variant| variant.label),
                }
            }
        }
    };
}

varied!(super::Exercise);
varied!(super::Drill);
varied!(super::world::Scenario);

impl<'a> super::ItemRef<'a> {
    /// The concrete variant `index` of an exercise or drill; cards and questions have one.
    pub fn variant(self, index: usize) -> super::ItemRef<'a> {
        match self {
            super::ItemRef::Exercise(exercise) => super::ItemRef::Exercise(exercise.variant(index)),
            super::ItemRef::Drill(drill) => super::ItemRef::Drill(drill.variant(index)),
            super::ItemRef::Scenario(scenario) => super::ItemRef::Scenario(scenario.variant(index)),
            other => other,
        }
    }

    /// How many variants the item has (1 unless it is a parameterized exercise or drill).
    pub fn variant_count(self) -> usize {
        match self {
            super::ItemRef::Exercise(exercise) => exercise.variant_count(),
            super::ItemRef::Drill(drill) => drill.variant_count(),
            super::ItemRef::Scenario(scenario) => scenario.variant_count(),
            _ => 1,
        }
    }

    /// The parameter values of variant `index`, for a parameterized item.
    pub fn variant_label(self, index: usize) -> Option<&'a str> {
        match self {
            super::ItemRef::Exercise(exercise) => exercise.variant_label(index),
            super::ItemRef::Drill(drill) => drill.variant_label(index),
            super::ItemRef::Scenario(scenario) => scenario.variant_label(index),
            _ => None,
        }
    }
}

/// FNV-1a, stable across builds and platforms (std's hasher is seeded per process).
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        for byte in part.iter().copied().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The variant a showing uses: `(stable_hash(deck, "TOPIC/ITEM", seed) + reps) % count`, where
/// `reps` is the item's review count before this showing (0 for a new item) and `seed` the
/// learner's `variant-seed` (or a mock exam's seed). 0 when the item has one variant.
pub fn variant_index(deck: &str, item: &str, seed: u64, reps: u32, count: usize) -> usize {
    if count <= 1 {
        return 0;
    }
    let count = count as u64;
    let base = stable_hash(&[deck.as_bytes(), item.as_bytes(), &seed.to_le_bytes()]) % count;
    ((base + u64::from(reps) % count) % count) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_reviews_show_different_variants_and_the_same_count_the_same_one() {
        let at = |reps| variant_index("cka", "pods/scale", 42, reps, 3);
        assert_ne!(at(0), at(1));
        assert_ne!(at(1), at(2));
        assert_eq!(at(0), at(3));
        assert_eq!(at(5), at(5));
        assert_eq!(variant_index("cka", "pods/scale", 42, 9, 1), 0);
        // The seed and the item both move the starting point somewhere.
        let starts: std::collections::BTreeSet<usize> = (0..40)
            .map(|seed| variant_index("cka", "pods/scale", seed, 0, 8))
            .collect();
        assert!(starts.len() > 4, "{starts:?}");
    }
}

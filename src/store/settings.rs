//! The learner's settings, stored as text and read into [`Settings`] with defaults. Each
//! [`Setting`] checks its own values, so nothing invalid reaches the database.

use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// A setting a learner can change (`kubedrill config set NAME VALUE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The day of the CKA exam, `YYYY-MM-DD`.
    ExamDate,
    /// 0.70–0.99 (default 0.90).
    DesiredRetention,
    /// New items a day, per deck (default 20).
    NewPerDay,
    /// Reviews a day, per deck (default 200).
    ReviewsPerDay,
    /// The hour (0–23, local time) a new study day starts (default 4).
    DayStartsAt,
    /// The longest interval in days (default 36500).
    MaximumInterval,
    /// `en` or `ko`.
    Language,
    /// FSRS parameters fitted by `kubedrill optimize` (21 numbers).
    FsrsParameters,
}

impl Setting {
    pub const ALL: [Setting; 8] = [
        Setting::ExamDate,
        Setting::DesiredRetention,
        Setting::NewPerDay,
        Setting::ReviewsPerDay,
        Setting::DayStartsAt,
        Setting::MaximumInterval,
        Setting::Language,
        Setting::FsrsParameters,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Setting::ExamDate => "exam-date",
            Setting::DesiredRetention => "desired-retention",
            Setting::NewPerDay => "new-per-day",
            Setting::ReviewsPerDay => "reviews-per-day",
            Setting::DayStartsAt => "day-starts-at",
            Setting::MaximumInterval => "maximum-interval",
            Setting::Language => "language",
            Setting::FsrsParameters => "fsrs-parameters",
        }
    }

    pub fn from_name(name: &str) -> Option<Setting> {
        Setting::ALL
            .into_iter()
            .find(|setting| setting.name() == name)
    }

    /// What the setting means and takes, for `config list` and error messages.
    pub fn help(self) -> &'static str {
        match self {
            Setting::ExamDate => {
                "the day of your exam, YYYY-MM-DD: reviews are planned so nothing weak is left for after it"
            }
            Setting::DesiredRetention => {
                "the chance of remembering an item when it is due, 0.70 to 0.99 (default 0.90)"
            }
            Setting::NewPerDay => "new items a day, per deck (default 20)",
            Setting::ReviewsPerDay => "reviews a day, per deck (default 200)",
            Setting::DayStartsAt => "the hour a new study day starts, 0 to 23 (default 4, as Anki)",
            Setting::MaximumInterval => "the longest interval in days (default 36500)",
            Setting::Language => "the interface language: en or ko",
            Setting::FsrsParameters => {
                "the 21 FSRS parameters `kubedrill optimize` fitted (unset to go back to the defaults)"
            }
        }
    }

    /// Checks a value and returns it in the form it is stored in.
    pub fn normalize(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        let integer = |low: i64, high: i64| -> Result<String, String> {
            value
                .parse::<i64>()
                .ok()
                .filter(|number| (low..=high).contains(number))
                .map(|number| number.to_string())
                .ok_or_else(|| {
                    format!(
                        "{} takes a whole number from {low} to {high}, not `{value}`",
                        self.name()
                    )
                })
        };
        match self {
            Setting::ExamDate => value
                .parse::<Date>()
                .map(|date| date.to_string())
                .map_err(|_| {
                    format!(
                        "exam-date takes a date as YYYY-MM-DD (such as 2027-03-15), not `{value}`"
                    )
                }),
            Setting::DesiredRetention => value
                .parse::<f64>()
                .ok()
                .filter(|retention| (0.70..=0.99).contains(retention))
                .map(|retention| format!("{retention}"))
                .ok_or_else(|| {
                    format!("desired-retention takes a number from 0.70 to 0.99, not `{value}`")
                }),
            Setting::NewPerDay => integer(0, 9999),
            Setting::ReviewsPerDay => integer(0, 99_999),
            Setting::DayStartsAt => integer(0, 23),
            Setting::MaximumInterval => integer(1, 36_500),
            Setting::Language => match value {
                "en" | "ko" => Ok(value.to_string()),
                _ => Err(format!("language takes en or ko, not `{value}`")),
            },
            Setting::FsrsParameters => {
                let numbers: Result<Vec<f32>, _> = value
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(|part| part.trim().parse::<f32>())
                    .collect();
                match numbers {
                    Ok(numbers) if numbers.len() == 21 && numbers.iter().all(|n| n.is_finite()) => {
                        Ok(numbers
                            .iter()
                            .map(|number| number.to_string())
                            .collect::<Vec<_>>()
                            .join(", "))
                    }
                    _ => Err("fsrs-parameters takes 21 comma-separated numbers".to_string()),
                }
            }
        }
    }
}

/// Every setting, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub exam_date: Option<Date>,
    pub desired_retention: f64,
    pub new_per_day: usize,
    pub reviews_per_day: usize,
    pub day_starts_at: i8,
    pub maximum_interval: u32,
    pub language: Option<String>,
    pub fsrs_parameters: Vec<f32>,
    /// The learner's seed for picking the variant of a parameterized item (`variant-seed`;
    /// 0 until [`Store::variant_seed`] creates it). Not a [`Setting`]: there is nothing to choose.
    pub variant_seed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            exam_date: None,
            desired_retention: 0.9,
            new_per_day: 20,
            reviews_per_day: 200,
            day_starts_at: 4,
            maximum_interval: 36_500,
            language: None,
            fsrs_parameters: Vec::new(),
            variant_seed: 0,
        }
    }
}

impl Store {
    /// A setting's stored value.
    pub fn setting(&self, setting: Setting) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [setting.name()],
                |row| row.get(0),
            )
            .optional()
        })
    }

    /// Stores a setting after checking it; the error says what the setting takes.
    pub fn set_setting(&mut self, setting: Setting, value: &str) -> Result<String, StoreError> {
        let value = setting.normalize(value).map_err(StoreError::Invalid)?;
        self.write(|conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![setting.name(), value],
            )
        })?;
        Ok(value)
    }

    /// Stores a setting as of `today`: like [`Store::set_setting`], and an exam date already
    /// past is refused (the scheduler would plan nothing toward it).
    pub fn set_setting_on(
        &mut self,
        setting: Setting,
        value: &str,
        today: Date,
    ) -> Result<String, StoreError> {
        if setting == Setting::ExamDate
            && let Ok(date) = value.trim().parse::<Date>()
            && date < today
        {
            return Err(StoreError::Invalid(format!(
                "exam-date {date} is in the past (today is {today}): give the day of your exam, or clear the setting to study without one"
            )));
        }
        self.set_setting(setting, value)
    }

    /// Goes back to the default.
    pub fn unset_setting(&mut self, setting: Setting) -> Result<bool, StoreError> {
        self.write(|conn| {
            conn.execute("DELETE FROM settings WHERE key = ?1", [setting.name()])
                .map(|changed| changed > 0)
        })
    }

    /// Every setting with defaults for those not set. A stored value that no longer reads (an
    /// older or hand-edited file) falls back to the default rather than stopping the program.
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let mut settings = Settings::default();
        for setting in Setting::ALL {
            let Some(value) = self.setting(setting)? else {
                continue;
            };
            let Ok(value) = setting.normalize(&value) else {
                continue;
            };
            match setting {
                Setting::ExamDate => settings.exam_date = value.parse().ok(),
                Setting::DesiredRetention => {
                    settings.desired_retention = value.parse().unwrap_or(0.9)
                }
                Setting::NewPerDay => settings.new_per_day = value.parse().unwrap_or(20),
                Setting::ReviewsPerDay => settings.reviews_per_day = value.parse().unwrap_or(200),
                Setting::DayStartsAt => settings.day_starts_at = value.parse().unwrap_or(4),
                Setting::MaximumInterval => {
                    settings.maximum_interval = value.parse().unwrap_or(36_500)
                }
                Setting::Language => settings.language = Some(value),
                Setting::FsrsParameters => {
                    settings.fsrs_parameters = value
                        .split(',')
                        .filter_map(|part| part.trim().parse().ok())
                        .collect();
                }
            }
        }
        settings.variant_seed = self.stored_variant_seed()?.unwrap_or(0);
        Ok(settings)
    }

    /// The learner's `variant-seed`, as stored.
    pub fn stored_variant_seed(&self) -> Result<Option<u64>, StoreError> {
        self.read(|conn| {
            conn.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [VARIANT_SEED],
                |row| row.get::<_, String>(0),
            )
            .optional()
        })
        .map(|value| value.and_then(|value| value.parse().ok()))
    }

    /// The learner's `variant-seed`: which variant of a parameterized exercise or drill each
    /// showing picks starts from it (see [`crate::model::variant_index`]). Created at random the
    /// first time it is needed and kept, so a restart shows the same variants.
    pub fn variant_seed(&mut self) -> Result<u64, StoreError> {
        if let Some(seed) = self.stored_variant_seed()? {
            return Ok(seed);
        }
        let seed = random_seed();
        self.write(|conn| {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                params![VARIANT_SEED, seed.to_string()],
            )
        })?;
        // Another instance may have stored its own first: the stored one is the seed.
        Ok(self.stored_variant_seed()?.unwrap_or(seed))
    }
}

/// Where the variant seed is kept in the settings table.
const VARIANT_SEED: &str = "variant-seed";

/// 64 random bits without a new dependency: std's hasher keys come from the operating system's
/// random source.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos()),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variant_seed_is_created_once_and_kept_out_of_the_settings_list() {
        let mut store = Store::in_memory().unwrap();
        assert_eq!(store.settings().unwrap().variant_seed, 0);
        let seed = store.variant_seed().unwrap();
        assert_eq!(store.variant_seed().unwrap(), seed);
        assert_eq!(store.settings().unwrap().variant_seed, seed);
        assert!(Setting::from_name("variant-seed").is_none());
    }
}

//! The progress database (SQLite): item states, the review log, exercise attempts, settings. The
//! only module that touches the database file.
//!
//! Safety rules, each tested:
//! - every review is one `IMMEDIATE` transaction, committed (and synced: WAL with
//!   `synchronous=FULL`) before the caller moves on, so a review shown as saved survives a crash;
//! - a busy timeout lets two kubedrill processes write at once without losing either's reviews;
//! - a file that is not a readable kubedrill database (corrupt, or another program's) is moved
//!   aside under a timestamped name and a new one started: never overwritten, never deleted;
//! - a database written by a newer kubedrill is refused untouched.
//!
//! Progress is keyed by deck id and full item id (`TOPIC/ITEM`), so editing a deck's text keeps
//! it; rows whose item has left the deck stay as orphans (`kubedrill deck orphans`).

mod exams;
mod progress;
mod schema;
mod settings;
pub mod stats;

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use exams::{ExamRecord, ExamSummary};
pub use progress::{AttemptRecord, DayCounts, Orphan, ReviewHistory, ReviewRecord, Undone};
pub use settings::{Setting, Settings};

/// The database's file name inside the data directory.
pub const FILE_NAME: &str = "progress.db";

/// How long a write waits for another kubedrill process to finish its own.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the folder {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{} was written by a newer kubedrill (schema {found}; this one reads up to {supported}). It is left untouched: upgrade kubedrill to use it",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot move the unreadable database {} aside: {source}", path.display())]
    MoveAside {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("progress database {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("progress database: {0}")]
    Invalid(String),
}

/// A database file that could not be used and was moved aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedAside {
    pub from: PathBuf,
    pub to: PathBuf,
    /// Why, in plain words.
    pub reason: String,
}

/// An open store, and what opening it had to do.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub moved_aside: Option<MovedAside>,
}

/// The progress database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Why an existing file cannot be used as is.
enum Unusable {
    /// Not ours or damaged: move it aside. The text says why.
    MoveAside(String),
    Fatal(StoreError),
}

impl Store {
    /// Opens (or creates) the database in a data directory.
    pub fn open_in(data_dir: &Path, now: Timestamp) -> Result<Opened, StoreError> {
        Store::open(&data_dir.join(FILE_NAME), now)
    }

    /// Opens (or creates) the database at `path`. An unreadable or foreign file is moved aside
    /// (named after `now`) and a new database started in its place.
    pub fn open(path: &Path, now: Timestamp) -> Result<Opened, StoreError> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        match Store::try_open(path) {
            Ok(store) => Ok(Opened {
                store,
                moved_aside: None,
            }),
            Err(Unusable::Fatal(error)) => Err(error),
            Err(Unusable::MoveAside(reason)) => {
                let to = move_aside(path, now)?;
                let store = Store::try_open(path).map_err(|unusable| match unusable {
                    Unusable::Fatal(error) => error,
                    Unusable::MoveAside(reason) => StoreError::Invalid(format!(
                        "a new database at {} is unusable too: {reason}",
                        path.display()
                    )),
                })?;
                Ok(Opened {
                    store,
                    moved_aside: Some(MovedAside {
                        from: path.to_path_buf(),
                        to,
                        reason,
                    }),
                })
            }
        }
    }

    /// A private database in memory, for tests and previews.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: PathBuf::from(":memory:"),
            source,
        })?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.prepare_new().map_err(|source| store.error(source))?;
        store.migrate()?;
        Ok(store)
    }

    /// A setting read without creating, migrating or locking anything: `None` when there is no
    /// readable database or no such setting. For choices made before the store is opened (the
    /// interface language).
    pub fn peek_setting(data_dir: &Path, setting: Setting) -> Option<String> {
        let path = data_dir.join(FILE_NAME);
        if !path.is_file() {
            return None;
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        conn.query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [setting.name()],
            |row| row.get::<_, String>(0),
        )
        .ok()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn try_open(path: &Path) -> Result<Store, Unusable> {
        let fatal = |source| {
            Unusable::Fatal(StoreError::Sqlite {
                path: path.to_path_buf(),
                source,
            })
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fatal)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(fatal)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        // The first read of the header tells a non-database apart.
        let header = store.conn.query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT user_version FROM pragma_user_version),
                    (SELECT count(*) FROM sqlite_schema)",
            [],
            |row| {
                Ok((
                    row.get::<_, i32>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            },
        );
        let (application_id, version, objects) = match header {
            Ok(header) => header,
            Err(error) if is_damage(&error) => {
                return Err(Unusable::MoveAside(format!(
                    "it is not a readable SQLite database ({error})"
                )));
            }
            Err(error) => return Err(fatal(error)),
        };
        if application_id != schema::APPLICATION_ID {
            if application_id == 0 && version == 0 && objects == 0 {
                store.prepare_new().map_err(fatal)?;
            } else {
                return Err(Unusable::MoveAside(
                    "it is an SQLite database of another program, not kubedrill's".to_string(),
                ));
            }
        }
        if version > schema::latest() {
            return Err(Unusable::Fatal(StoreError::Newer {
                path: path.to_path_buf(),
                found: version,
                supported: schema::latest(),
            }));
        }
        if let Some(damage) = store.check_once_a_day(version).map_err(fatal)? {
            return Err(Unusable::MoveAside(damage));
        }
        store
            .conn
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
            .map_err(fatal)?;
        store.migrate().map_err(Unusable::Fatal)?;
        Ok(store)
    }

    /// `PRAGMA quick_check` reads the whole file (40 ms for a year of heavy study), so it runs on
    /// the first open of each day and after any version change, not on every command. Damage
    /// met between checks surfaces as SQLite's own "database disk image is malformed" error.
    /// Returns what is damaged, if anything.
    fn check_once_a_day(&mut self, version: i64) -> rusqlite::Result<Option<String>> {
        const KEY: &str = "checked-at";
        let today = Timestamp::now().as_second() / 86_400;
        let stamp = format!("{today}:{version}");
        if version > 0 {
            let last: Option<String> = self
                .conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |row| {
                    row.get(0)
                })
                .optional()
                .unwrap_or(None);
            if last.as_deref() == Some(stamp.as_str()) {
                return Ok(None);
            }
        }
        match self
            .conn
            .query_row("PRAGMA quick_check", [], |row| row.get::<_, String>(0))
        {
            Ok(result) if result == "ok" => {}
            Ok(result) => return Ok(Some(format!("it is damaged ({result})"))),
            Err(error) if is_damage(&error) => return Ok(Some(format!("it is damaged ({error})"))),
            Err(error) => return Err(error),
        }
        if version > 0 {
            // A read-only or busy database skips the note; the check simply runs again.
            let _ = self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [KEY, stamp.as_str()],
            );
        }
        Ok(None)
    }

    fn prepare_new(&mut self) -> rusqlite::Result<()> {
        self.conn.execute_batch(&format!(
            "PRAGMA application_id = {};",
            schema::APPLICATION_ID
        ))
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|source| self.error(source))?;
        for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
            // Another process may have migrated while this one waited for the lock.
            let now_at: i64 = tx
                .query_row("PRAGMA user_version", [], |row| row.get(0))
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
            if now_at > index as i64 {
                continue;
            }
            tx.execute_batch(migration)
                .and_then(|()| tx.execute_batch(&format!("PRAGMA user_version = {};", index + 1)))
                .and_then(|()| tx.commit())
                .map_err(|source| StoreError::Sqlite {
                    path: self.path.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// `PRAGMA integrity_check` ("ok" when the file is sound).
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|source| self.error(source))
    }
}

/// Errors that mean the file itself is bad, not that the disk or the lock is.
fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// Renames the file (and its `-wal`/`-shm` companions) to `NAME.unreadable-YYYYMMDDTHHMMSSZ`.
fn move_aside(path: &Path, now: Timestamp) -> Result<PathBuf, StoreError> {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path.file_name().map_or_else(
        || FILE_NAME.into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let mut target = path.with_file_name(format!("{name}.unreadable-{stamp}"));
    let mut counter = 1;
    while target.exists() {
        counter += 1;
        target = path.with_file_name(format!("{name}.unreadable-{stamp}-{counter}"));
    }
    std::fs::rename(path, &target).map_err(|source| StoreError::MoveAside {
        path: path.to_path_buf(),
        source,
    })?;
    for suffix in ["-wal", "-shm"] {
        let companion = path.with_file_name(format!("{name}{suffix}"));
        if companion.exists() {
            let moved = target.with_file_name(format!(
                "{}{suffix}",
                target.file_name().unwrap().to_string_lossy()
            ));
            std::fs::rename(&companion, moved).map_err(|source| StoreError::MoveAside {
                path: companion.clone(),
                source,
            })?;
        }
    }
    Ok(target)
}

fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

fn timestamp(millis: i64) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
}

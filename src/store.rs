//! The progress database (SQLite): item states, the review log, exercise attempts, settings. The
//! only module that touches the database file.
//!
//! Safety rules, each tested:
//! - every review is one `IMMEDIATE` transaction, committed (and synced: WAL with
//!   `synchronous=FULL`) before the caller moves on, so a review shown as saved survives a crash;
//! - a busy timeout lets two kubedrill processes write at once without losing either's reviews,
//!   and a rating is applied to the item's state as read inside its own transaction, so when
//!   both rate one item, both ratings count;
//! - a file that is not a readable kubedrill database (corrupt, or another program's) is moved
//!   aside under a timestamped name and a new one started: never overwritten, never deleted.
//!   Damage met later, by any read or write, is handled the same way, and the call is run again
//!   on the new database;
//! - before every write, the file at the path is checked to be the one opened (device and
//!   inode): a file deleted or replaced while kubedrill runs is not written to once it is gone.
//!   The write goes to the file now at the path (a new one when there is none), and what the old
//!   file held is copied beside it;
//! - what the store does on its own while in use is left as a [`StoreNotice`] for the caller to
//!   show: nothing of the sort happens silently;
//! - a database written by a newer kubedrill is refused untouched.
//!
//! Progress is keyed by deck id and full item id (`TOPIC/ITEM`), so editing a deck's text keeps
//! it; rows whose item has left the deck stay as orphans (`kubedrill deck orphans`).

mod drafts;
mod durations;
mod exams;
mod progress;
mod report;
mod schema;
mod settings;
pub mod stats;

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use exams::{ExamRecord, ExamSummary};
pub use progress::{
    AttemptRecord, DayCounts, Orphan, RatingRecord, Recorded, ReviewHistory, ReviewRecord, Undone,
};
pub use report::ItemActivity;
pub use settings::{Setting, Settings};

/// The database's file name inside the data directory.
pub const FILE_NAME: &str = "progress.db";

/// How long a write waits for another kubedrill process to finish its own.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's companion files of a database in WAL mode.
const COMPANIONS: [&str; 2] = ["-wal", "-shm"];

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

/// Something the store had to do on its own while in use. The learner must hear of it, and
/// only the caller knows how (a line on stderr, a dialog): see [`Store::take_notices`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreNotice {
    /// The file turned out to be damaged while in use: it was moved aside and a new database
    /// started, as at opening.
    MovedAside(MovedAside),
    /// The file opened was deleted, or replaced by another, while kubedrill ran. Saving goes on
    /// in the file now at the path.
    Replaced {
        path: PathBuf,
        /// There was no file at the path any more: a new database was started there.
        deleted: bool,
        /// Where a copy of what the old file held was saved (`None`: it could not be copied).
        rescued: Option<PathBuf>,
        /// The file found at the path could not be used and was moved aside in turn.
        moved_aside: Option<MovedAside>,
    },
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
    /// In a cell so that a read (`&self`) that finds the file damaged can start a new one.
    conn: RefCell<Connection>,
    path: PathBuf,
    backing: Cell<Backing>,
    notices: RefCell<Vec<StoreNotice>>,
    /// The time given at opening, and when that was: files set aside later are named after
    /// that time plus what has passed, so a time given for a test or a bug report holds.
    opened: (Timestamp, Instant),
}

/// What tells the file opened apart from another put at the same path later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

/// The files a connection has open: the database and its companions (`None`: not there, or a
/// system without inodes, where an open file cannot be deleted anyway).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Files {
    db: Option<FileId>,
    wal: Option<FileId>,
    shm: Option<FileId>,
}

impl Files {
    fn at(path: &Path) -> Files {
        Files {
            db: file_id(path),
            wal: file_id(&companion(path, "-wal")),
            shm: file_id(&companion(path, "-shm")),
        }
    }

    fn companion(&self, suffix: &str) -> Option<FileId> {
        if suffix == "-wal" { self.wal } else { self.shm }
    }
}

/// What the connection is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backing {
    Memory,
    File(Files),
    /// The file was given up and no new one could be opened (the connection is an empty
    /// stand-in): every call tries again, and fails with the reason until it works.
    Lost,
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
        let (conn, files, moved_aside) = connect(path, now)?;
        Ok(Opened {
            store: Store {
                conn: RefCell::new(conn),
                path: path.to_path_buf(),
                backing: Cell::new(Backing::File(files)),
                notices: RefCell::default(),
                opened: (now, Instant::now()),
            },
            moved_aside,
        })
    }

    /// A private database in memory, for tests and previews.
    pub fn in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        prepare_new(&conn).map_err(|source| StoreError::Sqlite {
            path: path.clone(),
            source,
        })?;
        migrate(&mut conn, &path)?;
        Ok(Store {
            conn: RefCell::new(conn),
            path,
            backing: Cell::new(Backing::Memory),
            notices: RefCell::default(),
            opened: (Timestamp::now(), Instant::now()),
        })
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

    /// What the store had to do on its own since it was last asked (a damaged file moved
    /// aside, a deleted or replaced one left behind), oldest first. Each is handed out once;
    /// the caller must show it, since the learner's progress now lives elsewhere.
    pub fn take_notices(&self) -> Vec<StoreNotice> {
        self.notices.take()
    }

    /// Runs a read. Damage met on the way is handled as at opening (the file moved aside, a new
    /// database started, a notice left) and the read is run again on the new database.
    fn read<T>(
        &self,
        mut op: impl FnMut(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        if self.backing.get() == Backing::Lost {
            self.start_over(None)?;
        }
        let result = op(&self.conn.borrow());
        match result {
            Err(error) if is_damage(&error) && self.on_file() => {
                self.start_over(Some(format!("it is damaged ({error})")))?;
                op(&self.conn.borrow()).map_err(|source| self.error(source))
            }
            result => result.map_err(|source| self.error(source)),
        }
    }

    /// Runs a write. First the file at the path must still be the one opened: a write into a
    /// deleted file is lost when the connection closes, and one into a replaced file is not
    /// where anyone will look, so either way the store moves to the file now at the path.
    /// Damage is handled as in [`Store::read`]; `op` may run twice, so it must start from
    /// nothing each time (one transaction).
    fn write<T>(
        &mut self,
        mut op: impl FnMut(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        if self.backing.get() == Backing::Lost || self.moved() {
            self.start_over(None)?;
        }
        let result = op(self.conn.get_mut());
        match result {
            Err(error) if is_damage(&error) && self.on_file() => {
                self.start_over(Some(format!("it is damaged ({error})")))?;
                op(self.conn.get_mut()).map_err(|source| self.error(source))
            }
            result => result.map_err(|source| self.error(source)),
        }
    }

    fn now(&self) -> Timestamp {
        let (at, instant) = self.opened;
        at.checked_add(instant.elapsed()).unwrap_or(at)
    }

    fn on_file(&self) -> bool {
        matches!(self.backing.get(), Backing::File(_))
    }

    /// Whether the file at the path is no longer the one opened (deleted or replaced).
    fn moved(&self) -> bool {
        match self.backing.get() {
            Backing::File(Files { db: Some(db), .. }) => file_id(&self.path) != Some(db),
            _ => false,
        }
    }

    /// Leaves the file opened for the one at the path: the damaged file, when it is still
    /// there, is moved aside first; a file deleted or replaced under the store is copied beside
    /// the path before it is let go. Leaves a notice saying what was done.
    fn start_over(&self, damage: Option<String>) -> Result<(), StoreError> {
        let now = self.now();
        let mut notice = None;
        if let Backing::File(files) = self.backing.get() {
            let stand_in = Connection::open_in_memory().map_err(|source| self.error(source))?;
            let old = self.conn.replace(stand_in);
            self.backing.set(Backing::Lost);
            let here = file_id(&self.path);
            let still_here = files.db.is_none() || here == files.db;
            match damage {
                Some(reason) if still_here => {
                    // Closed first, so that its log is checkpointed into it where it can be,
                    // and the file moves aside whole, with any companions left.
                    let _ = old.close();
                    let to = move_aside(&self.path, now)?;
                    notice = Some(StoreNotice::MovedAside(MovedAside {
                        from: self.path.clone(),
                        to,
                        reason,
                    }));
                }
                damage => {
                    // A damaged file is not worth a copy; it was moved away already.
                    let rescued = if damage.is_none() {
                        rescue(&old, &self.path, now)
                    } else {
                        None
                    };
                    release(old, &self.path, files, rescued.is_some(), now);
                    notice = Some(StoreNotice::Replaced {
                        path: self.path.clone(),
                        deleted: here.is_none(),
                        rescued,
                        moved_aside: None,
                    });
                }
            }
        }
        let (conn, files, moved_aside) = connect(&self.path, now)?;
        *self.conn.borrow_mut() = conn;
        self.backing.set(Backing::File(files));
        match (&mut notice, moved_aside) {
            (
                Some(StoreNotice::Replaced {
                    moved_aside: slot, ..
                }),
                moved,
            ) => *slot = moved,
            (_, Some(moved)) => self
                .notices
                .borrow_mut()
                .push(StoreNotice::MovedAside(moved)),
            (_, None) => {}
        }
        self.notices.borrow_mut().extend(notice);
        Ok(())
    }

    fn error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// `PRAGMA integrity_check` ("ok" when the file is sound). Damage is reported, not repaired.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        if self.backing.get() == Backing::Lost {
            self.start_over(None)?;
        }
        self.conn
            .borrow()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|source| self.error(source))
    }
}

impl Drop for Store {
    /// A file deleted or replaced under the store, with nothing written since, is copied and
    /// let go as on a write (without a notice: there is no one left to show it to). Reviews
    /// shown as saved before it went are in the copy.
    fn drop(&mut self) {
        if let Backing::File(files) = self.backing.get()
            && self.moved()
            && let Ok(stand_in) = Connection::open_in_memory()
        {
            let now = self.now();
            let old = self.conn.replace(stand_in);
            let rescued = rescue(&old, &self.path, now);
            release(old, &self.path, files, rescued.is_some(), now);
        }
    }
}

/// Opens (or creates) the database at `path`, moving an unusable file aside.
fn connect(
    path: &Path,
    now: Timestamp,
) -> Result<(Connection, Files, Option<MovedAside>), StoreError> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    set_aside_orphaned_companions(path, now)?;
    let (conn, moved_aside) = match try_open(path) {
        Ok(conn) => (conn, None),
        Err(Unusable::Fatal(error)) => return Err(error),
        Err(Unusable::MoveAside(reason)) => {
            let to = move_aside(path, now)?;
            let conn = try_open(path).map_err(|unusable| match unusable {
                Unusable::Fatal(error) => error,
                Unusable::MoveAside(reason) => StoreError::Invalid(format!(
                    "a new database at {} is unusable too: {reason}",
                    path.display()
                )),
            })?;
            let moved = MovedAside {
                from: path.to_path_buf(),
                to,
                reason,
            };
            (conn, Some(moved))
        }
    };
    // Taken once the connection is in WAL mode, when its companions exist.
    Ok((conn, Files::at(path), moved_aside))
}

fn try_open(path: &Path) -> Result<Connection, Unusable> {
    let fatal = |source| {
        Unusable::Fatal(StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        })
    };
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fatal)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(fatal)?;
    // The first read of the header tells a non-database apart.
    let header = conn.query_row(
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
            prepare_new(&conn).map_err(fatal)?;
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
    if let Some(damage) = check_once_a_day(&conn, version).map_err(fatal)? {
        return Err(Unusable::MoveAside(damage));
    }
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
        .map_err(fatal)?;
    migrate(&mut conn, path).map_err(Unusable::Fatal)?;
    Ok(conn)
}

/// `PRAGMA quick_check` reads the whole file (40 ms for a year of heavy study), so it runs on
/// the first open of each day and after any version change, not on every command. Damage met
/// between checks is found by the read or write that meets it (see [`Store::read`]).
/// Returns what is damaged, if anything.
fn check_once_a_day(conn: &Connection, version: i64) -> rusqlite::Result<Option<String>> {
    const KEY: &str = "checked-at";
    let today = Timestamp::now().as_second() / 86_400;
    let stamp = format!("{today}:{version}");
    if version > 0 {
        let last: Option<String> = conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [KEY], |row| {
                row.get(0)
            })
            .optional()
            .unwrap_or(None);
        if last.as_deref() == Some(stamp.as_str()) {
            return Ok(None);
        }
    }
    match conn.query_row("PRAGMA quick_check", [], |row| row.get::<_, String>(0)) {
        Ok(result) if result == "ok" => {}
        Ok(result) => return Ok(Some(format!("it is damaged ({result})"))),
        Err(error) if is_damage(&error) => return Ok(Some(format!("it is damaged ({error})"))),
        Err(error) => return Err(error),
    }
    if version > 0 {
        // A read-only or busy database skips the note; the check simply runs again.
        let _ = conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [KEY, stamp.as_str()],
        );
    }
    Ok(None)
}

fn prepare_new(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "PRAGMA application_id = {};",
        schema::APPLICATION_ID
    ))
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let error = |source| StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(error)?;
    for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(error)?;
        // Another process may have migrated while this one waited for the lock.
        let now_at: i64 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(error)?;
        if now_at > index as i64 {
            continue;
        }
        tx.execute_batch(migration)
            .and_then(|()| tx.execute_batch(&format!("PRAGMA user_version = {};", index + 1)))
            .and_then(|()| tx.commit())
            .map_err(error)?;
    }
    Ok(())
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
    let target = free_name(path, "unreadable", now);
    std::fs::rename(path, &target).map_err(|source| StoreError::MoveAside {
        path: path.to_path_buf(),
        source,
    })?;
    for suffix in COMPANIONS {
        let from = companion(path, suffix);
        if from.exists() {
            std::fs::rename(&from, companion(&target, suffix))
                .map_err(|source| StoreError::MoveAside { path: from, source })?;
        }
    }
    Ok(target)
}

/// `NAME.WORD-YYYYMMDDTHHMMSSZ` beside `path`, with a counter when that is taken.
fn free_name(path: &Path, word: &str, now: Timestamp) -> PathBuf {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let name = path.file_name().map_or_else(
        || FILE_NAME.into(),
        |name| name.to_string_lossy().into_owned(),
    );
    let taken = |target: &Path| {
        target.exists()
            || COMPANIONS
                .iter()
                .any(|suffix| companion(target, suffix).exists())
    };
    let mut target = path.with_file_name(format!("{name}.{word}-{stamp}"));
    let mut counter = 1;
    while taken(&target) {
        counter += 1;
        target = path.with_file_name(format!("{name}.{word}-{stamp}-{counter}"));
    }
    target
}

/// `PATH-wal` or `PATH-shm`.
fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).ok()?;
    Some(FileId {
        device: metadata.dev(),
        inode: metadata.ino(),
    })
}

/// Elsewhere (Windows) an open database cannot be deleted or replaced, so there is nothing to
/// tell apart.
#[cfg(not(unix))]
fn file_id(_path: &Path) -> Option<FileId> {
    None
}

/// Copies what a connection's database holds to `NAME.rescued-STAMP` beside `path`. For a
/// file deleted or replaced under the store: the connection still reads it, and once it is
/// let go this copy is all that is left of it (reviews already shown as saved among it).
fn rescue(conn: &Connection, path: &Path, now: Timestamp) -> Option<PathBuf> {
    let target = free_name(path, "rescued", now);
    match conn.execute("VACUUM INTO ?1", [target.to_str()?]) {
        Ok(_) => Some(target),
        Err(_) => {
            // Only a partial copy of our own making can be there.
            let _ = std::fs::remove_file(&target);
            None
        }
    }
}

/// Lets go of a connection whose database is no longer at `path`. SQLite closes a moved
/// database without checkpointing it or deleting its `-wal` and `-shm` (it makes the same check
/// as the store), so those stay at their names, where the database now at the path would take
/// them for its own and replay another file's pages into itself. Those still the connection's
/// own are removed when `copied` (the copy holds all they do), and set aside otherwise.
fn release(conn: Connection, path: &Path, files: Files, copied: bool, now: Timestamp) {
    let _ = conn.close();
    let left: Vec<&str> = COMPANIONS
        .into_iter()
        .filter(|suffix| {
            files.companion(suffix).is_some()
                && file_id(&companion(path, suffix)) == files.companion(suffix)
        })
        .collect();
    if copied {
        for suffix in &left {
            let _ = std::fs::remove_file(companion(path, suffix));
        }
    } else {
        let _ = set_aside(path, &left, now);
    }
}

/// A `-wal` or `-shm` with no database beside it is left from a file deleted while open
/// (perhaps still open in another kubedrill). SQLite would take it for the new database's own,
/// replaying another file's pages into it, or delete it with what it holds: it is set aside.
fn set_aside_orphaned_companions(path: &Path, now: Timestamp) -> Result<(), StoreError> {
    if path.exists() {
        return Ok(());
    }
    let left: Vec<&str> = COMPANIONS
        .into_iter()
        .filter(|suffix| companion(path, suffix).exists())
        .collect();
    set_aside(path, &left, now)
}

/// Renames `path`'s companions with these suffixes to `NAME.orphaned-STAMP-wal` (and `-shm`).
fn set_aside(path: &Path, suffixes: &[&str], now: Timestamp) -> Result<(), StoreError> {
    if suffixes.is_empty() {
        return Ok(());
    }
    let target = free_name(path, "orphaned", now);
    for suffix in suffixes {
        let from = companion(path, suffix);
        std::fs::rename(&from, companion(&target, suffix))
            .map_err(|source| StoreError::MoveAside { path: from, source })?;
    }
    Ok(())
}

fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

fn timestamp(millis: i64) -> Timestamp {
    Timestamp::from_millisecond(millis).unwrap_or(Timestamp::UNIX_EPOCH)
}

//! The database schema, as numbered migrations. `PRAGMA user_version` records how many have
//! run; each runs once, in its own transaction, and is never edited after release (add a new
//! one instead). `application_id` marks the file as kubedrill's, so a foreign SQLite file is
//! recognised and never written to.

/// `PRAGMA application_id`: "KDRL".
pub const APPLICATION_ID: i32 = 0x4B44_524C;

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: items, the review log, attempts, settings.
    "
    CREATE TABLE items (
        deck        TEXT NOT NULL,
        item        TEXT NOT NULL,      -- TOPIC/ITEM
        kind        TEXT NOT NULL,      -- card | question | drill | exercise
        phase       TEXT NOT NULL,      -- new | learning | review | relearning
        step        INTEGER,
        stability   REAL,
        difficulty  REAL,
        due         INTEGER NOT NULL,   -- milliseconds since the Unix epoch, UTC
        last_review INTEGER,
        reps        INTEGER NOT NULL,
        lapses      INTEGER NOT NULL,
        PRIMARY KEY (deck, item)
    ) WITHOUT ROWID;
    CREATE INDEX items_due ON items (deck, due);

    -- Append-only: a review is never deleted; an undone one is marked and restores `before_*`.
    CREATE TABLE reviews (
        id                INTEGER PRIMARY KEY,
        deck              TEXT NOT NULL,
        item              TEXT NOT NULL,
        kind              TEXT NOT NULL,
        reviewed_at       INTEGER NOT NULL,
        rating            INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        elapsed_days      REAL,             -- since the previous review, NULL for the first
        duration_ms       INTEGER,          -- how long the answer took
        score             REAL,             -- the grade score, for exercises and drills
        before_phase      TEXT NOT NULL,
        before_step       INTEGER,
        before_stability  REAL,
        before_difficulty REAL,
        before_due        INTEGER NOT NULL,
        before_last       INTEGER,
        before_reps       INTEGER NOT NULL,
        before_lapses     INTEGER NOT NULL,
        after_phase       TEXT NOT NULL,
        after_stability   REAL NOT NULL,
        after_difficulty  REAL NOT NULL,
        after_due         INTEGER NOT NULL,
        undone            INTEGER NOT NULL DEFAULT 0
    );
    -- Covers what stats read, so a year of history is one index scan.
    CREATE INDEX reviews_time ON reviews (reviewed_at, undone, rating, before_phase, deck);
    CREATE INDEX reviews_item ON reviews (deck, item, reviewed_at);

    CREATE TABLE attempts (
        id          INTEGER PRIMARY KEY,
        deck        TEXT NOT NULL,
        item        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        at          INTEGER NOT NULL,
        answer      TEXT NOT NULL,
        passed      INTEGER NOT NULL,
        score       REAL NOT NULL,
        hints_used  INTEGER NOT NULL,
        duration_ms INTEGER,
        summary     TEXT NOT NULL            -- JSON: the failed check ids and the diagnostics count
    );
    CREATE INDEX attempts_item ON attempts (deck, item, at);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    ",
    // 2: where the learner left each lesson.
    "
    CREATE TABLE lesson_positions (
        deck  TEXT NOT NULL,
        topic TEXT NOT NULL,
        line  INTEGER NOT NULL,
        PRIMARY KEY (deck, topic)
    ) WITHOUT ROWID;
    ",
    // 3: mock exams, one row each, its tasks as JSON.
    "
    CREATE TABLE exams (
        id          INTEGER PRIMARY KEY,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        seed        INTEGER NOT NULL,   -- the u64 seed, stored bit for bit
        minutes     INTEGER NOT NULL,
        topics      TEXT NOT NULL,      -- JSON list of topic ids; [] for all
        score       REAL NOT NULL,      -- 0 to 100
        passed      INTEGER NOT NULL,
        tasks       TEXT NOT NULL       -- JSON: each task with its weight, answer and share earned
    );
    CREATE INDEX exams_time ON exams (finished_at);
    ",
    // 4: an exercise's answer as the learner left it unpassed, restored when it opens again.
    "
    CREATE TABLE drafts (
        deck     TEXT NOT NULL,
        item     TEXT NOT NULL,         -- TOPIC/ITEM
        text     TEXT NOT NULL,
        saved_at INTEGER NOT NULL,      -- milliseconds since the Unix epoch, UTC
        PRIMARY KEY (deck, item)
    ) WITHOUT ROWID;
    ",
    // 5: the lessons read to their end: a lesson is a queue entry, unread until then.
    "
    CREATE TABLE lessons_read (
        deck    TEXT NOT NULL,
        topic   TEXT NOT NULL,
        read_at INTEGER NOT NULL,       -- milliseconds since the Unix epoch, UTC
        PRIMARY KEY (deck, topic)
    ) WITHOUT ROWID;
    ",
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

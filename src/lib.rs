//! kubedrill: learn, remember and prove the Kubernetes CKA exam topics in a terminal, offline.
//!
//! The library is the whole program except the terminal interface; the binary (`src/main.rs`) is a
//! thin command line over it. Module map:
//!
//! - [`model`]: the immutable study material (decks, topics, lessons, cards, questions, drills,
//!   exercises) with validated ids and localized text.
//! - [`content`]: reads decks (the built-in one compiled into the binary, and folders on disk),
//!   and turns their files into the [`model`], collecting every problem with file:line:column.
//! - [`manifest`]: Kubernetes manifest checking (YAML with positions, the strict schema of the
//!   pinned API, the API server's semantic rules), `kubedrill check` and `explain`.
//! - [`grade`]: exercise answers graded by outcome (what a container really runs and sees),
//!   kubectl drills by meaning, and the proof that a deck's exercises hold up.
//! - [`srs`]: FSRS-6 scheduling (learning steps, intervals, the exam date) and today's queue;
//!   pure functions of a given `now`.
//! - [`store`]: the SQLite progress database (item states, review log, attempts, settings,
//!   stats); the only module that touches it.
//! - [`search`]: fuzzy search over lessons, headings, cards, questions, exercises and drills.
//! - [`study`]: joins the three: the learner's scheduler, today's queue over the loaded decks,
//!   saving a rating.
//! - [`exam`]: mock exams: a seeded, weighted draw of tasks, graded at the end against the
//!   pass line.
//! - [`cluster`]: the offline cluster troubleshooting scenarios run on: controllers, the
//!   scheduler and kubectl's printers as pure functions (docs/cluster.md).
//! - [`watch`]: watch mode's state machine (grade an answer file on every save), with no
//!   terminal and no file watcher.
//! - [`i18n`]: the interface language and the user-facing strings that are not content, in
//!   English and Korean.
//! - [`diagnostic`]: renders those problems for people (rustc-like snippets) and for tools (JSON).
//! - [`bounded_read`]: reading files a stranger may have put there: regular files only, capped.
//! - [`text`]: showing untrusted text safely (control characters escaped), Markdown as plain
//!   text and wrapping at spaces for output without styles, counts with their nouns.
//! - [`parallel`]: work split over the machine's cores (reading a big deck, searching it).
//! - [`paths`]: where progress and installed decks live on this machine.
//! - [`zone`]: the machine's time zone, found without walking the zone database.
//! - [`sandbox`]: running the learner's kubectl on a stranger's input: no environment, no
//!   config, no network, no input, a time limit and an output cap.
//! - [`cli`]: the command line (clap definitions, one file per subcommand), used by `main.rs`.
//! - `lsp` (feature `lsp`): the manifest checker as a language server over stdio.
//! - `tui` (feature `tui`): the terminal interface: `app` (App, routing, Transition), `ctx`,
//!   `session`, `keymap`, `events` (one channel: keys, file changes, timers), `runner`
//!   (carries out effects), `screens/` (one module per screen: state, update, draw), `widgets/`;
//!   docs/architecture.md follows one key press through it.
//!
//! The terminal interface sits behind the default `tui` cargo feature; nothing in this list
//! depends on a terminal crate.

pub mod bounded_read;
pub mod cli;
pub mod cluster;
pub mod content;
pub mod diagnostic;
pub mod exam;
pub mod grade;
pub mod i18n;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod manifest;
pub mod model;
pub mod parallel;
pub mod paths;
pub mod report;
pub mod sandbox;
pub mod search;
pub mod srs;
pub mod store;
pub mod study;
pub mod text;
#[cfg(feature = "tui")]
pub mod tui;
pub mod watch;
pub mod zone;

/// The Kubernetes minor version whose API kubedrill teaches and checks manifests against.
/// The CKA exam follows the newest minor within weeks, so this tracks the newest version the
/// Kubernetes API types crate supports.
pub const KUBERNETES_VERSION: &str = kubernetes_version!();

/// The newest deck `format_version` this build reads.
pub const DECK_FORMAT_VERSION: i64 = 1;

/// `kubedrill --version`: the program version with the pinned Kubernetes version and deck format.
pub const VERSION_TEXT: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (Kubernetes ",
    kubernetes_version!(),
    ", deck format 1)"
);

/// Expands to the pinned Kubernetes minor as a string literal, so it can be used in `concat!`.
#[macro_export]
#[doc(hidden)]
macro_rules! kubernetes_version {
    () => {
        "1.37"
    };
}

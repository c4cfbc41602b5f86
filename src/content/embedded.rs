//! The built-in deck's files, compiled in by `build.rs` from the project's `content/` folder.

include!(concat!(env!("OUT_DIR"), "/embedded_deck.rs"));

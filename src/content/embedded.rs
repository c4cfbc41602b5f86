//! The built-in deck's files, compiled in by `build.rs` from the project's `content/` folder:
//! deflated as one stream, unpacked when the deck is checked from its files.

include!(concat!(env!("OUT_DIR"), "/embedded_deck.rs"));

/// Every file of the built-in deck, by path relative to the deck folder.
pub(crate) fn files() -> Vec<(String, Vec<u8>)> {
    let unpacked = miniz_oxide::inflate::decompress_to_vec_with_limit(PACKED, UNPACKED_LEN)
        .expect("the built-in deck was deflated by build.rs");
    INDEX
        .iter()
        .map(|(path, offset, length)| {
            (
                path.to_string(),
                unpacked[*offset..offset + length].to_vec(),
            )
        })
        .collect()
}

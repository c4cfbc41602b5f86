//! Embeds the built-in deck (`content/`) into the binary, so `cargo install` and a binary copied
//! anywhere carry it. Writes `$OUT_DIR/embedded_deck.rs`: a sorted list of
//! `(path relative to content/, offset, length)` into the files laid end to end, and those bytes
//! deflated (`$OUT_DIR/content.deflate`).
//!
//! Also turns the checker's schema data (`assets/schema/*.tsv`, see tests/schema_data.rs) into
//! static tables, `$OUT_DIR/schema_data.rs`: nothing is parsed at start-up, and a definition's
//! JSON is parsed the first time a document needs it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

// The first layer of `deck check` (UTF-8, TOML syntax), shared with the library so the build
// refuses a broken built-in deck with the messages `deck check` gives.
#[path = "src/content/build_check.rs"]
#[allow(dead_code)]
mod build_check;

fn main() {
    // Read when the script runs, not when it was compiled: a build script compiled for one
    // checkout (a git worktree sharing the target folder) must embed the deck of the checkout
    // it runs for.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir).join("content");
    // A directory given to rerun-if-changed is scanned whole by cargo, so any edit,
    // added or removed file under content/ re-embeds the deck.
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let contents: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(relative, absolute)| (relative.clone(), std::fs::read(absolute).unwrap()))
        .collect();
    let findings = build_check::check(
        contents
            .iter()
            .map(|(relative, bytes)| (relative.as_str(), bytes.as_slice())),
    );
    if !findings.is_empty() {
        // Cargo shows a failed build script's stderr: the build stops here, before a binary
        // with a broken deck exists. `kubedrill deck check content` reports the rest.
        eprint!("{}", build_check::render(&findings, "content"));
        eprintln!(
            "error: the built-in deck (content/) has {} problem(s); fix them, then build again",
            findings.len()
        );
        std::process::exit(1);
    }
    // The files are stored as one deflated stream (a fifth of their size: the binary's largest
    // part otherwise), unpacked when the deck is checked from its files: on a start without a
    // deck cache, by `deck check`, and by the tests. deck.toml is kept as it is too, for what
    // needs only the deck's id and title.
    let mut unpacked = Vec::new();
    let mut out = String::from("pub(crate) static INDEX: &[(&str, usize, usize)] = &[\n");
    for (relative, bytes) in &contents {
        writeln!(
            out,
            "    ({relative:?}, {}, {}),",
            unpacked.len(),
            bytes.len()
        )
        .unwrap();
        unpacked.extend_from_slice(bytes);
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let packed = out_dir.join("content.deflate");
    // Deflating takes a while in a build script (unoptimized in a debug build): done again only
    // when the content changed, at the best level for a release and a fast one otherwise.
    let level = deflate_level();
    let mut content_hash = Fnv::default();
    content_hash.add(&unpacked);
    content_hash.add(&[level]);
    let stamp = out_dir.join("content.deflate.hash");
    let stamp_text = format!("{:016x}", content_hash.0);
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(stamp_text.as_str())
        || !packed.exists()
    {
        std::fs::write(
            &packed,
            miniz_oxide::deflate::compress_to_vec(&unpacked, level),
        )
        .unwrap();
        std::fs::write(&stamp, &stamp_text).unwrap();
    }
    writeln!(
        out,
        "pub(crate) static PACKED: &[u8] = include_bytes!({:?});\npub(crate) const UNPACKED_LEN: usize = {};\npub(crate) static DECK_TOML: &[u8] = include_bytes!({:?});",
        packed.to_string_lossy(),
        unpacked.len(),
        root.join("deck.toml").to_string_lossy()
    )
    .unwrap();
    // The build's identity for the deck cache (src/content/cache.rs): a cache written by any
    // other sources, content or version is never read, since its model or checks may differ.
    println!(
        "cargo:rerun-if-changed={}",
        Path::new(&manifest_dir).join("src").display()
    );
    let mut hash = Fnv::default();
    hash.add(std::env::var("CARGO_PKG_VERSION").unwrap().as_bytes());
    for folder in ["src", "content", "assets"] {
        let folder = Path::new(&manifest_dir).join(folder);
        let mut all = Vec::new();
        collect(&folder, &folder, &mut all);
        all.sort();
        for (relative, absolute) in all {
            hash.add(relative.as_bytes());
            hash.add(&std::fs::read(&absolute).unwrap());
        }
    }
    writeln!(
        out,
        "pub(crate) const BUILD_ID: &str = \"{}-{:016x}\";",
        std::env::var("CARGO_PKG_VERSION").unwrap(),
        hash.0
    )
    .unwrap();
    let target = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_deck.rs");
    std::fs::write(target, out).unwrap();
    schema_data(&Path::new(&manifest_dir).join("assets/schema"));
}

/// `kind` rows become `KINDS` (built-in kinds first, each source in file order) and `def` rows
/// `DEFINITIONS`, sorted by name for a binary search.
fn schema_data(folder: &Path) {
    println!("cargo:rerun-if-changed={}", folder.display());
    let read = |name: &str| {
        std::fs::read_to_string(folder.join(name))
            .unwrap_or_else(|error| panic!("cannot read assets/schema/{name}: {error}"))
    };
    let rows = |text: &str| -> Vec<Vec<String>> {
        text.lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .map(|line| line.split('\t').map(str::to_string).collect())
            .collect()
    };
    // Deflating takes seconds in an unoptimized build script, and this script runs again on
    // every change under src/: the tables are made again only when their sources changed.
    let level = deflate_level();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut inputs = Fnv::default();
    for name in ["short-names.tsv", "kubernetes-1.37.tsv", "gateway-api.tsv"] {
        inputs.add(read(name).as_bytes());
    }
    inputs.add(&[level]);
    let stamp = out_dir.join("schema_data.hash");
    let stamp_text = format!("{:016x}", inputs.0);
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(stamp_text.as_str())
        && out_dir.join("schema_data.rs").exists()
    {
        return;
    }
    let short: Vec<Vec<String>> = rows(&read("short-names.tsv"));
    let mut kinds = String::from("pub static KINDS: &[KindInfo] = &[\n");
    let mut definitions: Vec<(String, String)> = Vec::new();
    for (file, origin) in [
        ("kubernetes-1.37.tsv", "Origin::Kubernetes"),
        ("gateway-api.tsv", "Origin::GatewayApi"),
    ] {
        for row in rows(&read(file)) {
            match row[0].as_str() {
                "kind" => {
                    let (api_version, kind, plural, scope, definition) =
                        (&row[1], &row[2], &row[3], &row[4], &row[5]);
                    let short_names: Vec<String> = row
                        .get(6)
                        .filter(|names| !names.is_empty())
                        .map(|names| names.split(',').map(str::to_string).collect())
                        .or_else(|| {
                            short
                                .iter()
                                .find(|line| &line[0] == plural)
                                .map(|line| line[1].split(',').map(str::to_string).collect())
                        })
                        .unwrap_or_default();
                    let mut aliases = vec![kind.to_ascii_lowercase(), plural.clone()];
                    aliases.extend(short_names);
                    aliases.dedup();
                    writeln!(
                        kinds,
                        "    KindInfo {{ api_version: {api_version:?}, kind: {kind:?}, plural: {plural:?}, namespaced: {}, definition: {definition:?}, aliases: &{aliases:?}, origin: {origin} }},",
                        scope == "Namespaced"
                    )
                    .unwrap();
                }
                "def" => definitions.push((row[1].clone(), row[2].clone())),
                other => panic!("assets/schema/{file}: unknown row `{other}`"),
            }
        }
    }
    kinds.push_str("];\n");
    definitions.sort();
    let mut out = kinds;
    // Each definition deflated on its own (a third of the size), inflated and parsed the first
    // time a document needs it; the deflated definitions laid end to end in one file.
    writeln!(
        out,
        "pub(crate) static DEFINITIONS: [(&str, usize, usize); {}] = [",
        definitions.len()
    )
    .unwrap();
    let mut packed = Vec::new();
    for (name, json) in &definitions {
        let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), level);
        writeln!(out, "    ({name:?}, {}, {}),", packed.len(), deflated.len()).unwrap();
        packed.extend(deflated);
    }
    out.push_str("];\n");
    let packed_path = out_dir.join("schema.deflate");
    std::fs::write(&packed_path, packed).unwrap();
    writeln!(
        out,
        "pub(crate) static PACKED_DEFINITIONS: &[u8] = include_bytes!({:?});",
        packed_path.to_string_lossy()
    )
    .unwrap();
    let target = out_dir.join("schema_data.rs");
    std::fs::write(target, out).unwrap();
    std::fs::write(stamp, stamp_text).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path.to_string_lossy().into_owned()));
        }
    }
}

/// The best deflate level for a release (and its benchmarks), a fast one for other builds.
fn deflate_level() -> u8 {
    if std::env::var("PROFILE").as_deref() == Ok("release") {
        9
    } else {
        1
    }
}

/// FNV-1a over parts, each followed by a separator (as `model::stable_hash`).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, part: &[u8]) {
        for byte in part.iter().copied().chain([0xff]) {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

//! The scenario loader on an arbitrary scenario file inside an otherwise valid deck: it must
//! never panic (reading the TOML, the `[cluster]` world, its checks and wrong scripts, and
//! admitting its manifests), every problem must name a line and column inside its file, and a
//! scenario the loader accepts must start: its simulated cluster runs its warm-up.
#![no_main]

use kubedrill::content;
use kubedrill::model::DeckOrigin;
use libfuzzer_sys::fuzz_target;

const DECK: &str = "format_version = 1\nid = \"f\"\ntitle = \"F\"\nlanguages = [\"en\"]\n\n[[topic]]\nid = \"t\"\ntitle = \"T\"\n";

fuzz_target!(|data: &[u8]| {
    let files = vec![
        ("deck.toml".to_string(), DECK.as_bytes().to_vec()),
        ("topics/t/lesson.en.md".to_string(), b"# T\n".to_vec()),
        ("topics/t/scenarios/s.toml".to_string(), data.to_vec()),
    ];
    let report =
        content::check_source(content::DeckSource::from_files(DeckOrigin::BuiltIn, files));
    for problem in &report.problems {
        assert!(problem.line >= 1 && problem.column >= 1, "{problem:?}");
    }
    if let Some(deck) = &report.deck {
        for scenario in deck.topics.iter().flat_map(|topic| &topic.scenarios) {
            kubedrill::cluster::sim::Cluster::start(&scenario.world)
                .expect("a world the loader admitted starts");
        }
    }
    let source = &report.source;
    let _ = kubedrill::diagnostic::render_text(&report.problems, "", |file| source.text(file), false);
});

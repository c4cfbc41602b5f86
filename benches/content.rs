//! Decks and search at scale (issue targets: first frame ≤ 100 ms with a 10k-item deck, so
//! loading must stay well under it; fuzzy search ≤ 5 ms per keystroke at p95 over 10k items).
//! A 100k-card deck is loaded too, to show the cost stays linear. Run: `cargo bench --bench content`; figures are recorded in docs/performance.md.

#[path = "generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use kubedrill::content;
use kubedrill::search::Index;

fn load(c: &mut Criterion) {
    // What start-up does: the later variants of a parameterized item are made when shown.
    c.bench_function("load + validate the built-in deck", |b| {
        b.iter(|| {
            let report = content::load_source(content::source::DeckSource::built_in());
            assert!(report.problems.is_empty());
            report
        })
    });
    // What `deck check` and the content tests do: every variant made and checked.
    c.bench_function("check the built-in deck, every variant", |b| {
        b.iter(|| {
            let report = content::built_in();
            assert!(report.problems.is_empty());
            report
        })
    });
    let dir = tempfile::tempdir().unwrap();
    generate::write_deck(dir.path(), 10_000);
    c.bench_function("load + validate a 10k-card deck", |b| {
        b.iter(|| {
            let report = content::check_dir(dir.path()).unwrap();
            assert!(report.problems.is_empty());
            report
        })
    });
}

/// Every prefix of each query, as a learner types it, searched over the built-in deck and a
/// 10k-card deck; prints the median and p95 of one keystroke's search. Two 10k decks: `varied`
/// (cards made of different words, as real ones are) and `generated` (every card holds the same
/// words, so every query matches all 10,000: the worst case).
fn search_per_keystroke() {
    let built_in = content::built_in().deck.unwrap();
    let varied = tempfile::tempdir().unwrap();
    generate::write_varied_deck(varied.path(), 10_000);
    let uniform = tempfile::tempdir().unwrap();
    generate::write_deck(uniform.path(), 10_000);
    for (name, dir) in [("varied", varied.path()), ("all-alike", uniform.path())] {
        let mut library = generate::load(dir);
        library.decks.push(built_in.clone());
        for (language, queries) in [
            ("en", &generate::SEARCH_QUERIES[..]),
            (
                "ko",
                &["롤백", "시크릿 base64", "질문 4321", "초기화 컨테이너"][..],
            ),
        ] {
            if name == "varied" && language == "ko" {
                continue; // the varied deck is English only
            }
            let index = Index::build(&library, language);
            let mut times: Vec<Duration> = Vec::new();
            for _ in 0..5 {
                for query in queries {
                    let mut typed = String::new();
                    for c in query.chars() {
                        typed.push(c);
                        let started = Instant::now();
                        let hits = std::hint::black_box(index.search(&typed, 20));
                        times.push(started.elapsed());
                        drop(hits);
                    }
                }
            }
            times.sort();
            let at = |fraction: f64| generate::percentile_ms(&times, fraction);
            println!(
                "fuzzy search per keystroke, {name} 10k deck + built-in ({} items, {language}): median {:.2} ms, p95 {:.2} ms, slowest {:.2} ms ({} keystrokes)",
                index.targets.len(),
                at(0.5),
                at(0.95),
                at(1.0),
                times.len()
            );
        }
    }
}

criterion_group!(benches, load);

/// A 100k-card deck, loaded three times: no target, but it shows loading stays linear.
fn load_100k() {
    let dir = tempfile::tempdir().unwrap();
    generate::write_deck(dir.path(), 100_000);
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let report = content::check_dir(dir.path()).unwrap();
            assert!(report.problems.is_empty());
            assert_eq!(report.deck.unwrap().counts().cards, 100_000);
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "load + validate a 100k-card deck: median {:.0} ms of 3",
        times[1].as_secs_f64() * 1000.0
    );
}

fn main() {
    benches();
    search_per_keystroke();
    load_100k();
    Criterion::default().configure_from_args().final_summary();
}

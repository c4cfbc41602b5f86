//! Decks and search at scale (issue targets: first frame ≤ 100 ms with a 10k-item deck, so
//! loading must stay well under it; fuzzy search ≤ 5 ms per keystroke at p95 over 10k items).
//! Run: `cargo bench --bench content`; figures are recorded in docs/performance.md.

#[path = "generate.rs"]
mod generate;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use kubedrill::content;
use kubedrill::model::Library;
use kubedrill::search::Index;

fn load(c: &mut Criterion) {
    c.bench_function("load + validate the built-in deck", |b| {
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
/// 10k-card deck; prints the median and p95 of one keystroke's search.
fn search_per_keystroke() {
    let dir = tempfile::tempdir().unwrap();
    generate::write_deck(dir.path(), 10_000);
    let mut library = generate::load(dir.path());
    let built_in: Library = Library {
        decks: vec![content::built_in().deck.unwrap()],
    };
    library.decks.extend(built_in.decks);
    for (language, queries) in [
        (
            "en",
            &[
                "rollout undo",
                "maxsurge",
                "configmap envfrom",
                "secret base64",
                "init container",
                "kubectl set image",
                "question 9876",
            ][..],
        ),
        (
            "ko",
            &["롤백", "시크릿 base64", "질문 4321", "초기화 컨테이너"][..],
        ),
    ] {
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
        let at = |fraction: f64| {
            times[((times.len() as f64 * fraction) as usize).min(times.len() - 1)].as_secs_f64()
                * 1000.0
        };
        println!(
            "fuzzy search per keystroke over {} items ({language}): median {:.2} ms, p95 {:.2} ms, slowest {:.2} ms ({} keystrokes)",
            index.targets.len(),
            at(0.5),
            at(0.95),
            at(1.0),
            times.len()
        );
    }
}

criterion_group!(benches, load);

fn main() {
    benches();
    search_per_keystroke();
    Criterion::default().configure_from_args().final_summary();
}

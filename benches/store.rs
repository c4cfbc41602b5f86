//! Progress at scale (issue: 10,000 items and 100,000 logged reviews → today's queue in ≤ 50 ms,
//! `kubedrill stats` in ≤ 150 ms wall). Run: `cargo bench --bench store`; figures are recorded
//! in docs/performance.md.

#[path = "generate.rs"]
mod generate;

use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use kubedrill::store::Store;
use kubedrill::study;

fn progress(c: &mut Criterion) {
    let deck_dir = tempfile::tempdir().unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    generate::write_deck(deck_dir.path(), 10_000);
    let library = generate::load(deck_dir.path());
    let now: Timestamp = "2026-06-01T09:00:00Z".parse().unwrap();
    let mut store = Store::open_in(data_dir.path(), now).unwrap().store;
    let reviews = generate::write_history(&mut store, &library, now, 10);
    assert_eq!(reviews, 100_000);
    let settings = store.settings().unwrap();
    let zone = TimeZone::UTC;

    let today = study::today(&library, &store, &settings, now, &zone, |_| true).unwrap();
    assert!(today.reviews > 0);
    c.bench_function("today's queue: 10k items, 100k reviews", |b| {
        b.iter(|| study::today(&library, &store, &settings, now, &zone, |_| true).unwrap())
    });
    let scheduler = study::scheduler(&settings, &zone).unwrap();
    c.bench_function("stats: 10k items, 100k reviews", |b| {
        b.iter(|| {
            store
                .stats(&library, &scheduler, now, &zone, settings.day_starts_at)
                .unwrap()
        })
    });
    drop(store);

    // The whole `kubedrill stats` command as a learner runs it: start, load the built-in deck
    // and the 10k deck, open the database, compute, print.
    let stats_in = |data_dir: &std::path::Path| {
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
            .args(["stats", "--data-dir"])
            .arg(data_dir)
            .arg("--deck")
            .arg(deck_dir.path())
            .env("KUBEDRILL_NOW", "2026-06-01T09:00:00Z")
            .env("TZ", "UTC")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        started.elapsed()
    };
    let run = || stats_in(data_dir.path());
    run();
    let mut times: Vec<Duration> = (0..20).map(|_| run()).collect();
    times.sort();
    println!(
        "kubedrill stats (10k-item deck, 100k reviews), wall: median {:.1} ms, slowest {:.1} ms of 20 runs",
        times[10].as_secs_f64() * 1000.0,
        times[19].as_secs_f64() * 1000.0
    );
    compare_with_hashcards(&run, "100k reviews");
    // The same with no review history, as hashcards' collection has none.
    let fresh = tempfile::tempdir().unwrap();
    compare_with_hashcards(&|| stats_in(fresh.path()), "no reviews");
}

/// `kubedrill stats` against hashcards' `stats` over the same 10k cards, in one run (the two
/// alternate, so the machine's noise falls on both): set `HASHCARDS` to a hashcards binary built
/// from its repository (docs/performance.md says how). hashcards' collection has no review
/// history; kubedrill's is measured with the 100k reviews above and with none (`history`).
fn compare_with_hashcards(kubedrill: &dyn Fn() -> Duration, history: &str) {
    let Some(hashcards) = std::env::var_os("HASHCARDS") else {
        println!("hashcards comparison skipped: set HASHCARDS to a hashcards binary");
        return;
    };
    let collection = tempfile::tempdir().unwrap();
    generate::write_hashcards_collection(collection.path(), 10_000);
    let run = || {
        let started = Instant::now();
        let output = Command::new(&hashcards)
            .arg("stats")
            .arg(collection.path())
            .args(["--format", "json"])
            .output()
            .unwrap();
        let elapsed = started.elapsed();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("\"cardsInDeckCount\": 10000"),
            "hashcards stats: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        elapsed
    };
    // One start each first: hashcards creates its database, kubedrill already has its cache.
    run();
    kubedrill();
    let (mut theirs, mut ours) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        theirs.push(run());
        ours.push(kubedrill());
    }
    theirs.sort();
    ours.sort();
    let (theirs, ours) = (
        generate::percentile_ms(&theirs, 0.5),
        generate::percentile_ms(&ours, 0.5),
    );
    println!(
        "stats over the same 10k cards, whole process, medians of 20 alternating runs: kubedrill ({history}) {ours:.1} ms, hashcards {theirs:.1} ms: {:.2}x",
        ours / theirs
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = progress
}
criterion_main!(benches);

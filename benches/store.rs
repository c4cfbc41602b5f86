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
    let run = || {
        let started = Instant::now();
        let output = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
            .args(["stats", "--data-dir"])
            .arg(data_dir.path())
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
    run();
    let mut times: Vec<Duration> = (0..20).map(|_| run()).collect();
    times.sort();
    println!(
        "kubedrill stats (10k-item deck, 100k reviews), wall: median {:.1} ms, slowest {:.1} ms of 20 runs",
        times[10].as_secs_f64() * 1000.0,
        times[19].as_secs_f64() * 1000.0
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = progress
}
criterion_main!(benches);

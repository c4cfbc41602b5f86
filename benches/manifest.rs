//! Manifest checker speed (issue: ≤ 200 µs for a 200-line Deployment + ConfigMap + Secret, warm;
//! ≤ 2 ms for the first check of a process), and how fast hostile input is refused. Run:
//! `cargo bench --bench manifest`; figures are recorded in docs/performance.md.
//!
//! The first check of a process parses the schema definitions the document needs (they are
//! embedded as JSON text and parsed on first use). To measure it, the benchmark runs itself 21
//! times as a child process that checks once and prints the time, and reports the median.

use criterion::{Criterion, criterion_group};
use kubedrill::manifest::{self, Version};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SHOP: &str = include_str!("data/shop-200-lines.yaml");
const GATEWAY: &str = include_str!("data/gateway-routes.yaml");

fn alias_bomb() -> String {
    let mut bomb = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for level in b'b'..=b'j' {
        let previous = (level - 1) as char;
        let level = level as char;
        let refs = vec![format!("*{previous}"); 10].join(", ");
        bomb.push_str(&format!("{level}: &{level} [{refs}]\n"));
    }
    bomb
}

fn checker(c: &mut Criterion) {
    let version = Version::pinned();
    let manifest = SHOP;
    assert_eq!(manifest.lines().count(), 200);
    // The schemas are generated once per process; measure the steady state a learner's
    // second keystroke sees, after one warm-up check.
    assert!(manifest::check(manifest, version).is_valid());
    c.bench_function("check 200-line Deployment+ConfigMap+Secret", |b| {
        b.iter(|| manifest::check(black_box(manifest), version))
    });

    assert!(manifest::check(GATEWAY, version).is_valid());
    c.bench_function(
        "check Gateway + HTTPRoute + GRPCRoute (Gateway API CRD schemas)",
        |b| b.iter(|| manifest::check(black_box(GATEWAY), version)),
    );

    c.bench_function("parse only: 200-line YAML", |b| {
        b.iter(|| manifest::yaml::parse(black_box(manifest)))
    });

    let bomb = alias_bomb();
    c.bench_function("refuse alias bomb", |b| {
        b.iter(|| manifest::check(black_box(&bomb), version))
    });
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    c.bench_function("refuse 5000-deep nesting", |b| {
        b.iter(|| manifest::check(black_box(&deep), version))
    });
}

/// The first check of a fresh process, in a child process each time; the median of 21.
fn first_check_in_a_process() {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    for (name, file) in [
        ("shop", "200-line Deployment+ConfigMap+Secret"),
        ("gateway", "Gateway API routes"),
    ] {
        let mut times: Vec<Duration> = (0..21)
            .map(|_| {
                let output = std::process::Command::new(&exe)
                    .env("KUBEDRILL_BENCH_FIRST_CHECK", name)
                    .output()
                    .expect("the benchmark runs itself");
                let nanos: u64 = String::from_utf8_lossy(&output.stdout)
                    .trim()
                    .parse()
                    .expect("the child prints nanoseconds");
                Duration::from_nanos(nanos)
            })
            .collect();
        times.sort();
        println!(
            "first check of a process, {file}: median {:?}, slowest {:?} (21 processes)",
            times[10], times[20]
        );
    }
}

criterion_group!(benches, checker);

fn main() {
    if let Ok(which) = std::env::var("KUBEDRILL_BENCH_FIRST_CHECK") {
        let text = if which == "gateway" { GATEWAY } else { SHOP };
        let start = Instant::now();
        let report = manifest::check(text, Version::pinned());
        let elapsed = start.elapsed();
        assert!(report.is_valid());
        println!("{}", elapsed.as_nanos());
        return;
    }
    first_check_in_a_process();
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}

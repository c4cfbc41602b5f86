//! Manifest checker speed (issue: ≤ 200 µs for a 200-line Deployment + ConfigMap + Secret), and
//! how fast hostile input is refused. Run: `cargo bench --bench manifest`; figures are recorded in
//! docs/performance.md.

use criterion::{Criterion, criterion_group, criterion_main};
use kubedrill::manifest::{self, Version};
use std::hint::black_box;

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
    let manifest = include_str!("data/shop-200-lines.yaml");
    assert_eq!(manifest.lines().count(), 200);
    // The schemas are generated once per process; measure the steady state a learner's
    // second keystroke sees, after one warm-up check.
    assert!(manifest::check(manifest, version).is_valid());
    c.bench_function("check 200-line Deployment+ConfigMap+Secret", |b| {
        b.iter(|| manifest::check(black_box(manifest), version))
    });

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

criterion_group!(benches, checker);
criterion_main!(benches);

//! Troubleshooting scenarios (issue 19): a command's answer in ≤ 5 ms (typed at the prompt: the
//! five simulated seconds it takes, the controllers' work in them, and kubectl's output), a
//! scenario loaded (its cluster made and run for its five-minute warm-up) in ≤ 20 ms, and what a
//! grade costs (the settle of up to ten simulated minutes). Run: `cargo bench --bench cluster`;
//! figures are recorded in docs/performance.md.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kubedrill::cluster::shell::Shell;
use kubedrill::cluster::sim::Cluster;
use kubedrill::content;
use kubedrill::model::world::Scenario;
use kubedrill::model::{ItemId, ItemRef};
use std::hint::black_box;

fn scenario(deck: &kubedrill::model::Deck, id: &str) -> Scenario {
    let id = ItemId::parse(id).unwrap();
    match deck.item(&id) {
        Some(ItemRef::Scenario(scenario)) => scenario.clone(),
        _ => panic!("the built-in deck has {id}"),
    }
}

fn no_editor(_: &str) -> Option<String> {
    None
}

fn cluster(c: &mut Criterion) {
    let deck = content::built_in().deck.expect("the built-in deck loads");
    let biggest = scenario(&deck, "rollouts/stuck-rollout");
    let endpoints = scenario(&deck, "troubleshooting/service-no-endpoints");
    c.bench_function(
        "load a scenario: rollouts/stuck-rollout (3 revisions, 5 min warm-up)",
        |b| b.iter(|| Cluster::start(black_box(&biggest.world)).unwrap()),
    );
    c.bench_function(
        "load a scenario: troubleshooting/service-no-endpoints",
        |b| b.iter(|| Cluster::start(black_box(&endpoints.world)).unwrap()),
    );
    let started = Shell::new(Cluster::start(&biggest.world).unwrap());
    for command in [
        "kubectl get pods",
        "kubectl describe deployment frontend",
        "kubectl get pods -o yaml",
        "kubectl rollout history deployment frontend",
        "kubectl get pods --no-headers | grep -v Running | awk '{print $1}'",
    ] {
        c.bench_function(&format!("a command's answer: {command}"), |b| {
            b.iter_batched(
                || started.clone(),
                |mut shell| shell.run_line(black_box(command), None, &mut no_editor),
                BatchSize::SmallInput,
            )
        });
    }
    let id = ItemId::parse("rollouts/stuck-rollout").unwrap();
    let mut fixed = started.clone();
    fixed.run_line(
        "kubectl rollout undo deployment frontend",
        None,
        &mut no_editor,
    );
    let initial = Cluster::start(&biggest.world).unwrap();
    c.bench_function(
        "grade rollouts/stuck-rollout after the fix (settle + 4 checks)",
        |b| {
            b.iter_batched(
                || fixed.clone(),
                |mut shell| {
                    kubedrill::grade::scenario::grade(&id, &biggest, &initial, &mut shell, "en")
                },
                BatchSize::SmallInput,
            )
        },
    );
}

criterion_group!(benches, cluster);
criterion_main!(benches);

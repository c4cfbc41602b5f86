//! Grading speed (issue: one exercise answer of ≤ 100 lines graded in ≤ 300 µs), and how long a
//! kubectl drill takes to judge. Run: `cargo bench --bench grade`; figures are recorded in
//! docs/performance.md.

use criterion::{Criterion, criterion_group, criterion_main};
use kubedrill::content;
use kubedrill::grade::command::judge;
use kubedrill::grade::{Images, grade_exercise};
use kubedrill::manifest::Version;
use kubedrill::model::{ItemId, ItemRef};
use std::hint::black_box;

fn grader(c: &mut Criterion) {
    let deck = content::built_in().deck.expect("the built-in deck loads");
    let id = ItemId::parse("configmaps/app-config-envfrom").unwrap();
    let Some(ItemRef::Exercise(exercise)) = deck.item(&id) else {
        panic!("the built-in deck has configmaps/app-config-envfrom");
    };
    let images = Images::built_in().with(&deck.images);
    let version = Version::pinned();
    let answer = include_str!("data/envfrom-answer-100-lines.yaml");
    assert!(answer.lines().count() <= 100);
    // Warm-up: the first check in a process builds the kinds' schemas once.
    assert!(grade_exercise(&id, exercise, &images, answer, "en", version).passed);
    c.bench_function("grade a 99-line answer (8 checks)", |b| {
        b.iter(|| grade_exercise(&id, exercise, &images, black_box(answer), "en", version))
    });
    let solution = exercise.solution.as_str();
    c.bench_function("grade the 20-line reference solution", |b| {
        b.iter(|| grade_exercise(&id, exercise, &images, black_box(solution), "en", version))
    });

    let expected = [
        "kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod",
    ];
    let answer =
        "k create cm app-config --from-literal APP_MODE=prod --from-literal='APP_COLOR=blue'";
    c.bench_function("judge a kubectl drill (no kubectl)", |b| {
        b.iter(|| judge(black_box(&expected), black_box(answer), None))
    });
}

criterion_group!(benches, grader);
criterion_main!(benches);

//! kubedrill's scheduler against the reference FSRS-6 implementation: sequences generated with
//! py-fsrs (`tests/fixtures/srs/generate.py`, fuzz off) are replayed review by review, and the
//! phase, step, due time, stability and difficulty must agree after every one.

use jiff::{SignedDuration, Timestamp};
use kubedrill::srs::{Config, ItemState, Phase, Rating, Scheduler};
use serde_json::Value;

fn sequences() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/srs/py-fsrs-sequences.json"
    ))
    .unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    document["sequences"].as_array().unwrap().clone()
}

fn steps(value: &Value) -> Vec<SignedDuration> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|seconds| SignedDuration::from_secs(seconds.as_i64().unwrap()))
        .collect()
}

fn close(ours: f64, theirs: f64) -> bool {
    (ours - theirs).abs() <= 1e-3 * theirs.abs().max(1.0)
}

#[test]
fn every_py_fsrs_sequence_is_replayed_to_the_day() {
    let sequences = sequences();
    assert!(sequences.len() >= 10, "at least ten reference sequences");
    let mut disagreements = Vec::new();
    let mut reviews = 0;
    for sequence in &sequences {
        let name = sequence["name"].as_str().unwrap();
        let scheduler = Scheduler::new(Config {
            desired_retention: sequence["desired_retention"].as_f64().unwrap(),
            learning_steps: steps(&sequence["learning_steps_seconds"]),
            relearning_steps: steps(&sequence["relearning_steps_seconds"]),
            maximum_interval: sequence["maximum_interval"].as_u64().unwrap() as u32,
            fuzz: false,
            ..Config::default()
        })
        .unwrap();
        let first: Timestamp = sequence["reviews"][0]["at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let mut state = ItemState::new(first);
        for (index, expected) in sequence["reviews"].as_array().unwrap().iter().enumerate() {
            reviews += 1;
            let at: Timestamp = expected["at"].as_str().unwrap().parse().unwrap();
            let rating = Rating::from_number(expected["rating"].as_i64().unwrap()).unwrap();
            state = scheduler.review(&state, rating, at, 0.0);
            let due: Timestamp = expected["due"].as_str().unwrap().parse().unwrap();
            let memory = state.memory.unwrap();
            let phase = Phase::from_name(expected["phase"].as_str().unwrap()).unwrap();
            let step = expected["step"].as_u64().map(|step| step as usize);
            let agrees = state.phase == phase
                && state.step == step
                && state.due == due
                && close(memory.stability, expected["stability"].as_f64().unwrap())
                && close(memory.difficulty, expected["difficulty"].as_f64().unwrap());
            if !agrees {
                disagreements.push(format!(
                    "{name}, review {}: py-fsrs {} step {:?} due {due} S={} D={}; kubedrill {} step {:?} due {} S={} D={}",
                    index + 1,
                    phase.name(),
                    step,
                    expected["stability"],
                    expected["difficulty"],
                    state.phase.name(),
                    state.step,
                    state.due,
                    memory.stability,
                    memory.difficulty
                ));
                break;
            }
        }
    }
    assert!(reviews >= 80, "{reviews} reviews replayed");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

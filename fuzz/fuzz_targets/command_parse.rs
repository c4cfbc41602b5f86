//! The kubectl drill grader on arbitrary typed commands: reading one must never panic, and a
//! command judged against itself, or against a real drill's answer, gets a verdict that says why
//! whenever it is not right.
#![no_main]

use kubedrill::grade::command::{judge, parse};
use libfuzzer_sys::fuzz_target;

const ANSWERS: [&str; 4] = [
    "kubectl create configmap app-config --from-literal=APP_COLOR=blue",
    "kubectl run nginx --image=nginx:1.27 --dry-run=client -o yaml > pod.yaml",
    "kubectl rollout undo deployment/frontend --to-revision=2",
    "kubectl create secret generic db-secret --from-literal=DB_User=root -n prod",
];

fuzz_target!(|data: &[u8]| {
    let Ok(typed) = std::str::from_utf8(data) else { return };
    let _ = parse(typed);
    for answer in ANSWERS {
        let verdict = judge(&[answer], typed, None);
        assert!(verdict.correct || !verdict.differences.is_empty(), "{typed:?}");
    }
    if parse(typed).is_ok() {
        assert!(judge(&[typed], typed, None).correct, "a command equals itself: {typed:?}");
    }
});

//! The built-in deck is code: it must load clean, and every exercise must be proven by the
//! grader itself (solution passes, starter fails, each wrong answer fails where it says). The
//! test walks the deck, so new content is covered without new tests.

use kubedrill::content;
use kubedrill::grade::prove::prove;
use kubedrill::manifest::Version;

#[test]
fn every_built_in_exercise_is_proven_by_the_grader() {
    let report = content::built_in();
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    let deck = report.deck.expect("the built-in deck loads");
    let exercises: usize = deck.topics.iter().map(|topic| topic.exercises.len()).sum();
    assert!(
        exercises >= 7,
        "the built-in deck has {exercises} exercises"
    );
    let wrong: usize = deck
        .topics
        .iter()
        .flat_map(|topic| &topic.exercises)
        .map(|exercise| exercise.wrong_answers.len())
        .sum();
    assert!(
        wrong >= 3 * exercises,
        "each exercise lists at least 3 wrong answers"
    );
    let problems = prove(&deck, Version::pinned());
    let listed: Vec<String> = problems
        .iter()
        .map(|problem| {
            format!(
                "{}:{}: {} {}",
                problem.file, problem.line, problem.rule, problem.message
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", listed.join("\n"));
}

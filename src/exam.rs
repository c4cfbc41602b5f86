//! Mock exams: a timed set of tasks drawn from the decks, weighted like the CKA's (each task a
//! few percent of the total, harder ones more), graded at the end against the 66 % pass line.
//!
//! The draw is deterministic: the same library, options and seed give the same tasks in the
//! same order, so `--seed` replays an exam. Tasks are the performance-based items: troubleshooting
//! scenarios, YAML exercises and kubectl drills. They are drawn across the decks' domains by the
//! domains' weights (the CKA's: Troubleshooting 30 %, Cluster Architecture 25 %, …), scaled over
//! the domains that have tasks; a domain's tasks are about two thirds hands-on and together weigh
//! its share of the score.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::grade::report::CheckResult;
use crate::grade::{Images, grade_exercise};
use crate::manifest::{Diagnostic, Version};
use crate::model::{ItemId, ItemKind, ItemRef, Library};

/// The CKA's pass line, in percent.
pub const PASS_PERCENT: f64 = 66.0;
/// The CKA lasts two hours.
pub const DEFAULT_MINUTES: u32 = 120;
/// The CKA has 15 to 20 tasks.
pub const DEFAULT_TASKS: usize = 17;

/// What an exam is drawn from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamOptions {
    pub minutes: u32,
    pub tasks: usize,
    /// Topic ids to draw from; empty: every topic.
    pub topics: Vec<String>,
    pub seed: u64,
}

impl ExamOptions {
    pub fn with_seed(seed: u64) -> ExamOptions {
        ExamOptions {
            minutes: DEFAULT_MINUTES,
            tasks: DEFAULT_TASKS,
            topics: Vec::new(),
            seed,
        }
    }
}

/// One task of an exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamTask {
    pub deck: String,
    pub topic: String,
    /// The id of the deck's domain the topic belongs to.
    pub domain: Option<String>,
    /// The item's id within its topic.
    pub item: String,
    #[serde(serialize_with = "kind_name")]
    pub kind: ItemKind,
    /// Its share of the exam, in percent (all tasks add up to 100).
    pub weight: u32,
}

fn kind_name<S: serde::Serializer>(kind: &ItemKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(kind.name())
}

impl ExamTask {
    /// `TOPIC/ITEM`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.topic, self.item)
    }

    /// Which variant of a parameterized task an exam drawn with `seed` sets (`item` is the
    /// task's item): from the exam's seed, so a replayed exam (`--seed`) asks the same.
    pub fn variant(&self, seed: u64, item: ItemRef<'_>) -> usize {
        crate::model::variant_index(&self.deck, &self.key(), seed, 0, item.variant_count())
    }
}

/// A drawn exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamPlan {
    pub seed: u64,
    pub minutes: u32,
    pub topics: Vec<String>,
    /// The domains asked about, in the decks' order: how many tasks each gave and what they
    /// weigh together.
    pub domains: Vec<ExamDomain>,
    pub tasks: Vec<ExamTask>,
}

/// A domain's part of an exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExamDomain {
    pub deck: String,
    /// `None`: the deck's topics that name no domain.
    pub domain: Option<String>,
    pub tasks: usize,
    /// Its tasks' weights together, in percent.
    pub weight: u32,
}

/// Why no exam could be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExamError {
    UnknownTopic(String, Vec<String>),
    TooFew { wanted: usize, available: usize },
    BadOptions(String),
}

impl std::fmt::Display for ExamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExamError::UnknownTopic(topic, known) => write!(
                f,
                "no topic `{topic}` in the loaded decks (topics: {})",
                known.join(", ")
            ),
            ExamError::TooFew { wanted, available } => write!(
                f,
                "{wanted} tasks asked for, but the chosen topics have {available} exercises and drills; ask for fewer with --tasks"
            ),
            ExamError::BadOptions(why) => f.write_str(why),
        }
    }
}

/// A new exam's seed, from the clock: short enough to type (below a million).
pub fn new_seed(now: jiff::Timestamp) -> u64 {
    Draw::new(now.as_nanosecond() as u64).next_u64() % 1_000_000
}

/// SplitMix64: small, fast and the same everywhere, so a seed means one exam forever.
#[derive(Debug, Clone)]
pub struct Draw(u64);

impl Draw {
    pub fn new(seed: u64) -> Draw {
        Draw(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (bound > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = self.below(index + 1);
            items.swap(index, other);
        }
    }
}

/// A task's weight before the exam's weights are scaled to 100: an exercise by its difficulty
/// (1 → 4, 2 → 7, 3 → 10, as CKA tasks run from about 4 % to 13 %), a drill 3.
fn raw_weight(kind: ItemKind, difficulty: u8) -> u32 {
    match (kind, difficulty) {
        (ItemKind::Scenario, 3..) => 12,
        (ItemKind::Scenario, 2) => 9,
        (ItemKind::Scenario, _) => 6,
        (ItemKind::Exercise, 3..) => 10,
        (ItemKind::Exercise, 2) => 7,
        (ItemKind::Exercise, _) => 4,
        _ => 3,
    }
}

/// Scales weights to add up to exactly `whole` (largest remainder).
fn shares_of(raw: &[u32], whole: u32) -> Vec<u32> {
    let total: u32 = raw.iter().sum();
    if total == 0 {
        return vec![0; raw.len()];
    }
    let exact: Vec<f64> = raw
        .iter()
        .map(|weight| f64::from(*weight) * f64::from(whole) / f64::from(total))
        .collect();
    let mut shares: Vec<u32> = exact.iter().map(|share| share.floor() as u32).collect();
    let mut left = whole - shares.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|a, b| {
        let remainder = |index: usize| exact[index] - exact[index].floor();
        remainder(*b)
            .partial_cmp(&remainder(*a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    for index in order.iter().cycle() {
        if left == 0 {
            break;
        }
        shares[*index] += 1;
        left -= 1;
    }
    shares
}

/// A topic's hands-on tasks (exercises and scenarios) and drills, with their difficulty.
type Pools = (Vec<(ExamTask, u8)>, Vec<(ExamTask, u8)>);

/// The tasks one domain can give.
struct Group {
    deck: String,
    domain: Option<String>,
    weight: Option<u32>,
    topics: Vec<Pools>,
}

impl Group {
    fn size(&self) -> usize {
        self.topics.iter().map(|(h, d)| h.len() + d.len()).sum()
    }

    /// `count` tasks: about two thirds hands-on, as the CKA is mostly tasks done on a cluster
    /// (more when there are too few drills), round the topics so that every topic is asked
    /// about before any twice.
    fn pick(mut self, count: usize) -> Vec<(ExamTask, u8)> {
        let hands_on: usize = self.topics.iter().map(|(h, _)| h.len()).sum();
        let drills = self.size() - hands_on;
        let mut hands_on_wanted = (count * 2).div_ceil(3).min(hands_on);
        let drills_wanted = (count - hands_on_wanted).min(drills);
        hands_on_wanted = count - drills_wanted;
        let mut left = [hands_on_wanted, drills_wanted];
        let mut chosen = Vec::new();
        // One task per topic per round, hands-on while any is wanted, so that no topic is asked
        // twice while another has not been.
        while left[0] + left[1] > 0 {
            let before = chosen.len();
            for (hands_on, drills) in &mut self.topics {
                if left[0] + left[1] == 0 {
                    break;
                }
                let order = if left[0] > 0 { [0, 1] } else { [1, 0] };
                for kind in order {
                    let pool = if kind == 0 {
                        &mut *hands_on
                    } else {
                        &mut *drills
                    };
                    if left[kind] > 0
                        && let Some(task) = pool.pop()
                    {
                        chosen.push(task);
                        left[kind] -= 1;
                        break;
                    }
                }
            }
            if chosen.len() == before {
                break;
            }
        }
        chosen
    }
}

/// Splits `tasks` over groups by `weights` (largest remainder), none given more than it has:
/// what a full group cannot take goes to the others by their weights.
fn allocate(tasks: usize, weights: &[u32], sizes: &[usize]) -> Vec<usize> {
    let mut counts = vec![0; weights.len()];
    let mut left = tasks;
    while left > 0 {
        let open: Vec<u32> = weights
            .iter()
            .zip(sizes.iter().zip(&counts))
            .map(|(weight, (size, count))| if count < size { *weight } else { 0 })
            .collect();
        if open.iter().all(|weight| *weight == 0) {
            break;
        }
        let shares = shares_of(&open, left as u32);
        let mut progress = false;
        for (index, share) in shares.into_iter().enumerate() {
            let take = (share as usize).min(sizes[index] - counts[index]);
            counts[index] += take;
            left -= take;
            progress |= take > 0;
        }
        if !progress {
            break;
        }
    }
    counts
}

/// Draws an exam from `library`.
pub fn plan(library: &Library, options: &ExamOptions) -> Result<ExamPlan, ExamError> {
    if options.tasks == 0 || options.tasks > 100 {
        return Err(ExamError::BadOptions(
            "an exam has 1 to 100 tasks".to_string(),
        ));
    }
    if !(1..=600).contains(&options.minutes) {
        return Err(ExamError::BadOptions(
            "an exam lasts 1 to 600 minutes".to_string(),
        ));
    }
    let known: Vec<String> = library
        .decks
        .iter()
        .flat_map(|deck| deck.topics.iter().map(|topic| topic.id.to_string()))
        .collect();
    for topic in &options.topics {
        if !known.contains(topic) {
            return Err(ExamError::UnknownTopic(topic.clone(), known));
        }
    }
    let mut draw = Draw::new(options.seed);
    // Per domain (a deck's `[[domain]]`, or its topics that name none), per topic: the hands-on
    // tasks (exercises and scenarios) and the drills, each shuffled.
    let mut groups: Vec<Group> = Vec::new();
    for deck in &library.decks {
        for group in deck.groups() {
            let domain = group.domain.map(|index| &deck.domains[index]);
            let mut topics: Vec<Pools> = Vec::new();
            for topic in group.topics.iter().map(|index| &deck.topics[*index]) {
                if !options.topics.is_empty() && !options.topics.contains(&topic.id.to_string()) {
                    continue;
                }
                let task = |item: &str, kind| ExamTask {
                    deck: deck.id.to_string(),
                    topic: topic.id.to_string(),
                    domain: domain.map(|domain| domain.id.to_string()),
                    item: item.to_string(),
                    kind,
                    weight: 0,
                };
                let mut hands_on: Vec<(ExamTask, u8)> = topic
                    .exercises
                    .iter()
                    .map(|exercise| {
                        (
                            task(exercise.id.as_str(), ItemKind::Exercise),
                            exercise.difficulty,
                        )
                    })
                    .chain(topic.scenarios.iter().map(|scenario| {
                        (
                            task(scenario.id.as_str(), ItemKind::Scenario),
                            scenario.difficulty,
                        )
                    }))
                    .collect();
                let mut drills: Vec<(ExamTask, u8)> = topic
                    .drills
                    .iter()
                    .map(|drill| (task(drill.id.as_str(), ItemKind::Drill), 1))
                    .collect();
                draw.shuffle(&mut hands_on);
                draw.shuffle(&mut drills);
                if !hands_on.is_empty() || !drills.is_empty() {
                    topics.push((hands_on, drills));
                }
            }
            if !topics.is_empty() {
                draw.shuffle(&mut topics);
                groups.push(Group {
                    deck: deck.id.to_string(),
                    domain: domain.map(|domain| domain.id.to_string()),
                    weight: domain.and_then(|domain| domain.weight),
                    topics,
                });
            }
        }
    }
    let available: usize = groups.iter().map(Group::size).sum();
    if options.tasks > available {
        return Err(ExamError::TooFew {
            wanted: options.tasks,
            available,
        });
    }
    // A domain without a weight counts as the mean of those that have one.
    let given: Vec<u32> = groups.iter().filter_map(|group| group.weight).collect();
    let fallback = if given.is_empty() {
        1
    } else {
        (given.iter().sum::<u32>() / given.len() as u32).max(1)
    };
    let weights: Vec<u32> = groups
        .iter()
        .map(|group| group.weight.unwrap_or(fallback))
        .collect();
    let counts = allocate(
        options.tasks,
        &weights,
        &groups.iter().map(Group::size).collect::<Vec<_>>(),
    );
    // Each domain's share of the score is its weight among the domains asked about; its tasks
    // share that by difficulty.
    let asked: Vec<u32> = weights
        .iter()
        .zip(&counts)
        .map(|(weight, count)| if *count > 0 { *weight } else { 0 })
        .collect();
    let percents = shares_of(&asked, 100);
    let mut chosen: Vec<ExamTask> = Vec::new();
    let mut domains: Vec<ExamDomain> = Vec::new();
    for ((group, count), percent) in groups.into_iter().zip(counts).zip(percents) {
        if count == 0 {
            continue;
        }
        domains.push(ExamDomain {
            deck: group.deck.clone(),
            domain: group.domain.clone(),
            tasks: count,
            weight: percent,
        });
        let picked = group.pick(count);
        let raw: Vec<u32> = picked
            .iter()
            .map(|(task, difficulty)| raw_weight(task.kind, *difficulty))
            .collect();
        for ((task, _), weight) in picked.into_iter().zip(shares_of(&raw, percent)) {
            chosen.push(ExamTask { weight, ..task });
        }
    }
    draw.shuffle(&mut chosen);
    let tasks = chosen;
    Ok(ExamPlan {
        seed: options.seed,
        minutes: options.minutes,
        topics: options.topics.clone(),
        domains,
        tasks,
    })
}

/// One task, graded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskResult {
    pub task: ExamTask,
    pub answer: Option<String>,
    /// 0 to 1: the share of the task's points earned.
    pub fraction: f64,
    pub flagged: bool,
    pub checks: Vec<CheckResult>,
    pub diagnostics: Vec<Diagnostic>,
}

impl TaskResult {
    /// The task's contribution to the exam score, in percent points.
    pub fn earned(&self) -> f64 {
        self.fraction * f64::from(self.task.weight)
    }
}

/// A topic's part of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicScore {
    pub topic: String,
    pub earned: f64,
    pub possible: u32,
}

/// A graded exam.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExamResult {
    /// 0 to 100.
    pub score: f64,
    pub passed: bool,
    pub topics: Vec<TopicScore>,
    pub tasks: Vec<TaskResult>,
}

/// Grades every task's answer (`None`: not answered), in `language` for the checks' messages.
pub fn grade(
    library: &Library,
    plan: &ExamPlan,
    answers: &[(Option<String>, bool)],
    language: &str,
) -> ExamResult {
    let mut tasks = Vec::new();
    for (index, task) in plan.tasks.iter().enumerate() {
        let (answer, flagged) = answers.get(index).cloned().unwrap_or((None, false));
        let answer = answer.filter(|text| !text.trim().is_empty());
        let deck = library
            .decks
            .iter()
            .find(|deck| deck.id.as_str() == task.deck);
        let id = ItemId::parse(&task.key()).ok();
        let item = deck
            .zip(id.as_ref())
            .and_then(|(deck, id)| deck.item(id))
            .map(|item| item.variant(task.variant(plan.seed, item)));
        let (fraction, checks, diagnostics) = match (item, &answer) {
            (Some(ItemRef::Exercise(exercise)), Some(text)) => {
                let deck = deck.expect("the item came from this deck");
                let images = Images::built_in().with(&deck.images);
                let report = grade_exercise(
                    id.as_ref().expect("parsed above"),
                    exercise,
                    &images,
                    text,
                    language,
                    Version::pinned(),
                );
                (report.score, report.checks, report.diagnostics)
            }
            // A scenario's answer is the commands typed, replayed on its cluster from the start.
            (Some(ItemRef::Scenario(scenario)), Some(text)) => {
                match crate::grade::scenario::run_script(
                    id.as_ref().expect("parsed above"),
                    scenario,
                    text,
                    language,
                ) {
                    Ok((_, report)) => (report.score, report.checks, report.diagnostics),
                    Err(_) => (0.0, Vec::new(), Vec::new()),
                }
            }
            (Some(ItemRef::Drill(drill)), Some(text)) => {
                let report = crate::grade::command::grade_drill(
                    id.as_ref().expect("parsed above"),
                    drill,
                    text,
                    language,
                );
                (report.score, report.checks, report.diagnostics)
            }
            _ => (0.0, Vec::new(), Vec::new()),
        };
        tasks.push(TaskResult {
            task: task.clone(),
            answer,
            fraction,
            flagged,
            checks,
            diagnostics,
        });
    }
    let score: f64 = tasks.iter().map(TaskResult::earned).sum();
    let mut by_topic: BTreeMap<&str, (f64, u32, usize)> = BTreeMap::new();
    for (order, result) in tasks.iter().enumerate() {
        let entry = by_topic
            .entry(result.task.topic.as_str())
            .or_insert((0.0, 0, order));
        entry.0 += result.earned();
        entry.1 += result.task.weight;
    }
    let mut topics: Vec<(usize, TopicScore)> = by_topic
        .into_iter()
        .map(|(topic, (earned, possible, order))| {
            (
                order,
                TopicScore {
                    topic: topic.to_string(),
                    earned,
                    possible,
                },
            )
        })
        .collect();
    topics.sort_by_key(|(order, _)| *order);
    ExamResult {
        score,
        passed: score + 1e-9 >= PASS_PERCENT,
        topics: topics.into_iter().map(|(_, topic)| topic).collect(),
        tasks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Library {
        Library {
            decks: vec![crate::content::built_in().deck.unwrap()],
        }
    }

    #[test]
    fn weights_add_up_to_one_hundred() {
        for raw in [vec![4, 7, 10, 3, 3], vec![3; 17], vec![10], vec![4, 4, 4]] {
            let shares = shares_of(&raw, 100);
            assert_eq!(shares.iter().sum::<u32>(), 100, "{raw:?} → {shares:?}");
            assert!(shares.iter().all(|share| *share >= 1));
        }
        assert_eq!(shares_of(&[10, 4], 100), [71, 29]);
        assert_eq!(
            shares_of(&[15, 0, 30], 100),
            [33, 0, 67],
            "a weight of 0 gets nothing"
        );
    }

    #[test]
    fn a_seed_draws_the_same_exam_and_another_seed_another() {
        let library = library();
        let first = plan(&library, &ExamOptions::with_seed(7)).unwrap();
        assert_eq!(first, plan(&library, &ExamOptions::with_seed(7)).unwrap());
        assert_ne!(
            first.tasks,
            plan(&library, &ExamOptions::with_seed(8)).unwrap().tasks
        );
        assert_eq!(first.tasks.len(), DEFAULT_TASKS);
        assert_eq!(first.tasks.iter().map(|task| task.weight).sum::<u32>(), 100);
        // Every domain of the built-in deck has topics now: 17 tasks split 25:15:20:10:30 are 4, 3,
        // 3, 2 and 5, and the domains weigh what the CKA weighs them.
        let deck = &library.decks[0];
        let summary: Vec<(Option<&str>, usize, u32)> = first
            .domains
            .iter()
            .map(|domain| (domain.domain.as_deref(), domain.tasks, domain.weight))
            .collect();
        assert_eq!(
            summary,
            [
                (Some("cluster-architecture"), 4, 25),
                (Some("workloads-scheduling"), 3, 15),
                (Some("services-networking"), 3, 20),
                (Some("storage"), 2, 10),
                (Some("troubleshooting"), 5, 30)
            ]
        );
        for domain in &first.domains {
            let tasks: Vec<&ExamTask> = first
                .tasks
                .iter()
                .filter(|task| task.domain == domain.domain)
                .collect();
            assert_eq!(tasks.len(), domain.tasks);
            assert_eq!(
                tasks.iter().map(|task| task.weight).sum::<u32>(),
                domain.weight
            );
            for task in &tasks {
                let topic = deck.topic(&task.topic).unwrap();
                let named = topic.domain.map(|index| deck.domains[index].id.as_str());
                assert_eq!(named, domain.domain.as_deref(), "{}", task.key());
            }
            // About two thirds are hands-on (exercises and scenarios), and the topics take
            // turns: no topic twice while another of the domain has not been asked about.
            let hands_on = tasks
                .iter()
                .filter(|task| task.kind != ItemKind::Drill)
                .count();
            let in_domain: Vec<&crate::model::Topic> = deck
                .topics
                .iter()
                .filter(|topic| {
                    topic.domain.map(|index| deck.domains[index].id.as_str())
                        == domain.domain.as_deref()
                })
                .collect();
            let hands_on_offered: usize = in_domain
                .iter()
                .map(|topic| topic.exercises.len() + topic.scenarios.len())
                .sum();
            assert_eq!(
                hands_on,
                (domain.tasks * 2).div_ceil(3).min(hands_on_offered),
                "{domain:?}"
            );
            let topics: std::collections::BTreeSet<&str> =
                tasks.iter().map(|task| task.topic.as_str()).collect();
            assert_eq!(
                topics.len(),
                domain.tasks.min(in_domain.len()),
                "{domain:?}"
            );
        }
        // No task twice.
        let keys: std::collections::BTreeSet<String> =
            first.tasks.iter().map(ExamTask::key).collect();
        assert_eq!(keys.len(), first.tasks.len());
    }

    #[test]
    fn topics_and_sizes_are_checked() {
        let library = library();
        let secrets = ExamOptions {
            topics: vec!["secrets".to_string()],
            tasks: 5,
            ..ExamOptions::with_seed(1)
        };
        let drawn = plan(&library, &secrets).unwrap();
        assert!(drawn.tasks.iter().all(|task| task.topic == "secrets"));
        let unknown = ExamOptions {
            topics: vec!["secretz".to_string()],
            ..ExamOptions::with_seed(1)
        };
        assert!(matches!(
            plan(&library, &unknown),
            Err(ExamError::UnknownTopic(..))
        ));
        let too_many = ExamOptions {
            tasks: 99,
            ..secrets
        };
        assert!(matches!(
            plan(&library, &too_many),
            Err(ExamError::TooFew { wanted: 99, .. })
        ));
    }

    #[test]
    fn grading_weighs_each_task_and_applies_the_pass_line() {
        let library = library();
        let drawn = plan(&library, &ExamOptions::with_seed(3)).unwrap();
        let deck = &library.decks[0];
        let solutions: Vec<(Option<String>, bool)> = drawn
            .tasks
            .iter()
            .map(|task| {
                let id = ItemId::parse(&task.key()).unwrap();
                let item = deck.item(&id).unwrap();
                let answer = match Some(item.variant(task.variant(drawn.seed, item))) {
                    Some(ItemRef::Exercise(exercise)) => exercise.solution.clone(),
                    Some(ItemRef::Drill(drill)) => drill.answer.clone(),
                    Some(ItemRef::Scenario(scenario)) => scenario.solution.clone(),
                    _ => panic!("{id}"),
                };
                (Some(answer), false)
            })
            .collect();
        let full = grade(&library, &drawn, &solutions, "en");
        assert!((full.score - 100.0).abs() < 1e-9, "{}", full.score);
        assert!(full.passed);
        let nothing = grade(&library, &drawn, &[], "en");
        assert_eq!(nothing.score, 0.0);
        assert!(!nothing.passed);
        // Answer the heaviest tasks until just past the line.
        let mut order: Vec<usize> = (0..drawn.tasks.len()).collect();
        order.sort_by_key(|index| std::cmp::Reverse(drawn.tasks[*index].weight));
        let mut partial = vec![(None, false); drawn.tasks.len()];
        let mut total = 0;
        for index in order {
            if f64::from(total) >= PASS_PERCENT {
                break;
            }
            partial[index] = solutions[index].clone();
            total += drawn.tasks[index].weight;
        }
        let result = grade(&library, &drawn, &partial, "en");
        assert!((result.score - f64::from(total)).abs() < 1e-9);
        assert!(result.passed);
        let topics: f64 = result.topics.iter().map(|topic| topic.earned).sum();
        assert!(
            (topics - result.score).abs() < 1e-9,
            "topics add up to the score"
        );
    }
}

//! `kubedrill plan`: the exam-date plan, day by day — new items, reviews and minutes from today
//! to the day before the exam, and whether the new-items limit sees everything in time
//! (docs/scheduling.md, "The exam-date plan").

use std::io::Write;

use clap::Args;
use jiff::civil::Date;
use serde::Serialize;

use super::{CliError, Context, Format, Lang, Outcome};
use crate::study;
use crate::study::plan::{ExamPlan, PlanProblem};

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Plan toward this date (YYYY-MM-DD) instead of the exam-date setting; nothing is saved
    #[arg(long = "exam-date", value_name = "DATE")]
    pub exam_date: Option<String>,
}

/// `plan --format json`.
#[derive(Debug, Serialize)]
struct PlanJson<'a> {
    exam_date: Date,
    /// The recall aimed at on the exam day.
    target_retention: f64,
    /// The limit now.
    new_per_day: usize,
    /// `null` when the exam is too close to see every new item a week before it.
    needed_new_per_day: Option<usize>,
    on_track: bool,
    /// Items never studied.
    unseen: usize,
    /// The last day new items may be first seen (8 days before the exam).
    new_items_end: Date,
    /// The limit `days`, `all_seen_by` and `predicted_recall` are at: the needed one when
    /// behind, else the present one.
    forecast_new_per_day: usize,
    all_seen_by: Option<Date>,
    predicted_recall: f64,
    reaches_target: bool,
    /// Per kind: `own` (the mean of your reviews) or `default`.
    minutes_source: std::collections::BTreeMap<&'a str, &'static str>,
    seconds_per_review: std::collections::BTreeMap<&'a str, f64>,
    days: Vec<DayJson>,
}

#[derive(Debug, Serialize)]
struct DayJson {
    date: Date,
    new: usize,
    reviews: usize,
    minutes: f64,
}

pub fn run(args: &PlanArgs, context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let given = exam_date_option(args.exam_date.as_deref(), lang)?;
    let loaded = context.load_library();
    let store = context.store()?;
    let mut settings = store.settings()?;
    if given.is_some() {
        settings.exam_date = given;
    }
    let planned = study::plan::exam_plan(
        &loaded.library,
        &store,
        &settings,
        context.now,
        &context.zone,
    );
    store.say_notices();
    let exam_plan = planned.map_err(|problem| problem_error(problem, given.is_some(), lang))?;
    if args.format == Format::Json {
        super::print_json(out, &json(&exam_plan))?;
        return Ok(Outcome::Success);
    }
    text(&exam_plan, lang, out)?;
    Ok(Outcome::Success)
}

/// The value of an `--exam-date` option (`plan`, `report class`), or what is wrong with it.
pub(super) fn exam_date_option(text: Option<&str>, lang: Lang) -> Result<Option<Date>, CliError> {
    let Some(text) = text else {
        return Ok(None);
    };
    text.trim().parse::<Date>().map(Some).map_err(|_| {
        CliError::Message(match lang {
            Lang::En => {
                format!("--exam-date takes a date as YYYY-MM-DD (such as 2027-03-15), not `{text}`")
            }
            Lang::Ko => {
                format!("--exam-date에는 YYYY-MM-DD 형식의 날짜(예: 2027-03-15)를 주세요: `{text}`")
            }
        })
    })
}

/// Why there is no plan, said so the learner knows what to do (exit 2).
fn problem_error(problem: PlanProblem, given: bool, lang: Lang) -> CliError {
    let fix_en = if given {
        "give the day of your exam with --exam-date YYYY-MM-DD"
    } else {
        "set the day of your exam with `kubedrill config set exam-date YYYY-MM-DD`, or `kubedrill config unset exam-date` to study without one"
    };
    let fix_ko = if given {
        "--exam-date YYYY-MM-DD로 시험일을 주세요"
    } else {
        "`kubedrill config set exam-date YYYY-MM-DD`로 시험일을 정하거나, 시험일 없이 공부하려면 `kubedrill config unset exam-date`를 실행하세요"
    };
    match problem {
        PlanProblem::NoExamDate => CliError::Message(
            lang.pick(
                "no exam date is set: `kubedrill config set exam-date YYYY-MM-DD` sets it (or give --exam-date DATE to try one)",
                "시험일이 정해져 있지 않습니다. `kubedrill config set exam-date YYYY-MM-DD`로 정하세요(--exam-date DATE로 미리 볼 수도 있습니다)",
            )
            .to_string(),
        ),
        PlanProblem::ExamPast { exam, today } if exam == today => CliError::Message(match lang {
            Lang::En => format!("the exam is today ({exam}): there is nothing left to plan. Good luck!"),
            Lang::Ko => format!("시험이 오늘({exam})입니다. 더 계획할 것이 없습니다. 행운을 빕니다!"),
        }),
        PlanProblem::ExamPast { exam, today } => CliError::Message(match lang {
            Lang::En => format!("the exam date {exam} is in the past (today is {today}): {fix_en}"),
            Lang::Ko => format!("시험일 {exam}은(는) 이미 지났습니다(오늘은 {today}). {fix_ko}"),
        }),
        PlanProblem::Store(error) => CliError::Store(error),
        PlanProblem::Settings(error) => CliError::said(error),
    }
}

fn json(exam_plan: &ExamPlan) -> PlanJson<'_> {
    let plan = &exam_plan.plan;
    let shown = plan.shown();
    PlanJson {
        exam_date: plan.exam,
        target_retention: plan.target_retention,
        new_per_day: plan.new_per_day,
        needed_new_per_day: plan.needed_new_per_day,
        on_track: plan.on_track,
        unseen: plan.unseen,
        new_items_end: plan.new_items_end,
        forecast_new_per_day: shown.new_per_day,
        all_seen_by: shown.all_seen_by,
        predicted_recall: round(shown.predicted_recall, 4),
        reaches_target: plan.reaches_target,
        minutes_source: exam_plan
            .times
            .iter()
            .map(|time| (time.kind, if time.own { "own" } else { "default" }))
            .collect(),
        seconds_per_review: exam_plan
            .times
            .iter()
            .map(|time| (time.kind, round(time.seconds, 1)))
            .collect(),
        days: shown
            .days
            .iter()
            .map(|day| DayJson {
                date: day.date,
                new: day.new,
                reviews: day.reviews,
                minutes: round(day.minutes, 1),
            })
            .collect(),
    }
}

fn round(value: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (value * scale).round() / scale
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

fn text(exam_plan: &ExamPlan, lang: Lang, out: &mut impl Write) -> Result<(), CliError> {
    let plan = &exam_plan.plan;
    let shown = plan.shown();
    let days = shown.days.len();
    let exam = plan.exam;
    let target = percent(plan.target_retention);
    let end = plan.new_items_end;
    match lang {
        Lang::En => {
            writeln!(
                out,
                "Exam on {exam}, in {}. Aim: {target} recall on the day.",
                crate::text::plural(days, "day")
            )?;
            writeln!(
                out,
                "{} not yet seen; every item is to be seen by {end}, so the last week is for reviews.",
                crate::text::plural(plan.unseen, "item")
            )?;
        }
        Lang::Ko => {
            writeln!(
                out,
                "시험일 {exam}, {days}일 남았습니다. 목표: 시험일 기억률 {target}."
            )?;
            writeln!(
                out,
                "아직 안 본 항목 {}개. 마지막 한 주는 복습만 하도록 {end}까지 모든 항목을 봅니다.",
                plan.unseen
            )?;
        }
    }
    let seen_by = |date: Option<Date>| date.map_or_else(|| "-".to_string(), |d| d.to_string());
    let recall = percent(shown.predicted_recall);
    match (lang, plan.on_track, plan.needed_new_per_day) {
        (Lang::En, true, needed) => writeln!(
            out,
            "On track: {} new a day{} sees every item by {}; predicted recall on the exam day {recall}.",
            plan.new_per_day,
            needed.map_or(String::new(), |n| format!(" ({n} needed)")),
            seen_by(shown.all_seen_by)
        )?,
        (Lang::Ko, true, needed) => writeln!(
            out,
            "계획대로 진행 중: 하루 새 항목 {}개{}로 {}까지 모든 항목을 봅니다. 시험일 예상 기억률 {recall}.",
            plan.new_per_day,
            needed.map_or(String::new(), |n| format!("(필요 {n}개)")),
            seen_by(shown.all_seen_by)
        )?,
        (Lang::En, false, Some(needed)) => {
            writeln!(
                out,
                "Behind: {needed} new a day needed (now {}). At {needed} a day every item is seen by {}; predicted recall on the exam day {recall}.",
                plan.new_per_day,
                seen_by(shown.all_seen_by)
            )?;
            writeln!(out, "  Raise it: kubedrill config set new-per-day {needed}")?;
        }
        (Lang::Ko, false, Some(needed)) => {
            writeln!(
                out,
                "뒤처짐: 하루 새 항목 {needed}개 필요(현재 {}개). 하루 {needed}개면 {}까지 모든 항목을 보고, 시험일 예상 기억률은 {recall}입니다.",
                plan.new_per_day,
                seen_by(shown.all_seen_by)
            )?;
            writeln!(
                out,
                "  한도 올리기: kubedrill config set new-per-day {needed}"
            )?;
        }
        (Lang::En, false, None) => writeln!(
            out,
            "Behind: the exam is too close to see the {} items not yet seen a week before it; the days below are at {} new a day.",
            plan.unseen, plan.new_per_day
        )?,
        (Lang::Ko, false, None) => writeln!(
            out,
            "뒤처짐: 시험이 너무 가까워 아직 안 본 항목 {}개를 시험 한 주 전까지 다 볼 수 없습니다. 아래는 하루 새 항목 {}개 기준입니다.",
            plan.unseen, plan.new_per_day
        )?,
    }
    if !plan.reaches_target {
        writeln!(
            out,
            "{}",
            lang.pick(
                "The exam is too close for any limit to reach the aim: every review counts now.",
                "시험이 가까워 어떤 한도로도 목표에 이르기 어렵습니다. 지금은 복습 하나하나가 중요합니다.",
            )
        )?;
    }
    let sources: Vec<String> = exam_plan
        .times
        .iter()
        .map(|time| {
            let seconds = match (lang, time.seconds < 120.0) {
                (Lang::En, true) => format!("{:.0} s", time.seconds),
                (Lang::En, false) => format!("{:.0} min", time.seconds / 60.0),
                (Lang::Ko, true) => format!("{:.0}초", time.seconds),
                (Lang::Ko, false) => format!("{:.0}분", time.seconds / 60.0),
            };
            match (lang, time.own) {
                (Lang::En, true) => format!("{} {seconds} (yours)", time.kind),
                (Lang::En, false) => format!("{} {seconds} (default)", time.kind),
                (Lang::Ko, true) => format!("{} {seconds}(내 기록)", kind_ko(time.kind)),
                (Lang::Ko, false) => format!("{} {seconds}(기본값)", kind_ko(time.kind)),
            }
        })
        .collect();
    match lang {
        Lang::En => writeln!(
            out,
            "Minutes per rating: {}; your own mean replaces a default after {} reviews of that kind.",
            sources.join(", "),
            study::plan::OWN_TIME_AFTER
        )?,
        Lang::Ko => writeln!(
            out,
            "평가 한 번의 시간: {}. 종류별로 복습이 {}회 쌓이면 기본값 대신 내 평균을 씁니다.",
            sources.join(", "),
            study::plan::OWN_TIME_AFTER
        )?,
    }
    writeln!(out)?;
    let (date, new, reviews, minutes) = match lang {
        Lang::En => ("date", "new", "reviews", "minutes"),
        Lang::Ko => ("날짜", "새 항목", "복습", "분"),
    };
    writeln!(
        out,
        "{}  {}  {}  {}",
        crate::text::pad(date, 10),
        right(new, 7),
        right(reviews, 7),
        right(minutes, 7)
    )?;
    for day in &shown.days {
        writeln!(
            out,
            "{}  {:>7}  {:>7}  {:>7.0}",
            day.date, day.new, day.reviews, day.minutes
        )?;
    }
    Ok(())
}

/// `text` right-aligned in `width` columns (Hangul takes two).
fn right(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

fn kind_ko(kind: &str) -> &str {
    match kind {
        "card" => "카드",
        "question" => "문제",
        "drill" => "드릴",
        "exercise" => "실습",
        other => other,
    }
}

//! A CronJob's own fields (batch validation validateCronJobSpec, validateScheduleFormat,
//! validateTimeZone, validateConcurrencyPolicy, ValidateJobTemplateSpec, ValidateCronJobCreate):
//! the schedule as the server's cron parser reads it (github.com/robfig/cron/v3 ParseStandard,
//! reimplemented in [`schedule_problem`]), no `TZ=` inside it, the time zone, the concurrency
//! policy, counts that cannot be negative, and the selector the Job controller generates (the
//! name's 52-character limit is [`metadata`](super::metadata)'s).
//!
//! The time zone: the server loads the name from its time zone database (Go's
//! `time.LoadLocation`). kubedrill ships the list of names of tzdata 2025b
//! (`time_zones.txt`, zones and links): a name of the wrong shape, `Local`, or a known name in
//! the wrong case is an error; a well-formed name kubedrill does not know is only a warning,
//! since a newer database may have it.

use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;
use crate::text::did_you_mean;

/// Every zone and link name of tzdata 2025b, one a line.
const TIME_ZONES: &str = include_str!("time_zones.txt");

impl Rules {
    pub(super) fn cron_job(&mut self, root: &Node) {
        let spec_path = Path::root().key("spec");
        // batch validation validateConcurrencyPolicy
        if let Some(policy) = root.at_path(&["spec", "concurrencyPolicy"])
            && let Some(text) = str_of(policy)
            // "" is defaulted to Allow (v1 SetDefaults_CronJob).
            && !text.is_empty()
            && !["Allow", "Forbid", "Replace"].contains(&text)
        {
            let finding = self.error(
                Rule::InvalidValue,
                spec_path.key("concurrencyPolicy"),
                policy.at,
                format!("`{text}` is not a concurrency policy"),
            );
            finding.suggestion =
                did_you_mean(text, ["Allow", "Forbid", "Replace"]).map(str::to_string);
            finding.help = Some("use Allow, Forbid or Replace".to_string());
        }
        let Some(spec) = root.get("spec") else {
            return;
        };
        for field in [
            "startingDeadlineSeconds",
            "successfulJobsHistoryLimit",
            "failedJobsHistoryLimit",
        ] {
            self.non_negative(spec, field, &spec_path);
        }
        if let Some(schedule) = spec.get("schedule")
            && let Some(text) = str_of(schedule)
        {
            self.schedule(text, schedule, &spec_path.key("schedule"));
        }
        if let Some(zone) = spec.get("timeZone")
            && let Some(text) = str_of(zone)
        {
            self.time_zone(text, zone, &spec_path.key("timeZone"));
        }
        // ValidateJobTemplateSpec: "`selector` will be auto-generated", manualSelector nil or
        // false.
        let job_path = spec_path.key("jobTemplate").key("spec");
        if let Some(job) = spec.at_path(&["jobTemplate", "spec"]) {
            if let Some((key, _)) = job.entry("selector").filter(|(_, node)| !node.is_null()) {
                self.error(
                    Rule::ForbiddenField,
                    job_path.key("selector"),
                    key.at,
                    "a CronJob's jobTemplate may not set `selector`",
                )
                .help = Some(
                    "the Job controller generates the selector of every Job it creates: remove it"
                        .to_string(),
                );
            }
            if let Some(manual) = job.get("manualSelector")
                && manual.value == crate::manifest::yaml::Value::Bool(true)
            {
                self.error(
                    Rule::InvalidValue,
                    job_path.key("manualSelector"),
                    manual.at,
                    "a CronJob's jobTemplate may not set `manualSelector: true`",
                )
                .suggestion = Some("false".to_string());
            }
        }
    }

    fn schedule(&mut self, text: &str, node: &Node, path: &Path) {
        let shown = crate::text::escape_controls(text);
        if text.is_empty() {
            self.error(
                Rule::MissingField,
                path.clone(),
                node.at,
                "`schedule` cannot be empty",
            )
            .help = Some(
                "write five fields, such as \"*/5 * * * *\", or a macro such as @hourly"
                    .to_string(),
            );
            return;
        }
        // validateScheduleFormat: "cannot use TZ or CRON_TZ in schedule, use timeZone field
        // instead" (on create; only an old object may keep one).
        if text.contains("TZ") {
            let finding = self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                format!(
                    "the schedule `{shown}` sets a time zone; use the `timeZone` field instead"
                ),
            );
            finding.help = Some("write the zone apart, such as `timeZone: Asia/Seoul`, and the schedule without TZ=".to_string());
            let rest = text
                .split_once(' ')
                .filter(|(head, _)| head.starts_with("TZ=") || head.starts_with("CRON_TZ="))
                .map(|(_, rest)| rest.trim());
            finding.suggestion = rest
                .filter(|rest| schedule_problem(rest).is_none())
                .map(str::to_string);
            return;
        }
        if let Some(problem) = schedule_problem(text) {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                format!("`{shown}` is not a valid cron schedule: {problem}"),
            )
            .help = Some("five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or jan-dec), day of week (0-6 or sun-sat); each *, a number, a range a-b, a list a,b or a step */n; or a macro such as @hourly".to_string());
        }
    }

    fn time_zone(&mut self, text: &str, node: &Node, path: &Path) {
        let shown = crate::text::escape_controls(text);
        if text.is_empty() {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                "`timeZone` cannot be empty",
            )
            .help = Some("remove it to use the time zone of kube-controller-manager, or name one, such as Etc/UTC".to_string());
            return;
        }
        let well_formed = text.split('/').all(|part| {
            (1..=14).contains(&part.len())
                && part != "."
                && part != ".."
                && !part.starts_with('-')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+'))
        });
        let zones = TIME_ZONES.lines();
        if !well_formed {
            let finding = self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                format!("`{shown}` is not a time zone name"),
            );
            finding.help = Some(
                "name an IANA time zone, such as Asia/Seoul, Europe/Berlin or Etc/UTC".to_string(),
            );
            finding.suggestion = did_you_mean(text, zones).map(str::to_string);
            return;
        }
        if text.eq_ignore_ascii_case("Local") {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                "`timeZone` must name a zone; `Local` is not allowed",
            )
            .help = Some("remove `timeZone` to use the time zone of kube-controller-manager, or name one, such as Etc/UTC".to_string());
            return;
        }
        if TIME_ZONES.lines().any(|zone| zone == text) {
            return;
        }
        if let Some(zone) = TIME_ZONES
            .lines()
            .find(|zone| zone.eq_ignore_ascii_case(text))
        {
            self.error(
                Rule::InvalidValue,
                path.clone(),
                node.at,
                format!("`{shown}` is not a time zone: names are case-sensitive"),
            )
            .suggestion = Some(zone.to_string());
            return;
        }
        let finding = self.error(
            Rule::InvalidValue,
            path.clone(),
            node.at,
            format!("`{shown}` is not a time zone kubedrill knows"),
        );
        finding.warning = true;
        finding.suggestion = did_you_mean(text, TIME_ZONES.lines()).map(str::to_string);
        finding.help = Some("the API server refuses a name its time zone database lacks; check it against the IANA list, such as Asia/Seoul or Europe/Berlin".to_string());
    }
}

/// A cron field: its name and bounds, and the names it accepts (month and day of week).
struct Field {
    name: &'static str,
    low: i64,
    high: i64,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        low: 0,
        high: 59,
        names: &[],
    },
    Field {
        name: "hour",
        low: 0,
        high: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        low: 1,
        high: 31,
        names: &[],
    },
    Field {
        name: "month",
        low: 1,
        high: 12,
        names: &[
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ],
    },
    Field {
        name: "day of week",
        low: 0,
        high: 6,
        names: &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
    },
];

/// Why robfig/cron/v3's standard parser refuses `spec`, or `None` when it accepts it. The
/// `TZ=` prefix is left to the caller (the API server refuses it anyway).
pub(super) fn schedule_problem(spec: &str) -> Option<String> {
    if let Some(descriptor) = spec.strip_prefix('@') {
        return descriptor_problem(descriptor);
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "it has {} fields; a schedule has 5: minute, hour, day of month, month, day of week",
            fields.len()
        ));
    }
    fields
        .iter()
        .zip(FIELDS.iter())
        .find_map(|(text, field)| field_problem(text, field))
}

/// `@yearly` … `@hourly`, `@every DURATION` (parseDescriptor).
fn descriptor_problem(descriptor: &str) -> Option<String> {
    const MACROS: [&str; 7] = [
        "yearly", "annually", "monthly", "weekly", "daily", "midnight", "hourly",
    ];
    if MACROS.contains(&descriptor) {
        return None;
    }
    if let Some(duration) = descriptor.strip_prefix("every ") {
        return (!go_duration(duration)).then(|| {
            format!(
                "`@every` needs a duration such as 90s, 15m or 1h30m, not `{}`",
                crate::text::escape_controls(duration)
            )
        });
    }
    Some(format!(
        "there is no schedule macro `@{}`",
        crate::text::escape_controls(descriptor)
    ))
}

/// One field: comma-separated ranges (getField, getRange), empty pieces skipped.
fn field_problem(text: &str, field: &Field) -> Option<String> {
    text.split(',')
        .filter(|piece| !piece.is_empty())
        .find_map(|piece| range_problem(piece, field))
}

fn range_problem(expression: &str, field: &Field) -> Option<String> {
    let name = field.name;
    let shown = crate::text::escape_controls(expression);
    let steps: Vec<&str> = expression.split('/').collect();
    if steps.len() > 2 {
        return Some(format!(
            "the {name} field's `{shown}` has more than one '/'"
        ));
    }
    let bounds: Vec<&str> = steps[0].split('-').collect();
    let (start, mut end) = if bounds[0] == "*" || bounds[0] == "?" {
        (field.low, field.high)
    } else {
        let start = match number_or_name(bounds[0], field) {
            Ok(start) => start,
            Err(problem) => return Some(problem),
        };
        match bounds.len() {
            1 => (start, start),
            2 => match number_or_name(bounds[1], field) {
                Ok(end) => (start, end),
                Err(problem) => return Some(problem),
            },
            _ => {
                return Some(format!(
                    "the {name} field's `{shown}` has more than one '-'"
                ));
            }
        }
    };
    if let [_, step] = steps.as_slice() {
        let step = match number(step, field) {
            Ok(step) => step,
            Err(problem) => return Some(problem),
        };
        if step == 0 {
            return Some(format!(
                "the step of `{shown}` in the {name} field must be a positive number"
            ));
        }
        // "N/step" means "N-max/step".
        if bounds.len() == 1 {
            end = field.high;
        }
    }
    if start < field.low || end > field.high {
        return Some(format!(
            "the {name} field's `{shown}` is outside its range, {} to {}",
            field.low, field.high
        ));
    }
    if start > end {
        return Some(format!(
            "the range `{shown}` in the {name} field runs backwards"
        ));
    }
    None
}

fn number_or_name(text: &str, field: &Field) -> Result<i64, String> {
    let lower = text.to_ascii_lowercase();
    if let Some(position) = field.names.iter().position(|name| *name == lower) {
        return Ok(field.low + position as i64);
    }
    number(text, field)
}

/// strconv.Atoi, then "negative number not allowed".
fn number(text: &str, field: &Field) -> Result<i64, String> {
    let name = field.name;
    let shown = crate::text::escape_controls(text);
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(if text.is_empty() {
            format!("a value is missing in the {name} field")
        } else {
            format!("the {name} field's `{shown}` is not a number")
        });
    }
    match text.parse::<i64>() {
        Ok(value) if value < 0 => Err(format!("the {name} field's `{shown}` is negative")),
        Ok(value) => Ok(value),
        Err(_) => Err(format!("the {name} field's `{shown}` is not a number")),
    }
}

/// Go's time.ParseDuration: `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or `0`.
fn go_duration(text: &str) -> bool {
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    if rest == "0" {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let mut chars = rest.chars().peekable();
    while chars.peek().is_some() {
        let mut digits = 0;
        while chars.peek().is_some_and(char::is_ascii_digit) {
            chars.next();
            digits += 1;
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
                digits += 1;
            }
        }
        if digits == 0 {
            return false;
        }
        let mut unit = String::new();
        while chars
            .peek()
            .is_some_and(|c| !c.is_ascii_digit() && *c != '.')
        {
            unit.extend(chars.next());
        }
        if !["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(&unit.as_str()) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_parse_as_robfig_cron_does() {
        for good in [
            "*/5 * * * *",
            "0 0 * * *",
            "30 2 * * 1-5",
            "0 9 1,15 * *",
            "0 0 * JAN,jul MON-fri",
            "5/15 * * * *",
            "? * * * *",
            "0 */2 * * sun",
            "@hourly",
            "@every 1h30m",
            "@every 90s",
            "@annually",
            "0 0 1,,2 * *",
        ] {
            assert_eq!(schedule_problem(good), None, "{good}");
        }
        for bad in [
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * * 13 *",
            "* * * * 7",
            "*/0 * * * *",
            "5-1 * * * *",
            "a * * * *",
            "@every",
            "@every 1x",
            "@Hourly",
            "@reboot",
            "1-2-3 * * * *",
            "1/2/3 * * * *",
            "-1 * * * *",
            " @hourly",
        ] {
            assert!(schedule_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn every_shipped_time_zone_has_the_shape_the_server_accepts() {
        assert!(TIME_ZONES.lines().count() > 500);
        for zone in TIME_ZONES.lines() {
            assert!(
                zone.split('/').all(|part| (1..=14).contains(&part.len())
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))),
                "{zone}"
            );
        }
        for zone in [
            "Etc/UTC",
            "UTC",
            "Asia/Seoul",
            "America/New_York",
            "Europe/Kyiv",
        ] {
            assert!(TIME_ZONES.lines().any(|known| known == zone), "{zone}");
        }
    }
}

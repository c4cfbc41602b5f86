//! `kubedrill config list|get|set|unset`: the learner's settings, checked before they are saved.

use std::io::Write;

use clap::Subcommand;

use super::{CliError, Context, Lang, Outcome};
use crate::store::{Setting, StoreError};
use crate::text::{did_you_mean, escape_controls};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Every setting with its value (or default) and what it means
    List,
    /// Print one setting's value
    Get {
        #[arg(value_name = "NAME")]
        name: String,
    },
    /// Change a setting (`kubedrill config set exam-date 2027-03-15`)
    Set {
        #[arg(value_name = "NAME")]
        name: String,
        #[arg(value_name = "VALUE")]
        value: String,
    },
    /// Go back to a setting's default
    Unset {
        #[arg(value_name = "NAME")]
        name: String,
    },
}

/// The setting `name` names, or a usage error that says which ones there are.
fn setting(name: &str, lang: Lang) -> Result<Setting, CliError> {
    Setting::from_name(name).ok_or_else(|| {
        let names = Setting::ALL.map(Setting::name);
        let hint = did_you_mean(name, names).map_or_else(
            || format!(" ({}: {})", lang.pick("settings", "설정"), names.join(", ")),
            |close| {
                lang.pick("; did you mean `", "; 혹시 `").to_string()
                    + close
                    + lang.pick("`?", "`인가요?")
            },
        );
        CliError::Message(format!(
            "{} `{name}`{hint}",
            lang.pick("no setting", "그런 설정은 없습니다:"),
        ))
    })
}

pub fn run(
    command: ConfigCommand,
    context: &Context,
    out: &mut impl Write,
) -> Result<Outcome, CliError> {
    let lang = context.lang;
    // An unknown name is said before the database is opened (and created).
    match command {
        ConfigCommand::List => {
            let store = context.store()?;
            for setting in Setting::ALL {
                let value = store.setting(setting)?;
                let shown = value.unwrap_or_else(|| lang.pick("(default)", "(기본값)").to_string());
                writeln!(
                    out,
                    "{:<18} {:<12} {}",
                    setting.name(),
                    escape_controls(&shown),
                    setting.help()
                )?;
            }
        }
        ConfigCommand::Get { name } => {
            let setting = setting(&name, lang)?;
            match context.store()?.setting(setting)? {
                Some(value) => writeln!(out, "{}", escape_controls(&value))?,
                None => writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "(not set: the default applies)",
                        "(설정 안 됨: 기본값 적용)"
                    )
                )?,
            }
        }
        ConfigCommand::Set { name, value } => {
            let setting = setting(&name, lang)?;
            let mut store = context.store()?;
            let today = context.now.to_zoned(context.zone.clone()).date();
            let saved =
                store
                    .set_setting_on(setting, &value, today)
                    .map_err(|error| match error {
                        // A value that cannot be used is a usage error, said in the learner's words.
                        StoreError::Invalid(why) => {
                            CliError::Message(crate::i18n::localize(&why, lang).into_owned())
                        }
                        error => CliError::Store(error),
                    })?;
            writeln!(out, "{} = {}", setting.name(), escape_controls(&saved))?;
            if setting == Setting::ExamDate {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "Reviews now aim higher as the exam nears, and nothing you might forget is scheduled past it.",
                        "이제 시험이 다가올수록 목표 기억률이 높아지고, 잊을 수 있는 항목은 시험일 뒤로 미뤄지지 않습니다.",
                    )
                )?;
            }
        }
        ConfigCommand::Unset { name } => {
            let setting = setting(&name, lang)?;
            context.store()?.unset_setting(setting)?;
            writeln!(
                out,
                "{} {}",
                setting.name(),
                lang.pick("is back to its default", "설정을 기본값으로 되돌렸습니다")
            )?;
        }
    }
    Ok(Outcome::Success)
}

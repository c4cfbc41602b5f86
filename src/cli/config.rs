//! `kubedrill config list|get|set|unset`: the learner's settings, checked before they are saved.

use std::io::{self, Write};

use clap::Subcommand;

use super::{Context, Lang, Outcome};
use crate::store::Setting;
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

pub fn run(command: ConfigCommand, context: &Context, out: &mut impl Write) -> io::Result<Outcome> {
    let lang = context.lang;
    let setting = |name: &str| -> Option<Setting> {
        let found = Setting::from_name(name);
        if found.is_none() {
            let names = Setting::ALL.map(Setting::name);
            let hint = did_you_mean(name, names).map_or_else(
                || format!(" ({}: {})", lang.pick("settings", "설정"), names.join(", ")),
                |close| {
                    lang.pick("; did you mean `", "; 혹시 `").to_string()
                        + close
                        + lang.pick("`?", "`인가요?")
                },
            );
            eprintln!(
                "kubedrill: {} `{}`{hint}",
                lang.pick("no setting", "그런 설정은 없습니다:"),
                escape_controls(name)
            );
        }
        found
    };
    let Some(mut store) = context.open_store() else {
        return Ok(Outcome::Error);
    };
    let failed = |error: crate::store::StoreError| {
        eprintln!("kubedrill: {}", escape_controls(&error.to_string()));
        Ok(Outcome::Error)
    };
    match command {
        ConfigCommand::List => {
            for setting in Setting::ALL {
                let value = match store.setting(setting) {
                    Ok(value) => value,
                    Err(error) => return failed(error),
                };
                let shown = value.unwrap_or_else(|| lang.pick("(default)", "(기본값)").to_string());
                writeln!(
                    out,
                    "{:<18} {:<12} {}",
                    setting.name(),
                    escape_controls(&shown),
                    setting.help()
                )?;
            }
            Ok(Outcome::Success)
        }
        ConfigCommand::Get { name } => {
            let Some(setting) = setting(&name) else {
                return Ok(Outcome::Error);
            };
            match store.setting(setting) {
                Ok(Some(value)) => {
                    writeln!(out, "{}", escape_controls(&value))?;
                    Ok(Outcome::Success)
                }
                Ok(None) => {
                    writeln!(
                        out,
                        "{}",
                        lang.pick(
                            "(not set: the default applies)",
                            "(설정 안 됨: 기본값 적용)"
                        )
                    )?;
                    Ok(Outcome::Success)
                }
                Err(error) => failed(error),
            }
        }
        ConfigCommand::Set { name, value } => {
            let Some(setting) = setting(&name) else {
                return Ok(Outcome::Error);
            };
            let today = context.now.to_zoned(context.zone.clone()).date();
            match store.set_setting_on(setting, &value, today) {
                Ok(saved) => {
                    writeln!(out, "{} = {}", setting.name(), escape_controls(&saved))?;
                    if setting == Setting::ExamDate {
                        writeln!(
                            out,
                            "{}",
                            match lang {
                                Lang::En =>
                                    "Reviews now aim higher as the exam nears, and nothing you might forget is scheduled past it.",
                                Lang::Ko =>
                                    "이제 시험이 다가올수록 목표 기억률이 높아지고, 잊을 수 있는 항목은 시험일 뒤로 미뤄지지 않습니다.",
                            }
                        )?;
                    }
                    Ok(Outcome::Success)
                }
                Err(crate::store::StoreError::Invalid(why)) => {
                    eprintln!(
                        "kubedrill: {}",
                        escape_controls(&crate::i18n::localize(&why, lang))
                    );
                    Ok(Outcome::Error)
                }
                Err(error) => failed(error),
            }
        }
        ConfigCommand::Unset { name } => {
            let Some(setting) = setting(&name) else {
                return Ok(Outcome::Error);
            };
            match store.unset_setting(setting) {
                Ok(_) => {
                    writeln!(
                        out,
                        "{} {}",
                        setting.name(),
                        lang.pick("is back to its default", "설정을 기본값으로 되돌렸습니다")
                    )?;
                    Ok(Outcome::Success)
                }
                Err(error) => failed(error),
            }
        }
    }
}

//! `kubedrill optimize`: fits FSRS parameters to the learner's review history and keeps them when
//! they predict it better than the parameters in use.

use std::io::Write;

use super::{CliError, Context, Lang, Outcome};
use crate::srs::optimize::{self, OptimizeError};
use crate::store::Setting;
use crate::study;

pub fn run(context: &Context, out: &mut impl Write) -> Result<Outcome, CliError> {
    let lang = context.lang;
    let mut store = context.store()?;
    let settings = store.settings()?;
    let history = store.review_history()?;
    let histories = study::optimizer_histories(&history, &context.zone, settings.day_starts_at);
    match optimize::fit(&histories, &settings.fsrs_parameters) {
        Err(OptimizeError::NotEnoughReviews { have, need }) => {
            match lang {
                Lang::En => writeln!(
                    out,
                    "Not enough history to fit your own parameters yet: {have} reviews, and fitting needs at least {need}. Until then kubedrill uses FSRS's defaults, fitted on thousands of learners' reviews; they work well."
                )?,
                Lang::Ko => writeln!(
                    out,
                    "아직 개인 파라미터를 맞출 만큼 기록이 쌓이지 않았습니다: 복습 {have}회(최소 {need}회 필요). 그때까지는 수많은 학습자의 복습 기록으로 맞춘 FSRS 기본값을 쓰며, 기본값도 충분히 잘 작동합니다."
                )?,
            }
            Ok(Outcome::Success)
        }
        Err(error) => Err(CliError::said(error)),
        Ok(fitted) => {
            let current = if settings.fsrs_parameters.is_empty() {
                lang.pick("the defaults", "기본값")
            } else {
                lang.pick("your current parameters", "현재 파라미터")
            };
            if !fitted.is_better() {
                match lang {
                    Lang::En => writeln!(
                        out,
                        "Fitted on {} reviews, but {current} already predict your recall as well (log loss {:.4} vs {:.4}); nothing changed.",
                        fitted.reviews, fitted.current_log_loss, fitted.fitted_log_loss
                    )?,
                    Lang::Ko => writeln!(
                        out,
                        "복습 {}회로 맞춰 봤지만 {current}이 기억률을 이미 그만큼 잘 예측합니다(로그 손실 {:.4} 대 {:.4}). 바꾸지 않았습니다.",
                        fitted.reviews, fitted.current_log_loss, fitted.fitted_log_loss
                    )?,
                }
                return Ok(Outcome::Success);
            }
            let text: Vec<String> = fitted
                .parameters
                .iter()
                .map(|number| number.to_string())
                .collect();
            store.set_setting(Setting::FsrsParameters, &text.join(", "))?;
            match lang {
                Lang::En => writeln!(
                    out,
                    "Fitted on {} reviews: log loss {:.4} with {current}, {:.4} with yours. Saved; reviews are scheduled with them from now on (`kubedrill config unset fsrs-parameters` goes back).",
                    fitted.reviews, fitted.current_log_loss, fitted.fitted_log_loss
                )?,
                Lang::Ko => writeln!(
                    out,
                    "복습 {}회로 맞췄습니다: 로그 손실 {current} {:.4} → 개인 파라미터 {:.4}. 저장했으며 이제부터 이 값으로 복습 일정을 잡습니다(`kubedrill config unset fsrs-parameters`로 되돌릴 수 있습니다).",
                    fitted.reviews, fitted.current_log_loss, fitted.fitted_log_loss
                )?,
            }
            Ok(Outcome::Success)
        }
    }
}

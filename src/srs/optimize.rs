//! Fitting FSRS parameters to a learner's own review history (`kubedrill optimize`), with the
//! `fsrs` crate's optimizer. The history is each item's ratings by study day; the fit is kept
//! only if it predicts the learner's recall better than the current parameters do.

use super::Rating;

/// Reviews needed before a fit is worth making (fewer mostly fit noise).
pub const MINIMUM_REVIEWS: usize = 400;

/// One item's history: (study day number, rating), in time order.
pub type History = Vec<(i64, Rating)>;

#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub parameters: Vec<f32>,
    /// Log loss of the current parameters on the history (lower is better).
    pub current_log_loss: f32,
    /// Log loss of the fitted ones.
    pub fitted_log_loss: f32,
    pub reviews: usize,
}

impl Fitted {
    /// Whether the fit predicts the history better than what is in use.
    pub fn is_better(&self) -> bool {
        self.fitted_log_loss < self.current_log_loss
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OptimizeError {
    #[error("{have} reviews so far; fitting needs at least {need}")]
    NotEnoughReviews { have: usize, need: usize },
    #[error("the optimizer failed: {0}")]
    Failed(String),
}

/// Fits parameters to `histories`, comparing with `current` (empty: the defaults).
pub fn fit(histories: &[History], current: &[f32]) -> Result<Fitted, OptimizeError> {
    let reviews: usize = histories.iter().map(Vec::len).sum();
    if reviews < MINIMUM_REVIEWS {
        return Err(OptimizeError::NotEnoughReviews {
            have: reviews,
            need: MINIMUM_REVIEWS,
        });
    }
    let mut items = Vec::new();
    let mut card_ids = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let mut reviews = Vec::with_capacity(history.len());
        let mut previous_day = None;
        for (day, rating) in history {
            let delta_t = previous_day.map_or(0, |previous: i64| (day - previous).max(0) as u32);
            previous_day = Some(*day);
            reviews.push(fsrs::FSRSReview {
                rating: rating.number(),
                delta_t,
            });
            // One training item per review after the first, holding the reviews before it.
            if reviews.len() >= 2 {
                items.push(fsrs::FSRSItem {
                    reviews: reviews.clone(),
                });
                card_ids.push(card as i64);
            }
        }
    }
    let failed = |error: fsrs::FSRSError| OptimizeError::Failed(error.to_string());
    let parameters = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set: items.clone(),
        card_ids: Some(card_ids),
        ..fsrs::ComputeParametersInput::default()
    })
    .map_err(failed)?;
    let loss = |parameters: &[f32]| -> Result<f32, OptimizeError> {
        let model = fsrs::FSRS::new(parameters).map_err(failed)?;
        model
            .evaluate(items.clone(), |_| true)
            .map(|evaluation| evaluation.log_loss)
            .map_err(failed)
    };
    Ok(Fitted {
        current_log_loss: loss(current)?,
        fitted_log_loss: loss(&parameters)?,
        parameters,
        reviews,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_little_history_is_refused_with_the_numbers() {
        let histories = vec![vec![(0, Rating::Good), (2, Rating::Good)]; 10];
        assert_eq!(
            fit(&histories, &[]).unwrap_err(),
            OptimizeError::NotEnoughReviews {
                have: 20,
                need: MINIMUM_REVIEWS
            }
        );
    }

    #[test]
    fn a_learner_who_forgets_more_than_average_gets_a_better_fit() {
        // 300 items reviewed five times at growing intervals; this learner forgets often.
        let histories: Vec<History> = (0..300)
            .map(|item| {
                let mut day = 0;
                (0..5)
                    .map(|review| {
                        let rating = if (item * 7 + review * 3) % 5 < 2 {
                            Rating::Again
                        } else {
                            Rating::Good
                        };
                        let at = (day, rating);
                        day += 1 + review * 3;
                        at
                    })
                    .collect()
            })
            .collect();
        let fitted = fit(&histories, &[]).unwrap();
        assert_eq!(fitted.parameters.len(), 21);
        assert!(
            fitted.is_better(),
            "{} → {}",
            fitted.current_log_loss,
            fitted.fitted_log_loss
        );
    }
}

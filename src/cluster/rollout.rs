//! The Deployment controller's arithmetic: how far a rolling update may go in one step, and how
//! revisions are numbered, rolled back and listed. It follows the upstream controller
//! (pkg/controller/deployment: `rolling.go`, `util/deployment_util.go`) and `kubectl rollout
//! undo`; the simulation runs it, `rollout status` and `rollout history` print from it.

use crate::cluster::At as _;
use serde_json::Value;

/// How many Pods above the desired count an update may run, and how many below it may be
/// unavailable, for `replicas` replicas: `maxSurge` rounds a percentage up, `maxUnavailable`
/// down (both 25 % when unset); when both come to 0, `maxUnavailable` is taken as 1, so an
/// update can always move (the API server refuses both set to 0 explicitly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fenceposts {
    pub surge: u32,
    pub unavailable: u32,
}

impl Fenceposts {
    /// From a Deployment's `spec.strategy.rollingUpdate` (`None`: the defaults).
    pub fn of(replicas: u32, rolling_update: Option<&Value>) -> Fenceposts {
        let field = |name: &str| rolling_update.and_then(|rolling| rolling.get(name));
        let surge = scaled(field("maxSurge"), replicas, true);
        let unavailable = scaled(field("maxUnavailable"), replicas, false);
        Fenceposts {
            surge,
            unavailable: if surge == 0 && unavailable == 0 {
                1
            } else {
                unavailable
            },
        }
    }

    /// The most Pods an update of `replicas` runs at once.
    pub fn most(self, replicas: u32) -> u32 {
        replicas + self.surge
    }

    /// The fewest available Pods an update of `replicas` keeps.
    pub fn least(self, replicas: u32) -> u32 {
        replicas.saturating_sub(self.unavailable)
    }
}

/// An int-or-percent value scaled to `total` (intstr.GetScaledValueFromIntOrPercent); unset is
/// 25 %.
fn scaled(value: Option<&Value>, total: u32, round_up: bool) -> u32 {
    let percent = match value {
        Some(Value::Number(number)) => return number.as_u64().unwrap_or(0) as u32,
        Some(Value::String(text)) => text
            .strip_suffix('%')
            .and_then(|digits| digits.parse::<u64>().ok())
            .unwrap_or(25),
        _ => 25,
    };
    let exact = u64::from(total) * percent;
    let scaled = if round_up {
        exact.div_ceil(100)
    } else {
        exact / 100
    };
    scaled as u32
}

/// The `pod-template-hash` of a Pod template: what names a Deployment's ReplicaSets
/// (`frontend-6d8f7c9b54`) and labels their Pods. As upstream (`controller.ComputeHash`), a
/// 32-bit FNV-1a hash written in decimal, each digit mapped through the alphabet
/// `bcdfghjklmnpqrstvwxz2456789` (apimachinery's `rand.SafeEncodeString`: no vowels, no
/// look-alike characters). Upstream hashes the template's Go value; here its JSON with sorted
/// keys is hashed, so the hash has the same form but not the same value as a real cluster's.
pub fn template_hash(template: &Value) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut hash: u32 = 0x811c_9dc5;
    for byte in canonical(template).bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash.to_string()
        .bytes()
        .map(|digit| ALPHABET[usize::from(digit) % ALPHABET.len()] as char)
        .collect()
}

/// JSON with every object's keys sorted (serde_json keeps insertion order here).
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .iter()
                .map(|key| {
                    format!(
                        "{}:{}",
                        Value::String((*key).clone()),
                        canonical(&map[*key])
                    )
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            format!(
                "[{}]",
                items.iter().map(canonical).collect::<Vec<_>>().join(",")
            )
        }
        other => other.to_string(),
    }
}

/// A ReplicaSet as one step of the controller sees it: the Pods it asks for and how many of
/// them are available.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replicas {
    pub desired: u32,
    pub available: u32,
}

/// One sync of a rolling update: the new ReplicaSet's and the old ones' (oldest first) desired
/// counts afterwards. As upstream, a sync that scales the new ReplicaSet up does nothing else;
/// the old ones are scaled down in a later sync, once the new Pods' availability is known.
pub fn rolling_sync(
    replicas: u32,
    fence: Fenceposts,
    new: Replicas,
    old: &[Replicas],
) -> (u32, Vec<u32>) {
    let mut old_desired: Vec<u32> = old.iter().map(|rs| rs.desired).collect();
    // reconcileNewReplicaSet
    let new_desired = if new.desired > replicas {
        replicas
    } else if new.desired == replicas {
        new.desired
    } else {
        let current: u32 = new.desired + old_desired.iter().sum::<u32>();
        let most = fence.most(replicas);
        if current >= most {
            new.desired
        } else {
            new.desired + (most - current).min(replicas - new.desired)
        }
    };
    if new_desired > new.desired {
        return (new_desired, old_desired);
    }
    // reconcileOldReplicaSets
    let old_count: u32 = old_desired.iter().sum();
    if old_count == 0 {
        return (new_desired, old_desired);
    }
    let all = new_desired + old_count;
    let least = fence.least(replicas);
    let new_unavailable = new_desired.saturating_sub(new.available);
    let max_scaled_down = i64::from(all) - i64::from(least) - i64::from(new_unavailable);
    if max_scaled_down <= 0 {
        return (new_desired, old_desired);
    }
    // Unhealthy old Pods go first: removing them costs no availability.
    let mut scaled_down = 0;
    for (desired, rs) in old_desired.iter_mut().zip(old) {
        if scaled_down >= max_scaled_down as u32 {
            break;
        }
        let unhealthy = desired.saturating_sub(rs.available);
        let down = unhealthy.min(max_scaled_down as u32 - scaled_down);
        *desired -= down;
        scaled_down += down;
    }
    // Then healthy ones, as far as the availability floor allows.
    let available: u32 = new.available.min(new_desired)
        + old_desired
            .iter()
            .zip(old)
            .map(|(desired, rs)| rs.available.min(*desired))
            .sum::<u32>();
    if available > least {
        let mut budget = available - least;
        for desired in &mut old_desired {
            if budget == 0 {
                break;
            }
            let down = (*desired).min(budget);
            *desired -= down;
            budget -= down;
        }
    }
    (new_desired, old_desired)
}

/// A Deployment's revisions, as its ReplicaSets' `deployment.kubernetes.io/revision`
/// annotations number them: one entry per Pod template, the current template last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<Revision>,
}

/// One revision: the template it stands for (as the Pod template hash names it) and the
/// `kubernetes.io/change-cause` it was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub number: u64,
    pub template: String,
    pub change_cause: Option<String>,
}

/// Why `kubectl rollout undo` did not roll back; `Display` is kubectl's own wording (after
/// `error: `, or for [`UndoError::Skipped`] after the Deployment's name).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    #[error("unable to find specified revision {0} in history")]
    NoSuchRevision(u64),
    #[error("no rollout history found for deployment \"{0}\"")]
    NoHistory(String),
    #[error("skipped rollback (current template already matches revision {0})")]
    Skipped(u64),
}

impl History {
    /// A history from revisions read off a Deployment's ReplicaSets.
    pub fn from_revisions(entries: Vec<Revision>) -> History {
        History { entries }
    }

    /// Revisions, oldest number first.
    pub fn revisions(&self) -> Vec<&Revision> {
        let mut revisions: Vec<&Revision> = self.entries.iter().collect();
        revisions.sort_by_key(|revision| revision.number);
        revisions
    }

    pub fn current(&self) -> Option<&Revision> {
        self.entries.iter().max_by_key(|revision| revision.number)
    }

    /// The Deployment's template is now `template`: a template seen before takes the next
    /// number (its old number leaves the history: "renumbering"), a new one gets the next number
    /// and `change_cause`; the current template keeps its number. Returns the current number.
    pub fn template_applied(&mut self, template: &str, change_cause: Option<&str>) -> u64 {
        let next = self.current().map_or(1, |current| current.number + 1);
        if let Some(current) = self.current()
            && current.template == template
        {
            return current.number;
        }
        match self
            .entries
            .iter_mut()
            .find(|revision| revision.template == template)
        {
            Some(revision) => {
                revision.number = next;
                if let Some(cause) = change_cause {
                    revision.change_cause = Some(cause.to_string());
                }
            }
            None => self.entries.push(Revision {
                number: next,
                template: template.to_string(),
                change_cause: change_cause.map(str::to_string),
            }),
        }
        next
    }

    /// The template `kubectl rollout undo [--to-revision=N]` puts back: revision `N`, or without
    /// it (or with 0) the one before the current.
    pub fn undo_target(&self, deployment: &str, to: Option<u64>) -> Result<&Revision, UndoError> {
        let current = self.current();
        let target = match to.filter(|number| *number > 0) {
            Some(number) => self
                .entries
                .iter()
                .find(|revision| revision.number == number)
                .ok_or(UndoError::NoSuchRevision(number))?,
            None => self
                .revisions()
                .into_iter()
                .rev()
                .nth(1)
                .ok_or_else(|| UndoError::NoHistory(deployment.to_string()))?,
        };
        match current {
            Some(current) if current.template == target.template => {
                Err(UndoError::Skipped(current.number))
            }
            _ => Ok(target),
        }
    }

    /// Keeps the newest `limit` revisions besides the current one (`revisionHistoryLimit`, 10
    /// by default): older ReplicaSets are deleted and their numbers leave the history.
    pub fn prune(&mut self, limit: usize) {
        let mut numbers: Vec<u64> = self
            .entries
            .iter()
            .map(|revision| revision.number)
            .collect();
        numbers.sort_unstable();
        let keep_from = numbers.len().saturating_sub(limit + 1);
        let oldest_kept = numbers.get(keep_from).copied().unwrap_or(0);
        self.entries
            .retain(|revision| revision.number >= oldest_kept);
    }
}

impl History {
    /// What `kubectl rollout history deployment/NAME` prints: the resource, then a table of
    /// revisions and change causes (`<none>` where none was recorded), then a blank line.
    pub fn print(&self, resource: &str) -> String {
        let rows: Vec<(String, String)> = self
            .revisions()
            .iter()
            .map(|revision| {
                (
                    revision.number.to_string(),
                    revision
                        .change_cause
                        .clone()
                        .filter(|cause| !cause.is_empty())
                        .unwrap_or_else(|| "<none>".into()),
                )
            })
            .collect();
        // kubectl's tabwriter here pads by 2 with no minimum width.
        let width = rows
            .iter()
            .map(|(number, _)| number.len())
            .chain(["REVISION".len()])
            .max()
            .unwrap_or(0)
            + 2;
        let mut out = format!("{resource} \n{:<width$}CHANGE-CAUSE\n", "REVISION");
        for (number, cause) in rows {
            out.push_str(&format!("{number:<width$}{cause}\n"));
        }
        out.push('\n');
        out
    }
}

/// What `kubectl rollout status` says of a Deployment's status now, and whether the rollout is
/// done (kubectl's DeploymentStatusViewer); an error once the progress deadline has passed.
pub fn rollout_status(deployment: &Value) -> Result<(String, bool), String> {
    let name = deployment
        .at("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let number = |pointer: &str| deployment.at(pointer).and_then(Value::as_u64).unwrap_or(0);
    let generation = number("/metadata/generation");
    if generation > number("/status/observedGeneration") {
        return Ok((
            "Waiting for deployment spec update to be observed...".into(),
            false,
        ));
    }
    let timed_out = deployment
        .at("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|condition| {
            condition.get("type").and_then(Value::as_str) == Some("Progressing")
                && condition.get("reason").and_then(Value::as_str)
                    == Some("ProgressDeadlineExceeded")
        });
    if timed_out {
        return Err(format!(
            "deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let replicas = deployment
        .at("/spec/replicas")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let updated = number("/status/updatedReplicas");
    let current = number("/status/replicas");
    let available = number("/status/availableReplicas");
    let waiting = |what: String| {
        Ok((
            format!("Waiting for deployment \"{name}\" rollout to finish: {what}"),
            false,
        ))
    };
    if updated < replicas {
        return waiting(format!(
            "{updated} out of {replicas} new replicas have been updated..."
        ));
    }
    if current > updated {
        return waiting(format!(
            "{} old replicas are pending termination...",
            current - updated
        ));
    }
    if available < updated {
        return waiting(format!(
            "{available} of {updated} updated replicas are available..."
        ));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out"),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A whole rolling update from `replicas` old Pods, each sync followed by the new Pods
    /// becoming available (a Pod that starts at once and is ready): (new, old) after each sync.
    fn roll(replicas: u32, rolling_update: &Value) -> (Fenceposts, Vec<(u32, u32)>) {
        let fence = Fenceposts::of(replicas, Some(rolling_update));
        let mut new = Replicas {
            desired: 0,
            available: 0,
        };
        let mut old = vec![Replicas {
            desired: replicas,
            available: replicas,
        }];
        let mut steps = vec![(0, replicas)];
        for _ in 0..50 {
            let (new_desired, old_desired) = rolling_sync(replicas, fence, new, &old);
            new = Replicas {
                desired: new_desired,
                available: new_desired,
            };
            for (rs, desired) in old.iter_mut().zip(old_desired) {
                rs.desired = desired;
                rs.available = rs.available.min(desired);
            }
            let step = (new.desired, old[0].desired);
            if step == *steps.last().unwrap() {
                break;
            }
            // The bounds hold at every step.
            assert!(step.0 + step.1 <= fence.most(replicas), "{step:?}");
            assert!(
                step.0 + old[0].available >= fence.least(replicas),
                "{step:?}"
            );
            steps.push(step);
        }
        (fence, steps)
    }

    #[test]
    fn a_template_hash_has_kubernetes_form_and_follows_the_template_only() {
        let template = json!({"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}});
        let hash = template_hash(&template);
        assert!((1..=10).contains(&hash.len()), "{hash}");
        assert!(
            hash.chars()
                .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
            "{hash}"
        );
        // The same template, keys in another order: the same hash; another image: another.
        let reordered = json!({"spec": {"containers": [{"image": "nginx:1.27", "name": "web"}]},
                               "metadata": {"labels": {"app": "web"}}});
        assert_eq!(template_hash(&reordered), hash);
        let updated = json!({"metadata": {"labels": {"app": "web"}},
                             "spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}});
        assert_ne!(template_hash(&updated), hash);
    }

    #[test]
    fn percentages_round_surge_up_and_unavailable_down() {
        let fence = |replicas, rolling: Value| Fenceposts::of(replicas, Some(&rolling));
        let default = |replicas| Fenceposts::of(replicas, None);
        assert_eq!((default(3).surge, default(3).unavailable), (1, 0));
        assert_eq!((default(4).surge, default(4).unavailable), (1, 1));
        assert_eq!((default(5).surge, default(5).unavailable), (2, 1));
        assert_eq!((default(10).surge, default(10).unavailable), (3, 2));
        let half = fence(5, json!({"maxSurge": "50%", "maxUnavailable": "50%"}));
        assert_eq!((half.surge, half.unavailable), (3, 2));
        // Both zero after rounding: one may be unavailable.
        let zero = fence(3, json!({"maxSurge": "10%", "maxUnavailable": 0}));
        assert_eq!((zero.surge, zero.unavailable), (1, 0));
        let none = fence(1, json!({"maxSurge": 0, "maxUnavailable": "25%"}));
        assert_eq!((none.surge, none.unavailable), (0, 1));
        assert_eq!((none.most(1), none.least(1)), (1, 0));
    }

    #[test]
    fn three_replicas_by_default_add_one_then_remove_one() {
        // The documentation's example: at most 4 Pods, at least 3 available.
        let (fence, steps) = roll(3, &json!({}));
        assert_eq!((fence.most(3), fence.least(3)), (4, 3));
        assert_eq!(
            steps,
            [(0, 3), (1, 3), (1, 2), (2, 2), (2, 1), (3, 1), (3, 0)]
        );
    }

    #[test]
    fn four_replicas_by_default_move_two_at_a_time() {
        let (fence, steps) = roll(4, &json!({}));
        assert_eq!((fence.most(4), fence.least(4)), (5, 3));
        assert_eq!(steps, [(0, 4), (1, 4), (1, 2), (3, 2), (3, 0), (4, 0)]);
    }

    #[test]
    fn five_replicas_with_integer_settings() {
        let (fence, steps) = roll(5, &json!({"maxSurge": 2, "maxUnavailable": 0}));
        assert_eq!((fence.most(5), fence.least(5)), (7, 5));
        assert_eq!(
            steps,
            [(0, 5), (2, 5), (2, 3), (4, 3), (4, 1), (5, 1), (5, 0)]
        );
        let (_, steps) = roll(5, &json!({"maxSurge": 0, "maxUnavailable": 1}));
        assert_eq!(
            steps,
            [
                (0, 5),
                (0, 4),
                (1, 4),
                (1, 3),
                (2, 3),
                (2, 2),
                (3, 2),
                (3, 1),
                (4, 1),
                (4, 0),
                (5, 0)
            ]
        );
    }

    #[test]
    fn ten_replicas_by_default_and_at_half() {
        let (fence, steps) = roll(10, &json!({}));
        assert_eq!((fence.most(10), fence.least(10)), (13, 8));
        assert_eq!(steps, [(0, 10), (3, 10), (3, 5), (8, 5), (8, 0), (10, 0)]);
        let (_, steps) = roll(10, &json!({"maxSurge": "50%", "maxUnavailable": "50%"}));
        assert_eq!(steps, [(0, 10), (5, 10), (5, 0), (10, 0)]);
    }

    #[test]
    fn new_pods_that_never_become_available_stop_the_rollout_at_the_floor() {
        // An image that cannot be pulled: the new Pods never become available.
        let fence = Fenceposts::of(4, None);
        let rs = |desired, available| Replicas { desired, available };
        assert_eq!(rolling_sync(4, fence, rs(0, 0), &[rs(4, 4)]), (1, vec![4]));
        // One old Pod goes (3 stay available), one more new Pod is asked for, and there it stops.
        assert_eq!(rolling_sync(4, fence, rs(1, 0), &[rs(4, 4)]), (1, vec![3]));
        assert_eq!(rolling_sync(4, fence, rs(1, 0), &[rs(3, 3)]), (2, vec![3]));
        assert_eq!(
            rolling_sync(4, fence, rs(2, 0), &[rs(3, 3)]),
            (2, vec![3]),
            "5 Pods, 3 available: nothing more moves"
        );
    }

    #[test]
    fn an_undo_renumbers_the_revision_it_brings_back() {
        let mut history = History::default();
        assert_eq!(history.template_applied("a", None), 1);
        assert_eq!(history.template_applied("b", Some("image 1.27")), 2);
        assert_eq!(history.template_applied("c", Some("image 1.28")), 3);
        // Applying the current template again changes nothing.
        assert_eq!(history.template_applied("c", None), 3);
        // `rollout undo`: the one before the current, which comes back as revision 4.
        let target = history
            .undo_target("frontend", None)
            .unwrap()
            .template
            .clone();
        assert_eq!(target, "b");
        assert_eq!(history.template_applied(&target, None), 4);
        let numbers: Vec<(u64, &str)> = history
            .revisions()
            .iter()
            .map(|revision| (revision.number, revision.template.as_str()))
            .collect();
        assert_eq!(numbers, [(1, "a"), (3, "c"), (4, "b")]);
        // Revision 2 is gone; undoing twice goes back and forth.
        assert_eq!(
            history
                .undo_target("frontend", Some(2))
                .unwrap_err()
                .to_string(),
            "unable to find specified revision 2 in history"
        );
        assert_eq!(history.undo_target("frontend", None).unwrap().template, "c");
        assert_eq!(
            history
                .undo_target("frontend", Some(4))
                .unwrap_err()
                .to_string(),
            "skipped rollback (current template already matches revision 4)"
        );
        assert_eq!(
            history.revisions()[2].change_cause.as_deref(),
            Some("image 1.27")
        );
    }

    #[test]
    fn rollout_history_prints_revisions_with_their_change_causes() {
        let mut history = History::default();
        history.template_applied("a", None);
        history.template_applied("b", Some("image updated to nginx:1.28"));
        assert_eq!(
            history.print("deployment.apps/frontend"),
            "deployment.apps/frontend \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image updated to nginx:1.28\n\n"
        );
    }

    #[test]
    fn rollout_status_says_what_the_rollout_waits_for() {
        let status = |replicas: u64, generation: u64, status: Value| {
            let mut deployment = json!({"metadata": {"name": "frontend", "generation": generation},
                                        "spec": {"replicas": replicas}});
            deployment["status"] = status;
            rollout_status(&deployment)
        };
        let waiting = |text: &str| {
            Ok((
                format!("Waiting for deployment \"frontend\" rollout to finish: {text}"),
                false,
            ))
        };
        assert_eq!(
            status(4, 2, json!({"observedGeneration": 1})),
            Ok((
                "Waiting for deployment spec update to be observed...".to_string(),
                false
            ))
        );
        assert_eq!(
            status(
                4,
                2,
                json!({"observedGeneration": 2, "updatedReplicas": 2, "replicas": 5, "availableReplicas": 3})
            ),
            waiting("2 out of 4 new replicas have been updated...")
        );
        assert_eq!(
            status(
                4,
                2,
                json!({"observedGeneration": 2, "updatedReplicas": 4, "replicas": 5, "availableReplicas": 4})
            ),
            waiting("1 old replicas are pending termination...")
        );
        assert_eq!(
            status(
                4,
                2,
                json!({"observedGeneration": 2, "updatedReplicas": 4, "replicas": 4, "availableReplicas": 3})
            ),
            waiting("3 of 4 updated replicas are available...")
        );
        assert_eq!(
            status(
                4,
                2,
                json!({"observedGeneration": 2, "updatedReplicas": 4, "replicas": 4, "availableReplicas": 4})
            ),
            Ok((
                "deployment \"frontend\" successfully rolled out".to_string(),
                true
            ))
        );
        assert_eq!(
            status(
                4,
                2,
                json!({"observedGeneration": 2, "conditions": [
                {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]})
            ),
            Err("deployment \"frontend\" exceeded its progress deadline".to_string())
        );
    }

    #[test]
    fn a_first_revision_has_nothing_to_undo_and_old_revisions_are_pruned() {
        let mut history = History::default();
        history.template_applied("a", None);
        assert_eq!(
            history.undo_target("web", None).unwrap_err().to_string(),
            "no rollout history found for deployment \"web\""
        );
        for template in ["b", "c", "d", "e"] {
            history.template_applied(template, None);
        }
        history.prune(2);
        let numbers: Vec<u64> = history.revisions().iter().map(|r| r.number).collect();
        assert_eq!(numbers, [3, 4, 5]);
    }
}

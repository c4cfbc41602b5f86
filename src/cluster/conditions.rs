//! Status conditions as controllers and the kubelet write them: one condition per type, whose
//! `lastTransitionTime` moves only when its status does.

use jiff::Timestamp;
use serde_json::{Value, json};

fn stamp(now: Timestamp) -> String {
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

/// A condition list where `kind` is set to `status`; its transition time moves only when the
/// status does.
pub(crate) fn with_condition(
    conditions: Option<&Value>,
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: Timestamp,
) -> Value {
    set_condition(
        conditions.cloned().unwrap_or_default(),
        kind,
        status,
        reason,
        message,
        now,
    )
}

/// [`with_condition`] on a list it may take.
pub(crate) fn set_condition(
    conditions: Value,
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: Timestamp,
) -> Value {
    let mut list: Vec<Value> = match conditions {
        Value::Array(list) => list,
        _ => Vec::new(),
    };
    let old = list
        .iter()
        .position(|condition| condition.get("type").and_then(Value::as_str) == Some(kind));
    let since = old
        .and_then(|index| {
            (list[index].get("status").and_then(Value::as_str) == Some(status))
                .then(|| list[index].get("lastTransitionTime").cloned())
                .flatten()
        })
        .unwrap_or_else(|| json!(stamp(now)));
    let mut condition =
        json!({"type": kind, "status": status, "lastProbeTime": null, "lastTransitionTime": since});
    if let Some(reason) = reason {
        condition["reason"] = json!(reason);
    }
    if let Some(message) = message {
        condition["message"] = json!(message);
    }
    match old {
        Some(index) => list[index] = condition,
        None => list.push(condition),
    }
    Value::Array(list)
}

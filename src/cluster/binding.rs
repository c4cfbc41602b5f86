//! Which PersistentVolume a PersistentVolumeClaim binds to, as the PersistentVolume controller
//! decides (pv_controller's syncUnboundClaim and the volume index's findBestMatchForClaim):
//!
//! - a claim that names its volume (`spec.volumeName`) takes that one, if it satisfies the claim
//!   (capacity, class, volumeMode, access modes) and is not bound to another claim;
//! - a volume pre-bound to the claim (`spec.claimRef`) is taken before any other;
//! - otherwise among Available volumes with the claim's class, volumeMode, a capacity at least
//!   the request and labels its selector matches, those offering the claim's access modes with
//!   the fewest modes are looked at first, and the smallest of them wins;
//! - a class in WaitForFirstConsumer mode binds nothing until a Pod uses the claim;
//! - with nothing to bind, a class whose provisioner makes volumes provisions one; no class, a
//!   missing class and `kubernetes.io/no-provisioner` leave the claim Pending.
//!
//! A claim without `storageClassName` takes the default class, as the DefaultStorageClass
//! admission plugin (and, since v1.28, the retroactive assignment) gives it; with no default
//! class it matches volumes without a class.

use serde_json::Value;

use super::At;
use super::kubectl::text;
use super::labels::Selector;

/// The provisioner of statically provisioned classes (local volumes).
pub const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";

/// What happens to a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// It binds to this volume.
    Bound { volume: String },
    /// Its class's provisioner makes a new volume for it.
    Provisioned { class: String, provisioner: String },
    /// Its class waits for the first Pod that uses it.
    Waiting { class: String },
    /// It stays Pending; the event the controller records says why.
    Pending(Pending),
}

/// Why a claim stays Pending, as the controller's event says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub warning: bool,
    pub reason: &'static str,
    pub message: String,
}

fn name(object: &Value) -> &str {
    text(object, "/metadata/name")
}

fn modes(object: &Value, pointer: &str) -> Vec<String> {
    object
        .at(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

fn bytes(object: &Value, pointer: &str) -> f64 {
    object
        .at(pointer)
        .and_then(crate::grade::process::quantity)
        .unwrap_or(0.0)
}

fn volume_mode(object: &Value) -> &str {
    match text(object, "/spec/volumeMode") {
        "" => "Filesystem",
        mode => mode,
    }
}

fn is_default(class: &Value) -> bool {
    text(
        class,
        "/metadata/annotations/storageclass.kubernetes.io~1is-default-class",
    ) == "true"
}

/// The class a claim asks for: its `storageClassName`, or, when it sets none, the default class
/// (the newest when several are marked default) if there is one, else `""`.
pub fn claim_class(claim: &Value, classes: &[&Value]) -> String {
    if let Some(class) = claim.at("/spec/storageClassName").and_then(Value::as_str) {
        return class.to_string();
    }
    classes
        .iter()
        .filter(|class| is_default(class))
        // The newest; at the same second, the first by name.
        .max_by(|a, b| {
            text(a, "/metadata/creationTimestamp")
                .cmp(text(b, "/metadata/creationTimestamp"))
                .then_with(|| name(b).cmp(name(a)))
        })
        .map(|class| name(class).to_string())
        .unwrap_or_default()
}

/// Whether a volume's `claimRef` points at this claim (namespace, name and, when both have
/// one, uid).
fn bound_to(volume: &Value, claim: &Value) -> bool {
    let Some(reference) = volume.at("/spec/claimRef") else {
        return false;
    };
    let namespace = match text(claim, "/metadata/namespace") {
        "" => "default",
        namespace => namespace,
    };
    let uid = text(reference, "/uid");
    text(reference, "/name") == name(claim)
        && match text(reference, "/namespace") {
            "" => "default",
            namespace => namespace,
        } == namespace
        && (uid.is_empty()
            || text(claim, "/metadata/uid").is_empty()
            || uid == text(claim, "/metadata/uid"))
}

/// Why a volume does not satisfy the claim (checkVolumeSatisfyClaim), or `None` when it does.
fn unsatisfied(volume: &Value, claim: &Value, class: &str) -> Option<&'static str> {
    if bytes(volume, "/spec/capacity/storage") < bytes(claim, "/spec/resources/requests/storage") {
        return Some("requested PV is too small");
    }
    if text(volume, "/spec/storageClassName") != class {
        return Some("storageClassName does not match");
    }
    if volume_mode(volume) != volume_mode(claim) {
        return Some("incompatible volumeMode");
    }
    let offered = modes(volume, "/spec/accessModes");
    if !modes(claim, "/spec/accessModes")
        .iter()
        .all(|mode| offered.contains(mode))
    {
        return Some("incompatible accessMode");
    }
    None
}

/// The claim's fate. `volumes` are every PersistentVolume, `classes` every StorageClass;
/// `consumer` is a Pod that uses the claim, if any (for WaitForFirstConsumer classes).
pub fn bind(
    claim: &Value,
    volumes: &[&Value],
    classes: &[&Value],
    consumer: Option<&str>,
) -> Binding {
    let consumed = consumer.is_some();
    let class = claim_class(claim, classes);
    let wanted = modes(claim, "/spec/accessModes");
    // A claim that names its volume.
    let named = text(claim, "/spec/volumeName");
    if !named.is_empty() {
        let Some(volume) = volumes.iter().find(|volume| name(volume) == named) else {
            return Binding::Pending(Pending {
                warning: false,
                reason: "FailedBinding",
                message: format!("volume \"{named}\" requested and not found"),
            });
        };
        if volume.at("/spec/claimRef").is_some() && !bound_to(volume, claim) {
            return Binding::Pending(Pending {
                warning: true,
                reason: "FailedBinding",
                message: format!("volume \"{named}\" already bound to a different claim."),
            });
        }
        return match unsatisfied(volume, claim, &class) {
            Some(why) => Binding::Pending(Pending {
                warning: true,
                reason: "VolumeMismatch",
                message: format!("Cannot bind to requested volume \"{named}\": {why}"),
            }),
            None => Binding::Bound {
                volume: named.to_string(),
            },
        };
    }
    let storage_class = classes.iter().find(|object| name(object) == class);
    let delayed = storage_class
        .is_some_and(|object| text(object, "/volumeBindingMode") == "WaitForFirstConsumer");
    let wanted_bytes = bytes(claim, "/spec/resources/requests/storage");
    let selector = claim.at("/spec/selector").map(Selector::from_object);
    let fits = |volume: &&&Value| {
        bytes(volume, "/spec/capacity/storage") >= wanted_bytes
            && volume_mode(volume) == volume_mode(claim)
            && volume.at("/metadata/deletionTimestamp").is_none()
    };
    let offers = |volume: &Value| {
        let offered = modes(volume, "/spec/accessModes");
        wanted.iter().all(|mode| offered.contains(mode))
    };
    // A volume pre-bound to this claim comes first.
    if let Some(volume) = volumes
        .iter()
        .filter(fits)
        .find(|volume| bound_to(volume, claim) && offers(volume))
    {
        return Binding::Bound {
            volume: name(volume).to_string(),
        };
    }
    if !delayed || consumed {
        let mut candidates: Vec<&Value> = volumes
            .iter()
            .filter(fits)
            .filter(|volume| volume.at("/spec/claimRef").is_none())
            .filter(|volume| matches!(text(volume, "/status/phase"), "" | "Available"))
            .filter(|volume| {
                selector
                    .as_ref()
                    .is_none_or(|selector| selector.matches(volume.at("/metadata/labels")))
            })
            .filter(|volume| text(volume, "/spec/storageClassName") == class)
            .filter(|volume| offers(volume))
            .copied()
            .collect();
        // The index looks at the volumes with the fewest access modes first, then the smallest.
        candidates.sort_by(|a, b| {
            modes(a, "/spec/accessModes")
                .len()
                .cmp(&modes(b, "/spec/accessModes").len())
                .then(
                    bytes(a, "/spec/capacity/storage")
                        .total_cmp(&bytes(b, "/spec/capacity/storage")),
                )
                .then_with(|| name(a).cmp(name(b)))
        });
        if let Some(volume) = candidates.first() {
            return Binding::Bound {
                volume: name(volume).to_string(),
            };
        }
    }
    if delayed && !consumed {
        return Binding::Waiting { class };
    }
    if class.is_empty() {
        return Binding::Pending(Pending {
            warning: false,
            reason: "FailedBinding",
            message: "no persistent volumes available for this claim and no storage class is set"
                .to_string(),
        });
    }
    let Some(storage_class) = storage_class else {
        return Binding::Pending(Pending {
            warning: true,
            reason: "ProvisioningFailed",
            message: format!("storageclass.storage.k8s.io \"{class}\" not found"),
        });
    };
    let provisioner = text(storage_class, "/provisioner");
    if let (true, Some(pod), NO_PROVISIONER) = (delayed, consumer, provisioner) {
        // The scheduler finds no node with a volume for it; the controller waits for it.
        return Binding::Pending(Pending {
            warning: false,
            reason: "WaitForPodScheduled",
            message: format!("waiting for pod {pod} to be scheduled"),
        });
    }
    if provisioner == NO_PROVISIONER {
        return Binding::Pending(Pending {
            warning: true,
            reason: "ProvisioningFailed",
            message: format!("no volume plugin matched name: {NO_PROVISIONER}"),
        });
    }
    Binding::Provisioned {
        class,
        provisioner: provisioner.to_string(),
    }
}

#[cfg(test)]
mod tests;

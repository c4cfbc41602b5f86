//! The binding rules of the docs' "Persistent Volumes" page and the controller's choices.

use serde_json::{Value, json};

use super::{Binding, bind, claim_class};

fn volume(name: &str, size: &str, modes: &[&str], class: Option<&str>) -> Value {
    let mut spec = json!({"capacity": {"storage": size}, "accessModes": modes,
        "persistentVolumeReclaimPolicy": "Retain", "hostPath": {"path": format!("/pv/{name}")}});
    if let Some(class) = class {
        spec["storageClassName"] = json!(class);
    }
    json!({"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name}, "spec": spec})
}

fn claim(name: &str, size: &str, modes: &[&str], class: Option<&str>) -> Value {
    let mut spec = json!({"accessModes": modes, "resources": {"requests": {"storage": size}}});
    if let Some(class) = class {
        spec["storageClassName"] = json!(class);
    }
    json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"}, "spec": spec})
}

fn class(name: &str, provisioner: &str, mode: &str, default: bool) -> Value {
    let mut object = json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": name}, "provisioner": provisioner, "volumeBindingMode": mode});
    if default {
        object["metadata"]["annotations"] =
            json!({"storageclass.kubernetes.io/is-default-class": "true"});
    }
    object
}

fn outcome(claim: &Value, volumes: &[Value], classes: &[Value], consumer: Option<&str>) -> String {
    let volumes: Vec<&Value> = volumes.iter().collect();
    let classes: Vec<&Value> = classes.iter().collect();
    match bind(claim, &volumes, &classes, consumer) {
        Binding::Bound { volume } => format!("bound {volume}"),
        Binding::Provisioned { class, .. } => format!("provisioned {class}"),
        Binding::Waiting { class } => format!("waiting {class}"),
        Binding::Pending(pending) => format!("pending {}: {}", pending.reason, pending.message),
    }
}

/// The docs' task "Configure a Pod to Use a PersistentVolume for Storage": a 10Gi RWO volume of
/// class `manual` and a 3Gi RWO claim of class `manual` bind.
#[test]
fn the_docs_task_claim_binds_its_volume() {
    let volumes = [volume(
        "task-pv-volume",
        "10Gi",
        &["ReadWriteOnce"],
        Some("manual"),
    )];
    let task = claim("task-pv-claim", "3Gi", &["ReadWriteOnce"], Some("manual"));
    assert_eq!(outcome(&task, &volumes, &[], None), "bound task-pv-volume");
    // Another class, more than 10Gi, or a mode the volume does not offer: nothing binds.
    let other = claim("c", "3Gi", &["ReadWriteOnce"], Some("fast"));
    assert!(outcome(&other, &volumes, &[], None).starts_with("pending ProvisioningFailed"));
    let big = claim("c", "11Gi", &["ReadWriteOnce"], Some("manual"));
    assert!(outcome(&big, &volumes, &[], None).starts_with("pending"));
    let shared = claim("c", "1Gi", &["ReadWriteMany"], Some("manual"));
    assert!(outcome(&shared, &volumes, &[], None).starts_with("pending"));
}

/// "Claims will remain unbound indefinitely if a matching volume does not exist"; quantities
/// compare by amount; the smallest fitting volume wins.
#[test]
fn the_smallest_volume_that_fits_wins() {
    let volumes = [
        volume("big", "100Gi", &["ReadWriteOnce"], None),
        volume("small", "0.5Gi", &["ReadWriteOnce"], None),
        volume("fit", "512Mi", &["ReadWriteOnce"], None),
        volume("tiny", "100Mi", &["ReadWriteOnce"], None),
    ];
    let wants = claim("c", "500Mi", &["ReadWriteOnce"], None);
    assert_eq!(outcome(&wants, &volumes, &[], None), "bound fit");
    let none = claim("c", "200Gi", &["ReadWriteOnce"], None);
    assert_eq!(
        outcome(&none, &volumes, &[], None),
        "pending FailedBinding: no persistent volumes available for this claim and no storage class is set"
    );
}

/// A volume offering only the modes asked for is preferred to a smaller one offering more.
#[test]
fn volumes_with_fewer_access_modes_are_looked_at_first() {
    let volumes = [
        volume(
            "rwx-small",
            "1Gi",
            &["ReadWriteOnce", "ReadWriteMany"],
            None,
        ),
        volume("rwo-large", "5Gi", &["ReadWriteOnce"], None),
    ];
    let rwo = claim("c", "1Gi", &["ReadWriteOnce"], None);
    assert_eq!(outcome(&rwo, &volumes, &[], None), "bound rwo-large");
    let rwx = claim("c", "1Gi", &["ReadWriteMany"], None);
    assert_eq!(outcome(&rwx, &volumes, &[], None), "bound rwx-small");
}

/// "A claim can request a particular class ... Claims with no class match volumes with no
/// class" — and an unset class takes the default class when there is one.
#[test]
fn an_unset_class_takes_the_default_and_an_empty_one_opts_out() {
    let volumes = [volume("plain", "1Gi", &["ReadWriteOnce"], None)];
    let classes = [class(
        "standard",
        "rancher.io/local-path",
        "WaitForFirstConsumer",
        true,
    )];
    let unset = claim("c", "1Gi", &["ReadWriteOnce"], None);
    assert_eq!(
        claim_class(&unset, &classes.iter().collect::<Vec<_>>()),
        "standard"
    );
    assert_eq!(
        outcome(&unset, &volumes, &classes, None),
        "waiting standard"
    );
    assert_eq!(
        outcome(&unset, &volumes, &classes, Some("web")),
        "provisioned standard"
    );
    let empty = claim("c", "1Gi", &["ReadWriteOnce"], Some(""));
    assert_eq!(outcome(&empty, &volumes, &classes, None), "bound plain");
    // Without a default class, unset matches volumes without a class.
    assert_eq!(outcome(&unset, &volumes, &[], None), "bound plain");
}

/// A selector narrows the volumes; a volumeMode must agree.
#[test]
fn selectors_and_volume_modes_narrow_the_choice() {
    let mut ssd = volume("ssd", "10Gi", &["ReadWriteOnce"], None);
    ssd["metadata"]["labels"] = json!({"disk": "ssd"});
    let mut block = volume("block", "1Gi", &["ReadWriteOnce"], None);
    block["spec"]["volumeMode"] = json!("Block");
    let volumes = [volume("hdd", "1Gi", &["ReadWriteOnce"], None), ssd, block];
    let mut wants_ssd = claim("c", "1Gi", &["ReadWriteOnce"], None);
    wants_ssd["spec"]["selector"] = json!({"matchLabels": {"disk": "ssd"}});
    assert_eq!(outcome(&wants_ssd, &volumes, &[], None), "bound ssd");
    let mut wants_block = claim("c", "1Gi", &["ReadWriteOnce"], None);
    wants_block["spec"]["volumeMode"] = json!("Block");
    assert_eq!(outcome(&wants_block, &volumes, &[], None), "bound block");
}

/// The page's "Reserving a PersistentVolume": a claim naming its volume, a volume naming its
/// claim; a Released volume (its claimRef left over) binds nothing new.
#[test]
fn pre_binding_reserves_a_volume_and_a_released_one_stays_taken() {
    let mut reserved = volume("foo-pv", "10Gi", &["ReadWriteOnce"], Some(""));
    reserved["spec"]["claimRef"] = json!({"name": "foo-pvc", "namespace": "foo"});
    let volumes = [
        volume("other", "10Gi", &["ReadWriteOnce"], Some("")),
        reserved,
    ];
    let mut foo = claim("foo-pvc", "1Gi", &["ReadWriteOnce"], Some(""));
    foo["metadata"]["namespace"] = json!("foo");
    assert_eq!(outcome(&foo, &volumes, &[], None), "bound foo-pv");
    let someone = claim("someone", "1Gi", &["ReadWriteOnce"], Some(""));
    assert_eq!(outcome(&someone, &volumes, &[], None), "bound other");
    let mut named = claim("named", "1Gi", &["ReadWriteOnce"], Some(""));
    named["spec"]["volumeName"] = json!("other");
    assert_eq!(outcome(&named, &volumes, &[], None), "bound other");
    named["spec"]["volumeName"] = json!("foo-pv");
    assert_eq!(
        outcome(&named, &volumes, &[], None),
        "pending FailedBinding: volume \"foo-pv\" already bound to a different claim."
    );
    named["spec"]["volumeName"] = json!("other");
    named["spec"]["resources"]["requests"]["storage"] = json!("20Gi");
    assert_eq!(
        outcome(&named, &volumes, &[], None),
        "pending VolumeMismatch: Cannot bind to requested volume \"other\": requested PV is too small"
    );
    let mut released = volume("released", "10Gi", &["ReadWriteOnce"], Some(""));
    released["spec"]["claimRef"] = json!({"name": "old", "namespace": "default", "uid": "1"});
    released["status"] = json!({"phase": "Released"});
    assert!(outcome(&someone, &[released], &[], None).starts_with("pending FailedBinding"));
}

/// Local volumes: `kubernetes.io/no-provisioner` never provisions; with WaitForFirstConsumer
/// nothing binds until a Pod uses the claim.
#[test]
fn static_local_classes_wait_for_a_consumer_and_never_provision() {
    let classes = [
        class(
            "local-storage",
            "kubernetes.io/no-provisioner",
            "WaitForFirstConsumer",
            false,
        ),
        class(
            "local-now",
            "kubernetes.io/no-provisioner",
            "Immediate",
            false,
        ),
        class("fast", "ebs.csi.aws.com", "Immediate", false),
    ];
    let volumes = [volume(
        "local-pv",
        "100Gi",
        &["ReadWriteOnce"],
        Some("local-storage"),
    )];
    let local = claim("c", "10Gi", &["ReadWriteOnce"], Some("local-storage"));
    assert_eq!(
        outcome(&local, &volumes, &classes, None),
        "waiting local-storage"
    );
    assert_eq!(
        outcome(&local, &volumes, &classes, Some("web")),
        "bound local-pv"
    );
    let too_big = claim("c", "200Gi", &["ReadWriteOnce"], Some("local-storage"));
    assert_eq!(
        outcome(&too_big, &volumes, &classes, Some("web")),
        "pending WaitForPodScheduled: waiting for pod web to be scheduled"
    );
    let now = claim("c", "1Gi", &["ReadWriteOnce"], Some("local-now"));
    assert_eq!(
        outcome(&now, &volumes, &classes, None),
        "pending ProvisioningFailed: no volume plugin matched name: kubernetes.io/no-provisioner"
    );
    let fast = claim("c", "1Gi", &["ReadWriteOnce"], Some("fast"));
    assert_eq!(outcome(&fast, &volumes, &classes, None), "provisioned fast");
    let missing = claim("c", "1Gi", &["ReadWriteOnce"], Some("gold"));
    assert_eq!(
        outcome(&missing, &volumes, &classes, None),
        "pending ProvisioningFailed: storageclass.storage.k8s.io \"gold\" not found"
    );
}

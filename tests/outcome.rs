//! Issue 21's exercises are graded by what the answer does: which connections a NetworkPolicy
//! allows, which backend a request reaches, which volume a claim binds to. So every answer that
//! behaves the same passes, however it is written, and one that behaves differently fails on the
//! check that names the behaviour. Runs against the built-in deck.

use kubedrill::content;
use kubedrill::grade::{GradeReport, Images, grade_exercise};
use kubedrill::manifest::Version;
use kubedrill::model::{ItemId, ItemRef};

fn grade(exercise: &str, answer: &str) -> GradeReport {
    let deck = content::built_in().deck.expect("the built-in deck loads");
    let id = ItemId::parse(exercise).unwrap();
    let Some(ItemRef::Exercise(found)) = deck.item(&id) else {
        panic!("no exercise {exercise}");
    };
    let images = Images::built_in().with(&deck.images);
    grade_exercise(&id, found, &images, answer, "en", Version::pinned())
}

fn failed(report: &GradeReport) -> Vec<&str> {
    report
        .checks
        .iter()
        .filter(|check| !check.passed)
        .map(|check| check.id.as_str())
        .collect()
}

fn assert_passes(exercise: &str, answer: &str) {
    let report = grade(exercise, answer);
    assert!(
        report.passed && report.score == 1.0,
        "{exercise}: failed {:?}",
        failed(&report)
    );
}

#[test]
fn a_database_policy_written_another_way_passes_and_the_two_item_trap_fails() {
    // Expressions instead of labels, the port by its name, policyTypes left to its default.
    assert_passes(
        "network-policies/db-from-api",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-policy}\nspec:\n  podSelector:\n    matchExpressions: [{key: role, operator: In, values: [db]}]\n  ingress:\n  - ports: [{port: mysql}]\n    from:\n    - podSelector: {matchExpressions: [{key: role, operator: In, values: [api]}]}\n",
    );
    // Any namespace's role=api Pods: the staging one gets in too.
    let report = grade(
        "network-policies/db-from-api",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db-policy}\nspec:\n  podSelector: {matchLabels: {role: db}}\n  ingress:\n  - ports: [{port: 3306}]\n    from:\n    - namespaceSelector: {}\n      podSelector: {matchLabels: {role: api}}\n",
    );
    assert_eq!(failed(&report), ["other-namespace-refused"]);
}

#[test]
fn dns_only_egress_needs_both_protocols() {
    assert_passes(
        "network-policies/egress-dns-only",
        "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata:\n  namespace: prod\n  name: default-deny-egress\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: 53, protocol: TCP}\n    - {port: 53, protocol: UDP}\n",
    );
    let report = grade(
        "network-policies/egress-dns-only",
        "kind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {namespace: prod, name: default-deny-egress}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports: [{port: 53, protocol: UDP}]\n",
    );
    assert_eq!(failed(&report), ["dns-tcp-outside"]);
}

#[test]
fn the_shop_ingress_may_send_the_rest_by_a_default_backend_but_not_by_an_exact_path() {
    let with_default = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop}\nspec:\n  ingressClassName: nginx\n  defaultBackend:\n    service: {name: web, port: {number: 80}}\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /api\n        pathType: Prefix\n        backend:\n          service: {name: api, port: {number: 8080}}\n";
    assert_passes("ingress/shop-paths", with_default);
    let exact = with_default.replace("pathType: Prefix", "pathType: Exact");
    let report = grade("ingress/shop-paths", &exact);
    assert_eq!(failed(&report), ["api-subpath"]);
}

#[test]
fn the_canary_split_is_graded_as_shares_of_the_traffic() {
    let answer = |api: u32, canary: u32| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: shop}}\nspec:\n  parentRefs: [{{name: main}}]\n  hostnames: [shop.example.com]\n  rules:\n  - matches: [{{path: {{type: PathPrefix, value: /api}}}}]\n    backendRefs:\n    - {{name: api, port: 8080, weight: {api}}}\n    - {{name: api-canary, port: 8080, weight: {canary}}}\n"
        )
    };
    assert_passes("gateway-api/shop-canary", &answer(90, 10));
    assert_passes("gateway-api/shop-canary", &answer(9, 1));
    let reversed = grade("gateway-api/shop-canary", &answer(10, 90));
    assert_eq!(failed(&reversed), ["api-split", "api-subpath-split"]);
}

#[test]
fn the_log_claim_binds_by_amount_and_not_with_a_mode_the_volume_lacks() {
    let answer = |capacity: &str, mode: &str| {
        format!(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: pv-log}}\nspec:\n  capacity: {{storage: {capacity}}}\n  accessModes: [ReadWriteMany]\n  persistentVolumeReclaimPolicy: Retain\n  hostPath: {{path: /pv/log}}\n---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: claim-log}}\nspec:\n  accessModes: [{mode}]\n  resources: {{requests: {{storage: 50Mi}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: webapp}}\nspec:\n  containers:\n  - name: webapp\n    image: kodekloud/event-simulator\n    volumeMounts: [{{name: log, mountPath: /log}}]\n  volumes:\n  - name: log\n    persistentVolumeClaim: {{claimName: claim-log}}\n"
        )
    };
    // 104857600 bytes is 100Mi.
    assert_passes(
        "persistent-volumes/log-claim",
        &answer("104857600", "ReadWriteMany"),
    );
    let report = grade(
        "persistent-volumes/log-claim",
        &answer("100Mi", "ReadWriteOnce"),
    );
    assert_eq!(failed(&report), ["claim-binds-pv-log"]);
}

//! The exercise grader judges outcomes, not spelling: every YAML style, key order, quoting and
//! document order that produces the same objects passes, and a wrong object fails on the check
//! that names its mistake. Runs against the built-in deck's exercises.

use kubedrill::content;
use kubedrill::grade::{GradeReport, Images, grade_exercise};
use kubedrill::manifest::Version;
use kubedrill::model::{Deck, ItemId, ItemRef};

fn deck() -> Deck {
    content::built_in().deck.expect("the built-in deck loads")
}

fn grade(exercise: &str, answer: &str) -> GradeReport {
    let deck = deck();
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

fn assert_passes(exercise: &str, style: &str, answer: &str) {
    let report = grade(exercise, answer);
    assert!(
        report.passed && report.score == 1.0,
        "{style}: failed {:?}, diagnostics {:?}",
        failed(&report),
        report
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.path, d.message))
            .collect::<Vec<_>>()
    );
}

const ENVFROM: &str = "configmaps/app-config-envfrom";

#[test]
fn envfrom_answers_in_every_style_pass() {
    let styles = [
        (
            "block style, ConfigMap first",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n  - name: webapp\n    image: kodekloud/webapp-color\n    envFrom:\n    - configMapRef:\n        name: app-config\n",
        ),
        (
            "Pod first, ConfigMap last, with document markers and comments",
            "---\n# the Pod\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      envFrom:\n        - configMapRef:\n            name: app-config   # every key\n---\n# the ConfigMap\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_MODE: prod\n  APP_COLOR: blue\n...\n",
        ),
        (
            "flow style",
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: app-config}, data: {APP_COLOR: blue, APP_MODE: prod}}\n---\n{apiVersion: v1, kind: Pod, metadata: {name: webapp}, spec: {containers: [{name: webapp, image: kodekloud/webapp-color, envFrom: [{configMapRef: {name: app-config}}]}]}}\n",
        ),
        (
            "JSON documents",
            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"app-config\"}, \"data\": {\"APP_COLOR\": \"blue\", \"APP_MODE\": \"prod\"}}\n---\n{\"kind\": \"Pod\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"webapp\"}, \"spec\": {\"containers\": [{\"name\": \"webapp\", \"image\": \"kodekloud/webapp-color\", \"envFrom\": [{\"configMapRef\": {\"name\": \"app-config\"}}]}]}}\n",
        ),
        (
            "quoted scalars and keys in another order",
            "kind: \"ConfigMap\"\napiVersion: 'v1'\ndata:\n  \"APP_COLOR\": 'blue'\n  APP_MODE: \"prod\"\nmetadata:\n  name: \"app-config\"\n---\nspec:\n  containers:\n    - envFrom:\n        - configMapRef: {name: 'app-config'}\n      image: \"kodekloud/webapp-color\"\n      name: webapp\nmetadata: {name: webapp}\nkind: Pod\napiVersion: v1\n",
        ),
        (
            "extra harmless labels, annotations, a tagged image and a restart policy",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  labels:\n    app: webapp\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\n  labels:\n    app: webapp\n    tier: frontend\n  annotations:\n    owner: team-a\nspec:\n  restartPolicy: Always\n  containers:\n    - name: webapp\n      image: docker.io/kodekloud/webapp-color:latest\n      imagePullPolicy: IfNotPresent\n      ports:\n        - containerPort: 8080\n      envFrom:\n        - configMapRef:\n            name: app-config\n            optional: false\n",
        ),
        (
            "block scalars and an anchor",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &cm app-config\ndata:\n  APP_COLOR: >-\n    blue\n  APP_MODE: |-\n    prod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      envFrom:\n        - configMapRef:\n            name: app-config\n",
        ),
    ];
    for (style, answer) in styles {
        assert_passes(ENVFROM, style, answer);
    }
}

/// The seed notes' own trap: the ConfigMap is `app-config`, the Pod asks for `app-color`.
#[test]
fn the_seed_trap_fails_the_reference_check_naming_both_names_and_the_line() {
    let answer = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      envFrom:\n        - configMapRef:\n            name: app-color\n";
    let report = grade(ENVFROM, answer);
    assert!(!report.passed);
    assert!(
        report.diagnostics.is_empty(),
        "the manifest itself is valid"
    );
    let check = report
        .check("references")
        .expect("the exercise has a reference check");
    assert!(!check.passed);
    let detail = check.detail.as_deref().unwrap();
    assert!(detail.contains("`app-color` does not exist"), "{detail}");
    assert!(detail.contains("app-config"), "{detail}");
    assert_eq!(check.line, Some(19), "the line of `name: app-color`");
    assert_eq!(
        check.path.as_deref(),
        Some("spec.containers[0].envFrom[0].configMapRef.name")
    );
    // Partial credit: the ConfigMap part is right.
    assert!(report.score > 0.0 && report.score < 1.0, "{}", report.score);
}

#[test]
fn wrong_objects_fail_on_the_check_that_names_the_mistake() {
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      envFrom:\n        - configMapRef:\n            name: app-config\n";
    let cases = [
        (
            "a value in another case",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: Blue\n  APP_MODE: prod\n{pod}"
            ),
            vec!["color-key", "sees-color"],
            "`app-config` must have the key `APP_COLOR` with the value `blue`.",
        ),
        (
            "the ConfigMap under another name",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-configs\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n{pod}"
            ),
            vec![
                "configmap-exists",
                "color-key",
                "mode-key",
                "references",
                "sees-color",
                "sees-mode",
            ],
            "There must be a ConfigMap named `app-config`.",
        ),
        (
            "a prefix renames every variable",
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n{}",
                pod.replace(
                    "        - configMapRef:",
                    "        - prefix: CFG_\n          configMapRef:"
                )
            ),
            vec!["sees-color", "sees-mode"],
            "The container must see `APP_COLOR=blue`.",
        ),
    ];
    for (what, answer, expected_failures, first_message) in cases {
        let report = grade(ENVFROM, &answer);
        assert!(
            report.diagnostics.is_empty(),
            "{what}: {:?}",
            report.diagnostics
        );
        assert_eq!(failed(&report), expected_failures, "{what}");
        let first = report.checks.iter().find(|check| !check.passed).unwrap();
        assert_eq!(first.message, first_message, "{what}");
    }
}

#[test]
fn an_invalid_manifest_scores_zero_but_still_shows_the_checks() {
    let answer = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  APP_COLOR: blue\n  APP_MODE: prod\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      envFrom:\n        - configMapRef:\n            nmae: app-config\n";
    let report = grade(ENVFROM, answer);
    assert!(!report.passed);
    assert_eq!(report.score, 0.0);
    let typo = &report.diagnostics[0];
    assert_eq!(typo.path, "spec.containers[0].envFrom[0].configMapRef.nmae");
    assert_eq!(typo.suggestion.as_deref(), Some("name"));
    // The ConfigMap could be read, so its checks are judged (and pass) all the same.
    assert!(report.check("color-key").unwrap().passed);
    assert!(!report.check("envfrom-ref").unwrap().passed);
}

#[test]
fn single_key_answers_in_every_style_pass_against_the_given_configmap() {
    let styles = [
        (
            "block style",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      env:\n        - name: APP_COLOR\n          valueFrom:\n            configMapKeyRef:\n              name: app-config\n              key: APP_COLOR\n",
        ),
        (
            "flow mappings, keys reordered",
            "kind: Pod\napiVersion: v1\nmetadata: {name: webapp}\nspec:\n  containers:\n  - image: kodekloud/webapp-color\n    name: webapp\n    env:\n    - valueFrom: {configMapKeyRef: {key: APP_COLOR, name: app-config}}\n      name: APP_COLOR\n",
        ),
    ];
    for (style, answer) in styles {
        assert_passes("configmaps/single-key", style, answer);
    }
    // Copying the value in passes no reference check: the task asks for the reference.
    let copied = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n    - name: webapp\n      image: kodekloud/webapp-color\n      env:\n        - name: APP_COLOR\n          value: blue\n";
    let report = grade("configmaps/single-key", copied);
    assert!(!report.passed);
    assert!(
        report.check("sees-color").unwrap().passed,
        "the value itself is right"
    );
}

#[test]
fn a_volume_that_cannot_mount_stops_every_container_of_the_pod() {
    let answer = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: git-sync\nspec:\n  containers:\n    - name: git-sync\n      image: busybox:1.36\n      command: [\"sleep\", \"3600\"]\n      volumeMounts:\n        - name: ssh-key\n          mountPath: /etc/git-ssh\n          readOnly: true\n  volumes:\n    - name: ssh-key\n      secret:\n        secretName: git-ssh-key\n        defaultMode: 0400\n";
    let report = grade("secrets/ssh-key-volume", answer);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(
        failed(&report),
        ["runs-sleep", "volume-source", "references"],
        "the process never runs, though its command is right"
    );
    let runs = report
        .checks
        .iter()
        .find(|check| check.id == "runs-sleep")
        .unwrap();
    let detail = runs.detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("git-ssh-key") && detail.contains("no container of the Pod starts"),
        "{detail}"
    );
    // Marked optional, the missing Secret no longer blocks the Pod.
    let optional = answer.replace(
        "        defaultMode: 0400\n",
        "        defaultMode: 0400\n        optional: true\n",
    );
    let report = grade("secrets/ssh-key-volume", &optional);
    assert!(
        !failed(&report).contains(&"runs-sleep"),
        "{:?}",
        failed(&report)
    );
}

/// The API server fills in `roleRef.apiGroup` and a User's `apiGroup`, and verbs may come in any
/// order: a pod-reader written that way passes; a ClusterRoleBinding cannot refer to a Role.
#[test]
fn a_pod_reader_without_api_groups_and_with_verbs_reordered_passes() {
    let answer = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pod-reader, namespace: dev}\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [watch, list, get]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: read-pods, namespace: dev}\nsubjects: [{kind: User, name: jane}]\nroleRef: {kind: Role, name: pod-reader}\n";
    assert_passes("rbac/pod-reader", "defaults left out", answer);
    let cluster_wide = answer.replace("kind: RoleBinding", "kind: ClusterRoleBinding");
    let report = grade("rbac/pod-reader", &cluster_wide);
    assert!(!report.passed, "a ClusterRoleBinding to a Role passed");
}

/// A kubeconfig answer is graded as `Config/kubeconfig`; a context naming a user the file does
/// not have is refused by the manifest check, as kubectl would fail on it.
#[test]
fn a_kubeconfig_answer_is_graded_and_a_dangling_context_is_refused() {
    let deck = deck();
    let id = ItemId::parse("kubeconfig/switch-to-prod").unwrap();
    let Some(ItemRef::Exercise(exercise)) = deck.item(&id) else {
        panic!("no exercise kubeconfig/switch-to-prod");
    };
    let solution = exercise.solution.clone();
    assert_passes("kubeconfig/switch-to-prod", "the solution", &solution);
    let broken: String = solution
        .lines()
        .map(|line| {
            if line.starts_with("current-context:") {
                "current-context: nowhere".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let report = grade("kubeconfig/switch-to-prod", &broken);
    assert!(!report.passed);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.path == "current-context"),
        "{:?}",
        report
            .diagnostics
            .iter()
            .map(|diagnostic| &diagnostic.message)
            .collect::<Vec<_>>()
    );
}

// Issue 21: policies, routes and claims are graded by what they do, so every answer that behaves
// the same passes and one that behaves differently fails on the check naming the behaviour.

#[test]
fn a_database_policy_written_another_way_passes_and_the_two_item_trap_fails() {
    // Expressions instead of labels, the port by its name, policyTypes left to its default.
    assert_passes(
        "network-policies/db-from-api",
        "written another way",
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
        "written another way",
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
    assert_passes("ingress/shop-paths", "written another way", with_default);
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
    assert_passes(
        "gateway-api/shop-canary",
        "written another way",
        &answer(90, 10),
    );
    assert_passes(
        "gateway-api/shop-canary",
        "written another way",
        &answer(9, 1),
    );
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
        "written another way",
        &answer("104857600", "ReadWriteMany"),
    );
    let report = grade(
        "persistent-volumes/log-claim",
        &answer("100Mi", "ReadWriteOnce"),
    );
    assert_eq!(failed(&report), ["claim-binds-pv-log"]);
}

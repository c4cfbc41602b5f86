//! The examples of the Kubernetes docs' "Network Policies" page, evaluated over a few Pods.

use serde_json::{Value, json};

use super::{Endpoint, Port, World, cidr_contains};

fn pod(namespace: &str, name: &str, labels: Value) -> Value {
    let mut pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": "nginx",
            "ports": [{"name": "http", "containerPort": 8080}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]}]}});
    pod["metadata"]["labels"] = labels;
    pod
}

fn namespace(name: &str, labels: Value) -> Value {
    let mut namespace =
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}});
    namespace["metadata"]["labels"] = labels;
    namespace
}

fn policy(namespace: &str, name: &str, spec: Value) -> Value {
    let mut policy = json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace}});
    policy["spec"] = spec;
    policy
}

fn allowed(objects: &[Value], from: &str, to: &str, port: u16, protocol: &str) -> bool {
    let world = World::new(objects);
    let from = Endpoint::parse(from, "default").unwrap();
    let to = Endpoint::parse(to, "default").unwrap();
    world
        .connection(&from, &to, &Port::Number(port), protocol)
        .unwrap()
        .allowed
}

fn pods() -> Vec<Value> {
    vec![
        pod("default", "db", json!({"role": "db"})),
        pod("default", "frontend", json!({"role": "frontend"})),
        pod("default", "other", json!({"role": "other"})),
        pod("myproject", "client", json!({"app": "client"})),
        pod("elsewhere", "frontend", json!({"role": "frontend"})),
        namespace("myproject", json!({"project": "myproject"})),
    ]
}

/// The page's `test-network-policy`: role=db Pods in default take TCP 6379 from role=frontend
/// Pods of default, from any Pod of a namespace labelled project=myproject, and from
/// 172.17.0.0/16 except 172.17.1.0/24; they may reach 10.0.0.0/24 on TCP 5978 only.
#[test]
fn the_docs_example_policy_allows_what_the_page_says_and_nothing_more() {
    let mut objects = pods();
    objects.push(policy(
        "default",
        "test-network-policy",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": [{"from": [
            {"ipBlock": {"cidr": "172.17.0.0/16", "except": ["172.17.1.0/24"]}},
            {"namespaceSelector": {"matchLabels": {"project": "myproject"}}},
            {"podSelector": {"matchLabels": {"role": "frontend"}}}],
            "ports": [{"protocol": "TCP", "port": 6379}]}],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}],
            "ports": [{"protocol": "TCP", "port": 5978}]}]}),
    ));
    assert!(allowed(
        &objects,
        "default/frontend",
        "default/db",
        6379,
        "TCP"
    ));
    assert!(allowed(
        &objects,
        "myproject/client",
        "default/db",
        6379,
        "TCP"
    ));
    assert!(allowed(&objects, "172.17.0.5", "default/db", 6379, "TCP"));
    assert!(allowed(&objects, "172.17.2.9", "default/db", 6379, "TCP"));
    // The except range, another port, another protocol, a role=frontend Pod of another
    // namespace, and a Pod of default without the label.
    assert!(!allowed(&objects, "172.17.1.7", "default/db", 6379, "TCP"));
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        6380,
        "TCP"
    ));
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        6379,
        "UDP"
    ));
    assert!(!allowed(
        &objects,
        "elsewhere/frontend",
        "default/db",
        6379,
        "TCP"
    ));
    assert!(!allowed(
        &objects,
        "default/other",
        "default/db",
        6379,
        "TCP"
    ));
    // Egress of the db Pods: 10.0.0.0/24 on 5978 only; other Pods are not selected.
    assert!(allowed(&objects, "default/db", "10.0.0.12", 5978, "TCP"));
    assert!(!allowed(&objects, "default/db", "10.0.1.12", 5978, "TCP"));
    assert!(!allowed(&objects, "default/db", "10.0.0.12", 443, "TCP"));
    assert!(!allowed(
        &objects,
        "default/db",
        "default/frontend",
        8080,
        "TCP"
    ));
    assert!(allowed(
        &objects,
        "default/frontend",
        "default/other",
        8080,
        "TCP"
    ));
}

/// Without policies everything is allowed; a policy selecting nothing changes nothing.
#[test]
fn pods_that_no_policy_selects_are_not_isolated() {
    let mut objects = pods();
    assert!(allowed(
        &objects,
        "elsewhere/frontend",
        "default/db",
        1,
        "SCTP"
    ));
    objects.push(policy(
        "default",
        "only-x",
        json!({
        "podSelector": {"matchLabels": {"app": "x"}}, "policyTypes": ["Ingress", "Egress"]}),
    ));
    assert!(allowed(
        &objects,
        "elsewhere/frontend",
        "default/db",
        1,
        "SCTP"
    ));
}

/// "One item versus two": `from: [{namespaceSelector, podSelector}]` is an AND;
/// `from: [{namespaceSelector}, {podSelector}]` is an OR.
#[test]
fn a_namespace_and_a_pod_selector_in_one_item_mean_and_in_two_items_mean_or() {
    let mut and = pods();
    and.push(namespace("elsewhere", json!({"user": "alice"})));
    let mut or = and.clone();
    and.push(policy(
        "default",
        "and",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"user": "alice"}},
                               "podSelector": {"matchLabels": {"role": "client"}}}]}]}),
    ));
    or.push(policy(
        "default",
        "or",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"user": "alice"}}},
                              {"podSelector": {"matchLabels": {"role": "client"}}}]}]}),
    ));
    // elsewhere/frontend is in alice's namespace but is not role=client.
    assert!(!allowed(
        &and,
        "elsewhere/frontend",
        "default/db",
        80,
        "TCP"
    ));
    assert!(allowed(&or, "elsewhere/frontend", "default/db", 80, "TCP"));
}

/// The page's defaults: deny all ingress, allow all ingress, deny all egress, deny both.
#[test]
fn the_default_policies_deny_or_allow_a_whole_namespace() {
    let deny_ingress = policy(
        "default",
        "default-deny-ingress",
        json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
    );
    let allow_ingress = policy(
        "default",
        "allow-all-ingress",
        json!({"podSelector": {}, "ingress": [{}], "policyTypes": ["Ingress"]}),
    );
    let deny_egress = policy(
        "default",
        "default-deny-egress",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    );
    let mut objects = pods();
    objects.push(deny_ingress);
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        80,
        "TCP"
    ));
    assert!(!allowed(&objects, "8.8.8.8", "default/db", 80, "TCP"));
    assert!(
        allowed(&objects, "default/db", "8.8.8.8", 53, "UDP"),
        "egress is untouched"
    );
    assert!(allowed(
        &objects,
        "default/db",
        "myproject/client",
        80,
        "TCP"
    ));
    // Policies add up: allowing all ingress besides the deny opens it again.
    objects.push(allow_ingress);
    assert!(allowed(
        &objects,
        "default/frontend",
        "default/db",
        80,
        "TCP"
    ));
    let mut objects = pods();
    objects.push(deny_egress);
    assert!(!allowed(&objects, "default/db", "8.8.8.8", 53, "UDP"));
    assert!(!allowed(
        &objects,
        "default/db",
        "myproject/client",
        80,
        "TCP"
    ));
    assert!(
        allowed(&objects, "myproject/client", "default/db", 80, "TCP"),
        "ingress is untouched"
    );
}

/// A policy without policyTypes is an Ingress policy, and an Egress one as well once it has
/// egress rules.
#[test]
fn policy_types_default_from_the_rules_written() {
    let mut objects = pods();
    objects.push(policy("default", "no-types", json!({"podSelector": {}})));
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        80,
        "TCP"
    ));
    assert!(allowed(&objects, "default/db", "8.8.8.8", 80, "TCP"));
    let mut objects = pods();
    objects.push(policy(
        "default",
        "egress-rules",
        json!({"podSelector": {},
        "egress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}),
    ));
    assert!(allowed(&objects, "default/db", "8.8.8.8", 53, "UDP"));
    assert!(allowed(
        &objects,
        "default/db",
        "myproject/client",
        53,
        "TCP"
    ));
    assert!(!allowed(&objects, "default/db", "8.8.8.8", 443, "TCP"));
    assert!(
        !allowed(&objects, "myproject/client", "default/db", 80, "TCP"),
        "ingress too"
    );
}

/// The page's endPort example: TCP 32000 to 32768 to 10.0.0.0/24.
#[test]
fn end_port_opens_a_range_and_named_ports_are_the_destination_pods() {
    let mut objects = pods();
    objects.push(policy(
        "default",
        "multi-port-egress",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}],
                    "ports": [{"protocol": "TCP", "port": 32000, "endPort": 32768}]}]}),
    ));
    assert!(allowed(&objects, "default/db", "10.0.0.1", 32000, "TCP"));
    assert!(allowed(&objects, "default/db", "10.0.0.1", 32768, "TCP"));
    assert!(!allowed(&objects, "default/db", "10.0.0.1", 32769, "TCP"));
    assert!(!allowed(&objects, "default/db", "10.0.0.1", 31999, "TCP"));
    let mut objects = pods();
    objects.push(policy(
        "default",
        "named",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}},
        "ingress": [{"ports": [{"port": "http"}]}]}),
    ));
    assert!(allowed(
        &objects,
        "default/frontend",
        "default/db",
        8080,
        "TCP"
    ));
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        80,
        "TCP"
    ));
    let world = World::new(&objects);
    let verdict = world
        .connection(
            &Endpoint::parse("frontend", "default").unwrap(),
            &Endpoint::parse("db", "default").unwrap(),
            &Port::Name("http".into()),
            "TCP",
        )
        .unwrap();
    assert!(verdict.allowed, "{}", verdict.reason);
}

/// Every namespace carries `kubernetes.io/metadata.name`, with or without an object.
#[test]
fn the_automatic_namespace_label_selects_a_namespace_by_name() {
    let mut objects = pods();
    objects.push(policy("default", "from-myproject", json!({
        "podSelector": {},
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "elsewhere"}}}]}]})));
    assert!(allowed(
        &objects,
        "elsewhere/frontend",
        "default/db",
        80,
        "TCP"
    ));
    assert!(!allowed(
        &objects,
        "myproject/client",
        "default/db",
        80,
        "TCP"
    ));
    assert!(!allowed(
        &objects,
        "default/frontend",
        "default/db",
        80,
        "TCP"
    ));
}

#[test]
fn refusals_name_the_isolating_policy_and_unknown_pods_are_errors() {
    let mut objects = pods();
    objects.push(policy(
        "default",
        "db-policy",
        json!({
        "podSelector": {"matchLabels": {"role": "db"}}, "policyTypes": ["Ingress"]}),
    ));
    let world = World::new(&objects);
    let verdict = world
        .connection(
            &Endpoint::parse("frontend", "default").unwrap(),
            &Endpoint::parse("db", "default").unwrap(),
            &Port::Number(3306),
            "TCP",
        )
        .unwrap();
    assert_eq!(
        verdict.reason,
        "default/db is isolated for ingress by NetworkPolicy `db-policy`, and no rule of it lets default/frontend in on TCP 3306"
    );
    let missing = world.connection(
        &Endpoint::parse("ghost", "default").unwrap(),
        &Endpoint::parse("db", "default").unwrap(),
        &Port::Number(1),
        "TCP",
    );
    assert!(
        missing
            .unwrap_err()
            .starts_with("there is no Pod default/ghost")
    );
    assert!(Endpoint::parse("Bad_Name", "default").is_err());
}

#[test]
fn cidr_ranges_compare_by_prefix() {
    let ip = |text: &str| text.parse().unwrap();
    assert!(cidr_contains("10.0.0.0/8", ip("10.255.1.1")));
    assert!(!cidr_contains("10.0.0.0/8", ip("11.0.0.1")));
    assert!(cidr_contains("0.0.0.0/0", ip("1.2.3.4")));
    assert!(cidr_contains("172.17.1.0/24", ip("172.17.1.255")));
    assert!(cidr_contains("2001:db8::/32", ip("2001:db8:1::1")));
    assert!(!cidr_contains("2001:db8::/32", ip("10.0.0.1")));
    assert!(!cidr_contains("10.0.0.0", ip("10.0.0.0")));
}

//! The examples of the Kubernetes docs' Ingress page and the Gateway API guides, routed.

use serde_json::{Value, json};

use super::{Answer, Backend, Request, http_route, ingress};

fn service(namespace: &str, name: &str, ports: &[(u64, &str)]) -> Value {
    let ports: Vec<Value> = ports
        .iter()
        .map(|(port, name)| json!({"name": name, "port": port, "protocol": "TCP"}))
        .collect();
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": name, "namespace": namespace}, "spec": {"ports": ports}})
}

fn ingress_object(name: &str, spec: Value) -> Value {
    let mut ingress = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": name, "namespace": "default"}});
    ingress["spec"] = spec;
    ingress
}

fn path(path: &str, kind: &str, service: &str, port: u64) -> Value {
    json!({"path": path, "pathType": kind,
        "backend": {"service": {"name": service, "port": {"number": port}}}})
}

/// `svc:port` of each backend, or `none`, `redirect LOCATION`, `error`.
fn reached(answer: &Answer) -> String {
    match answer {
        Answer::Backends(backends) => backends
            .iter()
            .map(|(backend, weight)| format!("{}={weight}", backend.shown("default")))
            .collect::<Vec<_>>()
            .join(","),
        Answer::NotFound => "none".to_string(),
        Answer::Redirect { location, status } => format!("redirect {status} {location}"),
        Answer::Error(_) => "error".to_string(),
    }
}

fn via_ingress(objects: &[Value], url: &str) -> String {
    let objects: Vec<&Value> = objects.iter().collect();
    reached(&ingress(&objects, None, &Request::parse(url).unwrap()).answer)
}

fn services() -> Vec<Value> {
    vec![
        service("default", "service1", &[(4200, "http"), (80, "web")]),
        service("default", "service2", &[(8080, "http"), (80, "web")]),
        service("default", "service3", &[(80, "web")]),
        service("default", "default-backend", &[(80, "web")]),
    ]
}

/// The page's "Simple fanout": foo.bar.com/foo to service1:4200, /bar to service2:8080.
#[test]
fn a_fanout_sends_each_prefix_to_its_service() {
    let mut objects = services();
    objects.push(ingress_object("simple-fanout-example", json!({"rules": [{"host": "foo.bar.com",
        "http": {"paths": [path("/foo", "Prefix", "service1", 4200), path("/bar", "Prefix", "service2", 8080)]}}]})));
    assert_eq!(
        via_ingress(&objects, "http://foo.bar.com/foo"),
        "service1:4200=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://foo.bar.com/foo/x/y?z=1"),
        "service1:4200=1"
    );
    assert_eq!(
        via_ingress(&objects, "https://foo.bar.com/bar/"),
        "service2:8080=1"
    );
    assert_eq!(via_ingress(&objects, "http://foo.bar.com/foobar"), "none");
    assert_eq!(via_ingress(&objects, "http://foo.bar.com/"), "none");
    assert_eq!(via_ingress(&objects, "http://other.com/foo"), "none");
}

/// The page's "Name based virtual hosting", with the rule without a host for everything else.
#[test]
fn hosts_pick_the_rules_and_a_rule_without_host_takes_the_rest() {
    let mut objects = services();
    objects.push(ingress_object(
        "name-virtual-host-ingress-no-third-host",
        json!({"rules": [
        {"host": "first.bar.com", "http": {"paths": [path("/", "Prefix", "service1", 80)]}},
        {"host": "second.bar.com", "http": {"paths": [path("/", "Prefix", "service2", 80)]}},
        {"http": {"paths": [path("/", "Prefix", "service3", 80)]}}]}),
    ));
    assert_eq!(
        via_ingress(&objects, "http://first.bar.com/a"),
        "service1:80=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://second.bar.com/"),
        "service2:80=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://third.bar.com/x"),
        "service3:80=1"
    );
    assert_eq!(via_ingress(&objects, "http://10.0.0.1/x"), "service3:80=1");
}

/// The page's "Examples" table of path types and matches.
#[test]
fn path_types_match_as_the_docs_table_says() {
    let cases: &[(&str, &str, &str, bool)] = &[
        ("Prefix", "/", "/anything/at/all", true),
        ("Exact", "/foo", "/foo", true),
        ("Exact", "/foo", "/bar", false),
        ("Exact", "/foo", "/foo/", false),
        ("Exact", "/foo/", "/foo", false),
        ("Prefix", "/foo", "/foo", true),
        ("Prefix", "/foo", "/foo/", true),
        ("Prefix", "/foo/", "/foo", true),
        ("Prefix", "/foo/", "/foo/", true),
        ("Prefix", "/aaa/bb", "/aaa/bbb", false),
        ("Prefix", "/aaa/bbb", "/aaa/bbb", true),
        ("Prefix", "/aaa/bbb/", "/aaa/bbb", true),
        ("Prefix", "/aaa/bbb", "/aaa/bbb/", true),
        ("Prefix", "/aaa/bbb", "/aaa/bbb/ccc", true),
        ("Prefix", "/aaa/bbb", "/aaa/bbbxyz", false),
    ];
    for (kind, rule, request, matches) in cases {
        let mut objects = services();
        objects.push(ingress_object(
            "table",
            json!({"rules": [{"host": "a.com",
            "http": {"paths": [path(rule, kind, "service1", 80)]}}]}),
        ));
        let found = via_ingress(&objects, &format!("http://a.com{request}"));
        assert_eq!(
            found == "service1:80=1",
            *matches,
            "{kind} {rule} for {request}: {found}"
        );
    }
    // Several paths match: the longest wins; at equal length, Exact wins.
    let mut objects = services();
    objects.push(ingress_object(
        "multi",
        json!({"rules": [{"host": "a.com", "http": {"paths": [
        path("/", "Prefix", "service1", 80), path("/aaa", "Prefix", "service2", 80),
        path("/aaa", "Exact", "service3", 80)]}}]}),
    ));
    assert_eq!(
        via_ingress(&objects, "http://a.com/aaa/ccc"),
        "service2:80=1"
    );
    assert_eq!(via_ingress(&objects, "http://a.com/aaa"), "service3:80=1");
    assert_eq!(via_ingress(&objects, "http://a.com/ccc"), "service1:80=1");
}

/// The page's "Hostname wildcards" table: `*.foo.com` covers one label.
#[test]
fn a_wildcard_host_matches_exactly_one_label() {
    let mut objects = services();
    objects.push(ingress_object(
        "ingress-wildcard-host",
        json!({"rules": [
        {"host": "foo.bar.com", "http": {"paths": [path("/bar", "Prefix", "service1", 80)]}},
        {"host": "*.foo.com", "http": {"paths": [path("/foo", "Prefix", "service2", 80)]}}]}),
    ));
    assert_eq!(
        via_ingress(&objects, "http://bar.foo.com/foo"),
        "service2:80=1"
    );
    assert_eq!(via_ingress(&objects, "http://baz.bar.foo.com/foo"), "none");
    assert_eq!(via_ingress(&objects, "http://foo.com/foo"), "none");
    assert_eq!(
        via_ingress(&objects, "http://foo.bar.com/bar"),
        "service1:80=1"
    );
}

/// The default backend takes what no rule matches; a missing Service or port is an error, and
/// a port name resolves through the Service.
#[test]
fn the_default_backend_takes_the_rest_and_ports_resolve_by_name() {
    let mut objects = services();
    objects.push(ingress_object("with-default", json!({
        "defaultBackend": {"service": {"name": "default-backend", "port": {"name": "web"}}},
        "rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "service2", "port": {"name": "http"}}}},
            path("/gone", "Prefix", "missing", 80)]}}]})));
    assert_eq!(
        via_ingress(&objects, "http://shop.example.com/api/v1"),
        "service2:8080=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://shop.example.com/about"),
        "default-backend:80=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://other.example.com/"),
        "default-backend:80=1"
    );
    assert_eq!(
        via_ingress(&objects, "http://shop.example.com/gone"),
        "error"
    );
}

fn gateway(namespace: &str, name: &str, listeners: Value) -> Value {
    let mut gateway = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"gatewayClassName": "example"}});
    gateway["spec"]["listeners"] = listeners;
    gateway
}

fn route(namespace: &str, name: &str, spec: Value) -> Value {
    let mut route = json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": name, "namespace": namespace}});
    route["spec"] = spec;
    route
}

fn via_route(objects: &[Value], url: &str, headers: &[(&str, &str)]) -> String {
    let objects: Vec<&Value> = objects.iter().collect();
    let mut request = Request::parse(url).unwrap();
    request.headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    reached(&http_route(&objects, None, &request).answer)
}

fn http_gateway() -> Vec<Value> {
    vec![
        gateway(
            "default",
            "example-gateway",
            json!([{"name": "http", "protocol": "HTTP", "port": 80}]),
        ),
        service("default", "example-svc", &[(8080, "http")]),
        service("default", "foo-v1", &[(8080, "http")]),
        service("default", "foo-v2", &[(8080, "http")]),
    ]
}

/// The kubernetes.io Gateway API page's HTTPRoute: www.example.com/login to example-svc:8080.
#[test]
fn the_docs_httproute_sends_login_to_its_service() {
    let mut objects = http_gateway();
    objects.push(route(
        "default",
        "example-httproute",
        json!({
        "parentRefs": [{"name": "example-gateway"}], "hostnames": ["www.example.com"],
        "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/login"}}],
                   "backendRefs": [{"name": "example-svc", "port": 8080}]}]}),
    ));
    assert_eq!(
        via_route(&objects, "http://www.example.com/login", &[]),
        "example-svc:8080=1"
    );
    assert_eq!(
        via_route(&objects, "http://www.example.com/login/x", &[]),
        "example-svc:8080=1"
    );
    assert_eq!(
        via_route(&objects, "http://www.example.com/logout", &[]),
        "none"
    );
    assert_eq!(via_route(&objects, "http://example.com/login", &[]), "none");
    // No HTTPS listener on 443.
    assert_eq!(
        via_route(&objects, "https://www.example.com/login", &[]),
        "none"
    );
}

/// The traffic-splitting guide: a canary by header, then a 90/10 split.
#[test]
fn weights_split_and_a_header_match_wins_over_a_plain_one() {
    let mut objects = http_gateway();
    objects.push(route("default", "foo-route", json!({
        "parentRefs": [{"name": "example-gateway"}], "hostnames": ["foo.example.com"],
        "rules": [
            {"backendRefs": [{"name": "foo-v1", "port": 8080, "weight": 90}, {"name": "foo-v2", "port": 8080, "weight": 10}]},
            {"matches": [{"headers": [{"name": "traffic", "value": "test"}]}],
             "backendRefs": [{"name": "foo-v2", "port": 8080}]}]})));
    assert_eq!(
        via_route(&objects, "http://foo.example.com/", &[]),
        "foo-v1:8080=90,foo-v2:8080=10"
    );
    assert_eq!(
        via_route(&objects, "http://foo.example.com/x", &[("Traffic", "test")]),
        "foo-v2:8080=1"
    );
    assert_eq!(
        via_route(&objects, "http://foo.example.com/x", &[("traffic", "prod")]),
        "foo-v1:8080=90,foo-v2:8080=10"
    );
}

/// Exact beats PathPrefix, a longer prefix beats a shorter one, a method match beats none.
#[test]
fn rule_precedence_follows_the_spec() {
    let mut objects = http_gateway();
    objects.push(route("default", "r", json!({
        "parentRefs": [{"name": "example-gateway"}],
        "rules": [
            {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [{"name": "example-svc", "port": 8080}]},
            {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}], "backendRefs": [{"name": "foo-v1", "port": 8080}]},
            {"matches": [{"path": {"type": "Exact", "value": "/api"}}], "backendRefs": [{"name": "foo-v2", "port": 8080}]},
            {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}, "method": "POST"}], "backendRefs": [{"name": "example-svc", "port": 8080}]}]})));
    assert_eq!(
        via_route(&objects, "http://any.host/api", &[]),
        "foo-v2:8080=1"
    );
    assert_eq!(
        via_route(&objects, "http://any.host/api/x", &[]),
        "foo-v1:8080=1"
    );
    assert_eq!(
        via_route(&objects, "http://any.host/apix", &[]),
        "example-svc:8080=1"
    );
    let objects_ref: Vec<&Value> = objects.iter().collect();
    let mut post = Request::parse("http://any.host/api/x").unwrap();
    post.method = "POST".into();
    assert_eq!(
        reached(&http_route(&objects_ref, None, &post).answer),
        "example-svc:8080=1"
    );
}

/// The redirect guide: http to https with 301, and a prefix replaced.
#[test]
fn a_request_redirect_answers_with_its_location() {
    let mut objects = http_gateway();
    objects.push(route("default", "http-filter-redirect", json!({
        "parentRefs": [{"name": "example-gateway", "sectionName": "http"}], "hostnames": ["redirect.example"],
        "rules": [
            {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]},
            {"matches": [{"path": {"type": "PathPrefix", "value": "/cayenne"}}],
             "filters": [{"type": "RequestRedirect", "requestRedirect": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/paprika"}, "statusCode": 302}}]}]})));
    assert_eq!(
        via_route(&objects, "http://redirect.example/a/b", &[]),
        "redirect 301 https://redirect.example/a/b"
    );
    assert_eq!(
        via_route(&objects, "http://redirect.example/cayenne/pinch", &[]),
        "redirect 302 http://redirect.example/paprika/pinch"
    );
}

/// A backend in another namespace needs a ReferenceGrant there; a route in another namespace
/// attaches only when the listener allows it.
#[test]
fn cross_namespace_references_need_grants_and_allowed_routes() {
    let mut objects = vec![
        gateway(
            "infra",
            "shared",
            json!([
            {"name": "same", "protocol": "HTTP", "port": 80, "hostname": "same.example.com"},
            {"name": "all", "protocol": "HTTP", "port": 80, "hostname": "all.example.com", "allowedRoutes": {"namespaces": {"from": "All"}}}]),
        ),
        service("backends", "api", &[(8080, "http")]),
        service("shop", "web", &[(80, "http")]),
        route(
            "shop",
            "web",
            json!({"parentRefs": [{"name": "shared", "namespace": "infra"}],
            "rules": [{"backendRefs": [{"name": "web", "port": 80}]}]}),
        ),
        route(
            "shop",
            "api",
            json!({"parentRefs": [{"name": "shared", "namespace": "infra"}],
            "rules": [{"matches": [{"path": {"value": "/api"}}], "backendRefs": [{"name": "api", "namespace": "backends", "port": 8080}]}]}),
        ),
    ];
    let shown = |objects: &[Value], url: &str| {
        let objects: Vec<&Value> = objects.iter().collect();
        match http_route(&objects, None, &Request::parse(url).unwrap()).answer {
            Answer::Backends(backends) => backends[0].0.shown("shop"),
            other => reached(&other),
        }
    };
    assert_eq!(shown(&objects, "http://all.example.com/"), "web:80");
    assert_eq!(
        shown(&objects, "http://same.example.com/"),
        "none",
        "from: Same keeps shop's route out"
    );
    assert_eq!(shown(&objects, "http://all.example.com/api"), "error");
    objects.push(json!({"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "ReferenceGrant",
        "metadata": {"name": "from-shop", "namespace": "backends"},
        "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "shop"}],
                 "to": [{"group": "", "kind": "Service"}]}}));
    assert_eq!(
        shown(&objects, "http://all.example.com/api/v2"),
        "backends/api:8080"
    );
}

#[test]
fn urls_and_backends_parse_or_say_what_is_wrong() {
    let request = Request::parse("HTTPS://Shop.Example.com:8443/api?x=1&y").unwrap();
    assert_eq!(
        (request.scheme.as_str(), request.host.as_str(), request.port),
        ("https", "shop.example.com", 8443)
    );
    assert_eq!(request.path, "/api");
    assert_eq!(
        request.query,
        [
            ("x".to_string(), "1".to_string()),
            ("y".to_string(), String::new())
        ]
    );
    assert_eq!(Request::parse("shop.example.com").unwrap().path, "/");
    assert!(Request::parse("ftp://x/").is_err());
    assert!(Request::parse("http:///path").is_err());
    assert_eq!(
        Backend::parse("prod/api:8080", "default").unwrap(),
        Backend {
            namespace: "prod".into(),
            name: "api".into(),
            port: "8080".into()
        }
    );
    assert!(Backend::parse("api", "default").is_err());
}

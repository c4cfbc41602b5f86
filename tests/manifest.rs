//! The manifest checker on the fixture corpus and through the real binary.
//!
//! Every file in tests/fixtures/manifests/ states what the checker must say about it in its
//! leading comments: `# expect: valid`, or one `# expect: LINE:COL RULE PATH` per diagnostic
//! (PATH `-` for a file-level problem). The test compares the exact set.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use kubedrill::manifest::{self, Version};
use serde_json::Value;

type Expected = BTreeSet<(usize, usize, String, String)>;

fn expectations(text: &str) -> Option<Expected> {
    let mut expected = BTreeSet::new();
    let mut valid = false;
    for line in text
        .lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
    {
        let Some(rest) = line.strip_prefix("# expect:") else {
            continue;
        };
        let rest = rest.trim();
        if rest == "valid" {
            valid = true;
            continue;
        }
        let mut parts = rest.splitn(3, ' ');
        let position = parts.next()?;
        let rule = parts.next()?.to_string();
        let path = parts.next().unwrap_or("-").trim().to_string();
        let (line_number, column) = position.split_once(':')?;
        expected.insert((
            line_number.parse().ok()?,
            column.parse().ok()?,
            rule,
            if path == "-" { String::new() } else { path },
        ));
    }
    (valid || !expected.is_empty()).then_some(expected)
}

#[test]
fn every_fixture_manifest_gets_exactly_its_expected_diagnostics() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/manifests");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files.iter().filter(|file| {
        file.extension()
            .is_some_and(|ext| ext == "yaml" || ext == "json")
    }) {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let expected =
            expectations(&text).unwrap_or_else(|| panic!("{name} has no `# expect:` lines"));
        let report = manifest::check(&text, Version::pinned());
        let actual: Expected = report
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.rule.to_string(), d.path.clone()))
            .collect();
        if name.starts_with("valid-") != expected.is_empty() {
            failures.push(format!(
                "{name}: its name and its expectations disagree about validity"
            ));
        }
        if actual != expected {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let extra: Vec<_> = actual.difference(&expected).collect();
            failures.push(format!("{name}:\n  expected but not reported: {missing:?}\n  reported but not expected: {extra:?}"));
        }
        checked += 1;
    }
    assert!(
        checked >= 80,
        "the corpus has {checked} manifests; the acceptance asks for at least 80"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn kubedrill(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubedrill"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or_default().as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The CLI contract's public samples (a copy of `../shared/contract/`, so a clean clone has them).
fn contract(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/contract")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

const SEED_TYPO: &str = "# The seed notes' own mistakes.
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
---
apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
    - name: webapp
      image: kodekloud/webapp-color
      envFrom:
        - configMapRef:
            nmae: app-color
";

#[test]
fn the_seed_typo_is_one_diagnostic_with_the_contract_shape() {
    let output = kubedrill(&["check", "--format", "json", "-"], Some(SEED_TYPO));
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["valid"], false);
    let file = &document["files"][0];
    assert_eq!(file["path"], "-");
    assert_eq!(file["valid"], false);
    let diagnostics = file["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let diagnostic = &diagnostics[0];
    let keys: Vec<&str> = diagnostic
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "document",
            "kind",
            "name",
            "severity",
            "rule",
            "path",
            "line",
            "column",
            "message",
            "suggestion",
            "help"
        ]
    );
    assert_eq!(diagnostic["document"], 1);
    assert_eq!(diagnostic["kind"], "Pod");
    assert_eq!(diagnostic["name"], "webapp");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["rule"], "unknown-field");
    assert_eq!(
        diagnostic["path"],
        "spec.containers[0].envFrom[0].configMapRef.nmae"
    );
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(19), Some(13))
    );
    assert_eq!(diagnostic["message"], "unknown field `nmae`");
    assert_eq!(diagnostic["suggestion"], "name");
}

#[test]
fn text_output_points_at_the_typo_with_a_caret_and_the_fix() {
    let output = kubedrill(&["check", "-"], Some(SEED_TYPO));
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("error[unknown-field]: unknown field `nmae`\n"),
        "{text}"
    );
    assert!(text.contains("--> <stdin>:19:13"), "{text}");
    assert!(text.contains("19 |             nmae: app-color"), "{text}");
    assert!(
        text.contains("|             ^^^^ spec.containers[0].envFrom[0].configMapRef.nmae"),
        "{text}"
    );
    assert!(text.contains("help: did you mean `name`?"), "{text}");
    assert!(text.trim_end().ends_with("<stdin>: 1 error"), "{text}");
}

#[test]
fn five_independent_mistakes_give_five_diagnostics() {
    let manifest = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: Frontend
spec:
  replicas: \"3\"
  selector:
    matchLabels:
      app: frontend
  template:
    metadata:
      labels:
        app: front-end
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: Sometimes
          args: [10]
";
    let report = manifest::check(manifest, Version::pinned());
    let found: Vec<(&str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.path.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("invalid-name", "metadata.name"),
            ("wrong-type", "spec.replicas"),
            ("selector-mismatch", "spec.selector.matchLabels.app"),
            (
                "invalid-value",
                "spec.template.spec.containers[0].imagePullPolicy"
            ),
            ("wrong-type", "spec.template.spec.containers[0].args[0]"),
        ]
    );
    let replicas = &report.diagnostics[1];
    assert_eq!(replicas.suggestion.as_deref(), Some("3"));
    let args = &report.diagnostics[4];
    assert_eq!(args.suggestion.as_deref(), Some("\"10\""));
}

#[test]
fn valid_files_exit_0_and_unreadable_ones_exit_2() {
    let output = kubedrill(&["check", &contract("good.yaml")], None);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("valid (2 documents checked against Kubernetes 1.37)")
    );
    let output = kubedrill(&["check", "--format", "json", "/no/such/pod.yaml"], None);
    assert_eq!(output.status.code(), Some(2));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        document["files"][0]["error"],
        "cannot read /no/such/pod.yaml: no such file"
    );
    assert_eq!(
        kubedrill(&["check", "--k8s-version", "1.20", "-"], Some(""))
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn an_alias_bomb_is_refused_as_a_syntax_error() {
    let mut bomb = String::from(
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for level in b'b'..=b'j' {
        let previous = (level - 1) as char;
        let level = level as char;
        let refs = vec![format!("*{previous}"); 10].join(", ");
        bomb.push_str(&format!("{level}: &{level} [{refs}]\n"));
    }
    let report = manifest::check(&bomb, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].rule, "yaml-syntax");
    assert!(
        report.diagnostics[0]
            .message
            .contains("through aliases (a \"billion laughs\" input)"),
        "{}",
        report.diagnostics[0].message
    );
    assert!(report.documents.is_empty());
}

#[test]
fn a_big_file_of_plain_keys_is_too_big_not_an_alias_bomb() {
    // About 700 KB: under the byte cap, over the value cap, and no alias anywhere.
    let mut big = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    for key in 0..60_000 {
        big.push_str(&format!("  k{key}: v\n"));
    }
    let report = manifest::check(&big, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1);
    let message = &report.diagnostics[0].message;
    assert!(!message.contains("alias"), "{message}");
    assert!(
        message.contains("more than 100000 values, more than kubedrill checks at a time"),
        "{message}"
    );
}

#[test]
fn deep_nesting_is_refused_as_a_syntax_error() {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let report = manifest::check(&deep, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1);
    assert_eq!(report.diagnostics[0].rule, "yaml-syntax");
    let deep_block: String = (0..5000)
        .map(|depth| format!("{}k:\n", " ".repeat(depth)))
        .collect();
    let report = manifest::check(&deep_block, Version::pinned());
    assert_eq!(report.diagnostics[0].rule, "yaml-syntax");
}

#[test]
fn oversized_input_is_refused_with_the_limit_named() {
    let big = format!("a: \"{}\"\n", "x".repeat(manifest::yaml::MAX_INPUT_BYTES));
    let report = manifest::check(&big, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1);
    assert!(
        report.diagnostics[0]
            .message
            .contains("at most 1048576 bytes (1 MiB)"),
        "{}",
        report.diagnostics[0].message
    );
}

#[test]
fn control_characters_in_a_manifest_never_reach_the_terminal() {
    let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"\\e[2Jbad\\e]8;;x\"\n";
    let output = kubedrill(&["check", "-"], Some(manifest));
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("\\u{1b}[2Jbad"), "{text}");
}

#[test]
fn container_restart_rules_follow_the_kubernetes_version() {
    let manifest = "apiVersion: v1
kind: Pod
metadata:
  name: retry
spec:
  restartPolicy: Never
  containers:
    - name: main
      image: busybox
      restartPolicy: Never
      restartPolicyRules:
        - action: Restart
          exitCodes:
            operator: In
            values: [42]
";
    assert!(kubedrill(&["check", "-"], Some(manifest)).status.success());
    let output = kubedrill(
        &["check", "--format", "json", "--k8s-version", "1.34", "-"],
        Some(manifest),
    );
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let paths: Vec<&str> = document["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "spec.containers[0].restartPolicy",
            "spec.containers[0].restartPolicyRules"
        ]
    );
}

#[test]
fn explain_describes_fields_offline() {
    let output = kubedrill(&["explain", "pod.spec.containers.envFrom"], None);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("KIND:       Pod"), "{text}");
    assert!(
        text.contains("FIELD: spec.containers.envFrom <[]EnvFromSource>"),
        "{text}"
    );
    assert!(
        text.contains("configMapRef\t<ConfigMapEnvSource>"),
        "{text}"
    );
    let output = kubedrill(&["explain", "deploy.spec"], None);
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("selector\t<LabelSelector> -required-")
    );
    let output = kubedrill(&["explain", "pod.spec.contianers"], None);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown field is a usage error"
    );
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(said.starts_with("kubedrill: "), "{said}");
    assert!(said.contains("did you mean `containers`?"), "{said}");
}

#[test]
fn advice_quotes_the_value_as_it_was_written() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      env:\n        - name: DEBUG\n          value: on\n  volumes:\n    - name: config\n      configMap:\n        name: app\n        defaultMode: 01000\n";
    let report = manifest::check(pod, Version::pinned());
    let boolean = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "wrong-type")
        .unwrap();
    assert_eq!(
        boolean.suggestion.as_deref(),
        Some("\"on\""),
        "quote what was typed, not `true`"
    );
    let mode = report
        .diagnostics
        .iter()
        .find(|d| d.rule == "invalid-mode")
        .unwrap();
    assert_eq!(mode.suggestion, None);
    assert!(
        mode.help.as_deref().unwrap().starts_with("01000 is octal"),
        "{:?}",
        mode.help
    );
}

#[test]
fn a_number_in_a_string_field_is_quoted_as_written() {
    let config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  version: 1.0\n  mask: 0x1F\n";
    let report = manifest::check(config, Version::pinned());
    let suggestions: Vec<Option<&str>> = report
        .diagnostics
        .iter()
        .map(|d| d.suggestion.as_deref())
        .collect();
    // `"1"` would change the value the author meant.
    assert_eq!(suggestions, [Some("\"1.0\""), Some("\"0x1F\"")]);
}

#[test]
fn a_deployment_selector_on_a_service_is_explained() {
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  ports:\n    - port: 80\n";
    let report = manifest::check(service, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1, "{:#?}", report.diagnostics);
    let help = report.diagnostics[0].help.as_deref().unwrap();
    assert!(
        help.starts_with("a Service's selector is a plain map"),
        "{help}"
    );
}

#[test]
fn a_warning_the_api_server_would_print_does_not_make_the_manifest_invalid() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/manifests/warning-duplicate-container-port.yaml"
    ))
    .unwrap();
    let report = manifest::check(&text, Version::pinned());
    assert_eq!(report.diagnostics.len(), 1);
    assert!(!report.diagnostics[0].is_error());
    assert!(report.is_valid());
}

const CUSTOM_RESOURCE: &str = "apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  endpoints:
  - port: http
";

#[test]
fn a_custom_resource_is_a_warning_unless_strict_kinds_is_given() {
    let output = kubedrill(&["check", "-"], Some(CUSTOM_RESOURCE));
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "warning[not-checked]: not checked: no schema for `monitoring.coreos.com/v1` `ServiceMonitor`"
        ),
        "{text}"
    );
    let output = kubedrill(
        &["check", "--strict-kinds", "--format", "json", "-"],
        Some(CUSTOM_RESOURCE),
    );
    assert_eq!(output.status.code(), Some(1));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostic = &document["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["rule"], "not-checked");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(
        (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
        (Some(2), Some(7))
    );
}

#[test]
fn explain_answers_for_a_version_the_kind_is_served_in() {
    let output = kubedrill(
        &[
            "explain",
            "hpa.spec.targetCPUUtilizationPercentage",
            "--api-version",
            "autoscaling/v1",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("VERSION:    autoscaling/v1"), "{text}");
    assert!(
        text.contains("FIELD: spec.targetCPUUtilizationPercentage <integer>"),
        "{text}"
    );
    let output = kubedrill(&["explain", "httproute.spec.parentRefs"], None);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("VERSION:    gateway.networking.k8s.io/v1"),
        "{text}"
    );
    let output = kubedrill(
        &["explain", "hpa", "--api-version", "autoscaling/v2beta2"],
        None,
    );
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("`hpa` is not served in `autoscaling/v2beta2`; it is in `autoscaling/v2`, `autoscaling/v1`"),
        "{error}"
    );
}

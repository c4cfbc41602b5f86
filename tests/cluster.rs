//! The offline cluster end to end: a world, a shell, kubectl's answers.

use kubedrill::cluster::shell::Shell;
use kubedrill::cluster::sim::Cluster;
use kubedrill::model::world::World;

fn world(text: &str) -> World {
    toml::from_str(text).expect("the world parses")
}

const CRASHLOOP: &str = r#"
manifests = """
apiVersion: v1
kind: Pod
metadata:
  name: my-app
spec:
  containers:
    - name: ubuntu
      image: ubuntu-sleeper
      command: ["sleep2.0"]
"""
[images."ubuntu-sleeper"]
entrypoint = ["sleep"]
cmd = ["5"]
path = ["sleep", "sh", "bash", "echo", "cat"]
"#;

fn no_editor(_: &str) -> Option<String> {
    None
}

fn shell() -> Shell {
    Shell::new(Cluster::start(&world(CRASHLOOP)).expect("the world starts"))
}

#[test]
fn a_command_the_image_lacks_crash_loops_with_the_runtimes_words() {
    let mut shell = shell();
    let pods = shell.run_line("kubectl get pods", None, &mut no_editor);
    // Restarted at once after the first failure, then after 10, 20, 40 and 80 seconds: the
    // fifth restart was at 2m30s, and the next is due at 5m10s.
    assert_eq!(
        pods.stdout,
        "NAME     READY   STATUS             RESTARTS        AGE\nmy-app   0/1     CrashLoopBackOff   5 (2m35s ago)   5m5s\n"
    );
    let described = shell
        .run_line("k describe po my-app", None, &mut no_editor)
        .stdout;
    for line in [
        "    State:          Waiting\n      Reason:       CrashLoopBackOff\n",
        "    Last State:     Terminated\n      Reason:       StartError\n",
        "exec: \"sleep2.0\": executable file not found in $PATH: unknown",
        "      Exit Code:    128\n",
        "    Restart Count:  6\n", // five seconds later: the sixth restart, due at 5m10s
        "  Normal   Scheduled  5m10s               default-scheduler  Successfully assigned default/my-app to node01\n",
    ] {
        assert!(
            described.contains(line),
            "{line:?} missing from:\n{described}"
        );
    }
}

#[test]
fn a_pods_command_is_immutable_and_replace_force_recreates_it() {
    let mut shell = shell();
    let patched = shell.run_line(
        r#"kubectl patch pod my-app -p '{"spec":{"containers":[{"name":"ubuntu","command":["sleep","3600"]}]}}'"#,
        None,
        &mut no_editor,
    );
    assert_eq!(patched.code, 1);
    assert!(
        patched.stderr.starts_with("The Pod \"my-app\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"),
        "{}",
        patched.stderr
    );
    let script = "kubectl get pod my-app -o yaml > pod.yaml\nsed -i s/x/y/ pod.yaml\ncat > pod.yaml <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: my-app\nspec:\n  containers:\n  - name: ubuntu\n    image: ubuntu-sleeper\n    args: [\"3600\"]\nEOF\nkubectl replace --force -f pod.yaml\nsleep 5\nkubectl get pod my-app --no-headers | awk '{print $3}'\n";
    let results = shell.run_script(script, &mut no_editor);
    // sed edits the saved file in place (here: nothing to change) and says nothing.
    assert_eq!(
        (results[1].1.code, results[1].1.stderr.as_str()),
        (0, ""),
        "{:?}",
        results[1].1
    );
    assert_eq!(
        results[3].1.stdout,
        "pod \"my-app\" deleted\npod/my-app replaced\n"
    );
    assert_eq!(results.last().unwrap().1.stdout, "Running\n");
}

const MOUNTED: &str = r#"
manifests = """
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    env:
    - name: MODE
      valueFrom:
        configMapKeyRef:
          name: settings
          key: mode
    volumeMounts:
    - name: settings
      mountPath: /etc/settings
    resources:
      limits:
        memory: 64Mi
  volumes:
  - name: settings
    configMap:
      name: settings
"""
[images."nginx:1.27"]

[[behavior]]
pod = "hog"
memory = "200Mi"
"#;

#[test]
fn exec_answers_from_what_the_container_sees_and_refuses_the_rest() {
    let mut shell = Shell::new(Cluster::start(&world(MOUNTED)).unwrap());
    let mut run = |line: &str| shell.run_line(line, None, &mut no_editor);
    assert_eq!(run("kubectl exec web -- printenv MODE").stdout, "fast\n");
    assert_eq!(
        run("kubectl exec web -- cat /etc/settings/mode").stdout,
        "fast"
    );
    assert_eq!(run("kubectl exec web -- ls /etc/settings").stdout, "mode\n");
    let missing = run("kubectl exec web -- nslookup db");
    assert!(
        missing
            .stdout
            .contains("** server can't find db.default.svc.cluster.local: NXDOMAIN"),
        "{missing:?}"
    );
    assert_eq!(missing.stderr, "command terminated with exit code 1\n");
    let refused = run("kubectl exec web -- curl -s localhost");
    assert_eq!(refused.code, 126);
    assert!(refused.stderr.contains("cannot run `curl`"), "{refused:?}");
    assert!(
        run("kubectl exec web printenv")
            .stderr
            .contains("goes after `--`")
    );
}

#[test]
fn a_container_over_its_memory_limit_is_oom_killed_and_restarted() {
    let mut shell = Shell::new(Cluster::start(&world(MOUNTED)).unwrap());
    let created = shell.run_line(
        "kubectl run hog --image=nginx:1.27 --dry-run=client -o yaml > hog.yaml",
        None,
        &mut no_editor,
    );
    assert_eq!(created.code, 0, "{created:?}");
    let text = shell.cluster.files["/root/hog.yaml"].replace(
        "    resources: {}\n",
        "    resources:\n      limits:\n        memory: 100Mi\n",
    );
    shell.cluster.files.insert("/root/hog.yaml".into(), text);
    assert_eq!(
        shell
            .run_line("kubectl apply -f hog.yaml", None, &mut no_editor)
            .stdout,
        "pod/hog created\n"
    );
    shell.run_line("sleep 30", None, &mut no_editor);
    let described = shell
        .run_line("kubectl describe pod hog", None, &mut no_editor)
        .stdout;
    assert!(
        described.contains("      Reason:       OOMKilled\n      Exit Code:    137\n"),
        "{described}"
    );
    let row = shell
        .run_line("kubectl get pod hog --no-headers", None, &mut no_editor)
        .stdout;
    assert!(
        row.contains("CrashLoopBackOff") || row.contains("OOMKilled"),
        "{row}"
    );
}

fn built_in_scenario(id: &str) -> (kubedrill::model::ItemId, kubedrill::model::world::Scenario) {
    let deck = kubedrill::content::built_in()
        .deck
        .expect("the built-in deck loads");
    let id = kubedrill::model::ItemId::parse(id).unwrap();
    match deck.item(&id) {
        Some(kubedrill::model::ItemRef::Scenario(scenario)) => (id, scenario.clone()),
        _ => panic!("no scenario {id}"),
    }
}

#[test]
fn a_toleration_may_be_added_to_a_pending_pod_but_a_strategic_patch_replaces_the_list() {
    let (id, scenario) = built_in_scenario("scheduling/pending-taint");
    let added = r#"kubectl patch pod gpu-job --type json -p '[{"op":"add","path":"/spec/tolerations/-","value":{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}}]'"#;
    let (transcript, report) =
        kubedrill::grade::scenario::run_script(&id, &scenario, added, "en").unwrap();
    assert_eq!(transcript[0].1.stdout, "pod/gpu-job patched\n");
    assert!(report.passed, "{report:?}");
    let replaced = r#"kubectl patch pod gpu-job -p '{"spec":{"tolerations":[{"key":"dedicated","operator":"Equal","value":"gpu","effect":"NoSchedule"}]}}'"#;
    let (transcript, report) =
        kubedrill::grade::scenario::run_script(&id, &scenario, replaced, "en").unwrap();
    assert!(
        transcript[0]
            .1
            .stderr
            .contains("spec.tolerations: Forbidden: existing toleration can not be modified"),
        "{:?}",
        transcript[0].1
    );
    assert!(!report.passed);
}

#[test]
fn an_undo_brings_back_the_restored_revisions_change_cause() {
    let mut shell = Shell::new(
        Cluster::start(&world(
            r#"
manifests = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubernetes.io/change-cause: first
    team: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.26
"""
[images."nginx:1.26"]
[images."nginx:1.27"]
"#,
        ))
        .expect("the world starts"),
    );
    for line in [
        "kubectl set image deployment/web web=nginx:1.27",
        "kubectl annotate deployment/web kubernetes.io/change-cause=second --overwrite",
    ] {
        let output = shell.run_line(line, None, &mut no_editor);
        assert_eq!(output.code, 0, "{line}: {}", output.stderr);
    }
    let undo = shell.run_line("kubectl rollout undo deployment/web", None, &mut no_editor);
    assert_eq!(undo.stdout, "deployment.apps/web rolled back\n");
    let history = shell.run_line(
        "kubectl rollout history deployment/web",
        None,
        &mut no_editor,
    );
    assert_eq!(
        history.stdout,
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         second\n3         first\n\n"
    );
    // The annotations are replaced by the restored ReplicaSet's: `team` was copied to revision 1's
    // ReplicaSet when it was made, so it is back too.
    let annotations = shell.run_line(
        "kubectl get deployment web -o jsonpath={.metadata.annotations.team}",
        None,
        &mut no_editor,
    );
    assert_eq!(annotations.stdout, "shop");
}

#[test]
fn sed_edits_a_saved_manifest_in_place_for_replace_force() {
    let mut shell = shell();
    for line in [
        "kubectl get pod my-app -o yaml > pod.yaml",
        "sed -i 's/sleep2\\.0/sleep/' pod.yaml",
    ] {
        let output = shell.run_line(line, None, &mut no_editor);
        assert_eq!((output.code, output.stderr.as_str()), (0, ""), "{line}");
    }
    let shown = shell.run_line(
        "sed -n '/command:/,/image:/p' pod.yaml",
        None,
        &mut no_editor,
    );
    assert_eq!(
        shown.stdout,
        "  - command:\n    - sleep\n    image: ubuntu-sleeper\n"
    );
    let replaced = shell.run_line("kubectl replace --force -f pod.yaml", None, &mut no_editor);
    assert_eq!(
        replaced.stdout,
        "pod \"my-app\" deleted\npod/my-app replaced\n"
    );
    // A typo in the script is refused in GNU sed's words, and the file is left as it was.
    let typo = shell.run_line("sed -i 's/sleep/sleep 1/x' pod.yaml", None, &mut no_editor);
    assert_eq!(typo.code, 1);
    assert_eq!(
        typo.stderr.trim_end(),
        "sed: -e expression #1, char 17: unknown option to `s'"
    );
    assert_eq!(
        shell
            .run_line("grep -c '^    - sleep$' pod.yaml", None, &mut no_editor)
            .stdout,
        "1\n"
    );
}

#[test]
fn events_are_selected_on_the_fields_the_api_server_knows() {
    let mut shell = shell();
    let warnings = shell.run_line(
        "kubectl get events --field-selector type=Warning,involvedObject.kind=Pod",
        None,
        &mut no_editor,
    );
    assert!(warnings.stdout.starts_with("LAST SEEN"), "{warnings:?}");
    for row in warnings.stdout.lines().skip(1) {
        assert!(
            row.contains(" Warning ") && row.contains("Pod/my-app"),
            "{row}"
        );
    }
    let none = shell.run_line(
        "kubectl get events --field-selector involvedObject.kind=Deployment",
        None,
        &mut no_editor,
    );
    assert_eq!(none.stderr, "No resources found in default namespace.\n");
    let refused = shell.run_line(
        "kubectl get events --field-selector status.phase=Running",
        None,
        &mut no_editor,
    );
    assert_eq!(
        refused.stderr.trim_end(),
        "Error from server (BadRequest): Unable to find \"/v1, Resource=events\" that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase"
    );
}

#[test]
fn unquoted_patterns_name_the_machines_files_as_a_shell_expands_them() {
    let mut shell = shell();
    for line in [
        "echo one > a.yaml",
        "echo two > b.yaml",
        "echo three > notes.txt",
        "mkdir -p /opt/x && echo x > /opt/x/c.yaml",
    ] {
        let output = shell.run_line(line, None, &mut no_editor);
        assert_eq!(output.code, 0, "{line}: {}", output.stderr);
    }
    let listed = shell.run_line("ls *.yaml", None, &mut no_editor);
    assert_eq!(listed.stdout, "a.yaml\nb.yaml\n");
    assert_eq!(
        shell.run_line("cat ?.yaml", None, &mut no_editor).stdout,
        "one\ntwo\n"
    );
    assert_eq!(
        shell
            .run_line("ls /opt/x/*.yaml", None, &mut no_editor)
            .stdout,
        "/opt/x/c.yaml\n"
    );
    // Quoted, or matching nothing, the word stays as typed, as bash leaves it.
    let quoted = shell.run_line("ls '*.yaml'", None, &mut no_editor);
    assert_eq!(
        (quoted.code, quoted.stderr.as_str()),
        (2, "ls: cannot access '*.yaml': No such file or directory\n")
    );
    let nothing = shell.run_line("ls *.json", None, &mut no_editor);
    assert_eq!(
        nothing.stderr,
        "ls: cannot access '*.json': No such file or directory\n"
    );
    // A jsonpath with `[*]` typed without quotes matches no file and reaches kubectl whole.
    let names = shell.run_line(
        "kubectl get pods -o jsonpath={.items[*].metadata.name}",
        None,
        &mut no_editor,
    );
    assert_eq!(names.stdout, "my-app");
    // ls of a file and a directory, as ls prints them.
    assert_eq!(
        shell
            .run_line("ls notes.txt /opt", None, &mut no_editor)
            .stdout,
        "notes.txt\n\n/opt:\nx\n"
    );
}

//! Golden output of the offline cluster's kubectl: every command and kind the scenarios use, on
//! one cluster, at a fixed simulated time. Each snapshot was read against kubectl 1.37's printers
//! (column names and order, `READY n/m`, STATUS reasons, `AGE`, tabwriter padding, describe's
//! layout, error wording) when it was accepted; a change to any of them shows here as a diff.
//! The few values kubedrill invents (uids, hashes, IPs) are stable by construction.

use kubedrill::cluster::shell::Shell;
use kubedrill::cluster::sim::Cluster;
use kubedrill::model::world::World;

const WORLD: &str = r#"
manifests = """
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
  MODE: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: db-secret
stringData:
  DB_PASSWORD: s3cret
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 3
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
        image: nginx:1.27
        ports:
        - containerPort: 80
        envFrom:
        - configMapRef:
            name: app-config
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web-np
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: 30080
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
  labels:
    app: crash
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo starting; exit 1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: pull
spec:
  containers:
  - name: app
    image: nginx:1.99-nope
---
apiVersion: v1
kind: Pod
metadata:
  name: config
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    env:
    - name: COLOR
      valueFrom:
        configMapKeyRef:
          name: app-config
          key: COLOUR
---
apiVersion: v1
kind: Pod
metadata:
  name: init
spec:
  initContainers:
  - name: wait
    image: busybox
    command: ["sh", "-c", "until nslookup db; do sleep 2; done"]
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: pending
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-manual
spec:
  capacity:
    storage: 5Gi
  accessModes: ["ReadWriteMany"]
  storageClassName: manual
  hostPath:
    path: /data/manual
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
"""

[[node]]
name = "controlplane"
control_plane = true
usage = { cpu = "250m", memory = "1200Mi" }

[[node]]
name = "node01"
usage = { cpu = "120m", memory = "800Mi" }

[[node]]
name = "node02"
kubelet = false

[images."nginx:1.27"]
entrypoint = ["/docker-entrypoint.sh"]
cmd = ["nginx", "-g", "daemon off;"]

[images."busybox"]

[[behavior]]
pod = "crash"
logs = ["starting"]
exit = 1
after = 2

[[behavior]]
container = "wait"
until_resolves = "db"
waiting = "waiting for db"

[[behavior]]
image = "nginx:1.27"
logs = ["/docker-entrypoint.sh: Configuration complete; ready for start up"]
cpu = "3m"
memory = "12Mi"
"#;

fn shell() -> Shell {
    let world: World = toml::from_str(WORLD).expect("the world parses");
    Shell::new(Cluster::start(&world).expect("the world starts"))
}

fn no_editor(_: &str) -> Option<String> {
    None
}

/// Runs each command in turn (five simulated seconds apart, as typed) and snapshots what a
/// terminal shows: the prompt line, stdout, stderr.
fn transcript(shell: &mut Shell, commands: &[&str]) -> String {
    let mut out = String::new();
    for command in commands {
        let output = shell.run_line(command, None, &mut no_editor);
        out.push_str(&format!("$ {command}\n{}{}", output.stdout, output.stderr));
        if output.code != 0 {
            out.push_str(&format!("[exit {}]\n", output.code));
        }
    }
    out
}

#[test]
fn get_tables_for_each_kind() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "kubectl get pods",
            "kubectl get pods -o wide",
            "kubectl get pods -l app=web --show-labels",
            "kubectl get deploy,rs",
            "kubectl get deployment web -o wide",
            "kubectl get svc",
            "kubectl get svc -o wide",
            "kubectl get nodes",
            "kubectl get nodes -o wide",
            "kubectl get cm,secret",
            "kubectl get pvc,pv,sc",
            "kubectl get ns",
            "kubectl get endpointslices",
            "kubectl get endpoints",
            "kubectl get ep web-np -o yaml",
            "kubectl get role,rolebinding",
            "kubectl get all",
            "kubectl get pods -n shop",
            "kubectl get pods -A --field-selector status.phase=Pending",
        ]
    ));
}

#[test]
fn get_output_formats() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "kubectl get cm app-config -o yaml",
            "kubectl get cm app-config -o json",
            "kubectl get pods -o name",
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}'",
            "kubectl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName",
            "kubectl get pods --sort-by=.metadata.name --no-headers",
            "kubectl get pod web -o yaml",
            "kubectl get pods -o table",
        ]
    ));
}

#[test]
fn describe_each_kind() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "kubectl describe pod crash",
            "kubectl describe pod pull",
            "kubectl describe pod config",
            "kubectl describe pod init",
            "kubectl describe pod pending",
            "kubectl describe deployment web",
            "kubectl describe svc web-np",
            "kubectl describe node node02",
            "kubectl describe pvc data",
            "kubectl describe cm app-config",
        ]
    ));
}

#[test]
fn logs_events_top_and_the_rest() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "kubectl logs crash",
            "kubectl logs crash --previous",
            "kubectl logs init -c wait --tail=2",
            "kubectl logs init",
            "kubectl logs pull",
            "kubectl logs deploy/web",
            "kubectl events --for pod/crash",
            "kubectl get events --types=Warning",
            "kubectl top pods",
            "kubectl top nodes",
            "kubectl auth can-i list pods --as jane",
            "kubectl auth can-i delete pods --as jane",
            "kubectl config get-contexts",
            "kubectl config set-context --current --namespace=shop",
            "kubectl get pods",
            "kubectl config set-context --current --namespace=default",
            "kubectl rollout status deployment web",
            "kubectl rollout history deployment web",
        ]
    ));
}

#[test]
fn writes_and_their_refusals() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "kubectl run tmp --image=busybox --dry-run=client -o yaml -- sleep 10",
            "kubectl create deployment api --image=nginx:1.27 --replicas=2",
            "kubectl create deployment api --image=nginx:1.27",
            "kubectl scale deployment api --replicas=4",
            "kubectl set image deployment/api nginx=nginx:1.99-nope",
            "kubectl rollout status deployment api --timeout=20s",
            "kubectl rollout undo deployment api",
            "kubectl rollout history deployment api",
            "kubectl expose deployment api --port=8080 --target-port=80",
            "kubectl label pod crash tier=backend",
            "kubectl label pod crash tier=frontend",
            "kubectl annotate deployment api owner=team-a",
            "kubectl taint nodes node01 dedicated=gpu:NoSchedule",
            "kubectl taint nodes node01 dedicated=gpu:NoSchedule-",
            "kubectl cordon node01",
            "kubectl uncordon node01",
            "kubectl drain node01 --ignore-daemonsets",
            "kubectl uncordon node01",
            "kubectl patch pod config -p '{\"spec\":{\"containers\":[{\"name\":\"app\",\"command\":[\"sleep\",\"10\"]}]}}'",
            "kubectl patch deployment api --type merge -p '{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"other\"}}}}'",
            "kubectl delete pod missing",
            "kubectl get pods nosuch",
            "kubectl get deploymnets",
            "kubectl delete deployment api",
            "kubectl apply -f /opt/nothing.yaml",
            "kubectl get pvc data -o jsonpath='{.status.phase}'",
        ]
    ));
}

#[test]
fn the_shell_around_kubectl() {
    let mut shell = shell();
    insta::assert_snapshot!(transcript(
        &mut shell,
        &[
            "k get pods --no-headers | grep -v Running | awk '{print $1}' | sort",
            "k get pods --no-headers | wc -l",
            "kubectl get pods -o name | head -2 | cut -d/ -f2",
            "export do=\"--dry-run=client -o yaml\"",
            "k create cm x --from-literal=a=b $do",
            "echo hello > /opt/answer.txt",
            "echo again >> /opt/answer.txt",
            "cat /opt/answer.txt",
            "ls /opt",
            "kubectl get secret db-secret -o jsonpath='{.data.DB_PASSWORD}' | base64 -d",
            "curl http://web",
            "cat /etc/passwd",
            "kubectl get pods $(whoami)",
            "ssh node02",
            "systemctl status kubelet",
            "systemctl start kubelet",
            "exit",
            "sleep 60",
            "kubectl get nodes",
        ]
    ));
}

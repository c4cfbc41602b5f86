use super::super::judge;

fn same(a: &str, b: &str) -> bool {
    let verdict = judge(&[a], b, None);
    assert!(verdict.correct || !verdict.differences.is_empty());
    verdict.correct
}

fn why(expected: &str, answer: &str) -> Vec<String> {
    judge(&[expected], answer, None).differences
}

#[test]
fn every_tool_the_grader_names_has_a_table_with_its_version() {
    let tables: Vec<&str> = super::tools().iter().map(|tool| tool.name).collect();
    for tool in super::TOOLS {
        let table = super::tools().iter().find(|entry| entry.name == *tool);
        let table = table.unwrap_or_else(|| panic!("{tool} has no table: {tables:?}"));
        assert!(!table.commands.is_empty(), "{tool}");
    }
    assert_eq!(tables.len(), super::TOOLS.len(), "{tables:?}");
    let file: super::TableFile = toml::from_str(include_str!("../tools.toml")).unwrap();
    assert!(
        file.tools
            .values()
            .all(|entry| !entry.version.trim().is_empty())
    );
}

const SAVE: &str = "ETCDCTL_API=3 etcdctl snapshot save /opt/etcd-backup.db --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key";

#[test]
fn etcdctl_reads_flags_env_and_defaults_alike() {
    assert!(same(
        SAVE,
        "sudo etcdctl --cacert /etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key /etc/kubernetes/pki/etcd/server.key snapshot save /opt/etcd-backup.db"
    ));
    assert!(same(
        SAVE,
        "export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt ETCDCTL_CERT=/etc/kubernetes/pki/etcd/server.crt\nETCDCTL_KEY=/etc/kubernetes/pki/etcd/server.key etcdctl --endpoints 127.0.0.1:2379 snapshot save /opt/./etcd-backup.db -w table --dial-timeout=5s"
    ));
    assert_eq!(
        why(
            SAVE,
            "etcdctl snapshot save /opt/etcd-backup.db --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt"
        ),
        ["--key is missing: the task needs --key=/etc/kubernetes/pki/etcd/server.key"]
    );
    assert_eq!(
        why(
            SAVE,
            "ETCDCTL_API=3 etcdctl snapshot save /opt/backup.db --endpoints=http://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
        ),
        [
            "`/opt/backup.db` should be `/opt/etcd-backup.db`",
            "--endpoints is `http://127.0.0.1:2379`, but the task needs `127.0.0.1:2379`"
        ]
    );
    assert!(
        why(
            SAVE,
            "ETCDCTL_API=2 etcdctl snapshot save /opt/etcd-backup.db"
        )[0]
        .contains("ETCDCTL_API=2")
    );
    assert!(why(SAVE, "etcdctl snapshot restore /opt/etcd-backup.db")[0].contains("removed"));
    assert!(
        why(
            SAVE,
            "etcdctl snapshot save /opt/etcd-backup.db --ca-cert=x"
        )[0]
        .contains("did you mean --cacert?")
    );
}

#[test]
fn tools_are_told_apart_and_versions_read_alike() {
    assert!(same(
        "kubeadm upgrade apply v1.37.1",
        "sudo kubeadm upgrade apply 1.37.1 --yes --v=5"
    ));
    assert_eq!(
        why(
            "kubeadm upgrade apply v1.37.1",
            "kubeadm upgrade apply v1.37.0"
        ),
        ["`1.37.0` should be `1.37.1`"]
    );
    assert!(
        why("kubeadm upgrade apply v1.37.1", "kubeadm upgrade apply")[0]
            .contains("needs the version")
    );
    assert_eq!(
        why("kubeadm upgrade apply v1.37.1", "kubeadm upgrade plan"),
        ["this runs `kubeadm upgrade plan`, but the task needs `kubeadm upgrade apply`"]
    );
    assert_eq!(
        why(
            "etcdutl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup",
            "etcdctl snapshot save /opt/etcd-backup.db"
        ),
        ["this runs `etcdctl snapshot save`, but the task needs `etcdutl snapshot restore`"]
    );
    assert!(same(
        "systemctl restart kubelet",
        "sudo systemctl restart kubelet.service"
    ));
    assert!(same(
        "journalctl -u kubelet",
        "journalctl --unit=kubelet.service --no-pager -n 50"
    ));
    assert_eq!(
        why("journalctl -u kubelet -f", "journalctl -u kubelet"),
        ["--follow is missing"]
    );
    assert!(same(
        "crictl ps -a --name kube-apiserver",
        "crictl --runtime-endpoint unix:///run/containerd/containerd.sock ps --name=kube-apiserver -a -q"
    ));
    assert!(same("crictl exec -it abc sh", "crictl exec -i -t abc sh"));
    assert!(same(
        "apt-mark hold kubelet kubeadm kubectl",
        "apt-mark hold kubectl kubeadm kubelet"
    ));
    assert!(same(
        "apt-get install -y kubeadm='1.37.1-1.1'",
        "apt-get install kubeadm=1.37.1-1.1"
    ));
    assert_eq!(
        why(
            "apt-mark hold kubelet kubeadm kubectl",
            "apt-mark hold kubelet kubeadm"
        ),
        ["`kubectl` is missing"]
    );
    assert!(same(
        "openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -enddate",
        "openssl x509 -enddate -noout -in /etc/kubernetes/pki/apiserver.crt"
    ));
}

#[test]
fn helm_values_are_sets_and_aliases_are_one_flag() {
    let install = "helm install web bitnami/nginx -n web --create-namespace --set replicaCount=2";
    assert!(same(
        install,
        "helm install web bitnami/nginx --namespace=web --create-namespace --set replicaCount=2 --wait --timeout 10m"
    ));
    assert!(same(
        "helm install web bitnami/nginx --set a=1,b=2",
        "helm install --set b=2 --set a=1 web bitnami/nginx"
    ));
    assert!(same(
        "helm upgrade web bitnami/nginx --atomic",
        "helm upgrade web bitnami/nginx --rollback-on-failure"
    ));
    assert_eq!(
        why(
            install,
            "helm install bitnami/nginx web -n web --create-namespace --set replicaCount=2"
        ),
        [
            "`bitnami/nginx` should be `web`",
            "`web` should be `bitnami/nginx`"
        ]
    );
    assert_eq!(
        why(
            install,
            "helm install web bitnami/nginx -n web --set replicaCount=2"
        ),
        ["--create-namespace is missing"]
    );
    assert!(
        why(
            install,
            "helm install web bitnami/nginx -n web --create-namespace --set replicaCount 2"
        )[0]
        .contains("KEY=VALUE")
    );
    assert!(same(
        "helm rollback web 1 -n web",
        "helm -n web rollback web 1"
    ));
    assert_eq!(
        why("helm rollback web 1", "helm rollback web"),
        ["`1` is missing"]
    );
}

#[test]
fn a_procedure_is_graded_step_by_step_in_order() {
    let upgrade = "kubectl drain node01 --ignore-daemonsets\napt-get install -y kubeadm=1.37.1-1.1\nkubeadm upgrade node\napt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1\nsystemctl daemon-reload\nsystemctl restart kubelet\nkubectl uncordon node01";
    assert!(same(
        upgrade,
        "k drain node01 --ignore-daemonsets && sudo apt-get install kubeadm=1.37.1-1.1 -y; sudo kubeadm upgrade node && sudo apt-get install kubectl=1.37.1-1.1 kubelet=1.37.1-1.1 && sudo systemctl daemon-reload && kubeadm version && sudo systemctl restart kubelet && k uncordon node01 && k get nodes"
    ));
    assert_eq!(
        why(
            upgrade,
            "kubectl drain node01 --ignore-daemonsets && apt-get install -y kubeadm=1.37.1-1.1 && kubeadm upgrade node && apt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1 && systemctl restart kubelet && kubectl uncordon node01"
        ),
        ["step 5 is missing: `systemctl daemon-reload`"]
    );
    assert_eq!(
        why(
            upgrade,
            "apt-get install -y kubeadm=1.37.1-1.1 && kubeadm upgrade node && kubectl drain node01 --ignore-daemonsets && apt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1 && systemctl daemon-reload && systemctl restart kubelet && kubectl uncordon node01"
        ),
        ["`kubectl drain node01 --ignore-daemonsets` is in the wrong place: it comes first"]
    );
    assert_eq!(
        why(
            upgrade,
            "kubectl drain node01 --ignore-daemonsets && apt-get install -y kubeadm=1.37.1-1.1 && kubeadm upgrade apply v1.37.1 && apt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1 && systemctl daemon-reload && systemctl restart kubelet && kubectl uncordon node01"
        ),
        [
            "step 3 is missing: `kubeadm upgrade node`",
            "`kubeadm upgrade apply v1.37.1` is not part of the task"
        ]
    );
    assert_eq!(
        why(
            upgrade,
            "kubectl drain node01 --ignore-daemonsets && apt-get install -y kubeadm=1.37.1-1.1 && kubeadm upgrade node && apt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1 && systemctl daemon-reload && systemctl restart kubelet && kubectl uncordon node02"
        ),
        [
            "step 7, `kubectl uncordon node02`:",
            "  the name is `node02`, but the task needs `node01`"
        ]
    );
    // A one-command task keeps the shell's own explanation of `;`.
    assert!(why("kubectl get pods", "kubectl get pods; echo done")[0].contains("unquoted"));
    // An extra look is harmless; an extra change is not.
    assert!(same(
        "kubectl drain node01 --ignore-daemonsets",
        "kubectl get nodes && kubectl drain node01 --ignore-daemonsets"
    ));
    assert!(same(
        "systemctl restart kubelet",
        "sudo apt-get update && systemctl daemon-reload && systemctl restart kubelet"
    ));
    assert_eq!(
        why(
            "systemctl restart kubelet",
            "systemctl stop kubelet && systemctl restart kubelet"
        ),
        ["`systemctl stop kubelet` is not part of the task"]
    );
    assert!(same(
        "apt-get install -y kubeadm=1.37.1-1.1",
        "apt-get install -y kubeadm='1.37.1-*'"
    ));
    assert!(same(
        "kubeadm init phase upload-certs --upload-certs",
        "kubeadm init phase upload-certs --upload-certs --v=5"
    ));
    assert_eq!(
        why(
            "kubeadm token create --ttl 2h --print-join-command",
            "kubeadm token create --ttl 0 --print-join-command"
        ),
        ["--ttl is `0s`, but the task needs `2h0m0s`"]
    );
}

#[test]
fn helm_aliases_and_the_closest_accepted_form() {
    assert!(same("helm list -A", "helm ls --all-namespaces"));
    assert!(same("helm uninstall web -n web", "helm del web -n web"));
    assert!(same("helm history web", "helm hist web"));
    assert!(same(
        "helm show values bitnami/nginx",
        "helm inspect values bitnami/nginx"
    ));
    assert!(same("helm repo update", "helm repo up"));
    let verdict = judge(
        &[
            "helm install web bitnami/nginx -n web --create-namespace",
            "helm upgrade --install web bitnami/nginx -n web --create-namespace",
        ],
        "helm install bitnami/nginx web -n web --create-namespace",
        None,
    );
    assert_eq!(
        verdict.differences,
        [
            "`bitnami/nginx` should be `web`",
            "`web` should be `bitnami/nginx`"
        ]
    );
}

#[test]
fn steps_pair_with_the_expected_step_they_match_best() {
    let upgrade = "apt-mark unhold kubeadm\napt-get install -y kubeadm=1.37.1-1.1\napt-mark hold kubeadm\nkubeadm upgrade apply v1.37.1\nkubectl drain cp --ignore-daemonsets\napt-mark unhold kubelet kubectl\napt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1\napt-mark hold kubelet kubectl\nsystemctl restart kubelet\nkubectl uncordon cp";
    let found = why(
        upgrade,
        "kubectl drain cp --ignore-daemonsets; apt-get install -y kubeadm=1.37.1-1.1; kubeadm upgrade apply v1.37.1; systemctl restart kubelet",
    );
    // The kubeadm install is the kubeadm step, not the kubelet one.
    assert!(
        !found
            .iter()
            .any(|line| line.contains("`kubeadm=1.37.1` is not asked for")),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"step 7 is missing: `apt-get install -y kubelet=1.37.1-1.1 kubectl=1.37.1-1.1`"
                .to_string()
        ),
        "{found:?}"
    );
    assert!(found.contains(&"`kubectl drain cp --ignore-daemonsets` is in the wrong place: it comes after `kubeadm upgrade apply v1.37.1`".to_string()), "{found:?}");
}

#[test]
fn kustomize_commands_of_kubectl_read_their_folder() {
    assert!(same(
        "kubectl apply -k overlays/prod",
        "kubectl apply -k ./overlays/prod/"
    ));
    assert!(same(
        "kubectl delete -k overlays/prod",
        "kubectl delete --kustomize overlays/prod"
    ));
    assert!(same(
        "kubectl diff -k overlays/prod",
        "kubectl diff -k ./overlays/prod"
    ));
    assert!(same(
        "kubectl get -k overlays/prod",
        "kubectl get -k overlays/prod/"
    ));
    assert!(same(
        "kubectl kustomize overlays/prod",
        "kubectl kustomize ./overlays/prod/"
    ));
    assert!(!same(
        "kubectl apply -k overlays/prod",
        "kubectl apply -f overlays/prod"
    ));
}

#[test]
fn kubectl_answers_may_add_what_only_changes_the_output_or_a_detail_left_open() {
    assert!(same(
        "kubectl get -k overlays/prod",
        "kubectl get -k overlays/prod -o wide"
    ));
    assert!(same(
        "kubectl get pods -n dev",
        "kubectl get pods -n dev --show-labels -o yaml"
    ));
    assert!(same(
        "kubectl run web --image=nginx",
        "kubectl run web --image=nginx --restart=Never --labels=tier=web"
    ));
    // What changes the object or the cluster still counts.
    assert!(!same(
        "kubectl run web --image=nginx",
        "kubectl run web --image=nginx --port=80"
    ));
    assert!(!same(
        "kubectl create deployment web --image=nginx",
        "kubectl create deployment web --image=nginx --replicas=3"
    ));
    assert!(!same(
        "kubectl get pod web -o yaml > pod.yaml",
        "kubectl get pod web -o json > pod.yaml"
    ));
}

#[test]
fn etcd_mistakes_are_named() {
    assert!(
        why(SAVE, "etcdutl snapshot save /opt/etcd-backup.db")[0]
            .contains("did you mean `etcdctl snapshot save`?")
    );
    assert!(
        why(
            "etcdutl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup",
            "ETCDCTL_API=3 etcdctl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup"
        )[0]
        .contains("etcdutl snapshot restore")
    );
    assert_eq!(
        why(
            SAVE,
            "ETCDCTL_API=3 etcdctl snapshot save /opt/etcd-backup.db --endpoints=127.0.0.1:2380 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
        ),
        ["--endpoints is `127.0.0.1:2380`, but the task needs `127.0.0.1:2379`"]
    );
    let exported = "export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt\nexport ETCDCTL_CERT=/etc/kubernetes/pki/etcd/server.crt\nexport ETCDCTL_KEY=/etc/kubernetes/pki/etcd/server.key\netcdctl snapshot save /opt/etcd-backup.db";
    assert!(same(SAVE, exported));
    let typo = exported.replace("ETCDCTL_CACERT", "ETCDCTL_CA_CERT");
    assert!(
        why(SAVE, &typo)
            .iter()
            .any(|line| line.contains("ETCDCTL_CA_CERT")),
        "{:?}",
        why(SAVE, &typo)
    );
}

//! The kubectl commands the drills use and their flags, as kubectl of the pinned Kubernetes minor
//! defines them. The flags come from kubectl itself: `kubectl-flags.tsv` is written by
//! `flags.py` from each command's `--help` (name, short letter, default) and embedded here, so
//! a flag kubectl has is never called unknown and one it lacks never passes. What `--help`
//! cannot say is added by hand in [`semantics`]: which repeated flags are sets (`StringArray`)
//! or comma lists (`StringSlice`), how a value is put in canonical form, which are required.
//! The commands' shapes (what their positional words are) are in [`SHAPES`].

use std::sync::OnceLock;

/// How a flag's values combine when it is given more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Repeat {
    /// The last value counts (a plain string or int flag).
    Last,
    /// Every value counts and order does not (`--from-literal`, `--env`, `-f`).
    Set,
    /// Every value counts, in order (`create deployment --image`: one container each).
    List,
}

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Takes {
    /// A boolean switch (`--command`, `--overwrite`); `--flag=false` turns it off.
    Nothing,
    /// A value, as `--flag=v`, `--flag v`, `-fv` or `-f v`.
    Value,
    /// A value only after `=`; alone it means the given value (`--dry-run` alone is `client`).
    OptionalValue(&'static str),
}

/// How a value is read and put in canonical form before two commands are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Form {
    /// Compared as typed.
    Text,
    /// `KEY=VALUE`; kubectl refuses anything else.
    KeyValue,
    /// A file or directory: `./pod.yaml` is `pod.yaml`, `configs/` is `configs`.
    Path,
    /// `--from-file=[KEY=]PATH`: the key defaults to the file's base name.
    FileSource,
    /// `TYPE/NAME`, with the type in canonical form (`cm/app-config` is `configmap/app-config`).
    ResourceRef,
    /// A resource type (`create role --resource=pods`): any of its names.
    ResourceName,
    /// Comma-separated `KEY=VALUE` pairs whose order does not matter (`run --labels`).
    LabelMap,
    /// A label or field selector (`-l`, `--field-selector`): requirements in any order, `==` is
    /// `=`, `k in (v)` is `k=v`, spaces do not matter.
    Selector,
    /// `--dry-run`: `none`, `client` or `server` (the deprecated `true`/`false` mean client/none).
    DryRun,
    /// A container image: `docker.io/library/nginx:latest` is `nginx`.
    Image,
    /// `-o`: a format, or a template whose spacing inside `{{ }}` does not matter.
    Output,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes: Takes,
    pub repeat: Repeat,
    pub form: Form,
    /// kubectl splits each value on commas (a `StringSlice` flag).
    pub comma_separated: bool,
    /// The value kubectl uses when the flag is absent: giving it changes nothing.
    pub default: Option<&'static str>,
    /// kubectl refuses the command without it.
    pub required: bool,
    /// A key given twice is an error ("another key by that name already exists").
    pub unique_keys: bool,
    /// Changes nothing about what the command does (`--record`, `--validate`): read, then dropped.
    pub no_effect: bool,
    /// A global flag that only says how kubectl reaches a cluster, logs or profiles itself: left
    /// out of grading (the learner is told) and never passed to kubectl.
    pub ignored: Option<Ignored>,
    /// Describes the object a create command builds, and nothing else: the only flags the
    /// offline kubectl rendering is ever given (an allow-list; see [`RENDERED`]).
    pub renders: bool,
}

/// Why a global flag is left out of a drill's grading and never reaches kubectl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Makes kubectl read or write a file (`--profile-output`, `--client-key`, `--cache-dir`).
    File,
    /// Names a server or proxy to connect to (`--server`, `--proxy-url`).
    Server,
    /// Carries a credential (`--token`, `--password`).
    Credential,
    /// Changes only kubectl's own logging or profiling (`-v`, `--profile`).
    Diagnostics,
    /// Changes only how kubectl talks to the API server (`--request-timeout`).
    Transport,
}

impl Ignored {
    /// Why, in words a learner can act on.
    pub fn reason(self) -> &'static str {
        match self {
            Ignored::File => "it makes kubectl read or write a file on this machine",
            Ignored::Server => "it names a server to connect to",
            Ignored::Credential => "it carries a credential",
            Ignored::Diagnostics => "it only changes kubectl's own logging or profiling",
            Ignored::Transport => "it only changes how kubectl talks to the API server",
        }
    }
}

/// The global flags a drill ignores, and why. `--namespace`, `--context`, `--cluster`,
/// `--user`, `--kubeconfig` and the impersonation flags (`--as`) are not here: a task can ask
/// for them (which cluster, which namespace, `auth can-i --as`), so they are graded; none of
/// them reaches kubectl either (see [`RENDERED`]).
fn ignored(long: &str) -> Option<Ignored> {
    Some(match long {
        "kuberc"
        | "cache-dir"
        | "certificate-authority"
        | "client-certificate"
        | "client-key"
        | "profile-output" => Ignored::File,
        "server" | "proxy-url" | "tls-server-name" => Ignored::Server,
        "token" | "password" | "username" => Ignored::Credential,
        "profile" | "v" | "vmodule" | "log-flush-frequency" | "warnings-as-errors" => {
            Ignored::Diagnostics
        }
        "insecure-skip-tls-verify"
        | "disable-compression"
        | "request-timeout"
        | "match-server-version" => Ignored::Transport,
        _ => return None,
    })
}

/// The allow-list for kubectl's offline rendering: of a create command's own flags (never a
/// global one), those that only describe the object built. Anything else (a path, a template,
/// `--from` which asks a server, every global flag) never reaches kubectl; a command carrying
/// one is not rendered at all, and the grader's own comparison decides.
pub(super) const RENDERED: &[&str] = &[
    "image",
    "port",
    "replicas",
    "from-literal",
    "type",
    "append-hash",
    "schedule",
    "restart",
    "tcp",
    "node-port",
    "clusterip",
    "role",
    "clusterrole",
    "user",
    "group",
    "serviceaccount",
    "docker-email",
    "docker-password",
    "docker-server",
    "docker-username",
];

/// What a command takes besides flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operands {
    /// Exactly one `NAME` (`create configmap NAME`).
    Name,
    /// `NAME`, then words for the container: after `--`, or (for `run`) any positional word.
    NameAndContainerWords { positional_words: bool },
    /// `TYPE NAME…` or `TYPE/NAME…` (`scale`, `rollout undo`, `edit`).
    Resource,
    /// `TYPE NAME` or `TYPE/NAME`, then pairs that compare as a set (`label`, `annotate`,
    /// `set env`, `taint`; `set image` takes `CONTAINER=IMAGE`).
    ResourceAndPairs { pairs: Pairs },
    /// `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…` (`get`, `describe`, `delete`); the type may be
    /// left out when `-f` names files.
    ResourceList,
    /// A Pod (`web`, `pod/web`, or `deployment/web` for one of its Pods), then, for `logs`, an
    /// optional container name and, for `exec`, the command after `--`.
    Pod { container_words: bool },
    /// `VERB TYPE[/NAME]` (`auth can-i get secrets`).
    VerbResource,
    /// Names, maybe none (`top pod [NAME]`, `cordon NODE`).
    Names,
    /// Nothing but flags (`apply -f`, `create -f`).
    Nothing,
    /// Free words (`explain FIELD`).
    Words,
    /// One folder, maybe none (`kustomize [DIR]`).
    Directory,
}

/// The kind of pairs a [`Operands::ResourceAndPairs`] command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pairs {
    /// `KEY=VALUE` to set, `KEY-` to remove (labels, annotations, env, taints).
    SetOrRemove,
    /// `CONTAINER=IMAGE` (`set image`).
    ContainerImage,
}

#[derive(Debug)]
pub(super) struct Spec {
    pub path: &'static [&'static str],
    pub operands: Operands,
    /// The command's own flags; the global ones are in [`global`].
    pub flags: Vec<Flag>,
    /// Whether `kubectl … --dry-run=client -o json` builds the object offline, with no server.
    pub renders_offline: bool,
}

impl Spec {
    pub fn flags(&self) -> impl Iterator<Item = &Flag> + '_ {
        self.flags.iter().chain(global())
    }

    pub fn find_long(&self, name: &str) -> Option<&Flag> {
        self.flags().find(|flag| flag.long == name)
    }

    pub fn find_short(&self, letter: char) -> Option<&Flag> {
        self.flags().find(|flag| flag.short == Some(letter))
    }

    pub fn name(&self) -> String {
        self.path.join(" ")
    }
}

/// The commands' shapes: (path, operands, renders offline). Every path needs flags in the TSV.
#[rustfmt::skip]
const SHAPES: &[(&[&str], Operands, bool)] = &[
    (&["create"], Operands::Nothing, false),
    (&["create", "deployment"], Operands::NameAndContainerWords { positional_words: false }, true),
    (&["create", "configmap"], Operands::Name, true),
    (&["create", "secret", "generic"], Operands::Name, true),
    (&["create", "secret", "tls"], Operands::Name, false),
    (&["create", "secret", "docker-registry"], Operands::Name, true),
    (&["create", "namespace"], Operands::Name, true),
    (&["create", "serviceaccount"], Operands::Name, true),
    (&["create", "job"], Operands::NameAndContainerWords { positional_words: false }, true),
    (&["create", "cronjob"], Operands::NameAndContainerWords { positional_words: false }, true),
    (&["create", "priorityclass"], Operands::Name, true),
    (&["create", "quota"], Operands::Name, true),
    (&["create", "service", "clusterip"], Operands::Name, true),
    (&["create", "service", "nodeport"], Operands::Name, true),
    (&["create", "service", "loadbalancer"], Operands::Name, true),
    (&["create", "service", "externalname"], Operands::Name, true),
    (&["create", "ingress"], Operands::Name, true),
    // `create role` asks the server what the resources are, even with --dry-run=client.
    (&["create", "role"], Operands::Name, false),
    (&["create", "rolebinding"], Operands::Name, true),
    (&["create", "clusterrole"], Operands::Name, false),
    (&["create", "clusterrolebinding"], Operands::Name, true),
    (&["auth", "can-i"], Operands::VerbResource, false),
    // `kubectl run` asks the server for the Pod's API even with --dry-run=client.
    (&["run"], Operands::NameAndContainerWords { positional_words: true }, false),
    (&["set", "image"], Operands::ResourceAndPairs { pairs: Pairs::ContainerImage }, false),
    (&["set", "env"], Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove }, false),
    (&["set", "resources"], Operands::Resource, false),
    (&["scale"], Operands::Resource, false),
    (&["autoscale"], Operands::Resource, false),
    (&["rollout", "status"], Operands::Resource, false),
    (&["rollout", "history"], Operands::Resource, false),
    (&["rollout", "undo"], Operands::Resource, false),
    (&["rollout", "pause"], Operands::Resource, false),
    (&["rollout", "resume"], Operands::Resource, false),
    (&["rollout", "restart"], Operands::Resource, false),
    (&["expose"], Operands::Resource, false),
    (&["label"], Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove }, false),
    (&["annotate"], Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove }, false),
    (&["taint"], Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove }, false),
    (&["edit"], Operands::Resource, false),
    (&["apply"], Operands::Nothing, false),
    (&["diff"], Operands::Nothing, false),
    (&["kustomize"], Operands::Directory, false),
    (&["replace"], Operands::Nothing, false),
    (&["get"], Operands::ResourceList, false),
    (&["describe"], Operands::ResourceList, false),
    (&["delete"], Operands::ResourceList, false),
    (&["logs"], Operands::Pod { container_words: false }, false),
    (&["exec"], Operands::Pod { container_words: true }, false),
    (&["explain"], Operands::Words, false),
    (&["top", "pod"], Operands::Names, false),
    (&["top", "node"], Operands::Names, false),
    (&["cordon"], Operands::Names, false),
    (&["uncordon"], Operands::Names, false),
    (&["drain"], Operands::Names, false),
    (&["events"], Operands::Nothing, false),
    (&["patch"], Operands::Resource, false),
    (&["config", "get-contexts"], Operands::Names, false),
    (&["config", "current-context"], Operands::Nothing, false),
    (&["config", "set-context"], Operands::Names, false),
    (&["config", "use-context"], Operands::Name, false),
    (&["config", "view"], Operands::Nothing, false),
    (&["config", "set-cluster"], Operands::Name, false),
    (&["config", "set-credentials"], Operands::Name, false),
    (&["config", "delete-context"], Operands::Name, false),
    (&["config", "delete-cluster"], Operands::Name, false),
    (&["config", "delete-user"], Operands::Name, false),
    (&["config", "rename-context"], Operands::Names, false),
    (&["config", "unset"], Operands::Name, false),
    (&["config", "get-clusters"], Operands::Nothing, false),
    (&["config", "get-users"], Operands::Nothing, false),
    (&["config", "set"], Operands::Names, false),
    (&["create", "token"], Operands::Name, false),
    (&["set", "serviceaccount"], Operands::Words, false),
    (&["version"], Operands::Nothing, false),
    (&["cluster-info"], Operands::Nothing, false),
    (&["cluster-info", "dump"], Operands::Nothing, false),
    (&["api-resources"], Operands::Nothing, false),
    (&["api-versions"], Operands::Nothing, false),
];

const FLAGS_TSV: &str = include_str!("kubectl-flags.tsv");

/// Every command the grader knows.
pub(super) fn specs() -> &'static [Spec] {
    static SPECS: OnceLock<Vec<Spec>> = OnceLock::new();
    SPECS.get_or_init(|| {
        SHAPES
            .iter()
            .map(|(path, operands, renders_offline)| {
                let name = path.join(" ");
                let listed = rows(&name).count();
                let flags: Vec<Flag> = rows(&name)
                    .filter(|row| !row.long.is_empty())
                    .map(|row| flag(path, row))
                    .collect();
                assert!(listed > 0, "kubectl-flags.tsv has no flags for `{name}`");
                Spec {
                    path,
                    operands: *operands,
                    flags,
                    renders_offline: *renders_offline,
                }
            })
            .collect()
    })
}

/// Flags every kubectl command takes (`kubectl options`).
pub(super) fn global() -> &'static [Flag] {
    static GLOBAL: OnceLock<Vec<Flag>> = OnceLock::new();
    GLOBAL.get_or_init(|| rows("*").map(|row| flag(&["*"], row)).collect())
}

/// A row of the TSV: (long, short, kubectl's default as --help prints it).
#[derive(Clone, Copy)]
struct Row {
    long: &'static str,
    short: Option<char>,
    default: &'static str,
}

fn rows(command: &str) -> impl Iterator<Item = Row> + '_ {
    FLAGS_TSV
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(move |line| {
            let mut fields = line.split('\t');
            (fields.next()? == command).then(|| Row {
                long: fields.next().unwrap_or_default(),
                short: fields.next().and_then(|short| short.chars().next()),
                default: fields.next().unwrap_or_default(),
            })
        })
}

/// A flag from kubectl's own description, then the semantics --help cannot tell.
fn flag(path: &[&str], row: Row) -> Flag {
    let (takes, repeat, comma_separated, default) = match row.default {
        "true" | "false" => (Takes::Nothing, Repeat::Last, false, Some(row.default)),
        "[]" => (Takes::Value, Repeat::Set, true, None),
        quoted if quoted.starts_with('\'') => {
            let inner = quoted.trim_matches('\'');
            (
                Takes::Value,
                Repeat::Last,
                false,
                (!inner.is_empty()).then_some(inner),
            )
        }
        "" => (Takes::Value, Repeat::Last, false, None),
        other => (Takes::Value, Repeat::Last, false, Some(other)),
    };
    let mut flag = Flag {
        long: row.long,
        short: row.short,
        takes,
        repeat,
        form: Form::Text,
        comma_separated,
        default,
        required: false,
        unique_keys: false,
        no_effect: false,
        ignored: None,
        renders: false,
    };
    if path == ["*"] {
        flag.ignored = ignored(flag.long);
    } else {
        flag.renders = RENDERED.contains(&flag.long);
    }
    semantics(path, &mut flag);
    flag
}

/// What kubectl does with a flag that its help does not say.
fn semantics(path: &[&str], flag: &mut Flag) {
    let command = path.join(" ");
    let array = |flag: &mut Flag| {
        // A StringArray: repeated, never split on commas.
        flag.repeat = Repeat::Set;
        flag.comma_separated = false;
    };
    match flag.long {
        "dry-run" => {
            flag.takes = Takes::OptionalValue("client");
            flag.form = Form::DryRun;
            flag.default = Some("none");
        }
        "cascade" => flag.takes = Takes::OptionalValue("background"),
        "from-literal" => {
            array(flag);
            flag.form = Form::KeyValue;
            flag.unique_keys = true;
        }
        "env" | "annotations" => {
            array(flag);
            flag.form = Form::KeyValue;
        }
        "annotation" if command == "create ingress" => {
            array(flag);
            flag.form = Form::KeyValue;
        }
        "rule" if command == "create ingress" => array(flag),
        "from-file" => {
            flag.form = Form::FileSource;
            flag.unique_keys = true;
        }
        "from-env-file" | "filename" | "kustomize" | "cert" | "key" => flag.form = Form::Path,
        "labels" | "limits" | "requests" | "hard" => flag.form = Form::LabelMap,
        "selector" | "field-selector" => flag.form = Form::Selector,
        "from" => flag.form = Form::ResourceRef,
        "output" => flag.form = Form::Output,
        "resource" if command.starts_with("create") => flag.form = Form::ResourceName,
        "user" | "group" | "serviceaccount" if command.ends_with("rolebinding") => array(flag),
        "image" => {
            flag.form = Form::Image;
            if command == "create deployment" {
                // One container per image, in order.
                flag.repeat = Repeat::List;
                flag.comma_separated = true;
            }
        }
        // Deprecated, or about how kubectl talks to the server: the result is the same.
        "record"
        | "validate"
        | "field-manager"
        | "allow-missing-template-keys"
        | "windows-line-endings" => {
            flag.no_effect = true;
        }
        "namespace" => flag.default = Some("default"),
        _ => {}
    }
    // Defaults the API server applies when kubectl sends nothing.
    match (command.as_str(), flag.long) {
        ("create secret generic", "type") => flag.default = Some("Opaque"),
        ("expose", "type") => flag.default = Some("ClusterIP"),
        ("expose", "protocol") => flag.default = Some("TCP"),
        ("create cronjob", "restart") => flag.default = Some("OnFailure"),
        _ => {}
    }
    flag.required = matches!(
        (command.as_str(), flag.long),
        ("create deployment" | "run" | "create cronjob", "image")
            | ("create cronjob", "schedule")
            | ("scale", "replicas")
            | ("create secret tls", "cert" | "key")
            | ("autoscale", "max")
            | ("create role" | "create clusterrole", "verb")
            | ("create service externalname", "external-name")
    );
}

/// Short names of subcommands (`kubectl create cm`, `create deploy`), as kubectl's aliases.
pub(super) const SUBCOMMAND_ALIASES: &[(&str, &str)] = &[
    ("cm", "configmap"),
    ("ing", "ingress"),
    ("use", "use-context"),
    ("deploy", "deployment"),
    ("ns", "namespace"),
    ("sa", "serviceaccount"),
    ("cj", "cronjob"),
    ("pc", "priorityclass"),
    ("resourcequota", "quota"),
    ("svc", "service"),
    ("pods", "pod"),
    ("po", "pod"),
    ("nodes", "node"),
    ("no", "node"),
];

/// Resource names kubectl accepts, each with its canonical singular name first.
pub(super) const RESOURCES: &[&[&str]] = &[
    &["pod", "pods", "po"],
    &["deployment", "deployments", "deploy"],
    &["replicaset", "replicasets", "rs"],
    &["daemonset", "daemonsets", "ds"],
    &["statefulset", "statefulsets", "sts"],
    &["service", "services", "svc"],
    &["configmap", "configmaps", "cm"],
    &["secret", "secrets"],
    &["namespace", "namespaces", "ns"],
    &["node", "nodes", "no"],
    &["job", "jobs"],
    &["cronjob", "cronjobs", "cj"],
    &["serviceaccount", "serviceaccounts", "sa"],
    &["persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
    &["persistentvolume", "persistentvolumes", "pv"],
    &["ingress", "ingresses", "ing"],
    &["networkpolicy", "networkpolicies", "netpol"],
    &["event", "events", "ev"],
    &["endpoints", "ep"],
    &["endpointslice", "endpointslices"],
    &["priorityclass", "priorityclasses", "pc"],
    &["limitrange", "limitranges", "limits"],
    &["resourcequota", "resourcequotas", "quota"],
    &["ingressclass", "ingressclasses"],
    &[
        "customresourcedefinition",
        "customresourcedefinitions",
        "crd",
        "crds",
    ],
    &["role", "roles"],
    &["rolebinding", "rolebindings"],
    &["clusterrole", "clusterroles"],
    &["clusterrolebinding", "clusterrolebindings"],
    &["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"],
    &["replicationcontroller", "replicationcontrollers", "rc"],
    &["poddisruptionbudget", "poddisruptionbudgets", "pdb"],
    &["storageclass", "storageclasses", "sc"],
    &["csidriver", "csidrivers"],
    &["csinode", "csinodes"],
    &["volumeattachment", "volumeattachments"],
    &["volumeattributesclass", "volumeattributesclasses", "vac"],
    &["servicecidr", "servicecidrs"],
    &["ipaddress", "ipaddresses"],
    &[
        "validatingwebhookconfiguration",
        "validatingwebhookconfigurations",
    ],
    &[
        "mutatingwebhookconfiguration",
        "mutatingwebhookconfigurations",
    ],
    &["validatingadmissionpolicy", "validatingadmissionpolicies"],
    &[
        "validatingadmissionpolicybinding",
        "validatingadmissionpolicybindings",
    ],
    &["mutatingadmissionpolicy", "mutatingadmissionpolicies"],
    &[
        "mutatingadmissionpolicybinding",
        "mutatingadmissionpolicybindings",
    ],
    &["runtimeclass", "runtimeclasses"],
    &["apiservice", "apiservices"],
    &[
        "certificatesigningrequest",
        "certificatesigningrequests",
        "csr",
    ],
    &["lease", "leases"],
    &["componentstatus", "componentstatuses", "cs"],
    &["gatewayclass", "gatewayclasses", "gc"],
    &["gateway", "gateways", "gtw"],
    &["httproute", "httproutes"],
    &["grpcroute", "grpcroutes"],
    &["referencegrant", "referencegrants", "refgrant"],
    &["all"],
];

/// The API groups a resource name may be qualified with (`deployment.apps`,
/// `deployments.v1.apps`).
const GROUPS: &[&str] = &[
    "apps",
    "batch",
    "autoscaling",
    "policy",
    "networking.k8s.io",
    "rbac.authorization.k8s.io",
    "storage.k8s.io",
    "discovery.k8s.io",
    "scheduling.k8s.io",
    "apiextensions.k8s.io",
    "gateway.networking.k8s.io",
    "admissionregistration.k8s.io",
    "node.k8s.io",
    "apiregistration.k8s.io",
    "certificates.k8s.io",
    "coordination.k8s.io",
    "core",
    "",
];

/// The canonical singular name of a resource type kubectl knows: any case, short name, plural,
/// or qualified with its group and version (`Deployments.v1.apps`).
pub(super) fn canonical_resource(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let (base, qualifier) = match lower.split_once('.') {
        Some((base, qualifier)) => (base, Some(qualifier)),
        None => (lower.as_str(), None),
    };
    if let Some(qualifier) = qualifier {
        // `v1.apps`, `apps`, `v2.autoscaling`: an optional version, then a group.
        let group = match qualifier.split_once('.') {
            Some((version, group))
                if version.starts_with('v')
                    && version[1..].starts_with(|c: char| c.is_ascii_digit()) =>
            {
                group
            }
            _ if qualifier.starts_with('v')
                && qualifier[1..].chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                ""
            }
            _ => qualifier,
        };
        if !GROUPS.contains(&group) {
            return None;
        }
    }
    RESOURCES
        .iter()
        .find(|names| names.contains(&base))
        .map(|names| names[0])
}

/// Every resource name kubectl accepts, for "did you mean".
pub(super) fn resource_names() -> impl Iterator<Item = &'static str> {
    RESOURCES.iter().flat_map(|names| names.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_its_flags_and_none_twice() {
        for spec in specs() {
            let mut longs: Vec<&str> = spec.flags.iter().map(|flag| flag.long).collect();
            let count = longs.len();
            longs.sort_unstable();
            longs.dedup();
            assert_eq!(
                longs.len(),
                count,
                "`kubectl {}` repeats a flag",
                spec.name()
            );
            let mut shorts: Vec<char> = spec.flags.iter().filter_map(|flag| flag.short).collect();
            let count = shorts.len();
            shorts.sort_unstable();
            shorts.dedup();
            assert_eq!(
                shorts.len(),
                count,
                "`kubectl {}` repeats a short flag",
                spec.name()
            );
        }
        assert!(
            global()
                .iter()
                .any(|flag| flag.long == "namespace" && flag.short == Some('n'))
        );
    }

    #[test]
    fn flags_follow_kubectl_of_the_pinned_version() {
        let find = |path: &str, long: &str| {
            specs()
                .iter()
                .find(|spec| spec.name() == path)
                .unwrap()
                .find_long(long)
                .copied()
        };
        // --record is deprecated and hidden, accepted by `set image` but gone from `rollout undo`.
        assert!(find("set image", "record").is_some_and(|flag| flag.no_effect));
        assert!(find("rollout undo", "record").is_none());
        assert!(find("rollout restart", "dry-run").is_none());
        let replicas = find("create deployment", "replicas").unwrap();
        assert_eq!((replicas.short, replicas.default), (Some('r'), Some("1")));
        let literal = find("create configmap", "from-literal").unwrap();
        assert_eq!(
            (literal.repeat, literal.comma_separated),
            (Repeat::Set, false)
        );
        let files = find("apply", "filename").unwrap();
        assert_eq!(
            (files.repeat, files.comma_separated, files.form),
            (Repeat::Set, true, Form::Path)
        );
        assert_eq!(
            find("rollout status", "watch").unwrap().default,
            Some("true")
        );
    }

    #[test]
    fn resource_names_are_unique_and_canonical_first() {
        let mut all: Vec<&str> = resource_names().collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
        assert_eq!(canonical_resource("Deployments.apps"), Some("deployment"));
        assert_eq!(canonical_resource("deployment.v1.apps"), Some("deployment"));
        assert_eq!(
            canonical_resource("hpa.v2.autoscaling"),
            Some("horizontalpodautoscaler")
        );
        assert_eq!(canonical_resource("po"), Some("pod"));
        assert_eq!(canonical_resource("pdo"), None);
        assert_eq!(canonical_resource("pod.example.com"), None);
    }
}

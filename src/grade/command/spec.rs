//! The kubectl commands the drills use, with their flags as kubectl (1.3x) defines them: which
//! take a value, which repeat as a set (`StringArray`) or split on commas (`StringSlice`), their
//! defaults, and which are required. Written from kubectl's `--help` and its source, one command
//! at a time; a flag that is not listed is reported as unknown, as kubectl does.

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
    /// Comma-separated `KEY=VALUE` pairs whose order does not matter (`run --labels`).
    LabelMap,
    /// `--dry-run`: `none`, `client` or `server` (the deprecated `true`/`false` mean client/none).
    DryRun,
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
}

pub(super) const fn value(long: &'static str) -> Flag {
    Flag {
        long,
        short: None,
        takes: Takes::Value,
        repeat: Repeat::Last,
        form: Form::Text,
        comma_separated: false,
        default: None,
        required: false,
        unique_keys: false,
        no_effect: false,
    }
}

pub(super) const fn switch(long: &'static str) -> Flag {
    let mut flag = value(long);
    flag.takes = Takes::Nothing;
    flag.default = Some("false");
    flag
}

impl Flag {
    const fn short(mut self, short: char) -> Flag {
        self.short = Some(short);
        self
    }
    const fn set(mut self) -> Flag {
        self.repeat = Repeat::Set;
        self
    }
    const fn list(mut self) -> Flag {
        self.repeat = Repeat::List;
        self
    }
    /// A `StringSlice` flag: repeated, and each value split on commas.
    const fn slice(mut self) -> Flag {
        self.repeat = Repeat::Set;
        self.comma_separated = true;
        self
    }
    /// Each value is split on commas too (an ordered `StringSlice`).
    const fn commas(mut self) -> Flag {
        self.comma_separated = true;
        self
    }
    const fn default(mut self, default: &'static str) -> Flag {
        self.default = Some(default);
        self
    }
    const fn form(mut self, form: Form) -> Flag {
        self.form = form;
        self
    }
    const fn required(mut self) -> Flag {
        self.required = true;
        self
    }
    const fn unique_keys(mut self) -> Flag {
        self.unique_keys = true;
        self
    }
    const fn no_effect(mut self) -> Flag {
        self.no_effect = true;
        self
    }
}

/// What a command takes besides flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operands {
    /// Exactly one `NAME` (`create configmap NAME`).
    Name,
    /// `NAME`, then words for the container: after `--`, or (for `run`) any positional word.
    NameAndContainerWords { positional_words: bool },
    /// `TYPE NAME…` or `TYPE/NAME…` (`scale`, `rollout undo`, `edit`).
    Resource,
    /// `TYPE NAME` or `TYPE/NAME`, then `KEY=VALUE`/`KEY-` pairs that compare as a set
    /// (`label`, `annotate`, `set env`; `set image` takes `CONTAINER=IMAGE`).
    ResourceAndPairs { pairs: Pairs },
    /// `TYPE[,TYPE…] [NAME…]` or `TYPE/NAME…` (`get`, `describe`, `delete`); the type may be
    /// left out when `-f` names files.
    ResourceList,
    /// A Pod (`web`, `pod/web`, or `deployment/web` for one of its Pods), then, for `logs`, an
    /// optional container name and, for `exec`, the command after `--`.
    Pod { container_words: bool },
    /// Nothing but flags (`apply -f`, `create -f`).
    Nothing,
    /// Free words (`explain FIELD`).
    Words,
}

/// The kind of pairs a [`Operands::ResourceAndPairs`] command takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pairs {
    /// `KEY=VALUE` to set, `KEY-` to remove (labels, annotations, env).
    SetOrRemove,
    /// `CONTAINER=IMAGE` (`set image`).
    ContainerImage,
}

#[derive(Debug)]
pub(super) struct Spec {
    pub path: &'static [&'static str],
    pub operands: Operands,
    /// Flag groups: the command's own, then those it shares ([`GLOBAL`] always applies).
    pub flags: &'static [&'static [Flag]],
    /// Whether `kubectl … --dry-run=client -o json` builds the object offline, with no server.
    pub renders_offline: bool,
}

impl Spec {
    pub fn flags(&self) -> impl Iterator<Item = &'static Flag> + '_ {
        self.flags
            .iter()
            .flat_map(|group| group.iter())
            .chain(GLOBAL)
    }

    pub fn find_long(&self, name: &str) -> Option<&'static Flag> {
        self.flags().find(|flag| flag.long == name)
    }

    pub fn find_short(&self, letter: char) -> Option<&'static Flag> {
        self.flags().find(|flag| flag.short == Some(letter))
    }

    pub fn name(&self) -> String {
        self.path.join(" ")
    }
}

/// Flags every kubectl command takes.
pub(super) const GLOBAL: &[Flag] = &[
    value("namespace").short('n').default("default"),
    value("context"),
    value("kubeconfig"),
    value("cluster"),
    value("user"),
];

const OUTPUT: Flag = value("output").short('o');
const DRY_RUN: Flag = Flag {
    takes: Takes::OptionalValue("client"),
    form: Form::DryRun,
    default: Some("none"),
    ..value("dry-run")
};

/// Flags of commands that print the object they act on.
const PRINTS: &[Flag] = &[OUTPUT, switch("show-managed-fields")];
/// Flags of commands that change objects.
const CHANGES: &[Flag] = &[
    DRY_RUN,
    OUTPUT,
    value("field-manager"),
    // Deprecated; it only copies the command line into an annotation.
    switch("record").no_effect(),
];
/// Flags of `create …` subcommands.
const CREATES: &[Flag] = &[
    switch("save-config"),
    value("validate").no_effect(),
    switch("append-hash"),
];
/// Flags of commands that select objects by label instead of by name.
const SELECTS: &[Flag] = &[value("selector").short('l'), switch("all")];
const FILES: &[Flag] = &[
    value("filename").short('f').slice().form(Form::Path),
    switch("recursive").short('R'),
];

const FROM_FILE: Flag = value("from-file")
    .slice()
    .form(Form::FileSource)
    .unique_keys();
const FROM_LITERAL: Flag = value("from-literal")
    .set()
    .form(Form::KeyValue)
    .unique_keys();
const FROM_ENV_FILE: Flag = value("from-env-file").slice().form(Form::Path);

#[rustfmt::skip]
pub(super) static SPECS: &[Spec] = &[
    Spec {
        path: &["create"],
        operands: Operands::Nothing,
        flags: &[FILES, CHANGES, CREATES, &[switch("edit"), switch("windows-line-endings")]],
        renders_offline: false,
    },
    Spec {
        path: &["create", "deployment"],
        operands: Operands::NameAndContainerWords { positional_words: false },
        flags: &[CHANGES, CREATES, &[
            value("image").list().commas().required(),
            value("replicas").short('r').default("1"),
            value("port").default("-1"),
        ]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "configmap"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[FROM_LITERAL, FROM_FILE, FROM_ENV_FILE]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "secret", "generic"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[FROM_LITERAL, FROM_FILE, FROM_ENV_FILE, value("type").default("Opaque")]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "secret", "tls"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[value("cert").form(Form::Path).required(), value("key").form(Form::Path).required()]],
        renders_offline: false,
    },
    Spec {
        path: &["create", "secret", "docker-registry"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[
            value("docker-server").default("https://index.docker.io/v1/"),
            value("docker-username"),
            value("docker-password"),
            value("docker-email"),
            FROM_FILE,
        ]],
        renders_offline: true,
    },
    Spec { path: &["create", "namespace"], operands: Operands::Name, flags: &[CHANGES, CREATES], renders_offline: true },
    Spec { path: &["create", "serviceaccount"], operands: Operands::Name, flags: &[CHANGES, CREATES], renders_offline: true },
    Spec {
        path: &["create", "job"],
        operands: Operands::NameAndContainerWords { positional_words: false },
        flags: &[CHANGES, CREATES, &[value("image"), value("from").form(Form::ResourceRef)]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "cronjob"],
        operands: Operands::NameAndContainerWords { positional_words: false },
        flags: &[CHANGES, CREATES, &[value("image").required(), value("schedule").required(), value("restart").default("OnFailure")]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "service", "clusterip"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[value("tcp").slice(), value("clusterip")]],
        renders_offline: true,
    },
    Spec {
        path: &["create", "service", "nodeport"],
        operands: Operands::Name,
        flags: &[CHANGES, CREATES, &[value("tcp").slice(), value("node-port").default("0")]],
        renders_offline: true,
    },
    Spec {
        path: &["run"],
        operands: Operands::NameAndContainerWords { positional_words: true },
        flags: &[CHANGES, &[
            value("image").required(),
            value("env").set().form(Form::KeyValue),
            value("labels").short('l').form(Form::LabelMap),
            value("annotations").set().form(Form::KeyValue),
            value("port"),
            value("restart").default("Always"),
            switch("command"),
            switch("expose"),
            value("image-pull-policy"),
            switch("privileged"),
            switch("stdin").short('i'),
            switch("tty").short('t'),
            switch("rm"),
            switch("attach"),
            switch("quiet").short('q'),
            value("overrides"),
        ]],
        // `kubectl run` asks the server for the Pod's API even with --dry-run=client.
        renders_offline: false,
    },
    Spec {
        path: &["set", "image"],
        operands: Operands::ResourceAndPairs { pairs: Pairs::ContainerImage },
        flags: &[CHANGES, SELECTS, FILES, &[switch("local")]],
        renders_offline: false,
    },
    Spec {
        path: &["set", "env"],
        operands: Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove },
        flags: &[CHANGES, SELECTS, FILES, &[
            // Values of -e/--env join the positional KEY=VALUE pairs (they mean the same).
            value("env").short('e').set().form(Form::KeyValue),
            value("from").form(Form::ResourceRef),
            value("prefix"),
            value("keys").slice(),
            value("containers").short('c').default("*"),
            switch("list"),
            switch("overwrite").default("true"),
            switch("resolve"),
            switch("local"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["scale"],
        operands: Operands::Resource,
        flags: &[CHANGES, SELECTS, FILES, &[
            value("replicas").default("-1").required(),
            value("current-replicas").default("-1"),
            value("resource-version"),
            value("timeout").default("0s"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["autoscale"],
        operands: Operands::Resource,
        flags: &[CHANGES, FILES, &[value("min").default("-1"), value("max").required(), value("cpu-percent").default("-1"), value("name")]],
        renders_offline: false,
    },
    Spec {
        path: &["rollout", "status"],
        operands: Operands::Resource,
        flags: &[FILES, SELECTS, &[switch("watch").short('w').default("true"), value("revision").default("0"), value("timeout").default("0s")]],
        renders_offline: false,
    },
    Spec {
        path: &["rollout", "history"],
        operands: Operands::Resource,
        flags: &[FILES, SELECTS, PRINTS, &[value("revision").default("0")]],
        renders_offline: false,
    },
    Spec {
        path: &["rollout", "undo"],
        operands: Operands::Resource,
        flags: &[CHANGES, FILES, SELECTS, &[value("to-revision").default("0")]],
        renders_offline: false,
    },
    Spec { path: &["rollout", "pause"], operands: Operands::Resource, flags: &[CHANGES, FILES, SELECTS], renders_offline: false },
    Spec { path: &["rollout", "resume"], operands: Operands::Resource, flags: &[CHANGES, FILES, SELECTS], renders_offline: false },
    Spec { path: &["rollout", "restart"], operands: Operands::Resource, flags: &[CHANGES, FILES, SELECTS], renders_offline: false },
    Spec {
        path: &["expose"],
        operands: Operands::Resource,
        flags: &[CHANGES, FILES, &[
            value("port"),
            value("target-port"),
            value("type").default("ClusterIP"),
            value("name"),
            value("protocol").default("TCP"),
            value("selector"),
            value("labels").short('l').form(Form::LabelMap),
            value("external-ip"),
            value("cluster-ip"),
            value("load-balancer-ip"),
            value("session-affinity"),
            value("override-type").default("merge"),
            value("overrides"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["label"],
        operands: Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove },
        flags: &[CHANGES, SELECTS, FILES, &[switch("overwrite"), switch("list"), switch("local"), value("resource-version")]],
        renders_offline: false,
    },
    Spec {
        path: &["annotate"],
        operands: Operands::ResourceAndPairs { pairs: Pairs::SetOrRemove },
        flags: &[CHANGES, SELECTS, FILES, &[switch("overwrite"), switch("list"), switch("local"), value("resource-version")]],
        renders_offline: false,
    },
    Spec {
        path: &["edit"],
        operands: Operands::Resource,
        flags: &[PRINTS, FILES, &[value("output-patch"), switch("windows-line-endings"), switch("save-config"), value("validate").no_effect(), value("field-manager")]],
        renders_offline: false,
    },
    Spec {
        path: &["apply"],
        operands: Operands::Nothing,
        flags: &[CHANGES, FILES, &[
            value("kustomize").short('k').form(Form::Path),
            switch("server-side"),
            switch("force"),
            switch("force-conflicts"),
            switch("prune"),
            value("selector").short('l'),
            value("validate").no_effect(),
            switch("overwrite").default("true"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["replace"],
        operands: Operands::Nothing,
        flags: &[CHANGES, FILES, &[switch("force"), value("grace-period").default("-1"), value("validate").no_effect(), switch("save-config")]],
        renders_offline: false,
    },
    Spec {
        path: &["get"],
        operands: Operands::ResourceList,
        flags: &[PRINTS, FILES, &[
            value("selector").short('l'),
            value("field-selector"),
            switch("all-namespaces").short('A'),
            switch("watch").short('w'),
            switch("show-labels"),
            value("label-columns").short('L').slice(),
            value("sort-by"),
            switch("no-headers"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["describe"],
        operands: Operands::ResourceList,
        flags: &[FILES, &[value("selector").short('l'), switch("all-namespaces").short('A'), switch("show-events").default("true")]],
        renders_offline: false,
    },
    Spec {
        path: &["delete"],
        operands: Operands::ResourceList,
        flags: &[FILES, &[
            DRY_RUN,
            value("output").short('o'),
            value("selector").short('l'),
            switch("all"),
            switch("all-namespaces").short('A'),
            switch("force"),
            switch("now"),
            value("grace-period").default("-1"),
            switch("wait").default("true"),
            value("cascade").default("background"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["logs"],
        operands: Operands::Pod { container_words: false },
        flags: &[&[
            value("container").short('c'),
            switch("follow").short('f'),
            switch("previous").short('p'),
            value("tail").default("-1"),
            switch("all-containers"),
            value("since"),
            value("since-time"),
            switch("timestamps"),
            value("selector").short('l'),
            switch("prefix"),
        ]],
        renders_offline: false,
    },
    Spec {
        path: &["exec"],
        operands: Operands::Pod { container_words: true },
        flags: &[&[value("container").short('c'), switch("stdin").short('i'), switch("tty").short('t'), switch("quiet").short('q')]],
        renders_offline: false,
    },
    Spec {
        path: &["explain"],
        operands: Operands::Words,
        flags: &[&[switch("recursive"), value("api-version"), value("output")]],
        renders_offline: false,
    },
];

/// Short names of subcommands (`kubectl create cm`, `create deploy`), as kubectl's aliases.
pub(super) const SUBCOMMAND_ALIASES: &[(&str, &str)] = &[
    ("cm", "configmap"),
    ("deploy", "deployment"),
    ("ns", "namespace"),
    ("sa", "serviceaccount"),
    ("cj", "cronjob"),
    ("svc", "service"),
];

/// Resource names kubectl accepts, each with its canonical singular name first.
pub(super) const RESOURCES: &[&[&str]] = &[
    &["pod", "pods", "po"],
    &[
        "deployment",
        "deployments",
        "deploy",
        "deployment.apps",
        "deployments.apps",
    ],
    &[
        "replicaset",
        "replicasets",
        "rs",
        "replicaset.apps",
        "replicasets.apps",
    ],
    &[
        "daemonset",
        "daemonsets",
        "ds",
        "daemonset.apps",
        "daemonsets.apps",
    ],
    &[
        "statefulset",
        "statefulsets",
        "sts",
        "statefulset.apps",
        "statefulsets.apps",
    ],
    &["service", "services", "svc"],
    &["configmap", "configmaps", "cm"],
    &["secret", "secrets"],
    &["namespace", "namespaces", "ns"],
    &["node", "nodes", "no"],
    &["job", "jobs", "job.batch", "jobs.batch"],
    &[
        "cronjob",
        "cronjobs",
        "cj",
        "cronjob.batch",
        "cronjobs.batch",
    ],
    &["serviceaccount", "serviceaccounts", "sa"],
    &["persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
    &["persistentvolume", "persistentvolumes", "pv"],
    &["ingress", "ingresses", "ing"],
    &["networkpolicy", "networkpolicies", "netpol"],
    &["event", "events", "ev"],
    &["endpoints", "ep"],
    &["role", "roles"],
    &["rolebinding", "rolebindings"],
    &["clusterrole", "clusterroles"],
    &["clusterrolebinding", "clusterrolebindings"],
    &["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"],
    &["replicationcontroller", "replicationcontrollers", "rc"],
    &["all"],
];

/// The canonical singular name of a resource type kubectl knows (any case, short, plural).
pub(super) fn canonical_resource(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    RESOURCES
        .iter()
        .find(|names| names.contains(&lower.as_str()))
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
    fn no_command_lists_a_flag_twice() {
        for spec in SPECS {
            let mut longs: Vec<&str> = spec.flags().map(|flag| flag.long).collect();
            let count = longs.len();
            longs.sort_unstable();
            longs.dedup();
            assert_eq!(
                longs.len(),
                count,
                "`kubectl {}` repeats a flag",
                spec.name()
            );
            let mut shorts: Vec<char> = spec.flags().filter_map(|flag| flag.short).collect();
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
    }

    #[test]
    fn resource_names_are_unique_and_canonical_first() {
        let mut all: Vec<&str> = resource_names().collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
        assert_eq!(canonical_resource("Deployments.apps"), Some("deployment"));
        assert_eq!(canonical_resource("po"), Some("pod"));
        assert_eq!(canonical_resource("pdo"), None);
    }
}

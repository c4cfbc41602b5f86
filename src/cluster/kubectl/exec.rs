//! `kubectl exec POD [-c CONTAINER] -- COMMAND`: nothing runs, so a few read-only commands are
//! answered from what the container would see — `env`/`printenv` (its environment, as the
//! kubelet makes it), `cat`/`ls` of files mounted from ConfigMaps and Secrets, `nslookup`/`getent
//! hosts`/`host` for a Service's name — and anything else is refused by name.

use crate::cluster::At as _;
use base64::Engine as _;
use serde_json::Value;

use super::{Output, Run, text};

pub(super) fn exec(run: &mut Run<'_>) -> Output {
    let Some(first) = run.typed.positional.first().cloned() else {
        return Output::error("error: pod, type/name or --filename must be specified");
    };
    if run.typed.positional.len() > 1 {
        return Output::error(
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
        );
    }
    let Some(words) = run
        .typed
        .after_dashes
        .clone()
        .filter(|words| !words.is_empty())
    else {
        return Output::error("error: you must specify at least one command for the container");
    };
    let pod_name = match first.split_once('/') {
        Some((kind, name)) => {
            match super::pod_for(run, kind, name, |_| {
                format!("error: no pods found for {kind}/{name}")
            }) {
                Ok(pod) => pod,
                Err(output) => return output,
            }
        }
        None => first,
    };
    let pod = match run.cluster.objects.find("Pod", &run.namespace, &pod_name) {
        Ok(pod) => pod.clone(),
        Err(error) => return Output::api(&error),
    };
    let containers: Vec<Value> = pod
        .at("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let wanted = run.flag("container").map(str::to_string);
    let container = match &wanted {
        Some(name) => containers
            .iter()
            .find(|container| text(container, "/name") == name),
        None => containers.first(),
    };
    let Some(container) = container.cloned() else {
        return Output::error(format!(
            "Error from server (BadRequest): container {} is not valid for pod {pod_name}",
            wanted.unwrap_or_default()
        ));
    };
    let name = text(&container, "/name").to_string();
    let mut out = Output::default();
    if wanted.is_none() && containers.len() > 1 {
        let names: Vec<&str> = containers
            .iter()
            .map(|container| text(container, "/name"))
            .collect();
        out.stderr.push_str(&format!(
            "Defaulted container \"{name}\" out of: {}\n",
            names.join(", ")
        ));
    }
    let running = pod
        .at("/status/containerStatuses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|status| text(status, "/name") == name && status.at("/state/running").is_some());
    if !running {
        out.stderr.push_str(&format!(
            "error: unable to upgrade connection: container not found (\"{name}\")\n"
        ));
        out.code = 1;
        return out;
    }
    let result = answer(run, &pod, &container, &words);
    out.stdout = result.stdout;
    out.stderr.push_str(&result.stderr);
    if result.code != 0 {
        out.stderr.push_str(&format!(
            "command terminated with exit code {}\n",
            result.code
        ));
        out.code = result.code;
    }
    out
}

/// Files the container sees from ConfigMap and Secret volumes: path → content.
fn mounted_files(run: &Run<'_>, pod: &Value, container: &Value) -> Vec<(String, String)> {
    let namespace = text(pod, "/metadata/namespace");
    let volumes: Vec<Value> = pod
        .at("/spec/volumes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut files = Vec::new();
    for mount in container
        .get("volumeMounts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(volume) = volumes
            .iter()
            .find(|volume| text(volume, "/name") == text(mount, "/name"))
        else {
            continue;
        };
        let (kind, name) = if let Some(map) = volume.get("configMap") {
            ("ConfigMap", text(map, "/name"))
        } else if let Some(secret) = volume.get("secret") {
            ("Secret", text(secret, "/secretName"))
        } else {
            continue;
        };
        let Ok(source) = run.cluster.objects.find(kind, namespace, name) else {
            continue;
        };
        let data: Vec<(String, String)> = source
            .get("data")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(key, value)| {
                let value = value.as_str().unwrap_or_default();
                let value = if kind == "Secret" {
                    base64::engine::general_purpose::STANDARD
                        .decode(value)
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                        .unwrap_or_default()
                } else {
                    value.to_string()
                };
                (key.clone(), value)
            })
            .collect();
        let path = text(mount, "/mountPath").trim_end_matches('/').to_string();
        let sub_path = text(mount, "/subPath");
        for (key, value) in data {
            if sub_path.is_empty() {
                files.push((format!("{path}/{key}"), value));
            } else if key == sub_path {
                files.push((path.clone(), value));
            }
        }
    }
    files
}

fn answer(run: &Run<'_>, pod: &Value, container: &Value, words: &[String]) -> Output {
    let program = words[0].rsplit('/').next().unwrap_or(&words[0]);
    match program {
        "env" | "printenv" => {
            let (_, variables) = crate::cluster::pods::process_of(run.cluster, pod, container);
            let mut all: Vec<(String, String)> = vec![
                (
                    "PATH".into(),
                    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                ),
                ("HOSTNAME".into(), text(pod, "/metadata/name").to_string()),
            ];
            all.extend(variables);
            for (key, value) in [
                ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
                ("KUBERNETES_SERVICE_PORT", "443"),
                ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
                ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
                ("HOME", "/root"),
            ] {
                if !all.iter().any(|(known, _)| known == key) {
                    all.push((key.into(), value.into()));
                }
            }
            match words.get(1) {
                Some(name) if program == "printenv" => {
                    match all.iter().find(|(key, _)| key == name) {
                        Some((_, value)) => Output::out(format!("{value}\n")),
                        None => Output {
                            code: 1,
                            ..Output::default()
                        },
                    }
                }
                _ => Output::out(
                    all.iter()
                        .map(|(key, value)| format!("{key}={value}\n"))
                        .collect::<String>(),
                ),
            }
        }
        "cat" | "ls" => {
            let files = mounted_files(run, pod, container);
            let mut out = Output::default();
            let targets: Vec<&String> = words[1..]
                .iter()
                .filter(|word| !word.starts_with('-'))
                .collect();
            if targets.is_empty() {
                return Output::error(format!(
                    "{program}: give a path (this container's mounted files are: {})",
                    files
                        .iter()
                        .map(|(path, _)| path.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            for target in targets {
                let target = target.trim_end_matches('/');
                if program == "cat" {
                    match files.iter().find(|(path, _)| path == target) {
                        Some((_, content)) => out.stdout.push_str(content),
                        None => {
                            out.stderr
                                .push_str(&format!("cat: {target}: No such file or directory\n"));
                            out.code = 1;
                        }
                    }
                } else {
                    let prefix = format!("{target}/");
                    let names: Vec<&str> = files
                        .iter()
                        .filter_map(|(path, _)| path.strip_prefix(&prefix))
                        .collect();
                    if names.is_empty() && !files.iter().any(|(path, _)| path == target) {
                        out.stderr
                            .push_str(&format!("ls: {target}: No such file or directory\n"));
                        out.code = 1;
                    } else if names.is_empty() {
                        out.stdout.push_str(&format!("{target}\n"));
                    } else {
                        out.stdout.push_str(&format!("{}\n", names.join("\n")));
                    }
                }
            }
            out
        }
        "nslookup" | "host" | "getent" => {
            let name = words
                .iter()
                .skip(1)
                .rfind(|word| !word.starts_with('-') && *word != "hosts");
            let Some(name) = name else {
                return Output::error(format!("{program}: give a name to look up"));
            };
            let namespace = text(pod, "/metadata/namespace");
            let short = name.trim_end_matches('.');
            let (service, service_namespace) = {
                let base = short
                    .strip_suffix(".svc.cluster.local")
                    .or_else(|| short.strip_suffix(".svc"))
                    .unwrap_or(short);
                base.split_once('.')
                    .map_or((base, namespace), |(service, namespace)| {
                        (service, namespace)
                    })
            };
            let fqdn = format!("{service}.{service_namespace}.svc.cluster.local");
            match run
                .cluster
                .objects
                .find("Service", service_namespace, service)
            {
                Ok(found) => {
                    let ip = text(found, "/spec/clusterIP").to_string();
                    match program {
                        "nslookup" => Output::out(format!(
                            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\t{fqdn}\nAddress: {ip}\n\n"
                        )),
                        "host" => Output::out(format!("{fqdn} has address {ip}\n")),
                        _ => Output::out(format!("{ip:<15} {fqdn}\n")),
                    }
                }
                Err(_) => match program {
                    "nslookup" => Output {
                        stdout: format!(
                            "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find {fqdn}: NXDOMAIN\n\n"
                        ),
                        code: 1,
                        ..Output::default()
                    },
                    "host" => Output {
                        stdout: format!("Host {short} not found: 3(NXDOMAIN)\n"),
                        code: 1,
                        ..Output::default()
                    },
                    _ => Output {
                        code: 2,
                        ..Output::default()
                    },
                },
            }
        }
        other => Output {
            stderr: format!(
                "kubedrill: the offline cluster cannot run `{}` in a container; `kubectl exec` here answers env, printenv, cat and ls (mounted ConfigMaps and Secrets), nslookup, host and getent hosts\n",
                crate::text::escape_controls(other)
            ),
            code: 126,
            ..Output::default()
        },
    }
}

//! `kubectl get`: tables (`-o wide`, `-A`, `--show-labels`, `-l`, `--sort-by`,
//! `--no-headers`), and `-o yaml|json|name|jsonpath=|custom-columns=`.

use crate::cluster::At as _;
use serde_json::{Value, json};

use super::tables::{headers, row};
use super::{Output, Run, kinds_of, qualified, targets, text};
use crate::cluster::emit;
use crate::cluster::jsonpath;
use crate::cluster::labels::Selector;
use crate::cluster::print::table;
use crate::manifest::schema::KindInfo;

pub(super) fn get(run: &mut Run<'_>) -> Output {
    if run.typed.positional.is_empty() {
        return Output::error(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        );
    }
    let targets = match targets(&run.typed.positional) {
        Ok(targets) => targets,
        Err(output) => return output,
    };
    if targets
        .iter()
        .all(|(info, name)| info.kind == "Event" && name.is_none())
        && run.flag("output").is_none()
    {
        // `--field-selector` (type=Warning, involvedObject.name=…) is applied by the events list.
        return super::misc::events(run, true);
    }
    let selector = match run.flag("selector").map(Selector::parse).transpose() {
        Ok(selector) => selector.unwrap_or_default(),
        Err(why) => return Output::error(format!("error: {why}")),
    };
    let field_selector = run.flag("field-selector").map(str::to_string);
    let mut errors = String::new();
    // Objects found, grouped by kind in the order asked.
    let mut groups: Vec<(&'static KindInfo, Vec<Value>)> = Vec::new();
    let mut named = false;
    for (info, name) in targets {
        let namespace = if run.all_namespaces {
            None
        } else {
            Some(run.namespace.as_str())
        };
        let found: Vec<Value> = match &name {
            Some(name) => {
                named = true;
                match run.cluster.objects.find(info.kind, &run.namespace, name) {
                    Ok(object) => vec![object.clone()],
                    Err(error) => {
                        errors.push_str(&format!("{error}\n"));
                        continue;
                    }
                }
            }
            None => run
                .cluster
                .objects
                .list(info.kind, namespace.filter(|_| info.namespaced), &selector)
                .into_iter()
                .map(|(_, object)| with_kind(object, info))
                .filter(|object| {
                    field_selector
                        .as_deref()
                        .is_none_or(|fields| field_match(object, fields))
                })
                .collect(),
        };
        let found: Vec<Value> = found
            .into_iter()
            .map(|object| with_kind(&object, info))
            .collect();
        match groups.iter_mut().find(|(kind, _)| kind.kind == info.kind) {
            Some((_, list)) => list.extend(found),
            None => groups.push((info, found)),
        }
    }
    if let Some(path) = run.flag("sort-by") {
        for (_, list) in &mut groups {
            list.sort_by(|a, b| {
                sort_key(a, path)
                    .partial_cmp(&sort_key(b, path))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
    }
    let output = run.flag("output").unwrap_or("").to_string();
    let everything: Vec<&Value> = groups.iter().flat_map(|(_, list)| list.iter()).collect();
    let mut out = Output::default();
    if everything.is_empty() && errors.is_empty() {
        if matches!(output.as_str(), "json" | "yaml") {
            let list = json!({"apiVersion": "v1", "items": [], "kind": "List", "metadata": {"resourceVersion": ""}});
            return Output::out(if output == "json" {
                emit::json(&list)
            } else {
                emit::yaml(&list)
            });
        }
        let place = if run.all_namespaces || groups.iter().all(|(info, _)| !info.namespaced) {
            String::new()
        } else {
            format!(" in {} namespace", run.namespace)
        };
        return Output {
            stderr: format!("No resources found{place}.\n"),
            ..Output::default()
        };
    }
    let single = named && everything.len() == 1;
    let as_document = || -> Value {
        if single {
            everything[0].clone()
        } else {
            json!({"apiVersion": "v1", "items": everything, "kind": "List", "metadata": {"resourceVersion": ""}})
        }
    };
    match output.as_str() {
        "" | "wide" => {
            let wide = output == "wide";
            let several = groups.iter().filter(|(_, list)| !list.is_empty()).count() > 1
                || run
                    .typed
                    .positional
                    .first()
                    .is_some_and(|word| word.contains(',') || word.eq_ignore_ascii_case("all"));
            let mut blocks = Vec::new();
            for (info, list) in &groups {
                if list.is_empty() {
                    continue;
                }
                blocks.push(kind_table(run, info, list, wide, several));
            }
            out.stdout = blocks.join("\n");
        }
        "yaml" => out.stdout = emit::yaml(&as_document()),
        "json" => out.stdout = emit::json(&as_document()),
        "name" => {
            for (info, list) in &groups {
                for object in list {
                    out.stdout
                        .push_str(&qualified(info, text(object, "/metadata/name")));
                    out.stdout.push('\n');
                }
            }
        }
        other => {
            if let Some(template) = other
                .strip_prefix("jsonpath=")
                .or_else(|| other.strip_prefix("jsonpath-as-json="))
            {
                match jsonpath::render(template, &as_document()) {
                    Ok(text) => out.stdout = text,
                    Err(why) => return Output::error(why),
                }
            } else if let Some(spec) = other.strip_prefix("custom-columns=") {
                match custom_columns(spec, &everything, run.typed.on("no-headers")) {
                    Ok(text) => out.stdout = text,
                    Err(why) => return Output::error(why),
                }
            } else {
                return Output::error(format!(
                    "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
                ));
            }
        }
    }
    out.stderr = errors;
    if !out.stderr.is_empty() {
        out.code = 1;
    }
    out
}

/// A listed object carries its kind and apiVersion, as `kubectl get -o yaml` prints it.
fn with_kind(object: &Value, info: &KindInfo) -> Value {
    let mut object = object.clone();
    if let Some(map) = object.as_object_mut() {
        map.insert("apiVersion".into(), json!(info.api_version));
        map.insert("kind".into(), json!(info.kind));
    }
    object
}

fn kind_table(run: &Run<'_>, info: &KindInfo, list: &[Value], wide: bool, several: bool) -> String {
    let mut headers = headers(info.kind, wide);
    let namespaced = run.all_namespaces && info.namespaced;
    let show_labels = run.typed.on("show-labels");
    let default_class = (info.kind == "StorageClass").then(|| {
        let classes = run.cluster.list("StorageClass", None);
        let classes: Vec<&Value> = classes.iter().collect();
        let claim = json!({"spec": {}});
        crate::cluster::binding::claim_class(&claim, &classes)
    });
    let mut rows: Vec<Vec<String>> = list
        .iter()
        .map(|object| {
            let mut cells = row(info.kind, object, run.cluster.now, wide);
            // Since 1.37 the table marks only the default class new claims get (the newest of
            // those annotated), though describe still says IsDefaultClass for each.
            if info.kind == "StorageClass"
                && default_class.as_deref() != Some(text(object, "/metadata/name"))
                && let Some(name) = cells[0].strip_suffix(" (default)")
            {
                cells[0] = name.to_string();
            }
            if several {
                cells[0] = qualified(info, &cells[0]);
            }
            if namespaced {
                cells.insert(0, text(object, "/metadata/namespace").to_string());
            }
            if show_labels {
                let labels: Vec<String> = object
                    .at("/metadata/labels")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(key, value)| format!("{key}={}", value.as_str().unwrap_or_default()))
                    .collect();
                cells.push(if labels.is_empty() {
                    "<none>".into()
                } else {
                    labels.join(",")
                });
            }
            cells
        })
        .collect();
    if namespaced {
        headers.insert(0, "NAMESPACE");
    }
    if show_labels {
        headers.push("LABELS");
    }
    if run.typed.on("no-headers") {
        let text = table(&headers, &rows);
        return text
            .split_once('\n')
            .map_or(String::new(), |(_, rest)| rest.to_string());
    }
    rows.retain(|row| !row.is_empty());
    table(&headers, &rows)
}

fn sort_key(object: &Value, path: &str) -> SortKey {
    let found = jsonpath::select(path, object).unwrap_or_default();
    match found.first() {
        Some(Value::Number(number)) => SortKey::Number(number.as_f64().unwrap_or(0.0)),
        Some(Value::String(text)) => match crate::manifest::quantity::parse(text) {
            Some(number)
                if text.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && !text.contains('-') =>
            {
                SortKey::Number(number)
            }
            _ => SortKey::Text(text.clone()),
        },
        Some(other) => SortKey::Text(other.to_string()),
        None => SortKey::Text(String::new()),
    }
}

#[derive(Debug, PartialEq, PartialOrd)]
enum SortKey {
    Number(f64),
    Text(String),
}

/// `--field-selector status.phase=Running,spec.nodeName!=node01`.
pub(super) fn field_match(object: &Value, selector: &str) -> bool {
    selector.split(',').all(|term| {
        let (path, wanted, negate) = if let Some((path, wanted)) = term.split_once("!=") {
            (path, wanted, true)
        } else if let Some((path, wanted)) = term.split_once("==") {
            (path, wanted, false)
        } else if let Some((path, wanted)) = term.split_once('=') {
            (path, wanted, false)
        } else {
            return true;
        };
        let pointer = format!("/{}", path.trim().replace('.', "/"));
        let value = object.at(&pointer).map(jsonpath::show).unwrap_or_default();
        (value == wanted.trim()) != negate
    })
}

fn custom_columns(spec: &str, objects: &[&Value], no_headers: bool) -> Result<String, String> {
    let mut headers = Vec::new();
    let mut paths = Vec::new();
    for column in spec.split(',') {
        let Some((header, path)) = column.split_once(':') else {
            return Err(format!(
                "error: unexpected custom-columns spec: {column}, expected <header>:<json-path-expr>"
            ));
        };
        headers.push(header.to_string());
        paths.push(path.to_string());
    }
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            paths
                .iter()
                .map(|path| {
                    let values = jsonpath::select(path, object).unwrap_or_default();
                    if values.is_empty() {
                        "<none>".to_string()
                    } else {
                        values
                            .iter()
                            .map(jsonpath::show)
                            .collect::<Vec<_>>()
                            .join(",")
                    }
                })
                .collect()
        })
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let text = table(&header_refs, &rows);
    Ok(if no_headers {
        text.split_once('\n')
            .map_or(String::new(), |(_, rest)| rest.to_string())
    } else {
        text
    })
}

/// The kinds a word names, for completion and messages.
#[allow(dead_code)]
pub(super) fn kinds(word: &str) -> Vec<&'static str> {
    kinds_of(word)
        .map(|kinds| kinds.iter().map(|info| info.kind).collect())
        .unwrap_or_default()
}

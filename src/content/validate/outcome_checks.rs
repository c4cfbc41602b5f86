//! The keys of the checks graded by what a manifest does rather than what it says:
//! `connection` (NetworkPolicies), `route` (Ingress and HTTPRoute) and `binding`
//! (PersistentVolumeClaims). Endpoints, URLs and backends are read now, so a typo is a deck
//! problem with its line, not a grading surprise.

use crate::diagnostic::ProblemBuilder;

use super::file_checker::FileChecker;
use crate::cluster::netpol::{Endpoint, Port};
use crate::cluster::routing::{Backend, Request};
use crate::content::files::CheckEntry;
use crate::model::{BindingExpect, CheckRule, RouteExpect, Target};

impl FileChecker<'_> {
    pub(super) fn connection(&mut self, entry: &CheckEntry) -> Option<CheckRule> {
        let mut ends = Vec::new();
        for end in [&entry.from, &entry.to].into_iter().flatten() {
            match Endpoint::parse(end.get_ref(), "default") {
                Ok(_) => ends.push(end.get_ref().clone()),
                Err(why) => {
                    self.problem(end.span(), "bad-value", why)
                        .help("write a Pod as NAMESPACE/NAME (\"default/api\") or an address outside the cluster (\"8.8.8.8\")");
                    return None;
                }
            }
        }
        let port = entry.port.as_ref()?;
        let port = match port.get_ref() {
            toml::Value::Integer(number @ 1..=65535) => Port::Number(*number as u16),
            toml::Value::String(name)
                if crate::manifest::rules::dns1123_label(name).is_none() && name.len() <= 15 =>
            {
                Port::Name(name.clone())
            }
            _ => {
                self.problem(
                    port.span(),
                    "bad-value",
                    "`port` is a port number from 1 to 65535 or a container port's name",
                )
                .help("for example port = 3306 or port = \"mysql\"");
                return None;
            }
        };
        let protocol = match &entry.protocol {
            None => "TCP".to_string(),
            Some(protocol) if ["TCP", "UDP", "SCTP"].contains(&protocol.get_ref().as_str()) => {
                protocol.get_ref().clone()
            }
            Some(protocol) => {
                self.problem(
                    protocol.span(),
                    "bad-value",
                    format!(
                        "`{}` is not a protocol",
                        crate::text::escape_controls(protocol.get_ref())
                    ),
                )
                .help("use TCP, UDP or SCTP (upper case, as NetworkPolicy ports write them)");
                return None;
            }
        };
        let [from, to] = <[String; 2]>::try_from(ends).ok()?;
        Some(CheckRule::Connection {
            from,
            to,
            port,
            protocol,
            allowed: *entry.allowed.as_ref()?.get_ref(),
        })
    }

    pub(super) fn route(&mut self, entry: &CheckEntry) -> Option<CheckRule> {
        let url = entry.url.as_ref()?;
        if let Err(why) = Request::parse(url.get_ref()) {
            self.problem(url.span(), "bad-value", why).help(
                "write the request's URL, e.g. url = \"https://shop.example.com/api/orders\"",
            );
            return None;
        }
        if let Some(target) = &entry.target
            && !["Ingress/", "HTTPRoute/"]
                .iter()
                .any(|kind| target.get_ref().starts_with(kind))
        {
            self.problem(target.span(), "bad-value", "a `route` check's target is an Ingress or an HTTPRoute")
                .help("for example target = \"Ingress/shop\", or leave it out to route through every Ingress or HTTPRoute");
            return None;
        }
        let expects: Vec<(std::ops::Range<usize>, RouteExpect)> = [
            entry.backend.as_ref().map(|backend| {
                (
                    backend.span(),
                    match backend.get_ref().as_str() {
                        "none" => RouteExpect::NotFound,
                        other => RouteExpect::Backend(other.to_string()),
                    },
                )
            }),
            entry.backends.as_ref().map(|backends| {
                (
                    backends.span(),
                    RouteExpect::Backends(
                        backends
                            .get_ref()
                            .iter()
                            .map(|(backend, weight)| (backend.clone(), (*weight).max(0) as u64))
                            .collect(),
                    ),
                )
            }),
            entry.redirect.as_ref().map(|redirect| {
                (
                    redirect.span(),
                    RouteExpect::Redirect(redirect.get_ref().clone()),
                )
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        let [(span, expect)] = <[_; 1]>::try_from(expects).map_err(|found: Vec<_>| {
            let span = found.get(1).map_or(entry.kind.span(), |(span, _)| span.clone());
            self.problem(span, "missing-key", "a `route` check needs exactly one of `backend`, `backends` or `redirect`")
                .help("backend = \"api:8080\" (or \"none\" for a 404); backends = { \"api:8080\" = 90, \"api-canary:8080\" = 10 }; redirect = \"https://...\"");
        }).ok()?;
        let backends: Vec<&str> = match &expect {
            RouteExpect::Backend(backend) => vec![backend.as_str()],
            RouteExpect::Backends(list) => {
                list.iter().map(|(backend, _)| backend.as_str()).collect()
            }
            _ => Vec::new(),
        };
        for backend in backends {
            if let Err(why) = Backend::parse(backend, "default") {
                self.problem(span, "bad-value", why);
                return None;
            }
        }
        if let RouteExpect::Backends(list) = &expect
            && (list.is_empty() || list.iter().all(|(_, weight)| *weight == 0))
        {
            self.problem(
                span,
                "bad-value",
                "`backends` needs at least one backend with a weight above 0",
            );
            return None;
        }
        if let RouteExpect::Redirect(location) = &expect
            && let Err(why) = Request::parse(location)
        {
            self.problem(span, "bad-value", why);
            return None;
        }
        Some(CheckRule::Route {
            url: url.get_ref().clone(),
            method: entry.method.as_ref().map(|method| method.get_ref().clone()),
            headers: entry
                .headers
                .as_ref()
                .map(|headers| {
                    headers
                        .get_ref()
                        .iter()
                        .map(|(name, value)| (name.clone(), value.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            expect,
        })
    }

    pub(super) fn binding(
        &mut self,
        entry: &CheckEntry,
        target: Option<&Target>,
    ) -> Option<CheckRule> {
        if let (Some(target), Some(span)) = (target, entry.target.as_ref())
            && target.kind != "PersistentVolumeClaim"
        {
            self.problem(
                span.span(),
                "bad-value",
                "a `binding` check's target is a PersistentVolumeClaim",
            )
            .help("for example target = \"PersistentVolumeClaim/claim-log\"");
            return None;
        }
        match (&entry.volume, &entry.outcome) {
            (Some(volume), None) => Some(CheckRule::Binding(BindingExpect::Volume(
                volume.get_ref().clone(),
            ))),
            (None, Some(outcome)) => match outcome.get_ref().as_str() {
                "provisioned" => Some(CheckRule::Binding(BindingExpect::Provisioned)),
                "waiting" => Some(CheckRule::Binding(BindingExpect::Waiting)),
                "pending" => Some(CheckRule::Binding(BindingExpect::Pending)),
                other => {
                    self.problem(
                        outcome.span(),
                        "bad-value",
                        format!(
                            "`{}` is not an outcome of a claim",
                            crate::text::escape_controls(other)
                        ),
                    )
                    .help("use provisioned, waiting or pending (or `volume` for the volume it binds to)");
                    None
                }
            },
            (Some(_), Some(outcome)) => {
                self.problem(
                    outcome.span(),
                    "key-not-applicable",
                    "a `binding` check takes `volume` or `outcome`, not both",
                );
                None
            }
            (None, None) => {
                self.problem(entry.kind.span(), "missing-key", "a `binding` check needs `volume` (the PersistentVolume it binds to) or `outcome`")
                    .help("volume = \"pv-log\", or outcome = \"provisioned\", \"waiting\" or \"pending\"");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_deck::{EXERCISE_HEAD, validate_with};

    fn problems(checks: &str) -> Vec<String> {
        let exercise = format!("{EXERCISE_HEAD}\n{checks}");
        validate_with(&[("topics/env/exercises/e.toml", &exercise)])
            .problems
            .iter()
            .map(|problem| format!("{}: {}", problem.rule, problem.message))
            .collect()
    }

    #[test]
    fn outcome_checks_read_their_keys_and_say_what_is_wrong() {
        let good = "[[check]]\nid = \"a\"\ntype = \"connection\"\nfrom = \"default/api\"\nto = \"8.8.8.8\"\nport = 53\nprotocol = \"UDP\"\nallowed = true\nmessage = \"M\"\n\n[[check]]\nid = \"b\"\ntype = \"route\"\nurl = \"https://shop.example.com/api\"\nbackends = { \"api:8080\" = 9, \"api-canary:8080\" = 1 }\nmessage = \"M\"\n\n[[check]]\nid = \"c\"\ntype = \"binding\"\ntarget = \"PersistentVolumeClaim/claim-log\"\nvolume = \"pv-log\"\nmessage = \"M\"\n";
        assert_eq!(problems(good), Vec::<String>::new());
        let bad = "[[check]]\nid = \"a\"\ntype = \"connection\"\nfrom = \"Default/API\"\nto = \"db\"\nport = 3306\nallowed = true\nmessage = \"M\"\n\n[[check]]\nid = \"b\"\ntype = \"connection\"\nfrom = \"api\"\nto = \"db\"\nport = 70000\nallowed = false\nmessage = \"M\"\n\n[[check]]\nid = \"c\"\ntype = \"route\"\nurl = \"ftp://x/\"\nbackend = \"api:80\"\nmessage = \"M\"\n\n[[check]]\nid = \"d\"\ntype = \"route\"\nurl = \"http://x/\"\nbackend = \"api:80\"\nredirect = \"https://x/\"\nmessage = \"M\"\n\n[[check]]\nid = \"e\"\ntype = \"binding\"\ntarget = \"PersistentVolume/pv\"\nvolume = \"pv\"\nmessage = \"M\"\n\n[[check]]\nid = \"f\"\ntype = \"binding\"\ntarget = \"PersistentVolumeClaim/c\"\noutcome = \"bound\"\nmessage = \"M\"\n\n[[check]]\nid = \"g\"\ntype = \"route\"\nurl = \"http://x/\"\nbackend = \"api\"\nmessage = \"M\"\n";
        let found = problems(bad);
        assert_eq!(found.len(), 7, "{found:#?}");
        assert!(
            found[0].starts_with("bad-value: `Default/API` is neither an IP address nor a Pod"),
            "{found:#?}"
        );
        assert!(
            found[1].starts_with("bad-value: `port` is a port number"),
            "{found:#?}"
        );
        assert!(
            found[2].starts_with("bad-value: `ftp://x/`: the scheme is http or https"),
            "{found:#?}"
        );
        assert!(
            found[3].starts_with("missing-key: a `route` check needs exactly one of"),
            "{found:#?}"
        );
        assert!(
            found[4]
                .starts_with("bad-value: a `binding` check's target is a PersistentVolumeClaim"),
            "{found:#?}"
        );
        assert!(
            found[5].starts_with("bad-value: `bound` is not an outcome"),
            "{found:#?}"
        );
        assert!(
            found[6].starts_with("bad-value: `api` is not a backend"),
            "{found:#?}"
        );
    }
}

//! NetworkPolicy (networking.k8s.io/v1) and EndpointSlice (discovery.k8s.io/v1).
//!
//! - NetworkPolicy, networking validation ValidateNetworkPolicySpec
//!   (pkg/apis/networking/validation/validation.go): the selectors, each port (protocol,
//!   number or name, `endPort` only after a numeric `port` and not below it), each peer (at
//!   least one of podSelector, namespaceSelector and ipBlock, and ipBlock alone), ipBlock's
//!   CIDR and its `except` ranges inside it, and `policyTypes`.
//! - EndpointSlice, discovery validation ValidateEndpointSlice
//!   (pkg/apis/discovery/validation/validation.go): the address type, each endpoint's 1 to
//!   100 addresses valid for that type, host names, port names and protocols.

use std::collections::HashSet;
use std::net::IpAddr;

use super::names::{dns1123_label, dns1123_subdomain};
use super::values::{cidr_strictly_inside, parse_cidr, parse_ip, special_ip};
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::{Node, Value};

impl Rules {
    /// networking validation ValidateNetworkPolicySpec.
    pub(super) fn network_policy(&mut self, spec: &Node, path: &Path) {
        if let Some(selector) = spec.get("podSelector") {
            self.label_selector(selector, &path.key("podSelector"));
        }
        for (direction, peers) in [("ingress", "from"), ("egress", "to")] {
            for (index, rule) in spec
                .get(direction)
                .map(Node::as_seq)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                let rule_path = path.key(direction).index(index);
                for (port_index, port) in rule
                    .get("ports")
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    self.policy_port(port, &rule_path.key("ports").index(port_index));
                }
                for (peer_index, peer) in rule
                    .get(peers)
                    .map(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    self.policy_peer(peer, &rule_path.key(peers).index(peer_index), peers);
                }
            }
        }
        if let Some(types) = spec.get("policyTypes") {
            let items = types.as_seq();
            if items.len() > 2 {
                self.error(
                    Rule::InvalidValue,
                    path.key("policyTypes"),
                    types.at,
                    format!(
                        "`policyTypes` lists {} types; there are only two, Ingress and Egress",
                        items.len()
                    ),
                );
                return;
            }
            for (index, item) in items.iter().enumerate() {
                self.choice_item(
                    item,
                    path.key("policyTypes").index(index),
                    &["Ingress", "Egress"],
                    "policy type",
                );
            }
        }
    }

    /// networking validation ValidateNetworkPolicyPort.
    fn policy_port(&mut self, port: &Node, path: &Path) {
        self.protocol(port, path);
        let number = port.get("port").filter(|node| !node.is_null());
        match number.map(|node| &node.value) {
            Some(Value::Int(value)) if !(1..=65535).contains(value) => {
                self.port_out_of_range(
                    path.key("port"),
                    number.map_or(port.at, |node| node.at),
                    *value,
                );
            }
            Some(Value::Str(name)) => {
                self.port_name_or_number(
                    name,
                    &crate::text::escape_controls(name),
                    path.key("port"),
                    number.map_or(port.at, |node| node.at),
                );
            }
            _ => {}
        }
        let Some(end) = port.get("endPort") else {
            return;
        };
        let Value::Int(end_value) = end.value else {
            return;
        };
        match number.map(|node| &node.value) {
            None => {
                self.error(
                    Rule::ForbiddenField,
                    path.key("endPort"),
                    end.at,
                    "`endPort` needs a `port` to start the range from",
                )
                .help = Some(
                    "add `port:` with the first port of the range; `endPort` is the last"
                        .to_string(),
                );
            }
            Some(Value::Str(_)) => {
                self.error(
                    Rule::ForbiddenField,
                    path.key("endPort"),
                    end.at,
                    "`endPort` may not be set when `port` is a name",
                )
                .help = Some("a range goes from one port number to another: write `port` as a number, or remove `endPort`".to_string());
            }
            Some(Value::Int(start)) => {
                if !(1..=65535).contains(&end_value) {
                    self.port_out_of_range(path.key("endPort"), end.at, end_value);
                } else if end_value < *start {
                    self.error(
                        Rule::OutOfRange,
                        path.key("endPort"),
                        end.at,
                        format!("`endPort` ({end_value}) must be greater than or equal to `port` ({start})"),
                    )
                    .help = Some("`port` is the first port of the range and `endPort` the last".to_string());
                }
            }
            _ => {}
        }
    }

    /// networking validation ValidateNetworkPolicyPeer and ValidateIPBlock.
    fn policy_peer(&mut self, peer: &Node, path: &Path, list: &str) {
        let kinds = ["podSelector", "namespaceSelector", "ipBlock"];
        let present: Vec<&str> = kinds
            .into_iter()
            .filter(|kind| peer.get(kind).is_some_and(|node| !node.is_null()))
            .collect();
        if present.is_empty() {
            if matches!(peer.value, Value::Map(_)) {
                self.error(
                    Rule::MissingField,
                    path.clone(),
                    peer.at,
                    format!("each item of `{list}` needs `podSelector`, `namespaceSelector` or `ipBlock`"),
                )
                .help = Some("`podSelector: {}` selects every Pod of the policy's namespace; to allow everyone, leave the whole list out".to_string());
            }
            return;
        }
        if present.len() > 1
            && present.contains(&"ipBlock")
            && let Some((key, _)) = peer.entry("ipBlock")
        {
            self.error(
                Rule::ExclusiveFields,
                path.key("ipBlock"),
                key.at,
                "`ipBlock` cannot be combined with `podSelector` or `namespaceSelector` in one item",
            )
            .help = Some(
                "write them as two items of the list (each starting with `-`): one with `ipBlock`, one with the selectors".to_string(),
            );
        }
        for selector in ["podSelector", "namespaceSelector"] {
            if let Some(node) = peer.get(selector) {
                self.label_selector(node, &path.key(selector));
            }
        }
        let Some(block) = peer.get("ipBlock") else {
            return;
        };
        let block_path = path.key("ipBlock");
        let Some(cidr_node) = block.get("cidr") else {
            return;
        };
        let Some(cidr_text) = str_of(cidr_node) else {
            return;
        };
        let Some(cidr) = self.cidr(cidr_node, cidr_text, block_path.key("cidr")) else {
            return;
        };
        for (index, except) in block
            .get("except")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(text) = str_of(except) else {
                continue;
            };
            let except_path = block_path.key("except").index(index);
            if let Some(range) = self.cidr(except, text, except_path.clone())
                && !cidr_strictly_inside(cidr, range)
            {
                self.error(
                    Rule::InvalidValue,
                    except_path,
                    except.at,
                    format!(
                        "`{}` is not a range strictly inside `cidr` {}",
                        crate::text::escape_controls(text),
                        crate::text::escape_controls(cidr_text)
                    ),
                )
                .help = Some("`except` carves smaller ranges out of `cidr`: each must lie within it and be smaller".to_string());
            }
        }
    }

    /// networking validation ValidateServiceCIDR: one CIDR, or two of different IP families,
    /// each in the strict form apimachinery's IsValidCIDR wants (no leading 0s, no bits beyond
    /// the prefix length, canonical text).
    pub(super) fn service_cidr(
        &mut self,
        spec: &Node,
        path: &Path,
        anchor: crate::manifest::yaml::Pos,
    ) {
        let cidrs_node = spec.get("cidrs");
        let cidrs = cidrs_node.map(Node::as_seq).unwrap_or_default();
        let at = cidrs_node.map_or(anchor, |node| node.at);
        let cidrs_path = path.key("cidrs");
        if cidrs.is_empty() {
            self.error(
                Rule::MissingField,
                cidrs_path,
                at,
                "a ServiceCIDR needs at least one range in `cidrs`",
            )
            .help = Some(
                "for example cidrs: [10.96.100.0/24], or one IPv4 and one IPv6 range".to_string(),
            );
            return;
        }
        if cidrs.len() > 2 {
            self.error(
                Rule::InvalidValue,
                cidrs_path,
                at,
                format!(
                    "a ServiceCIDR holds at most 2 ranges (one IPv4, one IPv6), not {}",
                    cidrs.len()
                ),
            )
            .help = Some("create another ServiceCIDR for more ranges".to_string());
            return;
        }
        if let [first, second] = cidrs {
            let family = |node: &Node| {
                str_of(node)
                    .and_then(parse_cidr)
                    .map(|(address, _)| address.is_ipv4())
            };
            match (family(first), family(second)) {
                (Some(a), Some(b)) if a != b => {}
                _ => {
                    self.error(
                        Rule::InvalidValue,
                        cidrs_path,
                        at,
                        "the two ranges of a ServiceCIDR must be one IPv4 and one IPv6 range",
                    )
                    .help = Some("for example cidrs: [192.168.0.0/24, 2001:db8::/64]; put a second range of the same family in another ServiceCIDR".to_string());
                    return;
                }
            }
        }
        for (index, node) in cidrs.iter().enumerate() {
            let Some(text) = str_of(node) else {
                continue;
            };
            let item_path = cidrs_path.index(index);
            let Some((address, length)) = self.cidr(node, text, item_path.clone()) else {
                continue;
            };
            let masked = mask(address, length);
            let canonical = format!("{masked}/{length}");
            let (written_address, written_length) = text.split_once('/').unwrap_or((text, ""));
            let leading_zero = |part: &str| part.len() > 1 && part.starts_with('0');
            let problem = if leading_zero(written_length)
                || (address.is_ipv4() && written_address.split('.').any(leading_zero))
            {
                Some(format!(
                    "`{}` has leading 0s in its address or prefix length",
                    crate::text::escape_controls(text)
                ))
            } else if masked != address {
                Some(format!(
                    "`{}` has bits set beyond its prefix length",
                    crate::text::escape_controls(text)
                ))
            } else if canonical != text {
                Some(format!(
                    "`{}` is not in canonical form",
                    crate::text::escape_controls(text)
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                let finding = self.error(Rule::InvalidValue, item_path, node.at, problem);
                finding.suggestion = Some(canonical.clone());
            }
        }
    }

    /// A CIDR range, reported when it is not one.
    fn cidr(&mut self, node: &Node, text: &str, path: Path) -> Option<(IpAddr, u8)> {
        if let Some(range) = parse_cidr(text) {
            return Some(range);
        }
        let finding = self.error(
            Rule::InvalidValue,
            path,
            node.at,
            format!(
                "`{}` is not a CIDR range",
                crate::text::escape_controls(text)
            ),
        );
        finding.help = Some(
            "write an address, '/' and a prefix length, such as 10.0.0.0/16, or 192.168.1.5/32 for a single address".to_string(),
        );
        finding.suggestion = parse_ip(text.trim()).map(|address| {
            format!(
                "{}/{}",
                text.trim(),
                if address.is_ipv4() { 32 } else { 128 }
            )
        });
        None
    }

    /// discovery validation ValidateEndpointSlice (the fields are at the object's top level).
    pub(super) fn endpoint_slice(&mut self, root: &Node) {
        let path = Path::root();
        let address_type = self.enum_field(root, "addressType", &path, &["IPv4", "IPv6", "FQDN"]);
        for (index, endpoint) in root
            .get("endpoints")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let endpoint_path = path.key("endpoints").index(index);
            let addresses_node = endpoint.get("addresses");
            let addresses = addresses_node.map(Node::as_seq).unwrap_or_default();
            if addresses.is_empty() && matches!(endpoint.value, Value::Map(_)) {
                self.error(
                    Rule::MissingField,
                    endpoint_path.key("addresses"),
                    addresses_node.map_or(endpoint.at, |node| node.at),
                    "an endpoint needs at least one address in `addresses`",
                );
            } else if addresses.len() > 100 {
                self.error(
                    Rule::OutOfRange,
                    endpoint_path.key("addresses"),
                    addresses_node.map_or(endpoint.at, |node| node.at),
                    format!(
                        "an endpoint has at most 100 addresses; this one has {}",
                        addresses.len()
                    ),
                );
            }
            for (address_index, address) in addresses.iter().enumerate() {
                if let (Some(kind), Some(text)) = (address_type, str_of(address)) {
                    self.endpoint_address(
                        address,
                        text,
                        kind,
                        endpoint_path.key("addresses").index(address_index),
                    );
                }
            }
            if let Some(hostname) = endpoint.get("hostname")
                && let Some(text) = str_of(hostname)
                && let Some(problem) = dns1123_label(text)
            {
                self.error(
                    Rule::InvalidName,
                    endpoint_path.key("hostname"),
                    hostname.at,
                    format!(
                        "`{}` is not a valid host name: {problem}",
                        crate::text::escape_controls(text)
                    ),
                )
                .help = Some("an endpoint's hostname is a DNS label: lowercase letters, digits and '-', at most 63 characters, no dots".to_string());
            }
        }
        let mut names: HashSet<&str> = HashSet::new();
        for (index, port) in root
            .get("ports")
            .map(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let port_path = path.key("ports").index(index);
            let name_node = port.get("name");
            let name = name_node.and_then(str_of).unwrap_or_default();
            let at = name_node.map_or(port.at, |node| node.at);
            if let Some(problem) = (!name.is_empty()).then(|| dns1123_label(name)).flatten() {
                self.error(
                    Rule::InvalidName,
                    port_path.key("name"),
                    at,
                    format!(
                        "`{}` is not a valid port name: {problem}",
                        crate::text::escape_controls(name)
                    ),
                );
            }
            if !names.insert(name) {
                let message = if name.is_empty() {
                    "two ports have no name; at most one port of an EndpointSlice may be unnamed"
                        .to_string()
                } else {
                    format!("two ports are named `{name}`")
                };
                self.error(Rule::DuplicateName, port_path.key("name"), at, message);
            }
            self.protocol(port, &port_path);
            self.app_protocol(port, &port_path);
        }
    }

    /// An endpoint address valid for the slice's address type: IsValidIPv4Address or
    /// IsValidIPv6Address and ValidateNonSpecialIP, or IsFullyQualifiedDomainName.
    fn endpoint_address(&mut self, node: &Node, text: &str, kind: &str, path: Path) {
        let shown = crate::text::escape_controls(text).into_owned();
        if kind == "FQDN" {
            if let Some(problem) = fully_qualified_domain_name(text) {
                self.error(
                    Rule::InvalidValue,
                    path,
                    node.at,
                    format!("`{shown}` is not a fully qualified domain name: {problem}"),
                );
            }
            return;
        }
        let address = parse_ip(text);
        let right_family = match address {
            Some(IpAddr::V4(_)) => kind == "IPv4",
            Some(IpAddr::V6(_)) => kind == "IPv6",
            None => false,
        };
        if !right_family {
            let finding = self.error(
                Rule::InvalidValue,
                path,
                node.at,
                format!("`{shown}` is not an {kind} address"),
            );
            finding.help = Some(match address {
                Some(_) => "every address of an EndpointSlice has the slice's `addressType`; put addresses of the other family in a slice of their own".to_string(),
                None => "write an address such as 10.1.2.3 (IPv4) or fd00::1 (IPv6)".to_string(),
            });
            return;
        }
        if let Some(why) = address.and_then(special_ip) {
            self.error(
                Rule::InvalidValue,
                path,
                node.at,
                format!("`{shown}` may not be an endpoint: {why}"),
            )
            .help = Some("endpoints are addresses other machines can reach: not loopback, link-local or unspecified".to_string());
        }
    }
}

/// IsFullyQualifiedDomainName: a DNS subdomain (a trailing dot allowed) of at least two labels.
fn fully_qualified_domain_name(name: &str) -> Option<String> {
    let name = name.strip_suffix('.').unwrap_or(name);
    if let Some(problem) = dns1123_subdomain(name) {
        return Some(problem);
    }
    if !name.contains('.') {
        return Some(
            "it needs at least two labels separated by dots, such as `db.example.com`".to_string(),
        );
    }
    name.split('.').find_map(dns1123_label)
}

/// The network address of a range: the address with every bit past the prefix cleared.
fn mask(address: IpAddr, length: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4) & u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0);
            IpAddr::V4(bits.into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & u128::MAX.checked_shl(128 - u32::from(length)).unwrap_or(0);
            IpAddr::V6(bits.into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fully_qualified_domain_name;

    #[test]
    fn fully_qualified_names_have_two_labels() {
        assert_eq!(fully_qualified_domain_name("db.example.com"), None);
        assert_eq!(fully_qualified_domain_name("db.example.com."), None);
        assert!(fully_qualified_domain_name("database").is_some());
        assert!(fully_qualified_domain_name("DB.example.com").is_some());
        assert!(fully_qualified_domain_name("db..example.com").is_some());
    }
}

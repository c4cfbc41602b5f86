//! Checks of single values that several kinds share: a value from a fixed, case-sensitive set
//! (with the did-you-mean, `tcp` → `TCP`), IP addresses and CIDR ranges read the way
//! k8s.io/utils/net's `ParseIPSloppy`/`ParseCIDRSloppy` read them (so an address the API server
//! accepts is never refused here), and DNS host names with an optional leading wildcard.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::fields::either;
use super::names::dns1123_subdomain;
use super::{Rules, str_of};
use crate::manifest::diagnostic::Rule;
use crate::manifest::path::Path;
use crate::manifest::yaml::Node;
use crate::text::did_you_mean;

impl Rules {
    /// A list item that must be one of `allowed`, exactly (the API server's
    /// `field.NotSupported`): the counterpart for list items of
    /// [`enum_field`](super::fields), whose help it shares. `what` names the item for the
    /// message ("access mode"). Returns whether the value was allowed (or not a string, which
    /// the schema reports).
    pub(super) fn choice_item(
        &mut self,
        node: &Node,
        path: Path,
        allowed: &[&str],
        what: &str,
    ) -> bool {
        self.not_supported(
            node,
            path,
            allowed,
            |shown| format!("`{shown}` is not a valid {what}"),
            || format!("allowed values: {}", either(allowed)),
        )
    }

    /// The core of [`choice_item`](Self::choice_item) and `one_of`: a string outside
    /// `allowed` is reported with `message` (given the value, shown safely) and `help`, and a
    /// suggestion (the same value in other case, or a near spelling). Returns whether the value
    /// was allowed (or not a string, which the schema reports).
    pub(super) fn not_supported(
        &mut self,
        node: &Node,
        path: Path,
        allowed: &[&str],
        message: impl FnOnce(&str) -> String,
        help: impl FnOnce() -> String,
    ) -> bool {
        let Some(text) = str_of(node) else {
            return true;
        };
        if allowed.contains(&text) {
            return true;
        }
        let shown = crate::text::escape_controls(text).into_owned();
        let finding = self.error(Rule::InvalidValue, path, node.at, message(&shown));
        finding.suggestion = allowed
            .iter()
            .copied()
            .find(|known| known.eq_ignore_ascii_case(text.trim()))
            .or_else(|| did_you_mean(text, allowed.iter().copied()))
            .map(str::to_string);
        finding.help = Some(help());
        false
    }
}

/// An IP address as `netutils.ParseIPSloppy` reads it: IPv4 octets may have leading zeros
/// (read as decimal), IPv6 as Go's `net.ParseIP` takes it.
pub(super) fn parse_ip(text: &str) -> Option<IpAddr> {
    if text.contains(':') {
        return text.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut bytes = [0u8; 4];
    for (byte, octet) in bytes.iter_mut().zip(&octets) {
        if octet.is_empty() || !octet.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *byte = octet.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(bytes)))
}

/// A CIDR range as `netutils.ParseCIDRSloppy` reads it: an address, `/`, a prefix length that
/// fits the family. Host bits may be set (the range is the masked network).
pub(super) fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    let (address, length) = text.split_once('/')?;
    let address = parse_ip(address)?;
    if length.is_empty() || length.len() > 3 || !length.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let length: u8 = length.parse().ok()?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    (length <= max).then_some((address, length))
}

/// Whether `inner` is a strict subset of `outer` (same family, inside it, a longer prefix):
/// networking validation ValidateIPBlock's rule for `except`.
pub(super) fn cidr_strictly_inside(outer: (IpAddr, u8), inner: (IpAddr, u8)) -> bool {
    let bits = |address: IpAddr| -> u128 {
        match address {
            IpAddr::V4(v4) => u128::from(u32::from(v4)),
            IpAddr::V6(v6) => u128::from(v6),
        }
    };
    let width: u32 = match (outer.0, inner.0) {
        (IpAddr::V4(_), IpAddr::V4(_)) => 32,
        (IpAddr::V6(_), IpAddr::V6(_)) => 128,
        _ => return false,
    };
    if inner.1 <= outer.1 {
        return false;
    }
    let shift = width - u32::from(outer.1);
    let network = |address: IpAddr| bits(address).checked_shr(shift).unwrap_or(0);
    network(outer.0) == network(inner.0)
}

/// Why an address may not be an endpoint (core validation ValidateNonSpecialIP), or `None`.
pub(super) fn special_ip(address: IpAddr) -> Option<&'static str> {
    match address {
        IpAddr::V4(v4) if v4.is_unspecified() => Some("it is the unspecified address"),
        IpAddr::V4(v4) if v4.is_loopback() => Some("it is in the loopback range 127.0.0.0/8"),
        IpAddr::V4(v4) if v4.is_link_local() => {
            Some("it is in the link-local range 169.254.0.0/16")
        }
        IpAddr::V4(v4) if v4.octets()[..3] == [224, 0, 0] => {
            Some("it is in the link-local multicast range 224.0.0.0/24")
        }
        IpAddr::V6(v6) if v6.is_unspecified() => Some("it is the unspecified address"),
        IpAddr::V6(v6) if v6.is_loopback() => Some("it is the loopback address ::1"),
        IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80 => {
            Some("it is in the link-local range fe80::/10")
        }
        IpAddr::V6(v6) if v6.segments()[0] & 0xff0f == 0xff02 => {
            Some("it is in the link-local multicast range ff02::/10")
        }
        _ => None,
    }
}

/// A host name that may start with a `*.` wildcard label: IsWildcardDNS1123Subdomain for a
/// name with `*`, IsDNS1123Subdomain otherwise.
pub(super) fn wildcard_host(host: &str) -> Option<String> {
    if host.contains('*') {
        return match host.strip_prefix("*.") {
            Some(rest) if !rest.contains('*') => dns1123_subdomain(rest)
                .map(|problem| format!("after the leading `*.` wildcard, {problem}")),
            _ => Some(
                "a wildcard is only allowed as the whole first label, as in `*.example.com`"
                    .to_string(),
            ),
        };
    }
    dns1123_subdomain(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_as_sloppily_as_the_api_server_reads_them() {
        assert_eq!(parse_ip("10.0.0.1"), Some("10.0.0.1".parse().unwrap()));
        assert_eq!(
            parse_ip("010.000.000.001"),
            Some("10.0.0.1".parse().unwrap())
        );
        assert_eq!(parse_ip("fd00::1"), Some("fd00::1".parse().unwrap()));
        for rejected in [
            "",
            "10.0.0",
            "10.0.0.256",
            "10.0.0.1.2",
            "a.b.c.d",
            "fd00::1::2",
        ] {
            assert_eq!(parse_ip(rejected), None, "{rejected:?}");
        }
        assert!(parse_cidr("10.0.0.0/8").is_some());
        assert!(parse_cidr("10.0.0.1/8").is_some());
        assert!(parse_cidr("fd00::/64").is_some());
        for rejected in ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "fd00::/129", "x/8"] {
            assert_eq!(parse_cidr(rejected), None, "{rejected:?}");
        }
    }

    #[test]
    fn except_ranges_must_be_strictly_inside() {
        let cidr = |text| parse_cidr(text).unwrap();
        assert!(cidr_strictly_inside(
            cidr("10.0.0.0/8"),
            cidr("10.0.5.0/24")
        ));
        assert!(!cidr_strictly_inside(
            cidr("10.0.0.0/8"),
            cidr("10.0.0.0/8")
        ));
        assert!(!cidr_strictly_inside(
            cidr("10.0.0.0/8"),
            cidr("11.0.0.0/16")
        ));
        assert!(!cidr_strictly_inside(
            cidr("10.0.0.0/16"),
            cidr("10.0.0.0/8")
        ));
        assert!(cidr_strictly_inside(cidr("0.0.0.0/0"), cidr("10.0.0.0/8")));
        assert!(!cidr_strictly_inside(cidr("0.0.0.0/0"), cidr("fd00::/8")));
        assert!(cidr_strictly_inside(cidr("fd00::/8"), cidr("fd00:1::/32")));
    }

    #[test]
    fn special_addresses_and_wildcard_hosts() {
        assert!(special_ip(parse_ip("127.0.0.1").unwrap()).is_some());
        assert!(special_ip(parse_ip("169.254.1.1").unwrap()).is_some());
        assert!(special_ip(parse_ip("0.0.0.0").unwrap()).is_some());
        assert!(special_ip(parse_ip("fe80::1").unwrap()).is_some());
        assert_eq!(special_ip(parse_ip("10.1.2.3").unwrap()), None);
        assert_eq!(wildcard_host("*.example.com"), None);
        assert_eq!(wildcard_host("shop.example.com"), None);
        assert!(wildcard_host("shop.*.com").is_some());
        assert!(wildcard_host("*").is_some());
        assert!(wildcard_host("Shop.example.com").is_some());
    }
}

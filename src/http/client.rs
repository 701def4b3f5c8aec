//! Who the client is: the peer's address, or — when the peer is a configured trusted proxy —
//! the address that proxy reports in `X-Forwarded-For`. The login limits count failures per
//! client address, so behind a reverse proxy they must see the real client, and a client must
//! never choose its own address by sending the header itself.

use std::net::IpAddr;
use std::str::FromStr;

/// One trusted proxy: an address, or a network in CIDR notation (`10.0.0.0/8`, `::1/128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.base, ip) {
            (IpAddr::V4(b), IpAddr::V4(i)) => prefix_matches(&b.octets(), &i.octets(), self.prefix),
            (IpAddr::V6(b), IpAddr::V6(i)) => prefix_matches(&b.octets(), &i.octets(), self.prefix),
            (IpAddr::V6(b), IpAddr::V4(i)) => b.to_ipv4_mapped() == Some(i) && self.prefix == 128,
            (IpAddr::V4(b), IpAddr::V6(i)) => i
                .to_ipv4_mapped()
                .is_some_and(|i| prefix_matches(&b.octets(), &i.octets(), self.prefix)),
        }
    }
}

/// Whether the first `prefix` bits of `a` and `b` agree.
fn prefix_matches(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        (a[full] & mask) == (b[full] & mask)
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let base: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{s}` is not an IP address or CIDR network"))?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{s}`: the prefix length must be 0 to {max}"))?,
        };
        Ok(Self { base, prefix })
    }
}

/// The proxies whose `X-Forwarded-For` is believed (`--trusted-proxies`); none by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// A comma-separated list of addresses and CIDR networks; empty for none.
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(Network::from_str)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is trusted; then the rightmost
    /// address of `X-Forwarded-For` that is not itself a trusted proxy (each proxy appends the
    /// address it received from, so the entries left of it may be forged by the client). A
    /// trusted peer without a usable header is the client itself.
    pub fn client_address(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> String {
        let Some(peer) = peer else {
            return String::new();
        };
        if !self.trusts(peer) {
            return peer.to_string();
        }
        let hops: Vec<Option<IpAddr>> = forwarded_for
            .unwrap_or_default()
            .split(',')
            .map(|h| h.trim().parse::<IpAddr>().ok())
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop {
                Some(ip) if self.trusts(ip) => client = ip,
                Some(ip) => return ip.to_string(),
                // An entry that is no address: nothing left of it can be believed.
                None => break,
            }
        }
        client.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // A client sending the header itself is not believed.
        assert_eq!(
            trusted.client_address(ip("192.0.2.7"), Some("198.51.100.1")),
            "192.0.2.7"
        );
        // Through the proxy: the rightmost untrusted hop; a forged entry left of it is ignored.
        assert_eq!(
            trusted.client_address(ip("127.0.0.1"), Some("203.0.113.9, 198.51.100.4, 10.1.2.3")),
            "198.51.100.4"
        );
        assert_eq!(trusted.client_address(ip("127.0.0.1"), None), "127.0.0.1");
        assert_eq!(trusted.client_address(ip("127.0.0.1"), Some("not-an-ip")), "127.0.0.1");
        assert_eq!(
            TrustedProxies::default().client_address(ip("127.0.0.1"), Some("198.51.100.4")),
            "127.0.0.1"
        );
    }

    #[test]
    fn networks_parse_and_match_by_prefix() {
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        let n: Network = "172.16.0.0/12".parse().unwrap();
        assert!(n.contains(ip("172.31.255.1").unwrap()));
        assert!(!n.contains(ip("172.32.0.1").unwrap()));
        let v6: Network = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1").unwrap()));
        assert!(!v6.contains(ip("fe80::1").unwrap()));
    }
}

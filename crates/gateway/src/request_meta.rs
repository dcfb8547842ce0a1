//! Who a request comes from, as every HTTP route reads it: its id (`x-request-id`, taken from
//! the client when it is sane) and the client's address (the peer's, or behind a trusted proxy
//! the last hop it appended). The log, the login throttle and the audit trail use the same two.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::HeaderMap;

use crate::auth::ClientAddress;

/// The request's id: the client's `x-request-id` when it is 1-64 letters, digits, `-` or `_`,
/// else one made here (unique within the process).
pub fn request_id(headers: &HeaderMap) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let given = headers.get("x-request-id").and_then(|v| v.to_str().ok());
    match given {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            id.to_string()
        }
        _ => format!("{:x}-{:x}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)),
    }
}

/// The client's address: the peer's, or with `trust_proxy` the last hop a proxy appended to
/// `X-Forwarded-For` (the only entry a client cannot forge).
pub fn client_address(trust_proxy: bool, peer: SocketAddr, headers: &HeaderMap) -> ClientAddress {
    let forwarded = trust_proxy
        .then(|| headers.get_all("x-forwarded-for").iter().last()?.to_str().ok()?.rsplit(',').next().map(str::trim))
        .flatten()
        .and_then(|hop| hop.parse::<std::net::IpAddr>().ok());
    ClientAddress(forwarded.unwrap_or(peer.ip()).to_string())
}

/// A request's id and address together, carried to where it is answered.
#[derive(Clone, Debug)]
pub struct RequestMeta {
    pub request_id: String,
    pub address: ClientAddress,
}

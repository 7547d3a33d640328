//! `wasi:sockets/ip-name-lookup`: name resolution is network access, so it is refused.

use super::unreachable_methods;
use crate::wasi::abi::{Borrow, Cx, Own, Str};
use crate::wasi::bindings::sockets_ip_name_lookup::{
    ErrorCode, IpAddress, Network, Pollable, ResolveAddressStream,
};

/// `resolve-addresses`: refused, no network is granted.
pub fn resolve_addresses(
    _: &mut Cx,
    _: Borrow<Network>,
    _: Str,
) -> Result<Own<ResolveAddressStream>, ErrorCode> {
    Err(ErrorCode::AccessDenied)
}

unreachable_methods! {
    /// `[method]resolve-address-stream.resolve-next-address`.
    resolve_address_stream_resolve_next_address(Borrow<ResolveAddressStream>)
        -> Result<Option<IpAddress>, ErrorCode>;
    /// `[method]resolve-address-stream.subscribe`.
    resolve_address_stream_subscribe(Borrow<ResolveAddressStream>) -> Own<Pollable>;
    /// `[resource-drop]resolve-address-stream`.
    drop_resolve_address_stream(Own<ResolveAddressStream>) -> ();
}

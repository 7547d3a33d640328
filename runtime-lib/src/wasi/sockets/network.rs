//! `wasi:sockets/network`: the `network` resource, which carries nothing (no network is
//! granted), and the mapping from stream errors to network errors.

use crate::wasi::abi::{Borrow, Cx, Own};
use crate::wasi::bindings::sockets_network::{Error, ErrorCode, Network};

/// The representation of every `network`: there is nothing to tell two apart.
pub const NETWORK: u32 = 0;

/// `network-error-code`: no stream is a socket's, so no stream error is a network error.
pub fn network_error_code(_: &mut Cx, _: Borrow<Error>) -> Option<ErrorCode> {
    None
}

/// Drops a `network`: nothing to release.
pub fn drop_network(_: &mut Cx, this: Own<Network>) {
    debug_assert_eq!(this.rep, NETWORK);
}

//! `wasi:sockets/instance-network`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::sockets_instance_network::Network;

/// `instance-network`: the network, through which nothing is reachable.
pub fn instance_network(_: &mut Cx) -> Own<Network> {
    Own::new(super::network::NETWORK)
}

//! `wasi:sockets/udp-create-socket`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::sockets_udp_create_socket::{ErrorCode, IpAddressFamily, UdpSocket};

/// `create-udp-socket`: refused, no network is granted.
pub fn create_udp_socket(_: &mut Cx, _: IpAddressFamily) -> Result<Own<UdpSocket>, ErrorCode> {
    Err(ErrorCode::AccessDenied)
}

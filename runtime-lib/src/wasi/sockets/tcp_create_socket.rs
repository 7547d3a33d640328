//! `wasi:sockets/tcp-create-socket`.

use crate::wasi::abi::{Cx, Own};
use crate::wasi::bindings::sockets_tcp_create_socket::{ErrorCode, IpAddressFamily, TcpSocket};

/// `create-tcp-socket`: refused, no network is granted.
pub fn create_tcp_socket(_: &mut Cx, _: IpAddressFamily) -> Result<Own<TcpSocket>, ErrorCode> {
    Err(ErrorCode::AccessDenied)
}

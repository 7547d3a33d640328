//! `wasi:sockets`: no network. A smelt executable has no network capability to grant (see
//! `capabilities`), so everything that would reach the network is refused:
//!
//! - `instance-network` gives a `network` that carries nothing (every one is the same);
//! - creating a TCP or UDP socket and resolving a name fail with `access-denied`, the error
//!   WASI gives for a refused permission (wasi-libc maps it to `EACCES`);
//! - so no socket, datagram stream or resolver stream ever exists, and no handle to one can
//!   reach their methods: lifting a borrowed handle the caller's table does not hold traps
//!   before the call. They are defined (a component importing `wasi:sockets/tcp` must link)
//!   and trap with "unknown handle index" should one be reached all the same.
//!
//! What a program sees is what it would see on a host whose firewall refuses everything:
//! languages whose standard library imports `wasi:sockets` (Python, JavaScript, Go, Rust's
//! `std::net`) build and run, and their network calls fail with a permission error.

pub mod instance_network;
pub mod ip_name_lookup;
pub mod network;
pub mod tcp;
pub mod tcp_create_socket;
pub mod udp;
pub mod udp_create_socket;

/// What a method of a socket or stream that cannot exist does if reached.
fn no_such_resource() -> ! {
    crate::trap::raise(smelt_contract::Trap::UnknownHandle)
}

/// Defines resource methods that cannot be reached (see the module's documentation): each
/// takes the implementation's arguments and traps.
macro_rules! unreachable_methods {
    ($($(#[$doc:meta])* $name:ident($($arg:ty),*) -> $ret:ty;)*) => {$(
        $(#[$doc])*
        pub fn $name(_: &mut crate::wasi::abi::Cx, $(_: $arg),*) -> $ret {
            super::no_such_resource()
        }
    )*};
}
use unreachable_methods;

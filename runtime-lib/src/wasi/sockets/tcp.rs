//! `wasi:sockets/tcp`: no TCP socket is ever created (`create-tcp-socket` is refused), so
//! none of these can be reached.

use super::unreachable_methods;
use crate::wasi::abi::{Borrow, Own};
use crate::wasi::bindings::sockets_tcp::{
    Duration, ErrorCode, InputStream, IpAddressFamily, IpSocketAddress, Network, OutputStream,
    Pollable, ShutdownType, TcpSocket,
};

/// What `accept` gives: the connection's socket and its two streams.
type Accepted = (Own<TcpSocket>, Own<InputStream>, Own<OutputStream>);

unreachable_methods! {
    /// `[method]tcp-socket.start-bind`.
    tcp_socket_start_bind(Borrow<TcpSocket>, Borrow<Network>, IpSocketAddress)
        -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.finish-bind`.
    tcp_socket_finish_bind(Borrow<TcpSocket>) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.start-connect`.
    tcp_socket_start_connect(Borrow<TcpSocket>, Borrow<Network>, IpSocketAddress)
        -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.finish-connect`.
    tcp_socket_finish_connect(Borrow<TcpSocket>)
        -> Result<(Own<InputStream>, Own<OutputStream>), ErrorCode>;
    /// `[method]tcp-socket.start-listen`.
    tcp_socket_start_listen(Borrow<TcpSocket>) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.finish-listen`.
    tcp_socket_finish_listen(Borrow<TcpSocket>) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.accept`.
    tcp_socket_accept(Borrow<TcpSocket>) -> Result<Accepted, ErrorCode>;
    /// `[method]tcp-socket.local-address`.
    tcp_socket_local_address(Borrow<TcpSocket>) -> Result<IpSocketAddress, ErrorCode>;
    /// `[method]tcp-socket.remote-address`.
    tcp_socket_remote_address(Borrow<TcpSocket>) -> Result<IpSocketAddress, ErrorCode>;
    /// `[method]tcp-socket.is-listening`.
    tcp_socket_is_listening(Borrow<TcpSocket>) -> bool;
    /// `[method]tcp-socket.address-family`.
    tcp_socket_address_family(Borrow<TcpSocket>) -> IpAddressFamily;
    /// `[method]tcp-socket.set-listen-backlog-size`.
    tcp_socket_set_listen_backlog_size(Borrow<TcpSocket>, u64) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.keep-alive-enabled`.
    tcp_socket_keep_alive_enabled(Borrow<TcpSocket>) -> Result<bool, ErrorCode>;
    /// `[method]tcp-socket.set-keep-alive-enabled`.
    tcp_socket_set_keep_alive_enabled(Borrow<TcpSocket>, bool) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.keep-alive-idle-time`.
    tcp_socket_keep_alive_idle_time(Borrow<TcpSocket>) -> Result<Duration, ErrorCode>;
    /// `[method]tcp-socket.set-keep-alive-idle-time`.
    tcp_socket_set_keep_alive_idle_time(Borrow<TcpSocket>, Duration) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.keep-alive-interval`.
    tcp_socket_keep_alive_interval(Borrow<TcpSocket>) -> Result<Duration, ErrorCode>;
    /// `[method]tcp-socket.set-keep-alive-interval`.
    tcp_socket_set_keep_alive_interval(Borrow<TcpSocket>, Duration) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.keep-alive-count`.
    tcp_socket_keep_alive_count(Borrow<TcpSocket>) -> Result<u32, ErrorCode>;
    /// `[method]tcp-socket.set-keep-alive-count`.
    tcp_socket_set_keep_alive_count(Borrow<TcpSocket>, u32) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.hop-limit`.
    tcp_socket_hop_limit(Borrow<TcpSocket>) -> Result<u8, ErrorCode>;
    /// `[method]tcp-socket.set-hop-limit`.
    tcp_socket_set_hop_limit(Borrow<TcpSocket>, u8) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.receive-buffer-size`.
    tcp_socket_receive_buffer_size(Borrow<TcpSocket>) -> Result<u64, ErrorCode>;
    /// `[method]tcp-socket.set-receive-buffer-size`.
    tcp_socket_set_receive_buffer_size(Borrow<TcpSocket>, u64) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.send-buffer-size`.
    tcp_socket_send_buffer_size(Borrow<TcpSocket>) -> Result<u64, ErrorCode>;
    /// `[method]tcp-socket.set-send-buffer-size`.
    tcp_socket_set_send_buffer_size(Borrow<TcpSocket>, u64) -> Result<(), ErrorCode>;
    /// `[method]tcp-socket.subscribe`.
    tcp_socket_subscribe(Borrow<TcpSocket>) -> Own<Pollable>;
    /// `[method]tcp-socket.shutdown`.
    tcp_socket_shutdown(Borrow<TcpSocket>, ShutdownType) -> Result<(), ErrorCode>;
    /// `[resource-drop]tcp-socket`.
    drop_tcp_socket(Own<TcpSocket>) -> ();
}

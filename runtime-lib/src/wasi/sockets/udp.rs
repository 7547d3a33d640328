//! `wasi:sockets/udp`: no UDP socket is ever created (`create-udp-socket` is refused), so
//! none of these can be reached.

use super::unreachable_methods;
use crate::wasi::abi::{Borrow, List, Own};
use crate::wasi::bindings::sockets_udp::{
    ErrorCode, IncomingDatagram, IncomingDatagramStream, IpAddressFamily, IpSocketAddress, Network,
    OutgoingDatagram, OutgoingDatagramStream, Pollable, UdpSocket,
};

unreachable_methods! {
    /// `[method]udp-socket.start-bind`.
    udp_socket_start_bind(Borrow<UdpSocket>, Borrow<Network>, IpSocketAddress)
        -> Result<(), ErrorCode>;
    /// `[method]udp-socket.finish-bind`.
    udp_socket_finish_bind(Borrow<UdpSocket>) -> Result<(), ErrorCode>;
    /// `[method]udp-socket.stream`.
    udp_socket_stream(Borrow<UdpSocket>, Option<IpSocketAddress>)
        -> Result<(Own<IncomingDatagramStream>, Own<OutgoingDatagramStream>), ErrorCode>;
    /// `[method]udp-socket.local-address`.
    udp_socket_local_address(Borrow<UdpSocket>) -> Result<IpSocketAddress, ErrorCode>;
    /// `[method]udp-socket.remote-address`.
    udp_socket_remote_address(Borrow<UdpSocket>) -> Result<IpSocketAddress, ErrorCode>;
    /// `[method]udp-socket.address-family`.
    udp_socket_address_family(Borrow<UdpSocket>) -> IpAddressFamily;
    /// `[method]udp-socket.unicast-hop-limit`.
    udp_socket_unicast_hop_limit(Borrow<UdpSocket>) -> Result<u8, ErrorCode>;
    /// `[method]udp-socket.set-unicast-hop-limit`.
    udp_socket_set_unicast_hop_limit(Borrow<UdpSocket>, u8) -> Result<(), ErrorCode>;
    /// `[method]udp-socket.receive-buffer-size`.
    udp_socket_receive_buffer_size(Borrow<UdpSocket>) -> Result<u64, ErrorCode>;
    /// `[method]udp-socket.set-receive-buffer-size`.
    udp_socket_set_receive_buffer_size(Borrow<UdpSocket>, u64) -> Result<(), ErrorCode>;
    /// `[method]udp-socket.send-buffer-size`.
    udp_socket_send_buffer_size(Borrow<UdpSocket>) -> Result<u64, ErrorCode>;
    /// `[method]udp-socket.set-send-buffer-size`.
    udp_socket_set_send_buffer_size(Borrow<UdpSocket>, u64) -> Result<(), ErrorCode>;
    /// `[method]udp-socket.subscribe`.
    udp_socket_subscribe(Borrow<UdpSocket>) -> Own<Pollable>;
    /// `[method]incoming-datagram-stream.receive`.
    incoming_datagram_stream_receive(Borrow<IncomingDatagramStream>, u64)
        -> Result<List<IncomingDatagram>, ErrorCode>;
    /// `[method]incoming-datagram-stream.subscribe`.
    incoming_datagram_stream_subscribe(Borrow<IncomingDatagramStream>) -> Own<Pollable>;
    /// `[method]outgoing-datagram-stream.check-send`.
    outgoing_datagram_stream_check_send(Borrow<OutgoingDatagramStream>) -> Result<u64, ErrorCode>;
    /// `[method]outgoing-datagram-stream.send`.
    outgoing_datagram_stream_send(Borrow<OutgoingDatagramStream>, List<OutgoingDatagram>)
        -> Result<u64, ErrorCode>;
    /// `[method]outgoing-datagram-stream.subscribe`.
    outgoing_datagram_stream_subscribe(Borrow<OutgoingDatagramStream>) -> Own<Pollable>;
    /// `[resource-drop]udp-socket`.
    drop_udp_socket(Own<UdpSocket>) -> ();
    /// `[resource-drop]incoming-datagram-stream`.
    drop_incoming_datagram_stream(Own<IncomingDatagramStream>) -> ();
    /// `[resource-drop]outgoing-datagram-stream`.
    drop_outgoing_datagram_stream(Own<OutgoingDatagramStream>) -> ();
}

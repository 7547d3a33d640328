//! `wasi:sockets`: no network is reachable. Creating a TCP listener, connecting, binding a
//! UDP socket and resolving a name each print `ok` or the error's kind; natively the first
//! three succeed on the loopback interface (the listener accepts the connection), and a
//! smelt executable, which no grant gives network access, must refuse them all.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};

fn report<T>(what: &str, r: std::io::Result<T>) -> Option<T> {
    match r {
        Ok(v) => {
            println!("{what}: ok");
            Some(v)
        }
        Err(e) => {
            println!("{what}: {:?}", e.kind());
            None
        }
    }
}

fn main() {
    let listener = report("tcp listen on 127.0.0.1", TcpListener::bind("127.0.0.1:0"));
    // Connect to the listener if there is one, else to a port that would have one natively.
    let addr = listener
        .as_ref()
        .and_then(|l| l.local_addr().ok())
        .map_or_else(|| "127.0.0.1:9".to_string(), |a| a.to_string());
    if let Some(mut stream) = report("tcp connect to 127.0.0.1", TcpStream::connect(&addr)) {
        stream.write_all(b"ping").unwrap();
        let (mut accepted, _) = listener.unwrap().accept().unwrap();
        let mut buf = [0; 4];
        accepted.read_exact(&mut buf).unwrap();
        println!("tcp round trip: {}", String::from_utf8_lossy(&buf));
    }
    report("udp bind on 127.0.0.1", UdpSocket::bind("127.0.0.1:0"));
    report(
        "resolve localhost",
        ("localhost", 80).to_socket_addrs().map(|a| a.count()),
    );
}

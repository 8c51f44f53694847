//! Helpers shared by minimio's test files.

// Each test file uses only some of them.
#![allow(dead_code)]

use std::net::TcpListener;
use std::time::Duration;

/// Runs a test under a time limit: a hang fails instead of stalling the run.
pub use deadline::within;

/// A minimio stream connected to a plain blocking stream, both on loopback.
pub fn connected_pair() -> (minimio::TcpStream, std::net::TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind to loopback");
    let stream = minimio::TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    let (peer, _) = listener.accept().expect("accept");
    (stream, peer)
}

/// `n` milliseconds: the timeouts the tests give `poll`.
pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

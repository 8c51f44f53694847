//! Helpers shared by minimio's test files.

// Each test file uses only some of them.
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `test` on its own thread and fails if it takes longer than
/// `seconds`, so a poll that never returns fails the test instead of
/// hanging the whole run.
pub fn within<T: Send + 'static>(seconds: u64, test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(test()));
    match result.recv_timeout(Duration::from_secs(seconds)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("the test did not finish within {seconds} s")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test panicked"),
    }
}

/// A minimio stream connected to a plain blocking stream, both on loopback.
pub fn connected_pair() -> (minimio::TcpStream, std::net::TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind to loopback");
    let stream = minimio::TcpStream::connect(listener.local_addr().unwrap()).expect("connect");
    let (peer, _) = listener.accept().expect("accept");
    (stream, peer)
}

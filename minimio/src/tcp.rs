//! A TCP connection that never blocks the thread that reads it.

use std::io::{self, Read, Write};
use std::net::{self, ToSocketAddrs};

use crate::sys;

/// A TCP connection in non-blocking mode.
///
/// Reading when no bytes have arrived yet does not wait: it returns an error
/// of kind [`WouldBlock`](io::ErrorKind::WouldBlock). That is the caller's cue
/// to register the stream and come back when [`Poll::poll`](crate::Poll::poll)
/// reports it.
#[derive(Debug)]
pub struct TcpStream {
    pub(crate) inner: net::TcpStream,
    /// What the backend must remember about where the stream is registered
    /// (only the portable backend remembers anything).
    #[allow(dead_code)]
    pub(crate) registration: sys::Registration,
}

// ANCHOR: connect
impl TcpStream {
    /// Connects to `addr`, then switches the stream to non-blocking mode.
    ///
    /// The connect itself waits for the peer's answer, which on loopback
    /// takes microseconds. A refused connection is an error here.
    pub fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        let inner = net::TcpStream::connect(addr)?;
        inner.set_nonblocking(true)?;
        Ok(TcpStream {
            inner,
            registration: sys::Registration::default(),
        })
    }
}
// ANCHOR_END: connect

impl Read for TcpStream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buffer)
    }
}

impl Write for TcpStream {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.inner.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

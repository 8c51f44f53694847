//! A TCP connection that never blocks the thread that reads it.

use std::io::{self, Read, Write};
use std::net::{self, SocketAddr, ToSocketAddrs};

use socket2::{Domain, Socket, Type};

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

// ANCHOR: start_connect
impl TcpStream {
    /// Starts connecting to `addr`, and returns at once, without waiting
    /// for the peer's answer.
    ///
    /// The connection is made (or refused) later. Register the stream with
    /// [`Interests::WRITABLE`](crate::Interests::WRITABLE): once it is
    /// reported, [`take_error`](TcpStream::take_error) says whether the
    /// connect failed, and if not, the stream is ready to write.
    pub fn start_connect(addr: SocketAddr) -> io::Result<TcpStream> {
        let socket = nonblocking_socket(addr)?;
        match socket.connect(&addr.into()) {
            // On loopback, the kernel may connect at once.
            Ok(()) => {}
            // The usual answer: the peer has been asked, and will answer.
            Err(error) if is_in_progress(&error) => {}
            Err(error) => return Err(error),
        }
        Ok(TcpStream {
            inner: socket.into(),
            registration: sys::Registration::default(),
        })
    }

    /// The error that ended the connect, or a later one, if there is one:
    /// the socket's `SO_ERROR`, which this call also clears.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }
}
// ANCHOR_END: start_connect

// ANCHOR: nonblocking_socket
/// A TCP socket for `addr`'s family, non-blocking from the start. On
/// Linux the `socket` call itself says so (`SOCK_NONBLOCK`), as mio does:
/// two `fcntl` calls fewer per connection. Elsewhere it is switched
/// right after.
fn nonblocking_socket(addr: SocketAddr) -> io::Result<Socket> {
    #[cfg(target_os = "linux")]
    {
        let stream = Type::from(libc::SOCK_STREAM | libc::SOCK_NONBLOCK);
        Socket::new(Domain::for_address(addr), stream, None)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
        socket.set_nonblocking(true)?;
        Ok(socket)
    }
}

/// Whether a non-blocking connect's error only says "not yet": Unix says
/// `EINPROGRESS`, Windows says "would block".
fn is_in_progress(error: &io::Error) -> bool {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::EINPROGRESS) {
        return true;
    }
    error.kind() == io::ErrorKind::WouldBlock
}
// ANCHOR_END: nonblocking_socket

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

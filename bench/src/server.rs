//! The HTTP server the `http` workload talks to, on 127.0.0.1. It must be
//! fast enough not to be what is measured: a few threads share one
//! listener, and each answers a connection straight away and closes it.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;

/// Starts the server on a free port; returns its base URL. Its threads
/// live as long as the bench.
pub fn start(threads: usize) -> io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    widen_backlog(&listener)?;
    let url = format!("http://{}", listener.local_addr()?);
    for _ in 0..threads {
        let listener = listener.try_clone()?;
        thread::Builder::new()
            .name("server".to_string())
            .spawn(move || {
                for connection in listener.incoming().flatten() {
                    let _ = answer(connection);
                }
            })?;
    }
    Ok(url)
}

/// The standard library listens with a backlog of 128. A thousand
/// connections at once would overflow it, and a dropped connection is
/// retried a whole second later: that would measure the server. So on Unix
/// it listens again, with room for 4096.
#[cfg(unix)]
fn widen_backlog(listener: &TcpListener) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: `listen` on a socket we own, which is listening already.
    if unsafe { libc::listen(listener.as_raw_fd(), 4096) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn widen_backlog(_listener: &TcpListener) -> io::Result<()> {
    Ok(())
}

/// What the server cannot do on this system.
pub fn limits() -> Vec<&'static str> {
    if cfg!(unix) {
        Vec::new()
    } else {
        vec!["the HTTP server's backlog stays at 128: the http workload may measure retries"]
    }
}

/// Reads a request's head and answers `GET /item/N` with `item N`.
fn answer(mut connection: TcpStream) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.ends_with(b"\r\n\r\n") {
        let read = connection.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split_whitespace().nth(1).unwrap_or("/");
    let body = format!("{}\n", path.trim_start_matches('/').replace('/', " "));
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    connection.write_all(response.as_bytes())
}

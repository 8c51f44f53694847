//! Sending a GET: connect, write the request, and leave the answer for
//! the runtime to read, once the epoll thread says it has arrived.

use std::io::Write;

use minimio::TcpStream;

use super::url::Url;

// ANCHOR: send_request
/// Connects and sends the request. The answer is left for the runtime to
/// read, once the epoll thread says it has arrived.
pub(super) fn send_request(url: &Url) -> Result<TcpStream, String> {
    let where_to = format!("{}:{}", url.host, url.port);
    let mut stream = TcpStream::connect((url.host.as_str(), url.port))
        .map_err(|error| format!("cannot connect to {where_to}: {error}"))?;
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {where_to}\r\nConnection: close\r\n\r\n",
        url.path
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|error| format!("cannot send the request to {where_to}: {error}"))?;
    Ok(stream)
}
// ANCHOR_END: send_request

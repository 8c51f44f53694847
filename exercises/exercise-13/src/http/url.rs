//! A URL, split into the parts a GET needs: host, port and path.

// ANCHOR: url
/// The parts of a plain `http://host:port/path` URL.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Url {
    pub(super) host: String,
    pub(super) port: u16,
    pub(super) path: String,
}

impl Url {
    /// Splits a URL into its parts. Only plain `http://` is understood; the
    /// port is 80 unless given, and the path `/` unless given. An IPv6
    /// address, which needs brackets, is refused.
    pub(super) fn parse(url: &str) -> Result<Url, String> {
        let malformed = |why: &str| format!("malformed URL {url:?}: {why}");
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| malformed("only plain http:// URLs are supported"))?;
        let (host_and_port, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, "/"),
        };
        if host_and_port.starts_with('[') || host_and_port.matches(':').count() > 1 {
            return Err(malformed("IPv6 addresses are not supported"));
        }
        let (host, port) = host_and_port
            .split_once(':')
            .unwrap_or((host_and_port, "80"));
        if host.is_empty() {
            return Err(malformed("there is no host"));
        }
        // ANCHOR_END: url
        // ANCHOR: url_characters
        let name_or_address = |c: char| c.is_ascii_alphanumeric() || ".-_".contains(c);
        if !host.chars().all(name_or_address) {
            return Err(malformed("the host holds a character no host name has"));
        }
        // As Node refuses them, any character outside `!` to `ÿ`: a space
        // or a control character would end the request line, and what
        // follows would be taken for headers.
        if let Some(c) = path.chars().find(|c| !('\u{21}'..='\u{ff}').contains(c)) {
            return Err(malformed(&format!(
                "the path holds {c:?}, which must be escaped (as %XX)"
            )));
        }
        let port = port
            .parse()
            .map_err(|_| malformed("the port is not a number from 0 to 65535"))?;
        Ok(Url {
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }
}
// ANCHOR_END: url_characters

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_split_into_host_port_and_path() {
        let url = Url::parse("http://127.0.0.1:8080/delay/5/hello").unwrap();
        assert_eq!(url.host, "127.0.0.1");
        assert_eq!(url.port, 8080);
        assert_eq!(url.path, "/delay/5/hello");
    }

    #[test]
    fn the_port_and_the_path_have_defaults() {
        let url = Url::parse("http://localhost").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.path.as_str()),
            ("localhost", 80, "/")
        );
    }

    #[test]
    fn malformed_urls_are_refused_with_a_reason() {
        for (url, reason) in [
            ("https://127.0.0.1/", "only plain http://"),
            ("ftp://127.0.0.1/", "only plain http://"),
            ("127.0.0.1:80/", "only plain http://"),
            ("http://", "no host"),
            ("http://:80/", "no host"),
            ("http://127.0.0.1:eighty/", "not a number"),
            ("http://127.0.0.1:70000/", "not a number"),
            ("http://::1/", "IPv6"),
            ("http://[::1]:8080/", "IPv6"),
            ("http://127.0.0.1:80/a b", "the path holds ' '"),
            (
                "http://127.0.0.1/a HTTP/1.1\r\nX-Injected: yes",
                "must be escaped",
            ),
            ("http://127.0.0.1\r\nX-Injected: yes/", "no host name has"),
        ] {
            let error = Url::parse(url).unwrap_err();
            assert!(error.contains(reason), "{url}: {error}");
        }
    }
}

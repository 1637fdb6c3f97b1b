//! E-mail over SMTP (RFC 5321): a small client that says EHLO, upgrades with STARTTLS when
//! the server offers it (or speaks TLS from the start for `smtps://`), logs in with AUTH
//! PLAIN when the server address carries credentials, and sends one UTF-8 message
//! (subject RFC 2047-encoded, body base64).
//!
//! The server is given as `smtp://user:password@host:port` (STARTTLS when offered; port 25
//! by default) or `smtps://user:password@host:port` (TLS; port 465 by default), with
//! `?ca=/path/ca.pem` to trust a company's own certificate authority besides the public
//! ones. Credentials are never sent over a connection that is not encrypted, except to the
//! machine itself (a local relay).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;

use crate::{Message, SendError};

/// An SMTP server address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<String>,
    /// A PEM file of certificate authorities trusted besides the public ones.
    pub ca: Option<std::path::PathBuf>,
}

impl Server {
    /// Parses `smtp://[user[:password]@]host[:port]` or `smtps://...`.
    pub fn parse(url: &str) -> Result<Server, SendError> {
        let bad = |why: &str| SendError::Rule(format!("SMTP server `{}`: {why}", redact(url)));
        let (tls, rest) = if let Some(r) = url.strip_prefix("smtps://") {
            (true, r)
        } else if let Some(r) = url.strip_prefix("smtp://") {
            (false, r)
        } else {
            return Err(bad("expected smtp://host:port or smtps://host:port"));
        };
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut ca = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("ca", path)) if !path.is_empty() => {
                    ca = Some(std::path::PathBuf::from(percent_decode(path)));
                }
                _ => return Err(bad(&format!("unknown option `{pair}` (known: ca=PATH)"))),
            }
        }
        let rest = rest.trim_end_matches('/');
        let (credentials, hostport) = match rest.rsplit_once('@') {
            Some((c, h)) => (Some(c), h),
            None => (None, rest),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| bad("the port is not a number"))?,
            ),
            None => (hostport, if tls { 465 } else { 25 }),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let (user, password) = match credentials {
            Some(c) => {
                let (u, p) = c.split_once(':').unwrap_or((c, ""));
                (Some(percent_decode(u)), Some(percent_decode(p)))
            }
            None => (None, None),
        };
        Ok(Server {
            tls,
            host: host.to_owned(),
            port,
            user,
            password,
            ca,
        })
    }

    fn is_local(&self) -> bool {
        matches!(
            self.host.as_str(),
            "localhost" | "127.0.0.1" | "::1" | "[::1]"
        )
    }
}

/// The address with its password hidden, for messages and the log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The mail as sent (headers and base64 body), lines ending in CRLF.
pub fn compose(from: &str, to: &[String], message: &Message, date: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let body = b64.encode(message.text.as_bytes());
    let mut wrapped = String::new();
    for chunk in body.as_bytes().chunks(76) {
        wrapped.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        wrapped.push_str("\r\n");
    }
    let id: String = message
        .key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '.' })
        .collect();
    format!(
        "From: {from}\r\nTo: {}\r\nSubject: =?UTF-8?B?{}?=\r\nDate: {date}\r\nMessage-ID: <{id}@zhanggui>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}",
        to.join(", "),
        b64.encode(message.title.as_bytes()),
    )
}

/// Sends one mail; returns the server's last answer.
pub fn send(
    server: &Server,
    from: &str,
    to: &[String],
    message: &Message,
    date: &str,
    timeout: Duration,
) -> Result<String, SendError> {
    let err = |e: std::io::Error| SendError::Smtp(e.to_string());
    let addr = format!("{}:{}", server.host, server.port);
    let tcp = TcpStream::connect(&addr).map_err(|e| SendError::Smtp(format!("{addr}: {e}")))?;
    tcp.set_read_timeout(Some(timeout)).map_err(err)?;
    tcp.set_write_timeout(Some(timeout)).map_err(err)?;
    let mail = compose(from, to, message, date);
    if server.tls {
        let tls = tls_stream(server, tcp)?;
        let mut s = BufReader::new(tls);
        expect(&mut s, 220)?;
        let ehlo = command(&mut s, "EHLO zhanggui", 250)?;
        return transact(&mut s, server, true, &ehlo, from, to, &mail);
    }
    let mut s = BufReader::new(tcp);
    expect(&mut s, 220)?;
    let ehlo = command(&mut s, "EHLO zhanggui", 250)?;
    if ehlo
        .lines()
        .any(|l| l.trim().eq_ignore_ascii_case("STARTTLS"))
    {
        command(&mut s, "STARTTLS", 220)?;
        let tcp = s.into_inner();
        let mut t = BufReader::new(tls_stream(server, tcp)?);
        let ehlo = command(&mut t, "EHLO zhanggui", 250)?;
        return transact(&mut t, server, true, &ehlo, from, to, &mail);
    }
    transact(&mut s, server, false, &ehlo, from, to, &mail)
}

type Tls = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

fn tls_stream(server: &Server, tcp: TcpStream) -> Result<Tls, SendError> {
    use rustls::pki_types::pem::PemObject;
    let host = server.host.as_str();
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = &server.ca {
        let shown = path.display();
        let certs = rustls::pki_types::CertificateDer::pem_file_iter(path)
            .map_err(|e| SendError::Rule(format!("ca={shown}: {e}")))?;
        for cert in certs {
            let cert = cert.map_err(|e| SendError::Rule(format!("ca={shown}: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| SendError::Rule(format!("ca={shown}: {e}")))?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| SendError::Smtp(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| SendError::Smtp(format!("{host}: {e}")))?;
    let conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| SendError::Smtp(e.to_string()))?;
    Ok(rustls::StreamOwned::new(conn, tcp))
}

fn transact<S: Read + Write>(
    s: &mut BufReader<S>,
    server: &Server,
    encrypted: bool,
    ehlo: &str,
    from: &str,
    to: &[String],
    mail: &str,
) -> Result<String, SendError> {
    if let (Some(user), Some(password)) = (&server.user, &server.password) {
        if !encrypted && !server.is_local() {
            return Err(SendError::Smtp(format!(
                "{} offers no STARTTLS: the password is not sent in the clear (use smtps://)",
                server.host
            )));
        }
        if !ehlo.to_ascii_uppercase().contains("AUTH") {
            return Err(SendError::Smtp(format!(
                "{} does not offer AUTH",
                server.host
            )));
        }
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("\0{user}\0{password}").as_bytes());
        command(s, &format!("AUTH PLAIN {token}"), 235)?;
    }
    command(s, &format!("MAIL FROM:<{}>", address_of(from)), 250)?;
    for r in to {
        command(s, &format!("RCPT TO:<{}>", address_of(r)), 250)?;
    }
    command(s, "DATA", 354)?;
    let mut data = String::with_capacity(mail.len() + 8);
    for line in mail.split("\r\n") {
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    // `mail` ends in CRLF: the split left one empty line too many.
    data.truncate(data.len() - 2);
    data.push_str(".\r\n");
    s.get_mut()
        .write_all(data.as_bytes())
        .map_err(|e| SendError::Smtp(e.to_string()))?;
    let done = expect(s, 250)?;
    let _ = command(s, "QUIT", 221);
    Ok(done)
}

/// `张三 <a@b.c>` → `a@b.c`.
fn address_of(s: &str) -> &str {
    match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s.trim(),
    }
}

fn command<S: Read + Write>(
    s: &mut BufReader<S>,
    line: &str,
    code: u16,
) -> Result<String, SendError> {
    s.get_mut()
        .write_all(format!("{line}\r\n").as_bytes())
        .and_then(|()| s.get_mut().flush())
        .map_err(|e| SendError::Smtp(e.to_string()))?;
    let shown = if line.starts_with("AUTH") {
        "AUTH PLAIN ***"
    } else {
        line
    };
    expect(s, code).map_err(|e| SendError::Smtp(format!("{shown}: {e}")))
}

/// Reads a (multi-line) reply; an error unless its code is `code`.
fn expect<S: Read>(s: &mut BufReader<S>, code: u16) -> Result<String, SendError> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n = s
            .read_line(&mut line)
            .map_err(|e| SendError::Smtp(e.to_string()))?;
        if n == 0 {
            return Err(SendError::Smtp("the server closed the connection".into()));
        }
        let line = line.trim_end();
        let got: u16 = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
        text.push_str(line.get(4..).unwrap_or(""));
        text.push('\n');
        if line.as_bytes().get(3) != Some(&b'-') {
            if got != code {
                return Err(SendError::Smtp(format!("expected {code}, got {line}")));
            }
            return Ok(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_read() {
        let s = Server::parse("smtp://alert%40shop.cn:p%3Ass@mail.shop.cn:587").unwrap();
        assert_eq!(s.user.as_deref(), Some("alert@shop.cn"));
        assert_eq!(s.password.as_deref(), Some("p:ss"));
        assert_eq!(
            (s.host.as_str(), s.port, s.tls),
            ("mail.shop.cn", 587, false)
        );
        assert_eq!(Server::parse("smtps://mail.shop.cn").unwrap().port, 465);
        let with_ca = Server::parse("smtp://mail.shop.cn:587?ca=/etc/ca%20file.pem").unwrap();
        assert_eq!(
            with_ca.ca.as_deref(),
            Some(std::path::Path::new("/etc/ca file.pem"))
        );
        assert_eq!(with_ca.port, 587);
        assert!(Server::parse("smtp://h?tls=off").is_err());
        assert!(Server::parse("http://x").is_err());
        assert_eq!(redact("smtp://u:secret@h:25"), "smtp://u:***@h:25");
        assert_eq!(address_of("掌柜 <a@b.cn>"), "a@b.cn");
    }
}

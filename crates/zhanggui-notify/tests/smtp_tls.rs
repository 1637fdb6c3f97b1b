//! E-mail over an encrypted connection: a local SMTP server offering STARTTLS with a
//! certificate from a test certificate authority. The client upgrades, logs in only once
//! encrypted, and delivers; without the authority it refuses the server.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use zhanggui_notify::smtp::{send, Server};
use zhanggui_notify::Message;

/// A test authority and a certificate for `localhost` signed by it.
fn certificates() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    (
        ca.pem(),
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

/// A TLS server's configuration with the certificate.
fn server_config(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> Arc<rustls::ServerConfig> {
    Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap(),
    )
}

/// Reads one command line.
fn line(r: &mut impl BufRead) -> String {
    let mut l = String::new();
    let _ = r.read_line(&mut l);
    l.trim_end().to_owned()
}

type TlsStream = rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>;

/// Writes a reply; false when the client has gone.
fn say(t: &mut BufReader<TlsStream>, reply: &str) -> bool {
    let ok = t.get_mut().write_all(reply.as_bytes()).is_ok();
    let _ = t.get_mut().flush();
    ok
}

/// An SMTP server on a free port, encrypted after STARTTLS (`starttls`) or from the first
/// byte (smtps), offering AUTH only once encrypted; keeps the commands it got once
/// encrypted, and the message.
fn smtp_server(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
    starttls: bool,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let config = server_config(cert, key);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let got = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            if starttls {
                let mut r = BufReader::new(tcp.try_clone().unwrap());
                write!(tcp, "220 sink\r\n").unwrap();
                let _ehlo = line(&mut r);
                write!(tcp, "250-sink\r\n250 STARTTLS\r\n").unwrap();
                if line(&mut r) != "STARTTLS" {
                    continue;
                }
                write!(tcp, "220 go ahead\r\n").unwrap();
            }
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut t = BufReader::new(rustls::StreamOwned::new(conn, tcp));
            if !starttls && !say(&mut t, "220 tls sink\r\n") {
                continue;
            }
            loop {
                let cmd = line(&mut t);
                if cmd.is_empty() {
                    break;
                }
                seen.lock().unwrap().push(cmd.clone());
                let reply = match cmd.split(' ').next().unwrap_or("") {
                    "EHLO" => "250-sink\r\n250 AUTH PLAIN\r\n",
                    "AUTH" => "235 ok\r\n",
                    "DATA" => {
                        say(&mut t, "354 go on\r\n");
                        let mut data = String::new();
                        loop {
                            let mut l = String::new();
                            if t.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        seen.lock().unwrap().push(data);
                        "250 queued\r\n"
                    }
                    "QUIT" => {
                        say(&mut t, "221 bye\r\n");
                        break;
                    }
                    _ => "250 ok\r\n",
                };
                if !say(&mut t, reply) {
                    break;
                }
            }
        }
    });
    (port, got)
}

fn message() -> Message {
    Message {
        key: "bad_review:R1".into(),
        title: "【掌柜】差评提醒".into(),
        text: "质量太差了".into(),
    }
}

const DATE: &str = "Sun, 22 Nov 2026 10:00:00 +0000";

#[test]
fn mail_goes_over_starttls_to_a_trusted_server_only() {
    let (ca_pem, cert, key) = certificates();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let (port, seen) = smtp_server(cert, key, true);
    let timeout = std::time::Duration::from_secs(10);
    let to = vec!["boss@shop.cn".to_owned()];

    // Without the test authority the server's certificate is not trusted: nothing is sent.
    let untrusted = Server::parse(&format!("smtp://alerts:secret@localhost:{port}")).unwrap();
    let refused = send(&untrusted, "alerts@shop.cn", &to, &message(), DATE, timeout);
    assert!(refused.is_err(), "{refused:?}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "nothing was said after a refused handshake"
    );

    // Trusting it: upgraded, logged in, delivered.
    let trusted = Server::parse(&format!(
        "smtp://alerts:secret@localhost:{port}?ca={}",
        ca_file.display()
    ))
    .unwrap();
    let answer = send(
        &trusted,
        "掌柜 <alerts@shop.cn>",
        &to,
        &message(),
        DATE,
        timeout,
    )
    .unwrap();
    assert!(answer.contains("queued"), "{answer}");
    let seen = seen.lock().unwrap().clone();
    assert!(seen[0].starts_with("EHLO"), "{seen:?}");
    assert!(
        seen.iter().any(|c| c.starts_with("AUTH PLAIN ")),
        "logged in once encrypted: {seen:?}"
    );
    assert!(seen.contains(&"MAIL FROM:<alerts@shop.cn>".to_owned()));
    assert!(seen.contains(&"RCPT TO:<boss@shop.cn>".to_owned()));
    assert!(seen.iter().any(|c| c.contains("Subject: =?UTF-8?B?")));
}

#[test]
fn smtps_speaks_tls_from_the_first_byte() {
    let (ca_pem, cert, key) = certificates();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    let (port, seen) = smtp_server(cert, key, false);
    let to = vec!["boss@shop.cn".to_owned()];
    let timeout = std::time::Duration::from_secs(10);
    let server = Server::parse(&format!(
        "smtps://localhost:{port}?ca={}",
        ca_file.display()
    ))
    .unwrap();
    assert!(server.tls);
    let answer = send(&server, "alerts@shop.cn", &to, &message(), DATE, timeout).unwrap();
    assert!(answer.contains("queued"), "{answer}");
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen[0].starts_with("EHLO") && !seen.iter().any(|c| c == "STARTTLS"),
        "{seen:?}"
    );
    assert!(seen.contains(&"RCPT TO:<boss@shop.cn>".to_owned()));
}

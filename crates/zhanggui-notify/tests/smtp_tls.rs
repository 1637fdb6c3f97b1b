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

/// Reads one command line.
fn line(r: &mut impl BufRead) -> String {
    let mut l = String::new();
    let _ = r.read_line(&mut l);
    l.trim_end().to_owned()
}

/// An SMTP server on a free port that offers STARTTLS and AUTH only after it; keeps the
/// commands it got after the upgrade and the message.
fn starttls_server(
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let got = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut plain) = stream else { continue };
            let mut r = BufReader::new(plain.try_clone().unwrap());
            write!(plain, "220 sink\r\n").unwrap();
            let _ehlo = line(&mut r);
            write!(plain, "250-sink\r\n250 STARTTLS\r\n").unwrap();
            if line(&mut r) != "STARTTLS" {
                continue;
            }
            write!(plain, "220 go ahead\r\n").unwrap();
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let tls = rustls::StreamOwned::new(conn, plain);
            let mut t = BufReader::new(tls);
            loop {
                let cmd = line(&mut t);
                if cmd.is_empty() {
                    break;
                }
                seen.lock().unwrap().push(cmd.clone());
                let reply = match cmd.split(' ').next().unwrap_or("") {
                    "EHLO" => "250-sink\r\n250 AUTH PLAIN\r\n".to_owned(),
                    "AUTH" => "235 ok\r\n".to_owned(),
                    "DATA" => {
                        let mut data = String::new();
                        t.get_mut().write_all(b"354 go on\r\n").unwrap();
                        t.get_mut().flush().unwrap();
                        loop {
                            let mut l = String::new();
                            if t.read_line(&mut l).unwrap_or(0) == 0 || l == ".\r\n" {
                                break;
                            }
                            data.push_str(&l);
                        }
                        seen.lock().unwrap().push(data);
                        "250 queued\r\n".to_owned()
                    }
                    "QUIT" => {
                        let _ = t.get_mut().write_all(b"221 bye\r\n");
                        let _ = t.get_mut().flush();
                        break;
                    }
                    _ => "250 ok\r\n".to_owned(),
                };
                if t.get_mut().write_all(reply.as_bytes()).is_err() {
                    break;
                }
                let _ = t.get_mut().flush();
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
    let (port, seen) = starttls_server(cert, key);
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

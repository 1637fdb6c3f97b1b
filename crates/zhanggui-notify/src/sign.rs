//! Request signing of the robots that define it (加签).
//!
//! DingTalk (自定义机器人安全设置, 加签): `sign = urlencode(base64(HmacSHA256(key = secret,
//! message = timestamp + "\n" + secret)))` with the timestamp in milliseconds, sent as the
//! `timestamp` and `sign` query parameters of the webhook address.
//!
//! Feishu (自定义机器人, 签名校验): `sign = base64(HmacSHA256(key = timestamp + "\n" +
//! secret, message = ""))` with the timestamp in seconds, sent in the JSON body beside it.
//!
//! WeCom's group robots have no signing: the key in the address is the secret.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// DingTalk's signature for a timestamp in milliseconds (base64, not yet URL-encoded).
pub fn dingtalk(secret: &str, timestamp_ms: i64) -> String {
    let to_sign = format!("{timestamp_ms}\n{secret}");
    base64(&hmac_sha256(secret.as_bytes(), to_sign.as_bytes()))
}

/// Feishu's signature for a timestamp in seconds.
pub fn feishu(secret: &str, timestamp_s: i64) -> String {
    let key = format!("{timestamp_s}\n{secret}");
    base64(&hmac_sha256(key.as_bytes(), b""))
}

/// Percent-encodes a query value (RFC 3986 unreserved characters kept).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_the_rfc_4231_vector() {
        // RFC 4231, test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signatures_change_with_time_and_secret() {
        assert_ne!(dingtalk("SECa", 1), dingtalk("SECa", 2));
        assert_ne!(feishu("a", 1), feishu("b", 1));
        assert_eq!(url_encode("a+b/c="), "a%2Bb%2Fc%3D");
    }
}

//! Random identifiers and secrets.

use rand::Rng;

/// 128 random bits as 32 hex digits: row ids that reveal nothing and never collide.
pub fn new_id() -> String {
    random_hex(16)
}

/// Whether `s` could be an id `new_id` made: anything else (a NUL, which PostgreSQL refuses
/// in text, or ten kilobytes) is not looked up at all.
pub fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `bytes` random bytes from the operating system's generator, hex-encoded.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

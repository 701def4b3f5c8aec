//! RFC 8785 (JSON Canonicalization Scheme) encoding and the event hash.
//!
//! JCS: object members sorted by the UTF-16 code units of their names, no insignificant
//! white space, strings escaped as ECMAScript's `JSON.stringify` does, numbers in ECMAScript's
//! shortest round-trip form. The recipe is spelled out in docs/audit.md.

use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};

/// The hash the first event chains from: 32 zero bytes.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

pub fn canonical_bytes(value: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_value(item, out);
            }
            out.push(b']');
        }
        Value::Object(map) => write_object(map, out),
    }
}

fn write_object(map: &Map<String, Value>, out: &mut Vec<u8>) {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    out.push(b'{');
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_string(key, out);
        out.push(b':');
        if let Some(value) = map.get(key) {
            write_value(value, out);
        }
    }
    out.push(b'}');
}

fn write_number(n: &Number, out: &mut Vec<u8>) {
    if let Some(i) = n.as_i64() {
        out.extend_from_slice(i.to_string().as_bytes());
    } else if let Some(u) = n.as_u64() {
        out.extend_from_slice(u.to_string().as_bytes());
    } else if let Some(f) = n.as_f64() {
        // ECMAScript number serialisation; JSON numbers are always finite here.
        let mut buffer = ryu_js::Buffer::new();
        out.extend_from_slice(buffer.format(f).as_bytes());
    }
}

/// JSON.stringify escaping: `"` `\` and control characters; everything else literal UTF-8.
fn write_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{08}' => out.extend_from_slice(b"\\b"),
            '\u{0C}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes()),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

/// `SHA-256(prev_hash ‖ canonical)`.
pub fn chain_hash(prev_hash: &[u8; 32], canonical: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash);
    hasher.update(canonical);
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_are_sorted_and_whitespace_is_dropped() {
        let value = json!({"b": 1, "a": [true, null, "x"], "c": {"z": 1, "y": 2}});
        assert_eq!(
            String::from_utf8_lossy(&canonical_bytes(&value)),
            r#"{"a":[true,null,"x"],"b":1,"c":{"y":2,"z":1}}"#
        );
    }

    #[test]
    fn strings_escape_like_json_stringify() {
        let value = json!("整改\n\"销号\"\u{1}/\u{7f}");
        assert_eq!(
            String::from_utf8_lossy(&canonical_bytes(&value)),
            "\"整改\\n\\\"销号\\\"\\u0001/\u{7f}\""
        );
    }

    #[test]
    fn numbers_use_the_ecmascript_form() {
        let value = json!([1e21, 0.1, -0.0, 100.0, 5]);
        assert_eq!(String::from_utf8_lossy(&canonical_bytes(&value)), "[1e+21,0.1,0,100,5]");
    }

    #[test]
    fn keys_sort_by_utf16_code_units_not_bytes() {
        // U+FB01 sorts after U+1F600 in UTF-8 bytes but before it in UTF-16 (a surrogate pair).
        let value = json!({"\u{1F600}": 1, "\u{FB01}": 2});
        assert_eq!(
            String::from_utf8_lossy(&canonical_bytes(&value)),
            "{\"\u{1F600}\":1,\"\u{FB01}\":2}"
        );
    }
}

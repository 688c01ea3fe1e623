//! JSON paths as `embedded` writes them (`$.resources[0].properties.condition`): split into
//! segments, followed into a document, and written back.

use serde_json::Value;

/// The segments of a JSON path as `super::super::embedded` writes them: keys and indexes.
pub(super) fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(after.get(..end).unwrap_or("").to_owned());
            rest = after.get(end..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('[') {
            if after.starts_with('"') {
                let mut stream = serde_json::Deserializer::from_str(after).into_iter::<String>();
                let Some(Ok(key)) = stream.next() else { break };
                let used = stream.byte_offset();
                out.push(key);
                rest = after.get(used + 1..).unwrap_or("");
            } else {
                let end = after.find(']').unwrap_or(after.len());
                out.push(after.get(..end).unwrap_or("").to_owned());
                rest = after.get(end + 1..).unwrap_or("");
            }
        } else {
            break;
        }
    }
    out
}

/// The value at the first `count` segments of `path`.
pub(super) fn at<'v>(document: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(document, |value, segment| match value {
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            Value::Object(object) => object.get(segment),
            _ => None,
        })
}

/// A JSON path of `parts`, as `super::super::embedded` writes paths (without the `$`).
pub(super) fn path_of(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.parse::<usize>().is_ok() {
                format!("[{p}]")
            } else if p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !p.is_empty() {
                format!(".{p}")
            } else {
                format!("[{}]", Value::String(p.clone()))
            }
        })
        .collect()
}

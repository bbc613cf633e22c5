//! Strict readers for request parts shared by handlers: JSON object bodies with a closed set of
//! fields, and bearer tokens. They return plain messages; each API wraps them in its own error
//! shape.

use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

/// Parses a JSON object body, refusing fields outside `allowed` and missing `required` ones.
pub fn json_object(
    body: &[u8],
    allowed: &[&str],
    required: &[&str],
) -> Result<Map<String, Value>, FieldError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| FieldError {
        field: None,
        message: format!("the body is not valid JSON: {e}"),
    })?;
    let Value::Object(object) = value else {
        return Err(FieldError {
            field: None,
            message: "the body must be a JSON object".to_owned(),
        });
    };
    if let Some(unknown) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(FieldError {
            field: Some(unknown.clone()),
            message: format!("unknown field '{unknown}'"),
        });
    }
    if let Some(missing) = required
        .iter()
        .find(|r| object.get(**r).is_none_or(Value::is_null))
    {
        return Err(FieldError {
            field: Some((*missing).to_owned()),
            message: format!("'{missing}' is required"),
        });
    }
    Ok(object)
}

/// A problem with one field (or the whole body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field, if one is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// An error about a field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

/// An optional string field; present but not a string is an error.
pub fn opt_str<'a>(
    object: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, FieldError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(FieldError::field(key, format!("'{key}' must be a string"))),
    }
}

/// A required, non-empty string field.
pub fn req_str<'a>(object: &'a Map<String, Value>, key: &str) -> Result<&'a str, FieldError> {
    opt_str(object, key)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| FieldError::field(key, format!("'{key}' is required")))
}

/// The token of an `Authorization: Bearer …` header, if well-formed.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' '))
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_are_read_strictly() {
        let allowed = ["name", "age"];
        assert!(json_object(br#"{"name":"x"}"#, &allowed, &["name"]).is_ok());
        let cases: [(&[u8], Option<&str>); 4] = [
            (b"not json", None),
            (b"[1]", None),
            (br#"{"name":"x","extra":1}"#, Some("extra")),
            (br#"{"age":3}"#, Some("name")),
        ];
        for (body, field) in cases {
            let error = json_object(body, &allowed, &["name"]).unwrap_err();
            assert_eq!(error.field.as_deref(), field);
        }
    }

    #[test]
    fn bearer_tokens_need_the_bearer_scheme() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "Bearer abc".parse().unwrap());
        assert_eq!(bearer_token(&headers), Some("abc"));
        for bad in ["Basic abc", "Bearer", "Bearer ", "abc", "Bearer a b"] {
            headers.insert(header::AUTHORIZATION, bad.parse().unwrap());
            assert_eq!(bearer_token(&headers), None, "{bad}");
        }
    }
}

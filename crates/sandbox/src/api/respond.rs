//! What every API response shares, below the handlers that build them: TrueLayer's timestamp
//! style, the `{"results": …, "status": "Succeeded"}` envelope, newest-first transaction lists,
//! JSON bodies and the `X-Credentials-Id` header. No routing, no authentication.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::ser::{Serialize, SerializeSeq, Serializer};

use crate::data::model::Transaction;
use crate::errors::TlError;

/// The `update_timestamp` style of TrueLayer's examples.
pub fn update_time(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A slice serialized newest first (the order of TrueLayer's examples); the mock keeps it
/// oldest first for binary search.
#[derive(Debug)]
pub struct NewestFirst<'a>(pub &'a [Transaction]);

impl Serialize for NewestFirst<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0.iter().rev() {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

#[derive(serde::Serialize)]
struct Envelope<T: Serialize> {
    results: T,
    status: &'static str,
}

/// Serializes `{"results": …, "status": "Succeeded"}`.
pub fn envelope<T: Serialize>(results: T) -> Result<Vec<u8>, TlError> {
    serde_json::to_vec(&Envelope {
        results,
        status: "Succeeded",
    })
    .map_err(|_| TlError::data("internal_server_error"))
}

/// A JSON response from serialized bytes.
pub fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, Body::from(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// Adds `X-Credentials-Id`.
pub fn with_credentials_id(mut response: Response, credentials_id: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(credentials_id) {
        response.headers_mut().insert("x-credentials-id", value);
    }
    response
}

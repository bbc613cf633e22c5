//! The request inspector, exports, support bundle and presenter mode; and the search for every
//! secret (tokens, codes, PKCE verifiers, the client secret) in all of them.

use base64::Engine as _;
use linkscope_core::dto::{
    ExportFormat, HarSelection, RedirectKind, RequestFilter, RequestStatusFilter, TransactionSource,
};
use linkscope_core::secrets::SecretKey;
use serde_json::{json, Value};
use sha2::Digest as _;

use crate::data_views::{days_ago, input};
use crate::support::{advance_clock, arm_fault, link, link_as, start, stored};

fn filter(connection_id: &str, status: RequestStatusFilter) -> RequestFilter {
    RequestFilter {
        connection_id: Some(connection_id.to_owned()),
        status,
        endpoint: None,
        text: None,
        limit: 500,
    }
}

/// The `code_challenge` query values of a URL.
fn challenge_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let found = url
        .query_pairs()
        .find(|(k, _)| k == "code_challenge")
        .map(|(_, v)| v.into_owned());
    found
}

/// Every string that could be a PKCE verifier (RFC 7636 §4.1: 43–128 unreserved characters)
/// whose S256 challenge is one of `challenges`.
fn verifiers_in(text: &str, challenges: &[String]) -> Vec<String> {
    let unreserved = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~');
    text.split(|c: char| !unreserved(c))
        .filter(|w| (43..=128).contains(&w.len()))
        .filter(|w| {
            let digest = sha2::Sha256::digest(w.as_bytes());
            let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
            challenges.contains(&challenge)
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_inspector_lists_filters_and_shows_exchanges_with_a_placeholder_curl() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    h.core.accounts().list(id).await.unwrap();
    arm_fault(
        &h.core,
        json!({"path": "/data/v1/info", "status": 400, "error": "validation_error", "times": 1}),
    )
    .await;
    let err = h.core.data().identity(id).await.unwrap_err();
    let failing_trace = err.detail().and_then(|d| d.trace_id.clone());

    let requests = h.core.requests();
    let all = requests
        .list(filter(id, RequestStatusFilter::All))
        .await
        .unwrap();
    let endpoints: Vec<_> = all.iter().map(|r| r.endpoint.as_str()).collect();
    for expected in [
        "/connect/token",
        "/data/v1/me",
        "/data/v1/accounts",
        "/data/v1/info",
    ] {
        assert!(endpoints.contains(&expected), "{expected} in {endpoints:?}");
    }
    assert!(
        all.windows(2)
            .all(|w| w[0].id.parse::<i64>().unwrap() > w[1].id.parse::<i64>().unwrap()),
        "newest first"
    );

    let failures = requests
        .list(filter(id, RequestStatusFilter::Failure))
        .await
        .unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].status, Some(400));
    assert_eq!(failures[0].error.as_deref(), Some("validation_error"));
    assert_eq!(
        failures[0].trace_id, failing_trace,
        "the trace id is on the row"
    );
    let successes = requests
        .list(filter(id, RequestStatusFilter::Success))
        .await
        .unwrap();
    assert_eq!(successes.len() + 1, all.len());

    let mut by_endpoint = filter(id, RequestStatusFilter::All);
    by_endpoint.endpoint = Some("/balance".into());
    let balances = requests.list(by_endpoint).await.unwrap();
    assert!(!balances.is_empty() && balances.iter().all(|r| r.endpoint.ends_with("/balance")));
    let mut by_text = filter(id, RequestStatusFilter::All);
    by_text.text = Some("TRANSACTION ACCOUNT 1".into());
    let texts = requests.list(by_text).await.unwrap();
    assert!(texts.iter().any(|r| r.endpoint == "/data/v1/accounts"));

    let accounts_row = all
        .iter()
        .find(|r| r.endpoint == "/data/v1/accounts")
        .unwrap();
    let detail = requests.get(&accounts_row.id).await.unwrap();
    assert!(detail.curl.contains("$ACCESS_TOKEN"), "{}", detail.curl);
    assert!(detail.curl.contains("/data/v1/accounts"));
    assert!(
        detail.response_body["results"].is_array(),
        "the body is a JSON tree"
    );
    assert!(detail
        .request_headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("authorization") && v.contains("REDACTED")));

    let token_row = all.iter().find(|r| r.endpoint == "/connect/token").unwrap();
    let token_detail = requests.get(&token_row.id).await.unwrap();
    assert!(
        token_detail.curl.contains("$CLIENT_SECRET") && token_detail.curl.contains("$CODE"),
        "{}",
        token_detail.curl
    );
    assert_eq!(token_detail.request_body["client_secret"], "[REDACTED]");

    let err = requests.get("not-a-number").await.unwrap_err();
    assert_eq!(err.code(), linkscope_core::dto::ErrorCode::NotFound);
}

#[tokio::test]
async fn exports_and_the_support_bundle_hold_the_data_and_presenter_mode_masks_them() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    let accounts = h.core.accounts().list(id).await.unwrap();
    let main = &accounts.data[0].account;
    let number = main.number.clone().expect("mock accounts have a number");
    h.core
        .transactions()
        .fetch(input(
            "export",
            id,
            TransactionSource::Account,
            &main.account_id,
            days_ago(60),
        ))
        .await
        .unwrap();
    arm_fault(
        &h.core,
        json!({"path": "/data/v1/cards", "status": 501, "error": "endpoint_not_supported", "times": 1}),
    )
    .await;
    let err = h.core.cards().list(id).await.unwrap_err();
    let trace = err.detail().and_then(|d| d.trace_id.clone()).unwrap();

    let exports = h.core.exports();
    let csv = exports.transactions("export", ExportFormat::Csv).unwrap();
    assert!(csv.file_name.ends_with(".csv"));
    let mut lines = csv.content.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("status,timestamp,description"));
    assert!(
        csv.content.contains("REGENDA REDWING"),
        "a known description"
    );
    let json_file = exports.transactions("export", ExportFormat::Json).unwrap();
    let parsed: Value = serde_json::from_str(&json_file.content).unwrap();
    assert!(parsed["transactions"].as_array().unwrap().len() > 10);
    assert!(
        parsed["transactions"][0]["transaction_id"].is_string(),
        "TrueLayer's own field names"
    );
    let path = h.dir.path().join("export.csv");
    exports
        .transactions("export", ExportFormat::Csv)
        .unwrap()
        .save(&path)
        .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), csv.content);

    let bundle = exports.support_bundle(id).await.unwrap().content;
    for expected in [
        env!("CARGO_PKG_VERSION"),
        "Built-in sandbox",
        "mock",
        connection.credentials_id.as_deref().unwrap(),
        &connection.consent_created_at,
        "/data/v1/cards",
        "endpoint_not_supported",
        &trace,
    ] {
        assert!(
            bundle.contains(expected),
            "{expected} missing from:\n{bundle}"
        );
    }

    h.core.set_presenter_mode(true);
    let masked_bundle = exports.support_bundle(id).await.unwrap().content;
    assert!(
        !masked_bundle.contains(connection.credentials_id.as_deref().unwrap()),
        "the credentials id is masked:\n{masked_bundle}"
    );
    let masked_json = exports
        .transactions("export", ExportFormat::Json)
        .unwrap()
        .content;
    assert_ne!(
        masked_json, json_file.content,
        "the export went through the masker"
    );
    let accounts_row = h
        .core
        .requests()
        .list(RequestFilter {
            endpoint: Some("/data/v1/accounts".into()),
            ..filter(id, RequestStatusFilter::Success)
        })
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.endpoint == "/data/v1/accounts")
        .unwrap();
    let masked = h.core.requests().get(&accounts_row.id).await.unwrap();
    let shown = serde_json::to_string(&masked.response_body).unwrap();
    assert!(
        !shown.contains(&number),
        "the account number {number} is masked in presenter mode: {shown}"
    );
    h.core.set_presenter_mode(false);
    let plain = h.core.requests().get(&accounts_row.id).await.unwrap();
    assert!(serde_json::to_string(&plain.response_body)
        .unwrap()
        .contains(&number));
}

#[tokio::test]
async fn no_token_code_verifier_or_client_secret_is_in_the_log_exports_or_bundle() {
    let h = start().await;
    let linked = link_as(
        &h.core,
        &[
            "info",
            "accounts",
            "balance",
            "transactions",
            "offline_access",
        ],
        "john",
        "eternal",
    )
    .await;
    let id = linked.connection.id.clone();
    let code = url::Url::parse(&linked.redirect)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let mut challenges = vec![challenge_of(&linked.auth_link).unwrap()];
    let mut needles = vec![
        code,
        stored(&h.secrets, &SecretKey::client_secret("builtin")).unwrap(),
    ];
    let keep_tokens = |needles: &mut Vec<String>| {
        for key in [SecretKey::access_token(&id), SecretKey::refresh_token(&id)] {
            if let Some(v) = stored(&h.secrets, &key) {
                if !needles.contains(&v) {
                    needles.push(v);
                }
            }
        }
    };
    keep_tokens(&mut needles);

    let accounts = h.core.accounts().list(&id).await.unwrap();
    h.core
        .transactions()
        .fetch(input(
            "leak",
            &id,
            TransactionSource::Account,
            &accounts.data[0].account.account_id,
            days_ago(30),
        ))
        .await
        .unwrap();
    advance_clock(&h.core, 2 * 3600).await;
    h.core.data().identity(&id).await.unwrap(); // 401 → refresh → retry
    keep_tokens(&mut needles);
    h.core
        .lifecycle()
        .extend(&id, RedirectKind::DeepLink)
        .await
        .unwrap();
    keep_tokens(&mut needles);
    arm_fault(
        &h.core,
        json!({"path": "/data/v1/accounts", "status": 400, "error": "validation_error", "times": 1}),
    )
    .await;
    h.core.accounts().list(&id).await.unwrap_err();
    assert!(needles.len() >= 6, "tokens were rotated: {}", needles.len());
    h.core.flush_request_log().await;

    let mut texts: Vec<(String, String)> = Vec::new();
    let rows = h
        .core
        .store()
        .list_requests(&linkscope_core::store::RequestFilter {
            limit: Some(5000),
            ..Default::default()
        })
        .unwrap();
    assert!(rows.len() > 10, "the exchanges were recorded");
    for row in &rows {
        let r = &row.record;
        texts.push((format!("request-log row {}", row.id), format!("{r:?}")));
        let detail = h.core.requests().get(&row.id.to_string()).await.unwrap();
        texts.push((
            format!("inspector detail {}", row.id),
            serde_json::to_string(&detail).unwrap(),
        ));
        if r.endpoint.ends_with("/connections/extend") {
            if let Some(c) = r
                .request_body
                .as_deref()
                .and_then(|b| serde_json::from_str::<Value>(b).ok())
                .and_then(|b| b["code_challenge"].as_str().map(str::to_owned))
            {
                challenges.push(c);
            }
        }
    }
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let file = h.core.exports().transactions("leak", format).unwrap();
        texts.push((file.file_name, file.content));
    }
    let bundle = h.core.exports().support_bundle(&id).await.unwrap();
    assert!(
        bundle.content.contains("validation_error"),
        "the failure is in the bundle"
    );
    texts.push((bundle.file_name, bundle.content));
    let har = h
        .core
        .exports()
        .har(&HarSelection::default())
        .await
        .unwrap();
    assert!(
        har.content.contains("/connect/token"),
        "the HAR has the token exchanges"
    );
    texts.push((har.file_name, har.content));
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(linkscope_core::store::DATABASE_FILE) {
            let bytes = std::fs::read(&path).unwrap();
            texts.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }

    assert!(
        challenges.len() >= 2,
        "the link's and the extend's challenges"
    );
    // The verifier search itself can find one.
    let probe = "a".repeat(20) + "-probe-verifier-" + &"b".repeat(20);
    let probe_challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(probe.as_bytes()));
    assert_eq!(
        verifiers_in(&format!("x={probe}&y"), &[probe_challenge]),
        [probe]
    );
    for (what, text) in &texts {
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "a secret was found in {what}"
            );
        }
        let verifiers = verifiers_in(text, &challenges);
        assert!(verifiers.is_empty(), "a PKCE verifier was found in {what}");
    }
}

#[tokio::test]
async fn a_har_export_holds_exactly_the_inspector_rows_with_their_trace_ids_and_opens_as_har_1_2() {
    let h = start().await;
    let connection = link(&h.core).await;
    let id = connection.id.as_str();
    h.core.accounts().list(id).await.unwrap();
    arm_fault(
        &h.core,
        json!({"path": "/data/v1/cards", "status": 501, "error": "endpoint_not_supported", "times": 1}),
    )
    .await;
    h.core.cards().list(id).await.unwrap_err();
    let rows = h
        .core
        .requests()
        .list(filter(id, RequestStatusFilter::All))
        .await
        .unwrap();
    assert!(
        rows.len() >= 4,
        "token, /me, accounts, cards: {}",
        rows.len()
    );

    let exports = h.core.exports();
    let whole = exports
        .har(&HarSelection {
            connection_id: Some(id.to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(whole.file_name.ends_with(".har"));
    let har: Value = serde_json::from_str(&whole.content).unwrap();
    assert_eq!(har["log"]["version"], "1.2");
    assert_eq!(har["log"]["creator"]["name"], "Linkscope");
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), rows.len(), "one entry per inspector row");
    let mut listed: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    listed.reverse(); // the inspector is newest first, a HAR oldest first
    let exported: Vec<&str> = entries
        .iter()
        .map(|e| e["_linkscopeId"].as_str().unwrap())
        .collect();
    assert_eq!(exported, listed);
    for (entry, row) in entries.iter().zip(rows.iter().rev()) {
        assert_eq!(entry["request"]["method"], row.method.as_str());
        assert_eq!(entry["request"]["url"], row.url.as_str());
        assert_eq!(entry["_traceId"].as_str(), row.trace_id.as_deref());
        assert_eq!(entry["response"]["status"], row.status.unwrap_or(0));
        assert!(entry["startedDateTime"].as_str().unwrap().ends_with('Z'));
        assert!(entry["timings"]["wait"].is_number());
        for key in ["headers", "cookies", "queryString"] {
            assert!(entry["request"][key].is_array(), "{key}");
        }
        assert!(entry["response"]["content"]["mimeType"].is_string());
    }
    let token = entries
        .iter()
        .find(|e| {
            e["request"]["url"]
                .as_str()
                .unwrap()
                .ends_with("/connect/token")
        })
        .unwrap();
    let params = token["request"]["postData"]["params"].as_array().unwrap();
    let code = params.iter().find(|p| p["name"] == "code").unwrap();
    assert_eq!(
        code["value"], "[REDACTED]",
        "redacted as the inspector shows it"
    );
    let cards = entries
        .iter()
        .find(|e| {
            e["request"]["url"]
                .as_str()
                .unwrap()
                .ends_with("/data/v1/cards")
        })
        .unwrap();
    assert_eq!(cards["response"]["status"], 501);
    assert_eq!(cards["response"]["statusText"], "Not Implemented");
    assert_eq!(cards["_error"], "endpoint_not_supported");
    assert!(cards["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .contains("endpoint_not_supported"));

    let chosen = vec![rows[0].id.clone(), rows[2].id.clone()];
    let picked = exports
        .har(&HarSelection {
            ids: chosen.clone(),
            ..Default::default()
        })
        .await
        .unwrap();
    let picked: Value = serde_json::from_str(&picked.content).unwrap();
    let ids: Vec<&str> = picked["log"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["_linkscopeId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![chosen[1].as_str(), chosen[0].as_str()]);

    let future = exports
        .har(&HarSelection {
            since: Some("2999-01-01T00:00:00Z".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let future: Value = serde_json::from_str(&future.content).unwrap();
    assert_eq!(future["log"]["entries"].as_array().unwrap().len(), 0);

    for (bad, says) in [
        (
            HarSelection {
                ids: vec!["1; DROP TABLE".into()],
                ..Default::default()
            },
            "not a request id",
        ),
        (
            HarSelection {
                since: Some("yesterday".into()),
                ..Default::default()
            },
            "not a time",
        ),
        (
            HarSelection {
                since: Some("2026-12-02T00:00:00Z".into()),
                until: Some("2026-12-01T00:00:00Z".into()),
                ..Default::default()
            },
            "ends before it starts",
        ),
    ] {
        let err = exports.har(&bad).await.unwrap_err();
        assert!(err.to_string().contains(says), "{err}");
    }
    h.core.set_presenter_mode(true);
    let masked = exports
        .har(&HarSelection {
            connection_id: Some(id.to_owned()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        !masked
            .content
            .contains(connection.credentials_id.as_deref().unwrap()),
        "presenter mode masks the HAR as it masks the inspector"
    );
}

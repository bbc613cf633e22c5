//! OpenAPI conformance: every body the sandbox produces, for every operation and a mock user of
//! each kind, is validated against the matching response schema in TrueLayer's own OpenAPI files
//! (read from `../shared/truelayer/openapi/` or `LINKSCOPE_OPENAPI_DIR`; never copied here). A clone
//! without them reports each check as skipped, with the reason (see `linkscope-openapi`).
//!
//! Where the specs contradict themselves, a small documented patch is applied before validating
//! (see `patches` and the crate README); `the_patched_inconsistencies_are_real` proves each one
//! still exists in the original file, so a fixed spec makes the patch fail loudly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

use crate::data_api::every_get_path;
use crate::support::{pkce, Answer, Env, Link, ALL_SCOPES, REDIRECT};

/// Which TrueLayer spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Spec {
    Auth,
    Data,
    Signup,
    Verification,
    Tracking,
}

impl Spec {
    fn file(self) -> &'static str {
        match self {
            Spec::Auth => "auth-server.json",
            Spec::Data => "data-api-v1.json",
            Spec::Signup => "signup-plus.json",
            Spec::Verification => "verification.json",
            Spec::Tracking => "client-tracking.json",
        }
    }
}

/// The spec exactly as TrueLayer wrote it. Every test that reaches this began with
/// `linkscope_openapi::dir_or_skip()`, so the folder is there.
pub fn original(spec: Spec) -> Value {
    let dir = linkscope_openapi::dir().expect("the spec checks start with dir_or_skip");
    linkscope_openapi::load(&dir, spec.file())
}

/// OpenAPI 3.0 `nullable: true` → JSON Schema `type: [T, "null"]`.
fn convert_nullable(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if object.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(kind)) = object.get("type").cloned() {
                    object.insert("type".into(), json!([kind, "null"]));
                }
            }
            object.values_mut().for_each(convert_nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(convert_nullable),
        _ => {}
    }
}

/// The documented patches for the specs' self-contradictions (README, "Spec inconsistencies").
fn patches(spec: Spec, doc: &mut Value) {
    match spec {
        Spec::Auth => {
            // 1. GET /api/providers returns a bare array (the spec's example), each item with
            //    `scopes` as an array (the example; the schema says one string) and
            //    `availability` (the example; the schema forbids extra properties).
            let item = &mut doc["components"]["schemas"]["GetProvidersResponse"];
            let scope_enum = item["properties"]["scopes"]["enum"].clone();
            item["properties"]["scopes"] =
                json!({"type": "array", "items": {"type": "string", "enum": scope_enum}});
            item["properties"]["availability"] = json!({"type": "object", "properties": {
                "recommended_status": {"type": "string"}, "updated_at": {"type": "string"}}});
            doc["paths"]["/api/providers"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"] = json!({"type": "array", "items": {"$ref": "#/components/schemas/GetProvidersResponse"}});
            // 2. `invalid_client` is a documented /connect/token error (docs, error codes) missing
            //    from the Error enum.
            doc["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
                .as_array_mut()
                .unwrap()
                .push(json!("invalid_client"));
        }
        Spec::Data => {
            // 3. /me's `scopes` enum omits scopes a connection can hold.
            let scopes = doc["components"]["schemas"]["Me"]["properties"]["scopes"]["items"]
                ["enum"]
                .as_array_mut()
                .unwrap();
            scopes.extend([
                json!("direct_debits"),
                json!("standing_orders"),
                json!("signupplus"),
                json!("verification"),
            ]);
            // 4. Problem.errors is typed as an array, but the spec's own example is an object.
            doc["components"]["schemas"]["Problem"]["properties"]["errors"] = json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}});
        }
        Spec::Verification => {
            // 5. ValidationApiErrorResponse.errors: array in the schema, object in the example.
            doc["components"]["schemas"]["ValidationApiErrorResponse"]["properties"]["errors"] = json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}});
        }
        Spec::Signup => {
            // 6. GET /accounts answers `oneOf [User, MultipleAccountsLinked]`, but neither
            //    schema requires anything, so every object matches both and `oneOf` can never
            //    pass. Make them exclusive the way the examples are: the list has `result`.
            let schemas = &mut doc["components"]["schemas"];
            schemas["MultipleAccountsLinked"]["required"] =
                json!(["result", "detail", "links", "accounts"]);
            schemas["MultipleAccountsLinked"]["properties"]["result"]["enum"] =
                json!(["multiple_accounts_linked"]);
            schemas["User"]["not"] = json!({"required": ["result"]});
        }
        Spec::Tracking => {
            // 7. GET /v1/tracked-events: the 200's schema is one event (`TrackedEventResponse`,
            //    `name` and `time` required, nothing else allowed), but its description ("the
            //    list of tracked events in the `results` field") and its example are
            //    `{"results": [event…]}`. Validate the list the way the example is.
            doc["paths"]["/v1/tracked-events"]["get"]["responses"]["200"]["content"]
                ["application/json"]["schema"] = json!({"type": "object", "required": ["results"],
                    "additionalProperties": false, "properties": {"results": {"type": "array",
                    "items": {"$ref": "#/components/schemas/TrackedEventResponse"}}}});
        }
    }
}

fn patched(spec: Spec) -> &'static Value {
    static DOCS: OnceLock<Mutex<HashMap<Spec, &'static Value>>> = OnceLock::new();
    let mut docs = DOCS.get_or_init(Default::default).lock().unwrap();
    docs.entry(spec).or_insert_with(|| {
        let mut doc = original(spec);
        convert_nullable(&mut doc);
        patches(spec, &mut doc);
        Box::leak(Box::new(doc))
    })
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(doc, doc.pointer(reference.trim_start_matches('#')).unwrap()),
        None => value,
    }
}

/// The response schema of an operation, or `None` when the response has no body.
fn response_schema(spec: Spec, template: &str, method: &str, status: u16) -> Option<Value> {
    let doc = patched(spec);
    let operation = doc["paths"][template][method].clone();
    assert!(operation.is_object(), "{spec:?} has no {method} {template}");
    let response = operation["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("{spec:?} {method} {template} documents no {status} response"));
    let response = resolve(doc, response);
    let content = response.get("content")?.as_object()?;
    content.values().next().map(|c| c["schema"].clone())
}

type Cache = Mutex<HashMap<(Spec, String, String, u16), Arc<jsonschema::Validator>>>;

fn validator(
    spec: Spec,
    template: &str,
    method: &str,
    status: u16,
) -> Option<Arc<jsonschema::Validator>> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (spec, template.to_owned(), method.to_owned(), status);
    if let Some(v) = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .get(&key)
    {
        return Some(v.clone());
    }
    let schema = response_schema(spec, template, method, status)?;
    let compiled = Arc::new(compile(
        spec,
        schema,
        &format!("{method} {template} {status}"),
    ));
    CACHE
        .get()
        .unwrap()
        .lock()
        .unwrap()
        .insert(key, compiled.clone());
    Some(compiled)
}

/// Compiles `schema` inside its spec (so its `$ref`s resolve), with the spec's JSON Schema draft.
fn compile(spec: Spec, schema: Value, what: &str) -> jsonschema::Validator {
    let doc = patched(spec);
    let mut root = doc.clone();
    root["x-linkscope-target"] = schema;
    root["$ref"] = json!("#/x-linkscope-target");
    let draft = if doc["openapi"].as_str().unwrap_or("").starts_with("3.1") {
        jsonschema::Draft::Draft202012
    } else {
        jsonschema::Draft::Draft4
    };
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema for {spec:?} {what}: {e}"))
}

/// Validates a body against the response schema of `method template` for `status`.
pub fn check(
    spec: Spec,
    template: &str,
    method: &str,
    status: u16,
    body: &Value,
) -> Result<(), String> {
    let Some(validator) = validator(spec, template, method, status) else {
        return if body.is_null() {
            Ok(())
        } else {
            Err(format!(
                "{template} {status} has no body in the spec, got {body}"
            ))
        };
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{spec:?} {method} {template} {status}:\n{}",
            errors.join("\n")
        ))
    }
}

pub fn assert_conforms(spec: Spec, template: &str, method: &str, answer: &Answer) {
    if let Err(e) = check(spec, template, method, answer.status.as_u16(), &answer.json) {
        panic!(
            "{e}\nbody: {}",
            answer.text.chars().take(2000).collect::<String>()
        );
    }
}

/// For the Data API (`template` relative to `/data/v1`).
pub fn assert_data_conforms(template: &str, status: u16, body: &Value) {
    if let Err(e) = check(Spec::Data, template, "get", status, body) {
        panic!("{e}");
    }
}

/// The spec's template for a concrete Data API path.
fn data_template(path: &str) -> String {
    let rest = path.trim_start_matches("/data/v1");
    let rest = rest.split('?').next().unwrap_or(rest);
    let parts: Vec<&str> = rest.split('/').collect();
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            if i == 2 && (parts[1] == "accounts" || parts[1] == "cards") {
                "{account_id}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_patched_inconsistencies_are_real() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let auth = original(Spec::Auth);
    let item = &auth["components"]["schemas"]["GetProvidersResponse"];
    assert_eq!(
        item["type"], "object",
        "the providers response is declared as one object"
    );
    assert_eq!(item["properties"]["scopes"]["type"], "string");
    assert_eq!(item["additionalProperties"], false);
    assert!(
        auth["components"]["examples"]["GetProviders200Response"]["value"][0]["availability"]
            .is_object()
    );
    let errors = auth["components"]["schemas"]["Error"]["properties"]["error"]["enum"]
        .as_array()
        .unwrap();
    assert!(!errors.contains(&json!("invalid_client")));

    let data = original(Spec::Data);
    let scopes = data["components"]["schemas"]["Me"]["properties"]["scopes"]["items"]["enum"]
        .as_array()
        .unwrap();
    assert!(!scopes.contains(&json!("direct_debits")));
    assert_eq!(
        data["components"]["schemas"]["Problem"]["properties"]["errors"]["type"],
        "array"
    );

    let signup = original(Spec::Signup);
    for name in ["User", "MultipleAccountsLinked"] {
        assert!(
            signup["components"]["schemas"][name]
                .get("required")
                .is_none(),
            "{name} requires nothing"
        );
    }

    let verification = original(Spec::Verification);
    assert_eq!(
        verification["components"]["schemas"]["ValidationApiErrorResponse"]["properties"]["errors"]
            ["type"],
        "array"
    );
    assert!(
        verification["components"]["examples"]["ClientNameTooLong400ErrorResponse"]["value"]
            ["errors"]
            .is_object()
    );
}

#[test]
fn the_tracking_specs_200_schema_is_one_event_while_its_example_is_a_list() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let tracking = original(Spec::Tracking);
    let ok = &tracking["paths"]["/v1/tracked-events"]["get"]["responses"]["200"]["content"]
        ["application/json"];
    assert_eq!(
        ok["schema"]["$ref"], "#/components/schemas/TrackedEventResponse",
        "patch 7 is still needed"
    );
    assert_eq!(
        tracking["components"]["schemas"]["TrackedEventResponse"]["required"],
        json!(["name", "time"])
    );
    assert!(
        tracking["components"]["examples"]["TrackedEventResponse200"]["value"]["results"]
            .is_array()
    );
}

#[test]
fn the_checker_rejects_a_body_that_breaks_the_schema() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let bad = json!({"results": [{"display_name": 3}], "status": "Succeeded"});
    assert!(
        check(Spec::Data, "/accounts", "get", 200, &bad).is_err(),
        "a checker that cannot fail is a defect"
    );
    let bad_status = json!({"results": [], "status": "Done"});
    assert!(check(Spec::Data, "/accounts", "get", 200, &bad_status).is_err());
    assert!(check(
        Spec::Data,
        "/accounts",
        "get",
        200,
        &json!({"results": [], "status": "Succeeded"})
    )
    .is_ok());
}

#[tokio::test]
async fn auth_server_answers_match_the_authentication_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let providers = env.get_url(&env.auth("/api/providers")).await;
    assert_conforms(Spec::Auth, "/api/providers", "get", &providers);

    let link = Link::new(ALL_SCOPES);
    let code = env.code(&link, "john", "doe").await;
    let exchanged = env.exchange(&code, &link).await;
    assert_conforms(Spec::Auth, "/connect/token", "post", &exchanged);
    let reused = env.exchange(&code, &link).await;
    assert_conforms(Spec::Auth, "/connect/token", "post", &reused);
    let refresh = exchanged.json["refresh_token"].as_str().unwrap().to_owned();
    assert_conforms(
        Spec::Auth,
        "/connect/token",
        "post",
        &env.refresh(&refresh).await,
    );
    let secret = env.secret();
    let bad_client = env
        .token_form(&[
            ("grant_type", "refresh_token"),
            ("client_id", "x"),
            ("client_secret", "y"),
            ("refresh_token", "z"),
        ])
        .await;
    assert_eq!(bad_client.status, 400);
    assert_conforms(Spec::Auth, "/connect/token", "post", &bad_client);
    let malformed = env.token_form(&[("grant_type", "nope")]).await;
    assert_conforms(Spec::Auth, "/connect/token", "post", &malformed);
    let client = env
        .token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &secret),
            ("scope", "payments"),
        ])
        .await;
    assert_conforms(Spec::Auth, "/connect/token", "post", &client);

    let reauth = env
        .post_json(
            &env.auth("/v1/reauthuri"),
            &json!({"response_type": "code", "refresh_token": refresh, "redirect_uri": REDIRECT}),
        )
        .await;
    assert_conforms(Spec::Auth, "/v1/reauthuri", "post", &reauth);
    let reauth_bad = env
        .post_json(
            &env.auth("/v1/reauthuri"),
            &json!({"response_type": "code", "refresh_token": "x", "redirect_uri": REDIRECT}),
        )
        .await;
    assert_eq!(reauth_bad.status, 401);
    assert_conforms(Spec::Auth, "/v1/reauthuri", "post", &reauth_bad);
    let direct_body = json!({"response_type": "code", "client_id": linkscope_sandbox::DEMO_CLIENT_ID, "redirect_uri": REDIRECT, "scope": "accounts", "consent_id": "c1", "provider_id": "mock"});
    let direct = env.post_json(&env.auth("/v1/authuri"), &direct_body).await;
    assert_conforms(Spec::Auth, "/v1/authuri", "post", &direct);
    let mut unknown_client = direct_body.clone();
    unknown_client["client_id"] = json!("sandbox-nobody");
    let direct_bad = env
        .post_json(&env.auth("/v1/authuri"), &unknown_client)
        .await;
    assert_eq!(direct_bad.status, 401);
    assert_conforms(Spec::Auth, "/v1/authuri", "post", &direct_bad);

    let tokens = env.connect("john", "doe", "accounts").await;
    let deleted = env
        .http
        .delete(env.auth("/api/delete"))
        .bearer_auth(&tokens.access)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(check(Spec::Auth, "/api/delete", "delete", 200, &Value::Null).is_ok());
    assert!(deleted.text().await.unwrap().is_empty());
}

#[tokio::test]
async fn data_api_answers_for_every_operation_and_mock_user_match_the_data_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let users = [
        ("john", "doe"),
        ("john7", "iban7"),
        ("john", "eternal"),
        ("john100", "doe100"),
        ("error.account_permanently_locked", "error"),
        ("error.account_temporarily_locked", "error"),
        ("error.internal_error", "error"),
        ("error.provider_error", "error"),
        ("error.user_input_required", "error"),
    ];
    let reference = env.connect("john", "doe", ALL_SCOPES).await;
    for (username, password) in users {
        let tokens = env.connect(username, password, ALL_SCOPES).await;
        let (account, card) = if username.starts_with("error.") {
            (
                env.account_ids(&reference.access).await.remove(0),
                env.card_ids(&reference.access).await.remove(0),
            )
        } else {
            (
                env.account_ids(&tokens.access).await.remove(0),
                env.card_ids(&tokens.access).await.remove(0),
            )
        };
        for path in every_get_path(&account, &card) {
            let answer = env.get(&tokens.access, &path).await;
            assert_data_conforms(&data_template(&path), answer.status.as_u16(), &answer.json);
        }
        if !username.starts_with("error.") {
            let accounts = env.account_ids(&tokens.access).await;
            for account in &accounts {
                for suffix in [
                    "",
                    "/balance",
                    "/transactions",
                    "/transactions/pending",
                    "/standing_orders",
                    "/direct_debits",
                ] {
                    let path = format!("/data/v1/accounts/{account}{suffix}");
                    let answer = env.get(&tokens.access, &path).await;
                    assert_eq!(answer.status, 200, "{path}");
                    assert_data_conforms(&data_template(&path), 200, &answer.json);
                }
            }
        }
    }
    // The dense user, on a one-month window of each account.
    let dense = env.connect("john.dense", "dense", ALL_SCOPES).await;
    let today = chrono::Utc::now().date_naive();
    for account in env.account_ids(&dense.access).await {
        let path = format!(
            "/data/v1/accounts/{account}/transactions?from={}&to={today}",
            today - chrono::Duration::days(30)
        );
        let answer = env.get(&dense.access, &path).await;
        assert_data_conforms(&data_template(&path), 200, &answer.json);
    }
}

#[tokio::test]
async fn data_api_error_answers_match_the_data_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "accounts transactions").await;
    let account = env.account_ids(&tokens.access).await.remove(0);
    let cases = [
        (
            format!("/data/v1/accounts/{account}/transactions?from=2024-02-01&to=2024-01-01"),
            400,
        ),
        (
            format!("/data/v1/accounts/{account}/transactions?from=bad"),
            400,
        ),
        (format!("/data/v1/accounts/{account}/balance"), 403),
        ("/data/v1/accounts/nope".to_owned(), 404),
    ];
    for (path, status) in cases {
        let answer = env.get(&tokens.access, &path).await;
        assert_eq!(answer.status.as_u16(), status, "{path}");
        assert_data_conforms(&data_template(&path), status, &answer.json);
    }
    let unauthorized = env.get("nope", "/data/v1/accounts").await;
    assert_data_conforms("/accounts", 401, &unauthorized.json);
    env.post_json(
        &env.auth("/__sandbox/faults"),
        &json!({"path": "/data/v1/accounts", "status": 429, "error": "provider_too_many_requests"}),
    )
    .await;
    let limited = env.get(&tokens.access, "/data/v1/accounts").await;
    assert_data_conforms("/accounts", 429, &limited.json);
    env.advance(10 * 60).await;
    let old = env
        .get(
            &tokens.access,
            &format!("/data/v1/accounts/{account}/transactions?from=2020-01-01"),
        )
        .await;
    assert_eq!(old.status, 403);
    assert_data_conforms("/accounts/{account_id}/transactions", 403, &old.json);
}

#[tokio::test]
async fn async_batch_and_extend_answers_match_the_data_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", ALL_SCOPES).await;
    let accepted = env.get(&tokens.access, "/data/v1/cards?async=true").await;
    assert_eq!(accepted.status, 202);
    assert_data_conforms("/cards", 202, &accepted.json);
    env.advance(5).await;
    let done = env
        .get(
            &tokens.access,
            &format!(
                "/data/v1/results/{}",
                accepted.json["task_id"].as_str().unwrap()
            ),
        )
        .await;
    assert_data_conforms("/cards", 200, &done.json);

    let batch = env
        .http
        .post(env.api("/data/v1/batch/transactions"))
        .bearer_auth(&tokens.access)
        .json(&json!({"pending": true, "balance": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), 202);
    let batch: Value = batch.json().await.unwrap();
    assert!(
        check(Spec::Data, "/batch/transactions", "post", 202, &batch).is_ok(),
        "{batch}"
    );
    let pending = env.get(&tokens.access, "/data/v1/batch/results").await;
    assert_conforms(Spec::Data, "/batch/results", "get", &pending);
    env.advance(5).await;
    let results = env.get(&tokens.access, "/data/v1/batch/results").await;
    assert_conforms(Spec::Data, "/batch/results", "get", &results);

    let eternal = env.connect("john", "eternal", ALL_SCOPES).await;
    let reconfirm = env.connect("john", "reconfirm", ALL_SCOPES).await;
    let body = |refresh: &str| {
        json!({"user_has_reconfirmed_consent": true, "client_id": linkscope_sandbox::DEMO_CLIENT_ID,
        "client_secret": env.secret(), "user": {"name": "John Doe", "email": "j@example.com"},
        "refresh_token": refresh, "redirect_uri": REDIRECT, "code_challenge": pkce().challenge})
    };
    for refresh in [
        eternal.refresh.as_deref().unwrap(),
        reconfirm.refresh.as_deref().unwrap(),
        tokens.refresh.as_deref().unwrap(),
        "unknown",
    ] {
        let answer = env
            .post_json(&env.api("/data/v1/connections/extend"), &body(refresh))
            .await;
        assert_conforms(Spec::Data, "/connections/extend", "post", &answer);
    }
    let invalid = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &json!({"client_id": 3}),
        )
        .await;
    assert_eq!(invalid.status, 400);
    assert_conforms(Spec::Data, "/connections/extend", "post", &invalid);
    let german = env
        .connect_link(
            &Link::new("accounts offline_access")
                .set("providers", "xs2a-all")
                .set("provider_id", "xs2a-n26"),
            "john",
            "doe",
        )
        .await;
    let unprocessable = env
        .post_json(
            &env.api("/data/v1/connections/extend"),
            &body(german.refresh.as_deref().unwrap()),
        )
        .await;
    assert_eq!(unprocessable.status, 422);
    assert_conforms(Spec::Data, "/connections/extend", "post", &unprocessable);
}

#[tokio::test]
async fn a_webhook_delivery_matches_the_data_specs_webhook_request() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body);
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let validator = compile(
        Spec::Data,
        patched(Spec::Data)
            .pointer("/components/requestBodies/WebhookRequest/content/application~1json/schema")
            .expect("the Data spec describes the webhook's body (WebhookRequest)")
            .clone(),
        "WebhookRequest",
    );
    for user in [("john", "doe"), ("error.provider_error", "error")] {
        let tokens = env.connect(user.0, user.1, ALL_SCOPES).await;
        let accepted = env
            .get(
                &tokens.access,
                &format!("/data/v1/cards?async=true&webhook_uri={hook}"),
            )
            .await;
        assert_eq!(accepted.status, 202, "{}", accepted.text);
        env.advance(5).await;
        let body = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("the webhook arrives")
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{user:?}: {errors:?} in {body}");
    }
}

#[tokio::test]
async fn signup_plus_answers_match_the_signup_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let all = env.connect("john", "doe", "signupplus accounts").await;
    let several = env.get(&all.access, "/signup-plus/accounts").await;
    assert_eq!(several.json["result"], "multiple_accounts_linked");
    assert_conforms(Spec::Signup, "/accounts", "get", &several);
    let first = several.json["accounts"][0]["account_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let chosen = env
        .get(
            &all.access,
            &format!("/signup-plus/accounts?account_id={first}"),
        )
        .await;
    assert_conforms(Spec::Signup, "/accounts", "get", &chosen);
    for path in ["/signup-plus/accounts?account_id=nope"] {
        assert_conforms(
            Spec::Signup,
            "/accounts",
            "get",
            &env.get(&all.access, path).await,
        );
    }
    let accounts = env.account_ids(&all.access).await;
    let joint = env
        .get(
            &all.access,
            &format!("/signup-plus/accounts?account_id={}", accounts[2]),
        )
        .await;
    assert_eq!(joint.status, 422);
    assert_conforms(Spec::Signup, "/accounts", "get", &joint);
    assert_conforms(
        Spec::Signup,
        "/accounts",
        "get",
        &env.get("nope", "/signup-plus/accounts").await,
    );
    let no_scope = env.connect("john", "doe", "accounts").await;
    assert_conforms(
        Spec::Signup,
        "/accounts",
        "get",
        &env.get(&no_scope.access, "/signup-plus/accounts").await,
    );
    let error_user = env
        .connect("error.internal_error", "error", "signupplus accounts")
        .await;
    assert_conforms(
        Spec::Signup,
        "/accounts",
        "get",
        &env.get(&error_user.access, "/signup-plus/accounts").await,
    );
}

#[tokio::test]
async fn verification_answers_match_the_verification_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let tokens = env.connect("john", "doe", "info accounts cards").await;
    let post = |token: String, body: Value| {
        let env = &env;
        async move {
            let response = env
                .http
                .post(env.api("/verification/v1/verify"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let text = response.text().await.unwrap();
            Answer {
                status,
                headers,
                json: serde_json::from_str(&text).unwrap_or(Value::Null),
                text,
            }
        }
    };
    for name in ["John Doe", "Jane Doe", "Alice Brown"] {
        let answer = post(tokens.access.clone(), json!({ "name": name })).await;
        assert_eq!(answer.status, 200);
        assert_conforms(
            Spec::Verification,
            "/verification/v1/verify",
            "post",
            &answer,
        );
    }
    let too_long = post(tokens.access.clone(), json!({"name": "x".repeat(201)})).await;
    assert_conforms(
        Spec::Verification,
        "/verification/v1/verify",
        "post",
        &too_long,
    );
    let cards_only = env.connect("john", "doe", "verification cards").await;
    let none = post(cards_only.access.clone(), json!({"name": "John Doe"})).await;
    assert_eq!(none.status, 400);
    assert_conforms(Spec::Verification, "/verification/v1/verify", "post", &none);
    assert_conforms(
        Spec::Verification,
        "/verification/v1/verify",
        "post",
        &post("nope".into(), json!({"name": "J"})).await,
    );
    let no_scope = env.connect("john", "doe", "accounts").await;
    assert_conforms(
        Spec::Verification,
        "/verification/v1/verify",
        "post",
        &post(no_scope.access, json!({"name": "J"})).await,
    );
    let error_user = env
        .connect("error.provider_error", "error", "verification")
        .await;
    assert_conforms(
        Spec::Verification,
        "/verification/v1/verify",
        "post",
        &post(error_user.access, json!({"name": "J"})).await,
    );
}

/// A signed v3 POST (`Idempotency-Key` + `Tl-Signature` with the demo client's key).
async fn signed_post(env: &Env, token: &str, path: &str, key: &str, body: &Value) -> Answer {
    let demo = env.sandbox.demo_signing_key().unwrap();
    let bytes = serde_json::to_vec(body).unwrap();
    let signature =
        truelayer_signing::sign_with_pem(&demo.key_id, demo.private_key_pem().unwrap().as_bytes())
            .method(truelayer_signing::Method::Post)
            .path(path)
            .header("Idempotency-Key", key.as_bytes())
            .body(&bytes)
            .build_signer()
            .sign()
            .unwrap();
    let response = env
        .http
        .post(env.api(path))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("Tl-Signature", signature)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap();
    Answer::from(response).await
}

#[tokio::test]
async fn v3_verification_webhooks_to_the_console_uri_are_signed_and_match_the_verification_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/console-hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, raw: axum::body::Bytes| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send((headers, raw.to_vec()));
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/console-hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let refused = env
        .post_json(
            &env.auth("/__sandbox/webhooks"),
            &json!({"console_webhook_uri": "https://example.com/x"}),
        )
        .await;
    assert_eq!(refused.status, 400, "only loopback: {}", refused.text);
    let registered = env
        .post_json(
            &env.auth("/__sandbox/webhooks"),
            &json!({"console_webhook_uri": hook}),
        )
        .await;
    assert_eq!(
        registered.json["console_webhook_uri"],
        hook.as_str(),
        "{}",
        registered.text
    );
    let token = env
        .token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &env.secret()),
            ("scope", "verification"),
        ])
        .await
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let schema = patched(Spec::Verification)
        .pointer("/webhooks/account-holder-verification/post/requestBody/content/application~1json/schema")
        .expect("verification.json describes the v3 webhook")
        .clone();
    let validator = compile(
        Spec::Verification,
        schema,
        "account-holder-verification webhook",
    );
    let jwks = env.get_url(&env.api("/webhooks/jwks")).await.text;
    for (i, sort_code, kind) in [
        (0, "012131", "account_holder_verification_completed"),
        (1, "000000", "account_holder_verification_failed"),
    ] {
        let body = json!({"account_holder_name": "John Doe", "account_identifier":
            {"type": "sort_code_account_number", "sort_code": sort_code, "account_number": "10000000"}});
        let created = signed_post(
            &env,
            &token,
            "/v3/account-holder-verifications/requests",
            &format!("hook-{i}"),
            &body,
        )
        .await;
        assert_eq!(created.status, 202, "{}", created.text);
        env.advance(2).await;
        let (headers, raw) = tokio::time::timeout(std::time::Duration::from_secs(10), rx.recv())
            .await
            .expect("the v3 webhook arrives")
            .unwrap();
        let delivered: Value = serde_json::from_slice(&raw).unwrap();
        assert_eq!(delivered["type"], kind, "{delivered}");
        assert_eq!(
            delivered["account_holder_verification_id"],
            created.json["id"]
        );
        let errors: Vec<String> = validator
            .iter_errors(&delivered)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?} in {delivered}");
        let pairs: Vec<(&str, &[u8])> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_bytes()))
            .collect();
        truelayer_signing::verify_with_jwks(jwks.as_bytes())
            .method(truelayer_signing::Method::Post)
            .path("/console-hook")
            .headers(pairs)
            .body(&raw)
            .build_verifier()
            .verify(headers["tl-signature"].to_str().unwrap())
            .expect("signed like every sandbox webhook");
    }
}

#[tokio::test]
async fn account_holder_verification_v3_and_bank_lookup_answers_match_the_verification_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let token = env
        .token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", linkscope_sandbox::DEMO_CLIENT_ID),
            ("client_secret", &env.secret()),
            ("scope", "verification"),
        ])
        .await
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    const REQUESTS: &str = "/v3/account-holder-verifications/requests";
    const ONE: &str = "/v3/account-holder-verifications/requests/{id}";
    let scan = |number: &str, sort_code: &str| json!({"type": "sort_code_account_number", "sort_code": sort_code, "account_number": number});
    let inputs = [
        ("John Doe", scan("10000000", "012131")),
        ("Jon Doe", scan("10000000", "012131")),
        ("John Smith", scan("10000000", "012131")),
        ("John Doe", scan("99999999", "012131")),
        ("John Doe", scan("10000000", "000000")),
        (
            "John Doe",
            json!({"type": "iban", "iban": "GB29CLRB01213110000000"}),
        ),
    ];
    let mut ids = Vec::new();
    for (i, (name, account)) in inputs.iter().enumerate() {
        let body = json!({"account_holder_name": name, "account_identifier": account});
        let created = signed_post(&env, &token, REQUESTS, &format!("key-{i}"), &body).await;
        assert_eq!(created.status, 202, "{}", created.text);
        assert_conforms(Spec::Verification, REQUESTS, "post", &created);
        let id = created.json["id"].as_str().unwrap().to_owned();
        let pending = env.get(&token, &format!("{REQUESTS}/{id}")).await;
        assert_eq!(pending.json["status"], "pending");
        assert_conforms(Spec::Verification, ONE, "get", &pending);
        ids.push(id);
    }
    env.advance(2).await;
    let mut kinds = Vec::new();
    for id in &ids {
        let done = env.get(&token, &format!("{REQUESTS}/{id}")).await;
        assert_conforms(Spec::Verification, ONE, "get", &done);
        kinds.push(
            done.json["match_result"]["type"]
                .as_str()
                .unwrap_or(done.json["status"].as_str().unwrap())
                .to_owned(),
        );
    }
    assert_eq!(
        kinds,
        [
            "match",
            "partial_match",
            "no_match",
            "match_not_possible",
            "failed",
            "match"
        ]
    );

    let reused = signed_post(
        &env,
        &token,
        REQUESTS,
        "key-0",
        &json!({"account_holder_name": "Jane Doe", "account_identifier": scan("10000000", "012131")}),
    )
    .await;
    assert_eq!(reused.status, 422, "{}", reused.text);
    assert_conforms(Spec::Verification, REQUESTS, "post", &reused);
    let invalid = signed_post(
        &env,
        &token,
        REQUESTS,
        "key-9",
        &json!({"account_holder_name": "John Doe", "account_identifier": scan("1", "012131")}),
    )
    .await;
    assert_eq!(invalid.status, 400, "{}", invalid.text);
    assert_conforms(Spec::Verification, REQUESTS, "post", &invalid);
    let unsigned = env
        .http
        .post(env.api(REQUESTS))
        .bearer_auth(&token)
        .header("Idempotency-Key", "key-10")
        .json(&json!({"account_holder_name": "John Doe", "account_identifier": scan("10000000", "012131")}))
        .send()
        .await
        .unwrap();
    let unsigned = Answer::from(unsigned).await;
    assert_eq!(unsigned.status, 401, "{}", unsigned.text);
    assert_conforms(Spec::Verification, REQUESTS, "post", &unsigned);
    let user = env.connect("john", "doe", "accounts").await;
    let forbidden = signed_post(&env, &user.access, REQUESTS, "key-11", &json!({})).await;
    assert_eq!(forbidden.status, 403, "{}", forbidden.text);
    assert_conforms(Spec::Verification, REQUESTS, "post", &forbidden);
    let missing = env.get(&token, &format!("{REQUESTS}/nope")).await;
    assert_eq!(missing.status, 404);
    assert_conforms(Spec::Verification, ONE, "get", &missing);

    for (account, status) in [
        (scan("10000000", "012131"), 200),
        (
            json!({"type": "iban", "iban": "GB29CLRB01213110000000"}),
            200,
        ),
        (scan("10000000", "404040"), 400),
    ] {
        let answer = env
            .http
            .post(env.api("/v3/bank-lookup"))
            .bearer_auth(&token)
            .json(&json!({ "account_identifier": account }))
            .send()
            .await
            .unwrap();
        let answer = Answer::from(answer).await;
        assert_eq!(answer.status, status, "{}", answer.text);
        assert_conforms(Spec::Verification, "/v3/bank-lookup", "post", &answer);
    }
    let anonymous = env
        .http
        .post(env.api("/v3/bank-lookup"))
        .json(&json!({"account_identifier": scan("10000000", "012131")}))
        .send()
        .await
        .unwrap();
    let anonymous = Answer::from(anonymous).await;
    assert_eq!(anonymous.status, 401);
    assert_conforms(Spec::Verification, "/v3/bank-lookup", "post", &anonymous);
}

/// The spec documents `status` for the operation, with `content_type` as its (first) media type.
fn documents(spec: Spec, template: &str, status: u16, content_type: &str) -> bool {
    let doc = patched(spec);
    let response = &doc["paths"][template]["get"]["responses"][status.to_string()];
    let response = resolve(doc, response);
    response["content"]
        .as_object()
        .and_then(|c| c.keys().next())
        .is_some_and(|media| content_type.starts_with(media.as_str()))
}

#[tokio::test]
async fn tracked_events_answers_match_the_client_tracking_spec() {
    let Some(_specs) = linkscope_openapi::dir_or_skip() else {
        return;
    };
    let env = Env::start().await;
    let complete = Link::new(ALL_SCOPES).set("tracking_id", "conform-complete");
    env.connect_link(&complete, "john", "doe").await;
    let abandoned = Link::new("accounts")
        .set("provider_id", "mock")
        .set("tracking_id", "conform-abandoned");
    let consent = env.get_url(&abandoned.url(&env)).await;
    crate::dialog::post(&env, &consent, &[("action", "allow")]).await;
    let token = env.client_token("tracking").await;
    for id in ["conform-complete", "conform-abandoned"] {
        let answer = env
            .tracked_events(Some(&token), &format!("?tracking_id={id}"))
            .await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_conforms(Spec::Tracking, "/v1/tracked-events", "get", &answer);
    }
    for (token, query, status) in [
        (Some(token.as_str()), "", 400),
        (None, "?tracking_id=conform-complete", 401),
        (Some(token.as_str()), "?tracking_id=unknown", 404),
    ] {
        let answer = env.tracked_events(token, query).await;
        assert_eq!(answer.status, status, "{query}: {}", answer.text);
        let content_type = answer
            .headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_else(|| "application/json".to_owned());
        assert!(
            documents(Spec::Tracking, "/v1/tracked-events", status, &content_type),
            "{status} as {content_type} is what the spec documents"
        );
    }
}

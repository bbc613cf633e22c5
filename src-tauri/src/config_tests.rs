//! Pins what the webview may load (the Tauri config's CSP), so a loosened policy fails a test.

use serde_json::Value;

fn config(name: &str) -> Value {
    // Cargo runs the tests in the package folder (src-tauri).
    let path = std::env::current_dir().unwrap().join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn images_load_only_from_the_app_data_uris_and_truelayers_logo_hosts() {
    let release = config("tauri.conf.json");
    let img_src = release["app"]["security"]["csp"]["img-src"]
        .as_str()
        .unwrap();
    let sources: Vec<&str> = img_src.split_whitespace().collect();
    assert_eq!(
        sources,
        [
            "'self'",
            // QR codes and the built-in sandbox's provider logos (inlined by core).
            "data:",
            // Provider logos in TrueLayer's answers (`logo_url`, `provider.logo_uri`).
            "https://truelayer-provider-assets.s3.amazonaws.com",
            "https://truelayer-client-logos.s3-eu-west-1.amazonaws.com",
            "https://auth.truelayer.com",
            "https://auth.truelayer-sandbox.com",
        ],
        "no local port (the loopback listener, a sandbox's GET routes) may be reached by an <img>"
    );
    assert_eq!(release["app"]["security"]["freezePrototype"], true);
    let dev = config("tauri.dev.conf.json");
    assert!(
        dev["app"].get("security").is_none(),
        "the dev flavour inherits the release CSP unchanged"
    );
}

//! The fixed seed corpus: real redirect URLs (deep link, loopback, TrueLayer console, bare
//! pasted parameters, `error=` redirects, form_post bodies), raw loopback requests, and auth
//! links in the shapes Linkscope builds and TrueLayer documents. Mutations start from these.

/// The redirect URIs the callback parser is told about (the app's deep links, its loopback and
/// TrueLayer's console redirect page).
pub const REDIRECT_URIS: &[&str] = &[
    "linkscope://callback",
    "linkscope-dev://callback",
    "http://127.0.0.1:3947/callback",
    "https://console.truelayer.com/redirect-page",
];

/// The loopback listener's port in the harness (the default one).
pub const LOOPBACK_PORT: u16 = 3947;

/// Redirects as the bank sends them back, and as users paste them.
pub const REDIRECTS: &[&str] = &[
    "linkscope://callback?code=9ZGb0bHk7AemS4Qp_Yc2hDjvuEiUMNXw-3lPaTKfLrs&state=hN0ugmjPq8Ez2xFYwRkZ1cXvT7sJ5aL4dB9eC3iGoKM",
    "linkscope://callback/?code=9ZGb0bHk7AemS4Qp&state=hN0ugmjPq8Ez2xFY&scope=info%20accounts%20balance%20offline_access",
    "linkscope-dev://callback?state=hN0ugmjPq8Ez2xFY&code=9ZGb0bHk7AemS4Qp",
    "http://127.0.0.1:3947/callback?code=0a1b2c3d4e5f&state=s-1&scope=info+accounts",
    "https://console.truelayer.com/redirect-page?code=AB12cd34EF56&scope=info%20accounts%20balance%20cards%20transactions%20direct_debits%20standing_orders%20offline_access&state=abc",
    "linkscope://callback?error=access_denied&error_description=The%20user%20cancelled&state=hN0ugmjPq8Ez2xFY",
    "linkscope://callback?error=provider_error&state=s",
    "code=9ZGb0bHk7AemS4Qp&state=hN0ugmjPq8Ez2xFY",
    "?code=9ZGb0bHk7AemS4Qp&state=hN0ugmjPq8Ez2xFY",
    "linkscope://callback#code=frag&state=frag",
    "linkscope://callback?code=a&code=b&state=s",
    "http://127.0.0.1:3948/callback?code=a&state=s",
    "http://user@127.0.0.1:3947/callback?code=a&state=s",
];

/// Raw HTTP requests as a browser sends them to the loopback listener.
pub const LOOPBACK_REQUESTS: &[&str] = &[
    "GET /callback?code=9ZGb0bHk7AemS4Qp&state=hN0ugmjPq8Ez2xFY HTTP/1.1\r\nHost: 127.0.0.1:3947\r\nUser-Agent: Mozilla/5.0\r\nAccept: text/html\r\n\r\n",
    "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:3947\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 36\r\nOrigin: https://auth.truelayer.com\r\n\r\ncode=9ZGb0bHk7AemS4Qp&state=hN0ugmjP",
    "POST /callback?state=s1 HTTP/1.1\r\nHost: 127.0.0.1:3947\r\nContent-Type: application/x-www-form-urlencoded; charset=UTF-8\r\nContent-Length: 8\r\n\r\ncode=abc",
    "GET /callback?error=access_denied&state=s1 HTTP/1.1\r\nHost: localhost:3947\r\n\r\n",
    "GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1:3947\r\n\r\n",
    "GET http://127.0.0.1:3947/callback?code=a&state=b HTTP/1.1\r\nHost: 127.0.0.1:3947\r\n\r\n",
    "POST /callback HTTP/1.1\r\nHost: 127.0.0.1:3947\r\nContent-Type: application/json\r\nContent-Length: 25\r\n\r\n{\"code\":\"a\",\"state\":\"b\"}",
];

/// Auth links: what Linkscope's builder emits, and TrueLayer's documented examples.
pub const AUTH_LINKS: &[&str] = &[
    "http://127.0.0.1:4001/?response_type=code&client_id=sandbox-linkscope-demo&redirect_uri=linkscope%3A%2F%2Fcallback&scope=info+accounts+balance+cards+transactions+direct_debits+standing_orders+offline_access&providers=uk-cs-mock+uk-ob-all+uk-oauth-all&state=hN0ugmjPq8Ez2xFYwRkZ1cXvT7sJ5aL4dB9eC3iGoKM&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
    "http://127.0.0.1:4001/?response_type=code&client_id=sandbox-linkscope-demo&redirect_uri=http%3A%2F%2F127.0.0.1%3A3947%2Fcallback&scope=info+accounts+offline_access&providers=uk-cs-mock&provider_id=mock&response_mode=form_post&state=s-1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256",
    "http://127.0.0.1:4001/?response_type=code&client_id=sandbox-linkscope-demo&redirect_uri=linkscope%3A%2F%2Fcallback&scope=verification&providers=uk-ob-all&state=s-2",
    "https://auth.truelayer-sandbox.com/?response_type=code&client_id=sandbox-linkscope-demo&scope=info%20accounts%20balance%20cards%20transactions%20direct_debits%20standing_orders%20offline_access&redirect_uri=https://console.truelayer.com/redirect-page&providers=uk-ob-all%20uk-oauth-all",
    "https://auth.truelayer.com/?response_type=code&client_id=sandbox-linkscope-demo&redirect_uri=linkscope://callback&scope=accounts%20balance&providers=uk-ob-all&provider_id=ob-monzo&language_id=en&country_id=GB&user_email=jo%40example.com&tracking_id=t-1",
    "http://127.0.0.1:4001/?response_type=code&client_id=sandbox-linkscope-demo&redirect_uri=linkscope://callback&scope=info%20accounts&enable_mock=true&enable_open_banking_providers=false&disable_providers=ob-hsbc",
];

/// The loopback redirect URI of the harness's listener.
pub fn loopback_uri() -> String {
    linkscope_core::link::loopback::loopback_redirect_uri(LOOPBACK_PORT)
}

//! The sandbox's provider catalogue: the items of `GET /api/providers` (API.md §2), the
//! provider-group tokens the auth link's `providers` parameter accepts, and the logos (SVG
//! generated here, served by the sandbox itself). No HTTP here.

use serde::Serialize;

/// Every data scope a provider can support, in TrueLayer's spelling.
pub const ALL_DATA_SCOPES: [&str; 8] = [
    "info",
    "accounts",
    "balance",
    "cards",
    "transactions",
    "direct_debits",
    "standing_orders",
    "offline_access",
];

/// When the provider availability was last assessed. A fixed instant keeps the catalogue
/// deterministic; the server may overwrite `availability.updated_at` from its clock.
const AVAILABILITY_UPDATED_AT: &str = "2025-01-01T00:00:00.000Z";

/// How a provider connects, which decides the group tokens that select it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    /// Credential sharing: only the Mock bank (`uk-cs-mock`).
    CredentialSharing,
    /// UK Open Banking (`uk-ob-all`, ids `ob-*`).
    OpenBanking,
    /// Berlin Group XS2A (`<cc>-xs2a-all`, `xs2a-all`, ids `xs2a-*`).
    Xs2a,
    /// French STET (`fr-stet-all`, `stet-all`, ids `stet-*`).
    Stet,
}

impl ProviderKind {
    /// The middle part of a group token (`uk-ob-all` → `ob`).
    fn token(self) -> &'static str {
        match self {
            ProviderKind::CredentialSharing => "cs",
            ProviderKind::OpenBanking => "ob",
            ProviderKind::Xs2a => "xs2a",
            ProviderKind::Stet => "stet",
        }
    }
}

/// One item of `GET /api/providers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// TrueLayer provider id (`mock`, `ob-monzo`, …).
    pub provider_id: String,
    /// Human name.
    pub display_name: String,
    /// Lower-case country (`uk`, not `gb`).
    pub country: String,
    /// Logo URL. [`providers`] leaves it relative (`/img/banks/logos/{id}.svg`, served with
    /// [`logo_svg`]); [`providers_with_logo_base`] prefixes the auth server's URL.
    pub logo_url: String,
    /// Scopes the provider supports.
    pub scopes: Vec<&'static str>,
    /// Health as TrueLayer reports it.
    pub availability: Availability,
    /// Extra inputs the dialog asks for (TrueLayer's AuthInputStep), rarely present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<AuthInputStep>>,
    /// How it connects (not serialized; decides the group tokens).
    #[serde(skip)]
    pub kind: ProviderKind,
}

/// `availability` of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// `healthy` for every sandbox provider.
    pub recommended_status: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// TrueLayer's AuthInputStep (a single-choice field in the only example we have).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthInputStep {
    /// e.g. `SingleChoiceField`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Field id.
    pub id: String,
    /// Label.
    pub display_name: String,
    /// Help text.
    pub help_text: String,
    /// Whether it must be answered.
    pub mandatory: bool,
    /// The choices.
    pub values: Vec<StepValue>,
}

/// One choice of a single-choice step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepValue {
    /// Submitted value.
    pub value: String,
    /// Label.
    pub display_name: String,
}

/// Static description of a provider: id, name, country, kind, scope set, brand colour, initials.
struct Spec {
    id: &'static str,
    name: &'static str,
    country: &'static str,
    kind: ProviderKind,
    scopes: &'static [&'static str],
    colour: &'static str,
    initials: &'static str,
}

const UK_FULL: &[&str] = &ALL_DATA_SCOPES;
const UK_NO_INFO: &[&str] = &[
    "accounts",
    "balance",
    "cards",
    "transactions",
    "direct_debits",
    "standing_orders",
    "offline_access",
];
const UK_NO_CARDS: &[&str] = &[
    "info",
    "accounts",
    "balance",
    "transactions",
    "direct_debits",
    "standing_orders",
    "offline_access",
];
const CARDS_ONLY: &[&str] = &["info", "balance", "cards", "transactions", "offline_access"];
const EU_BASIC: &[&str] = &["accounts", "balance", "transactions", "offline_access"];
const EU_INFO: &[&str] = &[
    "info",
    "accounts",
    "balance",
    "transactions",
    "offline_access",
];
const EU_CARDS: &[&str] = &[
    "info",
    "accounts",
    "balance",
    "cards",
    "transactions",
    "offline_access",
];

use ProviderKind::{CredentialSharing as Cs, OpenBanking as Ob, Stet, Xs2a};

/// The catalogue. Countries are restricted to the response schema's `country` enum
/// (de es fr ie it lt pl uk), so there is no Dutch bank even though the query filter lists `nl`.
#[rustfmt::skip]
const SPECS: &[Spec] = &[
    Spec { id: "mock", name: "Mock", country: "uk", kind: Cs, scopes: UK_FULL, colour: "#1f2937", initials: "MK" },
    Spec { id: "ob-monzo", name: "Monzo", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#ff4f40", initials: "M" },
    Spec { id: "ob-barclays", name: "Barclays", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#00aeef", initials: "B" },
    Spec { id: "ob-hsbc", name: "HSBC", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#db0011", initials: "H" },
    Spec { id: "ob-lloyds", name: "Lloyds Bank", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#006a4d", initials: "L" },
    Spec { id: "ob-natwest", name: "NatWest", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#5a287d", initials: "NW" },
    Spec { id: "ob-santander", name: "Santander", country: "uk", kind: Ob, scopes: UK_NO_INFO, colour: "#ec0000", initials: "S" },
    Spec { id: "ob-nationwide", name: "Nationwide", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#1b2a6b", initials: "N" },
    Spec { id: "ob-starling", name: "Starling Bank", country: "uk", kind: Ob, scopes: UK_NO_CARDS, colour: "#6935d3", initials: "S" },
    Spec { id: "ob-revolut", name: "Revolut", country: "uk", kind: Ob, scopes: &["info", "accounts", "balance", "transactions", "offline_access"], colour: "#191c1f", initials: "R" },
    Spec { id: "ob-halifax", name: "Halifax", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#005eb8", initials: "H" },
    Spec { id: "ob-tsb", name: "TSB", country: "uk", kind: Ob, scopes: UK_NO_INFO, colour: "#1c5fa8", initials: "TSB" },
    Spec { id: "ob-first-direct", name: "first direct", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#000000", initials: "fd" },
    Spec { id: "ob-rbs", name: "Royal Bank of Scotland", country: "uk", kind: Ob, scopes: UK_FULL, colour: "#0a2f64", initials: "RBS" },
    Spec { id: "ob-amex", name: "American Express", country: "uk", kind: Ob, scopes: CARDS_ONLY, colour: "#2e77bc", initials: "AX" },
    Spec { id: "ob-transferwise", name: "Wise", country: "uk", kind: Ob, scopes: &["accounts", "balance", "transactions", "offline_access"], colour: "#9fe870", initials: "W" },
    Spec { id: "xs2a-deutsche-bank", name: "Deutsche Bank", country: "de", kind: Xs2a, scopes: EU_INFO, colour: "#0018a8", initials: "DB" },
    Spec { id: "xs2a-sparkasse", name: "Sparkasse", country: "de", kind: Xs2a, scopes: EU_BASIC, colour: "#ff0000", initials: "S" },
    Spec { id: "xs2a-n26", name: "N26", country: "de", kind: Xs2a, scopes: EU_CARDS, colour: "#36a18b", initials: "N26" },
    Spec { id: "stet-bnp-paribas", name: "BNP Paribas", country: "fr", kind: Stet, scopes: EU_INFO, colour: "#00915a", initials: "BNP" },
    Spec { id: "stet-credit-agricole", name: "Crédit Agricole", country: "fr", kind: Stet, scopes: EU_BASIC, colour: "#00754a", initials: "CA" },
    Spec { id: "xs2a-bbva", name: "BBVA", country: "es", kind: Xs2a, scopes: EU_CARDS, colour: "#004481", initials: "BBVA" },
    Spec { id: "xs2a-caixabank", name: "CaixaBank", country: "es", kind: Xs2a, scopes: EU_BASIC, colour: "#007eae", initials: "CX" },
    Spec { id: "ob-aib", name: "AIB", country: "ie", kind: Ob, scopes: UK_NO_CARDS, colour: "#7f2b7b", initials: "AIB" },
    Spec { id: "ob-bank-of-ireland", name: "Bank of Ireland", country: "ie", kind: Ob, scopes: EU_INFO, colour: "#0b2f6b", initials: "BOI" },
    Spec { id: "xs2a-intesa-sanpaolo", name: "Intesa Sanpaolo", country: "it", kind: Xs2a, scopes: EU_BASIC, colour: "#006837", initials: "IS" },
    Spec { id: "xs2a-unicredit", name: "UniCredit", country: "it", kind: Xs2a, scopes: EU_INFO, colour: "#e2001a", initials: "UC" },
    Spec { id: "xs2a-swedbank-lt", name: "Swedbank", country: "lt", kind: Xs2a, scopes: EU_BASIC, colour: "#ee7023", initials: "SW" },
    Spec { id: "xs2a-pko", name: "PKO Bank Polski", country: "pl", kind: Xs2a, scopes: EU_BASIC, colour: "#003574", initials: "PKO" },
];

/// The provider catalogue with relative logo URLs (`/img/banks/logos/{id}.svg`): Mock first,
/// then 15 UK banks and 13 EU banks with varied scope sets.
pub fn providers() -> Vec<Provider> {
    providers_with_logo_base("")
}

/// [`providers`] with `logo_base` (e.g. `http://127.0.0.1:4001`, no trailing slash) prefixed to
/// each `logo_url`.
pub fn providers_with_logo_base(logo_base: &str) -> Vec<Provider> {
    let base = logo_base.trim_end_matches('/');
    SPECS.iter().map(|s| to_provider(s, base)).collect()
}

/// The provider with this exact id, if the sandbox knows it.
pub fn provider(provider_id: &str) -> Option<Provider> {
    SPECS
        .iter()
        .find(|s| s.id == provider_id)
        .map(|s| to_provider(s, ""))
}

fn to_provider(spec: &Spec, base: &str) -> Provider {
    let steps = (spec.id == "stet-credit-agricole").then(|| {
        vec![AuthInputStep {
            kind: "SingleChoiceField".to_owned(),
            id: "branch-name".to_owned(),
            display_name: "Branch Name".to_owned(),
            help_text: "Please select a branch".to_owned(),
            mandatory: true,
            values: [
                (
                    "stet-credit-agricole-alpes-provence",
                    "Crédit Agricole Alpes Provence",
                ),
                (
                    "stet-credit-agricole-paris",
                    "Crédit Agricole d'Île-de-France",
                ),
                ("stet-credit-agricole-nord-est", "Crédit Agricole Nord Est"),
            ]
            .into_iter()
            .map(|(value, name)| StepValue {
                value: value.to_owned(),
                display_name: name.to_owned(),
            })
            .collect(),
        }]
    });
    Provider {
        provider_id: spec.id.to_owned(),
        display_name: spec.name.to_owned(),
        country: spec.country.to_owned(),
        logo_url: format!("{base}/img/banks/logos/{}.svg", spec.id),
        scopes: spec.scopes.to_vec(),
        availability: Availability {
            recommended_status: "healthy".to_owned(),
            updated_at: AVAILABILITY_UPDATED_AT.to_owned(),
        },
        steps,
        kind: spec.kind,
    }
}

/// Whether one entry of the auth link's space-separated `providers` list selects `provider_id`.
///
/// Accepted tokens (TrueLayer: "`provider_id=ob-monzo` needs `uk-ob-all` or `ob-monzo` in
/// `providers`"; Mock is `uk-cs-mock`):
/// - the provider id itself (`ob-monzo`, `mock`);
/// - `uk-cs-mock` → the Mock bank;
/// - `<country>-<kind>-all` (`uk-ob-all`, `de-xs2a-all`, `fr-stet-all`, `ie-ob-all`, …);
/// - `<kind>-all` across countries (`xs2a-all`, `stet-all`, `ob-all`);
/// - `uk-oauth-all` (TrueLayer's legacy non-Open-Banking OAuth group) is valid but selects none
///   of the sandbox's providers, like TrueLayer's sandbox where only Mock is offered besides OB.
///
/// Unknown tokens and unknown providers never match. Use [`is_known_provider_token`] to reject an
/// auth link whose token is neither a provider nor a group.
pub fn provider_matches_token(provider_id: &str, token: &str) -> bool {
    let Some(spec) = SPECS.iter().find(|s| s.id == provider_id) else {
        return false;
    };
    if token == spec.id {
        return true;
    }
    if spec.kind == ProviderKind::CredentialSharing {
        return token == "uk-cs-mock";
    }
    let kind = spec.kind.token();
    if let Some(rest) = token.strip_suffix("-all") {
        if rest == kind {
            return true;
        }
        if let Some((country, k)) = rest.split_once('-') {
            return country == spec.country && k == kind;
        }
    }
    false
}

/// Whether `token` is something the auth link's `providers` list may contain: a known provider
/// id or a group token of the forms [`provider_matches_token`] understands (even one that
/// currently selects nothing, like `uk-oauth-all`).
pub fn is_known_provider_token(token: &str) -> bool {
    if token == "uk-cs-mock" || token == "uk-oauth-all" || SPECS.iter().any(|s| s.id == token) {
        return true;
    }
    SPECS.iter().any(|s| provider_matches_token(s.id, token))
}

/// A simple logo for the provider: its brand colour as a rounded square with white initials,
/// 64×64 SVG. `None` for an unknown id.
pub fn logo_svg(provider_id: &str) -> Option<String> {
    let spec = SPECS.iter().find(|s| s.id == provider_id)?;
    let size = match spec.initials.chars().count() {
        0..=1 => 34,
        2 => 26,
        3 => 20,
        _ => 16,
    };
    let title = xml_escape(spec.name);
    let initials = xml_escape(spec.initials);
    let colour = spec.colour;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\" viewBox=\"0 0 64 64\" \
         role=\"img\" aria-label=\"{title}\"><title>{title}</title>\
         <rect x=\"2\" y=\"2\" width=\"60\" height=\"60\" rx=\"14\" fill=\"{colour}\"/>\
         <text x=\"32\" y=\"32\" dy=\"0.35em\" text-anchor=\"middle\" \
         font-family=\"Helvetica, Arial, sans-serif\" font-weight=\"700\" font-size=\"{size}\" \
         fill=\"#ffffff\">{initials}</text></svg>"
    ))
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_catalogue_starts_with_mock_and_has_unique_ids_in_schema_countries() {
        let all = providers();
        assert_eq!(all.first().map(|p| p.provider_id.as_str()), Some("mock"));
        let ids: HashSet<_> = all.iter().map(|p| p.provider_id.clone()).collect();
        assert_eq!(ids.len(), all.len(), "provider ids must be unique");
        assert!(
            all.len() >= 20,
            "a realistic catalogue has about twenty banks"
        );
        let schema_countries = ["de", "es", "fr", "ie", "it", "lt", "pl", "uk"];
        for p in &all {
            assert!(
                schema_countries.contains(&p.country.as_str()),
                "{}",
                p.provider_id
            );
            assert!(
                p.scopes.iter().all(|s| ALL_DATA_SCOPES.contains(s)),
                "{}",
                p.provider_id
            );
            assert_eq!(
                p.logo_url,
                format!("/img/banks/logos/{}.svg", p.provider_id)
            );
        }
        let mock = provider("mock").unwrap();
        assert_eq!(
            mock.scopes,
            ALL_DATA_SCOPES.to_vec(),
            "Mock supports every data scope"
        );
        assert!(
            all.iter().any(|p| !p.scopes.contains(&"cards")),
            "some banks lack cards"
        );
        assert!(all.iter().any(|p| !p.scopes.contains(&"standing_orders")));
    }

    #[test]
    fn providers_serialize_to_the_api_item_shape() {
        let mut all = providers_with_logo_base("http://127.0.0.1:9/");
        let ca = all
            .iter_mut()
            .find(|p| p.provider_id == "stet-credit-agricole")
            .unwrap();
        let v = serde_json::to_value(&*ca).unwrap();
        for key in [
            "provider_id",
            "display_name",
            "logo_url",
            "scopes",
            "country",
            "availability",
            "steps",
        ] {
            assert!(v.get(key).is_some(), "missing {key} in {v}");
        }
        assert_eq!(
            v["logo_url"],
            "http://127.0.0.1:9/img/banks/logos/stet-credit-agricole.svg"
        );
        assert_eq!(v["steps"][0]["type"], "SingleChoiceField");
        assert!(v.get("kind").is_none(), "kind is internal");
        let monzo = serde_json::to_value(provider("ob-monzo").unwrap()).unwrap();
        assert!(
            monzo.get("steps").is_none(),
            "absent steps are omitted, not null"
        );
    }

    #[test]
    fn provider_tokens_select_the_documented_groups() {
        let cases = [
            ("mock", "uk-cs-mock", true),
            ("mock", "mock", true),
            ("mock", "uk-ob-all", false),
            ("mock", "uk-oauth-all", false),
            ("ob-monzo", "uk-ob-all", true),
            ("ob-monzo", "ob-monzo", true),
            ("ob-monzo", "ob-all", true),
            ("ob-monzo", "ob-barclays", false),
            ("ob-monzo", "uk-oauth-all", false),
            ("ob-monzo", "uk-cs-mock", false),
            ("ob-aib", "ie-ob-all", true),
            ("ob-aib", "uk-ob-all", false),
            ("xs2a-n26", "de-xs2a-all", true),
            ("xs2a-n26", "xs2a-all", true),
            ("xs2a-n26", "es-xs2a-all", false),
            ("stet-bnp-paribas", "fr-stet-all", true),
            ("stet-bnp-paribas", "xs2a-all", false),
            ("nope", "nope", false),
        ];
        for (id, token, expected) in cases {
            assert_eq!(
                provider_matches_token(id, token),
                expected,
                "{id} vs {token}"
            );
        }
        for token in [
            "uk-cs-mock",
            "uk-ob-all",
            "uk-oauth-all",
            "xs2a-all",
            "ob-monzo",
            "pl-xs2a-all",
        ] {
            assert!(is_known_provider_token(token), "{token}");
        }
        for token in ["", "uk-all", "nl-xs2a-all", "ob-nope", "mock-all"] {
            assert!(!is_known_provider_token(token), "{token}");
        }
    }

    #[test]
    fn every_provider_has_a_distinct_well_formed_logo() {
        let mut seen = HashSet::new();
        for p in providers() {
            let svg = logo_svg(&p.provider_id).unwrap();
            assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"), "{svg}");
            assert!(!svg.contains("&&") && !svg.contains("<<"), "{svg}");
            assert!(
                seen.insert(svg),
                "{} duplicates another logo",
                p.provider_id
            );
        }
        assert_eq!(logo_svg("ob-nope"), None);
        assert!(logo_svg("stet-credit-agricole")
            .unwrap()
            .contains("Crédit Agricole"));
    }
}

//! The short pass `npm test` runs: 10,000 inputs per target, same harness and seed as
//! `npm run fuzz`.

const SHORT_PASS: u64 = 10_000;

fn short_pass(name: &str) {
    let mut target = linkscope_fuzz::targets::all()
        .into_iter()
        .find(|t| t.name() == name)
        .unwrap_or_else(|| panic!("no target {name}"));
    let report = linkscope_fuzz::run(target.as_mut(), SHORT_PASS, linkscope_fuzz::DEFAULT_SEED);
    assert_eq!(report.inputs, SHORT_PASS);
    assert!(report.is_clean(), "{report}");
    assert!(
        report.accepted > 0 && report.rejected > 0,
        "the generators reach both sides of the parser: {report}"
    );
}

#[test]
fn ten_thousand_callback_redirects_never_panic_and_keep_the_parser_invariants() {
    short_pass("callback");
}

#[test]
fn ten_thousand_loopback_requests_never_panic_and_hand_on_only_valid_callbacks() {
    short_pass("loopback");
}

#[test]
fn ten_thousand_auth_links_lint_without_panicking() {
    short_pass("lint");
}

#[test]
fn ten_thousand_auth_links_never_panic_the_validator_and_it_refuses_what_the_linter_flags() {
    short_pass("authlink");
}

//! The attack corpus of issue 4 on the claims: expired and not-yet-valid
//! tokens, claims of the wrong type, another issuer, client or token use,
//! and group claims that must grant nothing. Each case asserts its own
//! `VerifyError`.

use std::time::{Duration, UNIX_EPOCH};

use groupguard::{Op, Principal, TokenUse, Verifier, VerifyError};
use serde_json::{Value, json};

use crate::support::*;

#[test]
fn expired_token_is_refused() {
    let verifier = id_verifier();
    let claims = with(id_claims(), json!({"exp": NOW - 1}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::Expired {
            exp,
            now,
            leeway: 0
        } if exp == (NOW - 1).cast_signed() && now == NOW.cast_signed()
    );
    // RFC 7519: valid only *before* `exp`.
    let claims = with(id_claims(), json!({"exp": NOW}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::Expired { .. }
    );
    let claims = with(id_claims(), json!({"exp": NOW + 1}));
    verify(&verifier, &id_token(&claims)).expect("one second left");
    // `exp` is required.
    let claims = with(id_claims(), json!({"exp": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "exp" }
    );
}

#[test]
fn leeway_applies_to_exp_and_nbf() {
    let lenient = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .leeway(Duration::from_secs(30))
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let expired_20s = with(id_claims(), json!({"exp": NOW - 20}));
    verify(&lenient, &id_token(&expired_20s)).expect("within the leeway");
    assert_rejects!(
        verify(&id_verifier(), &id_token(&expired_20s)),
        VerifyError::Expired { .. }
    );
    let expired_40s = with(id_claims(), json!({"exp": NOW - 40}));
    assert_rejects!(
        verify(&lenient, &id_token(&expired_40s)),
        VerifyError::Expired { leeway: 30, .. }
    );
    let early_20s = with(id_claims(), json!({"nbf": NOW + 20}));
    verify(&lenient, &id_token(&early_20s)).expect("within the leeway");
    let early_40s = with(id_claims(), json!({"nbf": NOW + 40}));
    assert_rejects!(
        verify(&lenient, &id_token(&early_40s)),
        VerifyError::NotYetValid { .. }
    );
}

#[test]
fn nbf_in_the_future_is_refused() {
    let claims = with(id_claims(), json!({"nbf": NOW + 600}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::NotYetValid { nbf, .. } if nbf == (NOW + 600).cast_signed()
    );
    let claims = with(id_claims(), json!({"nbf": NOW}));
    verify(&id_verifier(), &id_token(&claims)).expect("valid from now on");
}

#[test]
fn numeric_dates_of_every_shape_are_judged_not_skipped() {
    let verifier = id_verifier();
    #[expect(clippy::cast_precision_loss, reason = "NOW is far below 2^53: exact")]
    let now = NOW as f64;
    // Not numbers: refused at the claim-type step.
    for (claim, value) in [
        ("exp", json!(true)),
        ("exp", json!([NOW + 60])),
        ("exp", json!({"at": NOW + 60})),
        ("nbf", json!(false)),
        ("nbf", json!(null)),
        ("iat", json!([])),
        ("auth_time", json!("now")),
    ] {
        let mut claims = id_claims();
        claims[claim] = value;
        let expected: &str = claim;
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::ClaimType { claim, .. } if claim == expected
        );
    }
    // Numbers of any size and sign: compared without overflow or panic.
    for exp in [json!(-1), json!(i64::MIN), json!(now - 0.5)] {
        let claims = with(id_claims(), json!({ "exp": exp }));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Expired { .. }
        );
    }
    // A far `exp` is what the issuer signed (as aws-jwt-verify, no cap).
    for exp in [json!(now + 0.5), json!(u64::MAX), json!(1e300)] {
        let claims = with(id_claims(), json!({ "exp": exp }));
        verify(&verifier, &id_token(&claims)).expect("exp in the future");
    }
    for nbf in [json!(u64::MAX), json!(1e300)] {
        let claims = with(id_claims(), json!({ "nbf": nbf }));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::NotYetValid { nbf: i64::MAX, .. }
        );
    }
    let claims = with(id_claims(), json!({"nbf": -1e300}));
    verify(&verifier, &id_token(&claims)).expect("nbf long past");
}

#[test]
fn clock_before_the_epoch_and_huge_leeway_do_not_overflow() {
    let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
    let verifier = id_verifier();
    verifier
        .verify_at(&id_token(&id_claims()), before_epoch)
        .expect("exp is after a clock set before 1970");
    let claims = with(id_claims(), json!({"nbf": 0}));
    assert_rejects!(
        verifier.verify_at(&id_token(&claims), before_epoch),
        VerifyError::NotYetValid {
            nbf: 0,
            now: -10,
            ..
        }
    );
    let lenient = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .leeway(Duration::MAX)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let claims = with(id_claims(), json!({"exp": 0}));
    verify(&lenient, &id_token(&claims)).expect("within an unbounded leeway");
    let claims = with(id_claims(), json!({"nbf": 1e300}));
    assert_rejects!(
        verify(&lenient, &id_token(&claims)),
        VerifyError::NotYetValid {
            leeway: u64::MAX,
            ..
        }
    );
}

#[test]
fn exp_as_a_string_is_refused_not_skipped() {
    // CVE-2026-25537: jsonwebtoken < 10.3 skipped `exp`/`nbf` given as strings.
    let verifier = id_verifier();
    for (claim, value) in [
        ("exp", json!("1")),
        ("exp", json!(format!("{}", NOW - 3600))),
        ("nbf", json!(format!("{}", NOW + 3600))),
        ("iat", json!("yesterday")),
        ("exp", json!(null)),
    ] {
        let mut claims = id_claims();
        claims[claim] = value;
        let expected: &str = claim;
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::ClaimType { claim, .. } if claim == expected
        );
    }
    let claims = with(id_claims(), json!({"iss": 42}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::ClaimType { claim: "iss", .. }
    );
    let claims = with(id_claims(), json!({"aud": [CLIENT, 7]}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::ClaimType { claim: "aud", .. }
    );
}

/// Every claim the verifier or the principal reads as a string (or strings),
/// given another JSON type. Skipping the type check would read most of them
/// as missing (no user name, no role), and an array `client_id` naming the
/// client would pass the client check.
fn wrongly_typed_cognito_claims() -> Vec<(&'static str, Value)> {
    let role = "arn:aws:iam::123456789012:role/Editors";
    vec![
        ("token_use", json!(7)),
        ("token_use", json!(["access"])),
        ("token_use", json!(["id"])),
        ("token_use", json!(null)),
        ("client_id", json!(["other", CLIENT])),
        ("client_id", json!([CLIENT])),
        ("client_id", json!(7)),
        ("client_id", json!({"id": CLIENT})),
        ("username", json!(7)),
        ("username", json!(["bob"])),
        ("username", json!(null)),
        ("cognito:username", json!(true)),
        ("cognito:username", json!(["bob"])),
        ("cognito:preferred_role", json!([role])),
        ("cognito:preferred_role", json!(1)),
        ("cognito:roles", json!(7)),
        ("cognito:roles", json!([role, 1])),
        ("cognito:roles", json!({"0": role})),
        ("cognito:roles", json!([[role]])),
    ]
}

#[test]
fn cognito_claims_of_the_wrong_type_are_refused() {
    let any_use = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .any_token_use()
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let oidc = oidc_verifier();
    for (expected, value) in wrongly_typed_cognito_claims() {
        let mut id = id_claims();
        id[expected] = value.clone();
        let mut access = access_claims();
        access[expected] = value.clone();
        let mut oidc_token = oidc_claims();
        oidc_token[expected] = value.clone();
        let results = [
            ("ID token", verify(&id_verifier(), &id_token(&id))),
            ("ID token, any use", verify(&any_use, &id_token(&id))),
            (
                "access token",
                verify(&access_verifier(), &access_token(&access)),
            ),
            (
                "access token, any use",
                verify(&any_use, &access_token(&access)),
            ),
            ("OIDC token", verify(&oidc, &keys().ec.sign(&oidc_token))),
            ("from_claims", Principal::<Group>::from_claims(&id)),
            ("from_claims", Principal::<Group>::from_claims(&access)),
        ];
        for (case, result) in results {
            let debug = format!("{result:?}");
            assert!(
                matches!(result, Err(VerifyError::ClaimType { claim, .. }) if claim == expected),
                "{case} with {expected}: {value}: expected ClaimType, got {debug}"
            );
        }
    }
}

#[test]
fn claimed_roles_may_be_a_string_or_strings() {
    let role = "arn:aws:iam::123456789012:role/Admins";
    let claims = with(id_claims(), json!({"cognito:roles": role}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("a lone role");
    assert_eq!(p.claimed_roles(), [role]);
    let claims = with(id_claims(), json!({"cognito:roles": []}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("no roles");
    assert!(p.claimed_roles().is_empty());
}

#[test]
fn wrong_or_missing_issuer_is_refused() {
    let verifier = id_verifier();
    for iss in [
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/",
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123",
        "",
    ] {
        let claims = with(id_claims(), json!({"iss": iss}));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Issuer { .. }
        );
    }
    let claims = with(id_claims(), json!({"iss": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "iss" }
    );
}

#[test]
fn wrong_audience_is_refused() {
    let verifier = id_verifier();
    for aud in [
        json!("another-client"),
        json!(["a", "b"]),
        json!([]),
        json!("7ABCD1234CLIENT"),
    ] {
        let claims = with(id_claims(), json!({"aud": aud}));
        assert_rejects!(
            verify(&verifier, &id_token(&claims)),
            VerifyError::Audience { claim: "aud", .. }
        );
    }
    let claims = with(id_claims(), json!({"aud": ["other", CLIENT]}));
    verify(&verifier, &id_token(&claims)).expect("an array naming the client");
    let claims = with(id_claims(), json!({"aud": null}));
    assert_rejects!(
        verify(&verifier, &id_token(&claims)),
        VerifyError::MissingClaim { claim: "aud" }
    );
}

#[test]
fn id_token_used_as_access_token_and_back_is_refused() {
    assert_rejects!(
        verify(&access_verifier(), &id_token(&id_claims())),
        VerifyError::TokenUse {
            expected: "access",
            ..
        }
    );
    assert_rejects!(
        verify(&id_verifier(), &access_token(&access_claims())),
        VerifyError::TokenUse { expected: "id", .. }
    );
    let claims = with(id_claims(), json!({"token_use": null}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::MissingClaim { claim: "token_use" }
    );
}

#[test]
fn access_token_with_wrong_client_id_is_refused() {
    let claims = with(access_claims(), json!({"client_id": "another-client"}));
    assert_rejects!(
        verify(&access_verifier(), &access_token(&claims)),
        VerifyError::Audience {
            claim: "client_id",
            ..
        }
    );
    // An array naming the client is not a client id: refused at the claim-type
    // step, with every verifier that reads access tokens.
    let any_use = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .any_token_use()
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    let claims = with(access_claims(), json!({"client_id": ["other", CLIENT]}));
    for verifier in [&access_verifier(), &any_use] {
        assert_rejects!(
            verify(verifier, &access_token(&claims)),
            VerifyError::ClaimType {
                claim: "client_id",
                ..
            }
        );
    }
    // An `aud` naming the client does not stand in for `client_id`.
    let claims = with(access_claims(), json!({"client_id": null, "aud": CLIENT}));
    assert_rejects!(
        verify(&access_verifier(), &access_token(&claims)),
        VerifyError::MissingClaim { claim: "client_id" }
    );
}

#[test]
fn groups_claim_of_the_wrong_type_is_refused() {
    for groups in [
        json!(7),
        json!({"ADMINS": true}),
        json!(["EDITORS", 1]),
        json!(["EDITORS", ["ADMINS"]]),
        json!(["EDITORS", null]),
        json!(null),
        json!(true),
    ] {
        let claims = with(id_claims(), json!({"cognito:groups": null}));
        let mut claims = claims;
        claims["cognito:groups"] = groups.clone();
        assert_rejects!(
            verify(&id_verifier(), &id_token(&claims)),
            VerifyError::GroupsClaim { claim, .. } if claim == "cognito:groups"
        );
    }
    // Missing: no groups, still authenticated.
    let claims = with(id_claims(), json!({"cognito:groups": null}));
    let p = verify(&id_verifier(), &id_token(&claims)).unwrap();
    assert!(p.is_authenticated() && p.groups().is_empty());
    assert!(Article::authorize(&p, Op::Get).is_denied());
}

#[test]
fn hundred_group_claim_is_accepted() {
    let mut names: Vec<String> = (0..98).map(|i| format!("team-{i:03}")).collect();
    names.push("ADMINS".to_owned());
    names.push("EDITORS".to_owned());
    let claims = with(id_claims(), json!({"cognito:groups": names}));
    let p = verify(&id_verifier(), &id_token(&claims)).expect("100 groups");
    assert!(p.is_in(Group::ADMINS) && p.is_in(Group::EDITORS));
    assert_eq!(p.unknown_groups().len(), 98);
    assert_eq!(p.unknown_groups()[0], "team-000");
}

#[test]
fn duplicate_empty_and_invisible_group_names() {
    let groups_of = |claim: Value| {
        let claims = with(id_claims(), json!({ "cognito:groups": claim }));
        verify(&id_verifier(), &id_token(&claims)).expect("valid token")
    };
    let p = groups_of(json!(["ADMINS", "ADMINS"]));
    assert!(p.is_in(Group::ADMINS));
    assert_eq!(p.groups().len(), 1);
    assert!(p.unknown_groups().is_empty());
    let p = groups_of(json!([]));
    assert!(p.groups().is_empty() && p.unknown_groups().is_empty());
    for claim in [
        json!(""),
        json!([""]),
        json!(["ADMINS\u{200b}"]),
        json!(["\u{feff}ADMINS"]),
        json!(["ADMINS\u{0}"]),
    ] {
        let p = groups_of(claim.clone());
        assert!(p.groups().is_empty(), "{claim} granted a group");
        assert_eq!(p.unknown_groups().len(), 1, "{claim}");
        assert!(Article::authorize(&p, Op::Get).is_denied());
    }
}

#[test]
fn unicode_look_alike_group_grants_nothing() {
    // `ΕDITORS` starts with U+0395 GREEK CAPITAL LETTER EPSILON.
    let look_alike = "\u{0395}DITORS";
    assert_ne!(look_alike, "EDITORS");
    for claims in [
        with(id_claims(), json!({"cognito:groups": [look_alike]})),
        with(id_claims(), json!({"cognito:groups": look_alike})),
        with(
            id_claims(),
            json!({"cognito:groups": ["editors", "EDITORS "]}),
        ),
    ] {
        let p = verify(&id_verifier(), &id_token(&claims)).expect("valid token");
        assert!(!p.is_in(Group::EDITORS));
        assert!(p.groups().is_empty());
        assert!(!p.unknown_groups().is_empty());
        assert!(Article::authorize(&p, Op::Get).is_denied());
    }
    let claims = with(id_claims(), json!({"cognito:groups": [look_alike]}));
    let p = verify(&id_verifier(), &id_token(&claims)).unwrap();
    assert_eq!(p.unknown_groups(), [look_alike]);
}

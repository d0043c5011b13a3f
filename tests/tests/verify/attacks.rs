//! The attack corpus of issue 4 on the token itself: forged algorithms,
//! confused and unknown keys, altered signatures, malformed and oversized
//! tokens. Each case asserts its own `VerifyError`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use groupguard::{TokenUse, Verifier, VerifyError};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::support::*;

#[test]
fn alg_none_is_refused() {
    let verifier = id_verifier();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = json!({"alg": alg, "kid": "id-key"});
        let unsigned = format!("{}.{}.", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &unsigned), VerifyError::Algorithm { .. });
        // With a copied signature too.
        let real = id_token(&id_claims());
        let signature = real.rsplit('.').next().unwrap();
        let forged = format!("{}.{}.{signature}", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &forged), VerifyError::Algorithm { .. });
    }
    // No `alg` at all, or not a string.
    for header in [
        json!({"kid": "id-key"}),
        json!({"alg": ["RS256"], "kid": "id-key"}),
    ] {
        let token = format!("{}.{}.", b64(&header), b64(&id_claims()));
        assert_rejects!(verify(&verifier, &token), VerifyError::Algorithm { .. });
    }
}

#[test]
fn hs256_signed_with_the_rsa_public_key_is_refused() {
    // Algorithm confusion: an attacker signs HS256 with the public key as the
    // secret, hoping the verifier feeds its RSA key to HMAC.
    let public_pem = include_bytes!("../fixtures/TEST_ONLY_rsa_a.pub.pem");
    let public_jwk = keys().id.jwk.to_string();
    for secret in [&public_pem[..], public_jwk.as_bytes()] {
        let token = sign_raw(
            &json!({"alg": "HS256", "kid": "id-key"}),
            &id_claims(),
            &EncodingKey::from_secret(secret),
            Algorithm::HS256,
        );
        assert_rejects!(
            verify(&id_verifier(), &token),
            VerifyError::Algorithm { .. }
        );
    }
}

#[test]
fn missing_kid_with_several_keys_is_refused() {
    let header = json!({"alg": "RS256"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::MissingKid { keys: 2 }
    );
    // With a single key, the key is unambiguous.
    let single = id_verifier_with(&jwks(&[&keys().id.jwk]));
    verify(&single, &token).expect("one key, no kid needed");
}

#[test]
fn unknown_kid_is_refused() {
    let header = json!({"alg": "RS256", "kid": "rotated-away"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::UnknownKey { kid } if kid == "rotated-away"
    );
    // A kid that differs only by case is another kid.
    let header = json!({"alg": "RS256", "kid": "ID-KEY"});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::UnknownKey { .. }
    );
    // Not a string: malformed header.
    let header = json!({"alg": "RS256", "kid": 1});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::Malformed { .. }
    );
}

#[test]
fn jwk_with_use_enc_is_refused() {
    let enc = keys().id.jwk_with(json!({"use": "enc"}));
    let verifier = id_verifier_with(&jwks(&[&enc, &keys().access.jwk]));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyUse { key_use, .. } if key_use == "enc"
    );
    // Without `use`, the key signs.
    let no_use = keys().id.jwk_with(json!({"use": null}));
    let verifier = id_verifier_with(&jwks(&[&no_use, &keys().access.jwk]));
    verify(&verifier, &id_token(&id_claims())).expect("no `use` member");
}

#[test]
fn jwk_alg_mismatch_is_refused() {
    let rs384 = keys().id.jwk_with(json!({"alg": "RS384"}));
    let verifier = id_verifier_with(&jwks(&[&rs384, &keys().access.jwk]));
    assert_rejects!(
        verify(&verifier, &id_token(&id_claims())),
        VerifyError::KeyAlgorithm { alg, .. } if alg == "RS256"
    );
    // A JWK without `alg` still only verifies its own family: ES256 over an RSA key.
    let no_alg = keys().id.jwk_with(json!({"alg": null}));
    let verifier = id_verifier_with(&jwks(&[&no_alg, &keys().access.jwk]));
    verify(&verifier, &id_token(&id_claims())).expect("RSA key, RS256 token");
    let token = sign_raw(
        &json!({"alg": "ES256", "kid": "id-key"}),
        &id_claims(),
        &keys().ec.private,
        Algorithm::ES256,
    );
    assert_rejects!(verify(&verifier, &token), VerifyError::KeyAlgorithm { .. });
}

#[test]
fn alg_must_fit_the_key_type_and_curve() {
    // Without a JWK `alg`, the key's type and curve still decide; the key is
    // judged before the signature, so any signature bytes will do.
    let ec = keys().ec.jwk_with(json!({"alg": null}));
    let ed = keys().ed.jwk_with(json!({"alg": null}));
    let rsa = keys().id.jwk_with(json!({"alg": null}));
    let p384 = keys().p384.jwk_with(json!({"alg": null}));
    let verifier = id_verifier_with(&jwks(&[&ec, &ed, &rsa, &p384]));
    let signature = URL_SAFE_NO_PAD.encode([7u8; 64]);
    for (alg, kid) in [
        ("ES384", "ec-key"),
        ("EdDSA", "ec-key"),
        ("RS256", "ec-key"),
        ("ES256", "ed-key"),
        ("RS512", "ed-key"),
        ("ES256", "id-key"),
        ("EdDSA", "id-key"),
        ("ES384", "id-key"),
        ("ES256", "ec384-key"),
        ("RS384", "ec384-key"),
        ("EdDSA", "ec384-key"),
        ("ES384", "ed-key"),
    ] {
        let header = json!({"alg": alg, "kid": kid});
        let token = format!("{}.{}.{signature}", b64(&header), b64(&id_claims()));
        let expected = alg;
        assert_rejects!(
            verify(&verifier, &token),
            VerifyError::KeyAlgorithm { alg, .. } if alg == expected
        );
    }
}

#[test]
fn header_checks_run_in_the_documented_order() {
    let verifier = id_verifier();
    let claims = b64(&id_claims());
    let junk = URL_SAFE_NO_PAD.encode([7u8; 256]);
    let token = |header: Value, signature: &str| format!("{}.{claims}.{signature}", b64(&header));
    // Shape before algorithm: `none` with a signature that is not base64url.
    assert_rejects!(
        verify(&verifier, &token(json!({"alg": "none"}), "!!")),
        VerifyError::Malformed { .. }
    );
    // Algorithm before key: HS256 naming an unknown key.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "HS256", "kid": "nope"}), &junk)
        ),
        VerifyError::Algorithm { .. }
    );
    // Key before signature: an unknown kid, a missing kid, a JWK alg mismatch.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS256", "kid": "nope"}), &junk)
        ),
        VerifyError::UnknownKey { .. }
    );
    assert_rejects!(
        verify(&verifier, &token(json!({"alg": "RS256"}), &junk)),
        VerifyError::MissingKid { keys: 2 }
    );
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS384", "kid": "id-key"}), &junk)
        ),
        VerifyError::KeyAlgorithm { .. }
    );
    // Then the signature.
    assert_rejects!(
        verify(
            &verifier,
            &token(json!({"alg": "RS256", "kid": "id-key"}), &junk)
        ),
        VerifyError::Signature { .. }
    );
}

#[test]
fn payload_changed_after_signing_is_refused() {
    let token = id_token(&id_claims());
    let mut parts: Vec<&str> = token.split('.').collect();
    let promoted = b64(&with(id_claims(), json!({"cognito:groups": ["ADMINS"]})));
    parts[1] = &promoted;
    assert_rejects!(
        verify(&id_verifier(), &parts.join(".")),
        VerifyError::Signature { .. }
    );
    // The header is signed too.
    let token = id_token(&id_claims());
    let header = b64(&json!({"alg": "RS256", "kid": "id-key", "typ": "JWT"}));
    let resigned = format!("{header}.{}", token.split_once('.').unwrap().1);
    assert_rejects!(
        verify(&id_verifier(), &resigned),
        VerifyError::Signature { .. }
    );
}

#[test]
fn signature_changed_is_refused() {
    let token = id_token(&id_claims());
    let (message, signature) = token.rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[10] ^= 0x01;
    let flipped = format!("{message}.{}", URL_SAFE_NO_PAD.encode(&bytes));
    assert_rejects!(
        verify(&id_verifier(), &flipped),
        VerifyError::Signature { .. }
    );
    // Empty, truncated, or made by another key of the same set.
    let empty = format!("{message}.");
    assert_rejects!(
        verify(&id_verifier(), &empty),
        VerifyError::Signature { .. }
    );
    let short = format!("{message}.{}", URL_SAFE_NO_PAD.encode(&bytes[..128]));
    assert_rejects!(
        verify(&id_verifier(), &short),
        VerifyError::Signature { .. }
    );
    let header = json!({"alg": "RS256", "kid": "id-key"});
    let other_key = keys().access.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &other_key),
        VerifyError::Signature { .. }
    );
}

#[test]
fn two_and_four_part_tokens_are_refused() {
    let token = id_token(&id_claims());
    let (message, _) = token.rsplit_once('.').unwrap();
    assert_rejects!(
        verify(&id_verifier(), message),
        VerifyError::Malformed { .. }
    );
    let four = format!("{token}.{}", b64(&json!({})));
    assert_rejects!(verify(&id_verifier(), &four), VerifyError::Malformed { .. });
    let nested = format!("{token}.{token}");
    assert_rejects!(
        verify(&id_verifier(), &nested),
        VerifyError::Malformed { .. }
    );
    assert_rejects!(verify(&id_verifier(), ".."), VerifyError::Malformed { .. });
}

#[test]
fn empty_token_is_refused() {
    assert_rejects!(
        verify(&id_verifier(), ""),
        VerifyError::Malformed { reason } if reason.contains("empty")
    );
    let token = id_token(&id_claims());
    let bearer = format!("Bearer {token}");
    assert_rejects!(
        verify(&id_verifier(), &bearer),
        VerifyError::Malformed { reason } if reason.contains("Bearer")
    );
}

#[test]
fn invalid_base64_is_refused() {
    let token = id_token(&id_claims());
    let (header, rest) = token.split_once('.').unwrap();
    let (payload, signature) = rest.split_once('.').unwrap();
    let cases = [
        format!("{header}*.{payload}.{signature}"),
        // Standard base64 (`+`, `/`) and padding are not base64url.
        format!("{header}.{payload}+/.{signature}"),
        format!("{header}==.{payload}.{signature}"),
        format!("{header}.{payload}.{signature}%%"),
        format!("{header}.{payload}.{signature} "),
        format!("é.{payload}.{signature}"),
    ];
    for case in &cases {
        assert_rejects!(verify(&id_verifier(), case), VerifyError::Malformed { .. });
    }
}

#[test]
fn non_json_payload_is_refused() {
    let token = id_token(&id_claims());
    let (header, rest) = token.split_once('.').unwrap();
    let signature = rest.split_once('.').unwrap().1;
    for payload in [
        &b"not json"[..],
        b"{\"sub\": ",
        b"[1, 2]",
        b"\"sub\"",
        b"\xff\xfe",
    ] {
        let forged = format!("{header}.{}.{signature}", URL_SAFE_NO_PAD.encode(payload));
        assert_rejects!(
            verify(&id_verifier(), &forged),
            VerifyError::Malformed { .. }
        );
    }
    let not_object = format!("{}.{rest}", URL_SAFE_NO_PAD.encode("[\"RS256\"]"));
    assert_rejects!(
        verify(&id_verifier(), &not_object),
        VerifyError::Malformed { .. }
    );
    // `crit` extensions are refused rather than ignored.
    let header = json!({"alg": "RS256", "kid": "id-key", "crit": ["b64"], "b64": false});
    let token = keys().id.sign_with_header(&header, &id_claims());
    assert_rejects!(
        verify(&id_verifier(), &token),
        VerifyError::Malformed { .. }
    );
}

#[test]
fn oversized_token_is_refused_before_decoding() {
    // Not even a JWT: the size check comes first.
    let junk = "a".repeat(1024 * 1024 + 1);
    assert_rejects!(
        verify(&id_verifier(), &junk),
        VerifyError::TooLarge {
            len: 1_048_577,
            max: 1_048_576
        }
    );
    // A validly signed token stuffed with claims.
    let claims = with(id_claims(), json!({"padding": "x".repeat(800_000)}));
    assert_rejects!(
        verify(&id_verifier(), &id_token(&claims)),
        VerifyError::TooLarge { .. }
    );
    let roomy = Verifier::<Group>::cognito(POOL)
        .unwrap()
        .client_id(CLIENT)
        .token_use(TokenUse::Id)
        .max_token_bytes(2 * 1024 * 1024)
        .jwks_json(&pool_jwks())
        .unwrap()
        .build()
        .unwrap();
    verify(&roomy, &id_token(&claims)).expect("under a raised limit");
}

#[test]
fn checks_run_in_the_documented_order() {
    let verifier = id_verifier();
    // The issuer, which chooses the key set, comes before the key and the
    // signature: signed by another key, naming an unknown one, or with a
    // non-string `iss`, a token of another issuer is refused as such.
    let wrong_key = |claims: &Value, kid: &str| {
        keys()
            .access
            .sign_with_header(&json!({"alg": "RS256", "kid": kid}), claims)
    };
    let evil = with(id_claims(), json!({"exp": "soon", "iss": "evil"}));
    assert_rejects!(
        verify(&verifier, &wrong_key(&evil, "id-key")),
        VerifyError::Issuer { .. }
    );
    assert_rejects!(
        verify(&verifier, &wrong_key(&evil, "nope")),
        VerifyError::Issuer { .. }
    );
    let typed = with(id_claims(), json!({"iss": 7}));
    assert_rejects!(
        verify(&verifier, &wrong_key(&typed, "nope")),
        VerifyError::ClaimType { claim: "iss", .. }
    );
    // Then a bad signature beats every other claim problem.
    let claims = with(id_claims(), json!({"exp": "soon", "token_use": "x"}));
    assert_rejects!(
        verify(&verifier, &wrong_key(&claims, "id-key")),
        VerifyError::Signature { .. }
    );
    // Claim types before expiry; expiry before `nbf`; `nbf` before token
    // use; token use before audience; audience before groups; groups
    // before `sub`.
    let steps = [
        json!({"exp": "soon", "token_use": "access"}),
        json!({"exp": NOW - 1, "token_use": "access"}),
        json!({"nbf": NOW + 60, "token_use": "access"}),
        json!({"iss": "evil", "token_use": "access"}),
        json!({"token_use": "access", "aud": "other"}),
        json!({"aud": "other", "cognito:groups": 1}),
        json!({"cognito:groups": 1, "sub": null}),
        json!({"sub": null}),
    ];
    let results: Vec<_> = steps
        .iter()
        .map(|changes| verify(&verifier, &id_token(&with(id_claims(), changes.clone()))))
        .collect();
    assert_rejects!(
        results[0].clone(),
        VerifyError::ClaimType { claim: "exp", .. }
    );
    assert_rejects!(results[1].clone(), VerifyError::Expired { .. });
    assert_rejects!(results[2].clone(), VerifyError::NotYetValid { .. });
    assert_rejects!(results[3].clone(), VerifyError::Issuer { .. });
    assert_rejects!(results[4].clone(), VerifyError::TokenUse { .. });
    assert_rejects!(results[5].clone(), VerifyError::Audience { .. });
    assert_rejects!(results[6].clone(), VerifyError::GroupsClaim { .. });
    assert_rejects!(
        results[7].clone(),
        VerifyError::MissingClaim { claim: "sub" }
    );
}

#[test]
fn messages_tell_what_to_fix_and_escape_token_values() {
    let verifier = id_verifier();
    let claims = with(
        id_claims(),
        json!({"iss": "https://evil\n[INFO] forged log line"}),
    );
    let err = verify(&verifier, &id_token(&claims)).unwrap_err();
    let message = err.to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.contains(ISS), "{message}");
    let header = json!({"alg": "RS256", "kid": "k".repeat(500)});
    let err = verify(
        &verifier,
        &keys().id.sign_with_header(&header, &id_claims()),
    )
    .unwrap_err();
    assert!(err.to_string().len() < 300, "{err}");
    let err = verify(
        &id_verifier(),
        &id_token(&with(id_claims(), json!({"exp": NOW - 5}))),
    )
    .unwrap_err();
    assert!(err.to_string().contains("refresh"), "{err}");
}

#[test]
fn verifier_is_send_and_sync() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Verifier<Group>>();
}

//! `VerifyError::public_description`: the short form of each refusal that a
//! service may send to its client.

use groupguard::VerifyError;
use serde_json::json;

use crate::support::*;

/// Each refusal gets the description of its kind, the same whatever the
/// token held.
#[test]
fn each_refusal_has_its_fixed_description() {
    let verifier = id_verifier();
    let cases = [
        (
            id_token(&with(id_claims(), json!({"exp": NOW - 3600}))),
            "the token has expired",
        ),
        (
            id_token(&with(id_claims(), json!({"aud": "other-client"}))),
            "the token was issued for another client",
        ),
        (
            id_token(&with(
                id_claims(),
                json!({"iss": "https://evil.example.com"}),
            )),
            "the token was issued by another issuer",
        ),
        (
            id_token(&with(id_claims(), json!({"token_use": "access"}))),
            "the token is of the wrong kind",
        ),
        ("not-a-jwt".to_owned(), "the token is malformed"),
    ];
    for (token, expected) in cases {
        let error = verify(&verifier, &token).unwrap_err();
        assert_eq!(error.public_description(), expected, "{error}");
    }
    // A bad signature: the payload of one token with the signature of another.
    let good = id_token(&id_claims());
    let other = id_token(&with(id_claims(), json!({"sub": "someone-else"})));
    let (head, _) = good.rsplit_once('.').unwrap();
    let forged = format!("{head}.{}", other.rsplit('.').next().unwrap());
    let error = verify(&verifier, &forged).unwrap_err();
    assert_eq!(error.public_description(), "the signature does not verify");
    // The full message is for the log: it does name the configuration.
    let error = verify(
        &verifier,
        &id_token(&with(id_claims(), json!({"aud": "other-client"}))),
    )
    .unwrap_err();
    assert!(error.to_string().contains(CLIENT));
    assert!(matches!(error, VerifyError::Audience { .. }));
}

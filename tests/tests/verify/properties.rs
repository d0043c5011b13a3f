//! No input panics: arbitrary tokens, claims and JWK Sets (proptest).

use std::sync::OnceLock;

use groupguard::{Principal, Verifier};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_never_panic(token in "\\PC{0,200}") {
        let _ = id_verifier().verify_at(&token, now());
    }

    #[test]
    fn dotted_base64_never_panics(
        header in "[A-Za-z0-9_-]{0,80}",
        payload in "[A-Za-z0-9_-]{0,80}",
        signature in "[A-Za-z0-9_=-]{0,80}",
    ) {
        let token = format!("{header}.{payload}.{signature}");
        prop_assert!(id_verifier().verify_at(&token, now()).is_err());
    }

    #[test]
    fn mutated_tokens_are_refused(position in any::<prop::sample::Index>(), byte in any::<u8>()) {
        static TOKEN: OnceLock<String> = OnceLock::new();
        let token = TOKEN.get_or_init(|| id_token(&id_claims()));
        let mut bytes = token.clone().into_bytes();
        // Anywhere in the token, the signature included (it starts past byte 400).
        let i = position.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        if let Ok(mutated) = String::from_utf8(bytes) {
            prop_assert!(id_verifier().verify_at(&mutated, now()).is_err());
        }
    }

    #[test]
    fn arbitrary_claims_never_panic(claims in arbitrary_json(3)) {
        let _ = Principal::<Group>::from_claims(&claims);
        let with_sub = json!({"sub": "s", "cognito:groups": claims});
        let _ = Principal::<Group>::from_claims(&with_sub);
    }

    #[test]
    fn arbitrary_jwks_never_panic(doc in arbitrary_json(4)) {
        let _ = Verifier::<Group>::oidc(OIDC_ISS).unwrap().jwks_json(&doc.to_string());
        let wrapped = json!({"keys": [doc]}).to_string();
        let _ = Verifier::<Group>::oidc(OIDC_ISS).unwrap().jwks_json(&wrapped);
    }
}

fn arbitrary_json(depth: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        "[a-zA-Z:_ -]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("kty"),
            Just("RSA"),
            Just("EC"),
            Just("OKP"),
            Just("sig"),
            Just("P-256")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(depth, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("kty".to_owned()),
                    Just("n".to_owned()),
                    Just("e".to_owned()),
                    Just("x".to_owned()),
                    Just("y".to_owned()),
                    Just("crv".to_owned()),
                    Just("use".to_owned()),
                    Just("alg".to_owned()),
                    Just("kid".to_owned()),
                    Just("sub".to_owned()),
                    Just("keys".to_owned()),
                    "[a-z:]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

//! The default size limit admits every token Cognito can issue (see
//! `VerifierBuilder::max_token_bytes` for the arithmetic): a user in 100
//! groups of 128 characters, and an ID token at every documented limit, in
//! ASCII and in 3-byte UTF-8; one byte over the limit is refused before
//! anything is decoded.

use groupguard::test_issuer::{DEFAULT_CLIENT_ID, DEFAULT_POOL_ID, TestIssuer, TokenBuilder};
use groupguard::{TokenUse, Verifier, VerifyError};
use serde_json::{Value, json};

use crate::support::{Group, assert_rejects};

/// The default limit, 1 MiB.
const LIMIT: usize = 1024 * 1024;

/// `Verifier::cognito(pool)` with its defaults (the size limit among them).
fn pool_verifier(issuer: &TestIssuer, token_use: TokenUse) -> Verifier<Group> {
    Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .expect("pool id")
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(token_use)
        .key_set(issuer.key_set())
        .build()
        .expect("configured")
}

/// `count` distinct names of `chars` copies of `c` (with a 3-digit number
/// in front), as long as Cognito allows.
fn names(count: usize, chars: usize, c: char) -> Vec<String> {
    (0..count)
        .map(|i| format!("{i:03}{}", c.to_string().repeat(chars - 3)))
        .collect()
}

#[test]
fn an_access_token_of_100_groups_of_128_characters_verifies_with_the_defaults() {
    let issuer = TestIssuer::new();
    let groups = names(100, 128, 'G');
    let token = issuer.access_token().groups(&groups).sign();
    // The issue measured 18,282 bytes for such a token of Cognito's.
    assert!(token.len() > 18_000, "{} bytes", token.len());
    println!(
        "access token, 100 groups of 128 characters: {} bytes",
        token.len()
    );
    let principal = pool_verifier(&issuer, TokenUse::Access)
        .verify(&token)
        .expect("within the default limit");
    assert_eq!(principal.unknown_groups().len(), 100);
    // The old default, 16 KiB, refused it.
    let old = Verifier::<Group>::cognito(DEFAULT_POOL_ID)
        .unwrap()
        .client_id(DEFAULT_CLIENT_ID)
        .token_use(TokenUse::Access)
        .max_token_bytes(16 * 1024)
        .key_set(issuer.key_set())
        .build()
        .unwrap();
    assert_rejects!(
        old.verify(&token),
        VerifyError::TooLarge { max: 16_384, .. }
    );
}

/// An ID token at every limit the default is derived from: 100 groups of
/// 128 characters, one role of 2,048 characters per group and a preferred
/// one, 50 custom and 19 standard attributes of 2,048 characters, a user
/// name of 128; names and values made of `c`.
fn largest_id_token(issuer: &TestIssuer, c: char) -> String {
    let arn = |i: usize| {
        let prefix = format!("arn:aws:iam::123456789012:role/{i:03}");
        format!("{prefix}{}", "r".repeat(2048 - prefix.len()))
    };
    let roles: Vec<String> = (0..100).map(arn).collect();
    let value = c.to_string().repeat(2048);
    let standard = [
        "address",
        "birthdate",
        "email",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "picture",
        "preferred_username",
        "profile",
        "zoneinfo",
        "updated_at",
        "website",
        "email_verified",
        "phone_number_verified",
    ];
    let mut token: TokenBuilder<'_> = issuer
        .id_token()
        .groups(names(100, 128, c))
        .username(c.to_string().repeat(128))
        .claim("cognito:roles", json!(roles))
        .claim("cognito:preferred_role", arn(0));
    for name in standard {
        token = token.claim(name, value.as_str());
    }
    for i in 0..50 {
        // `custom:` and 25 characters: an attribute name of 32.
        token = token.claim(format!("custom:{i:02}{}", "a".repeat(23)), value.as_str());
    }
    token.sign()
}

#[test]
fn an_id_token_at_cognitos_documented_limits_verifies_with_the_defaults() {
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Id);
    // ASCII, then `€` (3 bytes of UTF-8, as the derivation counts).
    for (c, at_least) in [('x', 480_000), ('€', 880_000)] {
        let token = largest_id_token(&issuer, c);
        println!("largest ID token, values of {c:?}: {} bytes", token.len());
        assert!(
            (at_least..LIMIT).contains(&token.len()),
            "{} bytes",
            token.len()
        );
        let (principal, claims) = verifier.verify_with_claims(&token).expect("admitted");
        assert_eq!(principal.unknown_groups().len(), 100);
        assert_eq!(principal.claimed_roles().len(), 100);
        assert_eq!(
            claims.keys().filter(|k| k.starts_with("custom:")).count(),
            50
        );
    }
}

/// A valid ID token padded to a length in `min..=max`.
fn padded_to(issuer: &TestIssuer, min: usize, max: usize) -> String {
    let sign = |pad: usize| issuer.id_token().claim("pad", "x".repeat(pad)).sign();
    let mut pad = min * 3 / 4;
    for _ in 0..8 {
        let token = sign(pad);
        if (min..=max).contains(&token.len()) {
            return token;
        }
        // 3 bytes of payload are 4 characters of base64url.
        let off = i64::try_from(token.len()).unwrap() - i64::try_from(max).unwrap();
        let step = (off.abs() * 3 / 4).max(1);
        let step = usize::try_from(step).unwrap();
        pad = if off > 0 { pad - step } else { pad + step };
    }
    panic!("no padding gives a token of {min}..={max} bytes");
}

#[test]
fn a_token_one_byte_over_the_limit_is_refused_before_decoding() {
    let issuer = TestIssuer::new();
    let verifier = pool_verifier(&issuer, TokenUse::Id);
    // At the limit (base64url skips some lengths: within 2 bytes of it).
    let at = padded_to(&issuer, LIMIT - 2, LIMIT);
    verifier.verify(&at).expect("at the limit");
    let over = padded_to(&issuer, LIMIT + 1, LIMIT + 2);
    assert_rejects!(
        verifier.verify(&over),
        VerifyError::TooLarge { len, max: LIMIT } if len == over.len()
    );
    // Exactly one byte over, and not even a JWT: the size comes first.
    let junk = "a".repeat(LIMIT + 1);
    assert_rejects!(
        verifier.verify(&junk),
        VerifyError::TooLarge {
            len: 1_048_577,
            max: 1_048_576
        }
    );
    let value: Value = json!(verifier.verify(&junk).unwrap_err().to_string());
    assert!(
        value.as_str().unwrap().contains("`.max_token_bytes(..)`"),
        "{value}"
    );
}

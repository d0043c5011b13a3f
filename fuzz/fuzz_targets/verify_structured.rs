//! Structure-aware: a valid token's header and claims (JSON values) mutated
//! from the fuzz input (keys replaced, inserted and deleted; values of
//! another type, huge numbers, strings with control characters, arrays for
//! strings and back), signed again, then verified at a fixed clock, so that
//! every claim check is reached.
//!
//! The token is signed with the `hs256` secret, or with the `TEST_ONLY` key
//! and algorithm the header names (Ed25519 by default, for speed; RSA when
//! the header names a pool key), or deliberately wrong (another secret, the
//! RSA public key as an HMAC secret, another key, a flipped signature
//! character). Five verifiers: `hs256` (plain, and with a required
//! `token_use`, a `groups` claim and leeway) and Cognito (ID tokens, access
//! tokens, either with leeway).
//!
//! The invariant, in both directions: the verifier accepts exactly the
//! tokens that `groupguard_fuzz::model` (the documented rules, written
//! independently) accepts, with the principal the model expects; and every
//! refusal's message is one line.
#![no_main]

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use arbitrary::{Result, Unstructured};
use groupguard::{KeySet, TokenUse, Verifier};
use groupguard_fuzz::keys::{self, CLIENT, DEV, ISS, NOW, SECRET, TestKey, alg_name};
use groupguard_fuzz::model::{self, Rules, TokenUseRule};
use groupguard_fuzz::{Group, text};
use jsonwebtoken::{Algorithm, EncodingKey};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value, json};

/// Algorithms accepted with a key set, and in `hs256` mode.
const KEY_SET_ALGS: &[&str] = &["RS256", "RS384", "RS512", "ES256", "ES384", "EdDSA"];
const SECRET_ALGS: &[&str] = &["HS256"];

const CLAIM_NAMES: &[&str] = &[
    "exp",
    "nbf",
    "iat",
    "auth_time",
    "iss",
    "sub",
    "aud",
    "token_use",
    "client_id",
    "username",
    "cognito:username",
    "cognito:groups",
    "groups",
    "cognito:preferred_role",
    "cognito:roles",
    "email",
    "scope",
];

const HEADER_NAMES: &[&str] = &["alg", "kid", "typ", "crit", "cty", "jku", "x5c"];

/// Strings the checks compare with, and near misses.
const STRINGS: &[&str] = &[
    ISS,
    keys::ISS_UPDATED,
    "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_AbC123",
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/",
    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc123",
    CLIENT,
    "7abcd1234client ",
    DEV,
    "Dev",
    "id",
    "access",
    "ID",
    "3f1c9a2e-sub",
    "ADMINS",
    "EDITORS",
    "content-reviewers",
    "Reviewers",
    "type",
    "r#type",
    "\u{395}DITORS",
    "ADMINS\n",
    "a`b\\",
    "\u{202e}",
    "",
    " ",
    "HS256",
    "RS256",
    "RS384",
    "EdDSA",
    "ES256",
    "none",
    "hs256",
    "id-key",
    "access-key",
    "ed-key",
    "JWT",
];

/// Numbers at the edges: of the clock, of `i64`, `u64` and `f64`.
fn edge_number(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=11)? {
        0 => json!(0),
        1 => json!(-1),
        2 => json!(i64::MIN),
        3 => json!(i64::MAX),
        4 => json!(u64::MAX),
        5 => json!(1e308),
        6 => json!(-1e308),
        7 => json!(5e-324),
        8 => json!(-0.0),
        9 => json!(4e9),
        10 => json!(9_007_199_254_740_993_u64),
        _ => json!(NOW as f64 + 0.5),
    })
}

fn number(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// A string of control characters and others, from the input.
fn control_string(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(1..=8)?;
    (0..len)
        .map(|_| {
            Ok(match u.int_in_range(0..=3)? {
                0 => char::from(u.int_in_range(0..=0x1f_u8)?),
                1 => '\u{7f}',
                2 => char::from_u32(u.int_in_range(0x80..=0x9f)?).unwrap_or('x'),
                _ => *u.choose(&['`', '\\', '"', '\u{2028}', '\u{202e}', 'a'])?,
            })
        })
        .collect()
}

/// A JSON value of any type, biased to what the checks look at.
fn value(u: &mut Unstructured<'_>, depth: u8) -> Result<Value> {
    Ok(match u.int_in_range(0..=12)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        // Around the clock: `exp` and `nbf` at the edges of the leeway.
        2 => json!(NOW as i64 + i64::from(u.int_in_range(-64_i8..=64)?)),
        3 => json!(NOW as i64 + i64::from(u.arbitrary::<i32>()?)),
        4 => number(NOW as f64 + f64::from(u.arbitrary::<i16>()?) / 8.0),
        5 => edge_number(u)?,
        6 => number(u.arbitrary()?),
        7 => json!(*u.choose(STRINGS)?),
        8 => json!(u.arbitrary::<String>()?),
        9 => json!(control_string(u)?),
        10 => {
            let len = u.int_in_range(0..=4)?;
            let items: Vec<&str> = (0..len)
                .map(|_| u.choose(STRINGS).copied())
                .collect::<Result<_>>()?;
            json!(items)
        }
        11 if depth < 2 => {
            let len = u.int_in_range(0..=3)?;
            Value::Array(
                (0..len)
                    .map(|_| value(u, depth + 1))
                    .collect::<Result<_>>()?,
            )
        }
        12 if depth < 2 => {
            let len = u.int_in_range(0..=3)?;
            let mut map = Map::new();
            for _ in 0..len {
                let name = u.choose(CLAIM_NAMES)?;
                map.insert((*name).to_owned(), value(u, depth + 1)?);
            }
            Value::Object(map)
        }
        _ => Value::Null,
    })
}

/// The same value in another shape: a string in an array and back, a
/// number as text, a number moved a little.
fn reshape(u: &mut Unstructured<'_>, old: Value) -> Result<Value> {
    Ok(match old {
        Value::String(s) => match u.int_in_range(0..=3)? {
            0 => json!([s]),
            1 => s.parse::<f64>().map_or(Value::String(s), number),
            2 => json!(format!("{s}{}", control_string(u)?)),
            _ => json!(s.chars().skip(1).collect::<String>()),
        },
        Value::Array(mut items) => match u.int_in_range(0..=2)? {
            0 => items.into_iter().next().unwrap_or(Value::Null),
            1 => {
                items.push(json!(*u.choose(STRINGS)?));
                Value::Array(items)
            }
            _ => {
                items.push(value(u, 1)?);
                Value::Array(items)
            }
        },
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            match u.int_in_range(0..=3)? {
                0 => json!(n.to_string()),
                1 => number(f + f64::from(u.int_in_range(-64_i8..=64)?)),
                2 => number(f + 0.5),
                _ => json!([n]),
            }
        }
        other => json!(other.to_string()),
    })
}

/// One mutation of a header or of claims.
fn mutate(u: &mut Unstructured<'_>, map: &mut Map<String, Value>, names: &[&str]) -> Result<()> {
    match u.int_in_range(0..=3)? {
        0 if !map.is_empty() => {
            let i = u.choose_index(map.len())?;
            if let Some(name) = map.keys().nth(i).cloned() {
                map.remove(&name);
            }
        }
        1 if !map.is_empty() => {
            let i = u.choose_index(map.len())?;
            if let Some(name) = map.keys().nth(i).cloned() {
                let old = map.remove(&name).unwrap_or(Value::Null);
                map.insert(name, reshape(u, old)?);
            }
        }
        2 => {
            let name: String = u.arbitrary()?;
            map.insert(name, value(u, 0)?);
        }
        _ => {
            let name = u.choose(names)?;
            map.insert((*name).to_owned(), value(u, 0)?);
        }
    }
    Ok(())
}

/// The key a token is signed with.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum SignKey {
    /// The `hs256` verifiers' secret.
    Secret,
    /// Another HMAC secret.
    OtherSecret,
    /// The RSA public key's PEM as the HMAC secret (algorithm confusion).
    PublicKeyAsSecret,
    /// A key of the pool, by `kid`.
    Pool(&'static str),
}

/// How a token is signed: the key and the algorithm, whatever the header says.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
struct Signer {
    key: SignKey,
    alg: Algorithm,
}

const HS256_WITH_SECRET: Signer = Signer {
    key: SignKey::Secret,
    alg: Algorithm::HS256,
};
const EDDSA_WITH_ED_KEY: Signer = Signer {
    key: SignKey::Pool("ed-key"),
    alg: Algorithm::EdDSA,
};

/// A verifier, the rules the model checks it by, and the token it accepts.
struct Case {
    name: &'static str,
    verifier: Verifier<Group>,
    rules: Rules,
    /// Tokens from the RS256 table ([`rsa_token`]) rather than mutated ones.
    rsa: bool,
    header: Value,
    claims: Value,
}

impl Case {
    fn uses_secret(&self) -> bool {
        !self.rules.cognito
    }
}

/// The keys of the Cognito cases: the pool's two RSA keys and the Ed25519 one.
fn pool_keys() -> [&'static TestKey; 3] {
    let keys = keys::keys();
    [&keys.id, &keys.access, &keys.ed]
}

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let fast_pool = KeySet::from_jwks_json(&keys::jwks(&pool_keys())).expect("key set");
        let secret_header = json!({"alg": "HS256", "typ": "JWT"});
        let ed_header = json!({"alg": "EdDSA", "kid": "ed-key"});
        let cognito = |token_use| Rules {
            cognito: true,
            issuers: keys::POOL_ISSUERS,
            clients: Some(&[CLIENT]),
            token_use,
            groups_claim: "cognito:groups",
            leeway: 0.0,
        };
        let exp = NOW + 3600;
        let mut dev_access = keys::dev_claims(exp);
        dev_access["token_use"] = json!("access");
        dev_access["groups"] = json!(["EDITORS", "type", "other"]);
        vec![
            Case {
                name: "hs256",
                verifier: keys::hs256(),
                rules: Rules {
                    cognito: false,
                    issuers: &[DEV],
                    clients: Some(&[DEV]),
                    token_use: TokenUseRule::Unchecked,
                    groups_claim: "cognito:groups",
                    leeway: 0.0,
                },
                rsa: false,
                header: secret_header.clone(),
                claims: keys::dev_claims(exp),
            },
            Case {
                name: "hs256 access, groups claim, 30 s leeway",
                verifier: Verifier::<Group>::hs256(SECRET)
                    .issuer(DEV)
                    .audience(DEV)
                    .token_use(TokenUse::Access)
                    .groups_claim("groups")
                    .leeway(Duration::from_secs(30))
                    .max_token_bytes(keys::MAX_TOKEN_BYTES)
                    .build()
                    .expect("complete configuration"),
                rules: Rules {
                    cognito: false,
                    issuers: &[DEV],
                    clients: Some(&[DEV]),
                    token_use: TokenUseRule::Only("access"),
                    groups_claim: "groups",
                    leeway: 30.0,
                },
                rsa: false,
                header: secret_header,
                claims: dev_access,
            },
            Case {
                name: "cognito id",
                verifier: keys::cognito(Some(TokenUse::Id), &fast_pool, 0),
                rules: cognito(TokenUseRule::Only("id")),
                rsa: false,
                header: ed_header.clone(),
                claims: keys::id_claims(exp),
            },
            Case {
                name: "cognito access",
                verifier: keys::cognito(Some(TokenUse::Access), &fast_pool, 0),
                rules: cognito(TokenUseRule::Only("access")),
                rsa: false,
                header: ed_header.clone(),
                claims: keys::access_claims(exp),
            },
            Case {
                name: "cognito any token use, 60 s leeway",
                verifier: keys::cognito(None, &fast_pool, 60),
                rules: Rules {
                    leeway: 60.0,
                    ..cognito(TokenUseRule::IdOrAccess)
                },
                rsa: false,
                header: ed_header,
                claims: keys::access_claims(exp),
            },
            Case {
                name: "cognito id, RS256",
                verifier: keys::cognito(Some(TokenUse::Id), &fast_pool, 0),
                rules: cognito(TokenUseRule::Only("id")),
                rsa: true,
                header: Value::Null,
                claims: Value::Null,
            },
        ]
    })
}

/// `header.claims` signed as `signer` says.
fn sign(signer: Signer, header: &Value, claims: &Value) -> String {
    let keys = keys::keys();
    let key = match signer.key {
        SignKey::Secret => EncodingKey::from_secret(SECRET),
        SignKey::OtherSecret => EncodingKey::from_secret(b"another-secret"),
        SignKey::PublicKeyAsSecret => EncodingKey::from_secret(keys.id_public_pem),
        SignKey::Pool(kid) => pool_keys()
            .into_iter()
            .find(|key| key.kid == kid)
            .expect("a pool key")
            .private
            .clone(),
    };
    keys::sign(header, claims, &key, signer.alg)
}

/// RSA signatures take milliseconds (tens under the fuzzer's
/// instrumentation of the bignum code), so RS256 tokens are made from a
/// finite table, each signed once: a header (an `alg` and a `kid`, or
/// `crit`), claims and a signer chosen from short lists, the claims
/// unmutated. About 150 RSA signatures in all, a few seconds per process.
fn rsa_token(u: &mut Unstructured<'_>) -> Result<(Value, Value, Signer, String)> {
    /// Tokens by header text, claims text and signer.
    type Signed = HashMap<(String, String, Signer), String>;
    static SIGNED: OnceLock<Mutex<Signed>> = OnceLock::new();
    let header = if u.ratio(1, 17)? {
        json!({"alg": "RS256", "kid": "id-key", "crit": ["exp"]})
    } else {
        let alg = *u.choose(&["RS256", "RS384", "EdDSA", "none"])?;
        match *u.choose(&[Some("id-key"), Some("access-key"), Some("ed-key"), None])? {
            Some(kid) => json!({"alg": alg, "kid": kid}),
            None => json!({"alg": alg}),
        }
    };
    let claims = match u.int_in_range(0..=2)? {
        0 => keys::id_claims(NOW + 3600),
        1 => keys::id_claims(NOW),
        _ => keys::access_claims(NOW + 3600),
    };
    let signer = *u.choose(&[
        Signer {
            key: SignKey::Pool("id-key"),
            alg: Algorithm::RS256,
        },
        Signer {
            key: SignKey::Pool("access-key"),
            alg: Algorithm::RS256,
        },
        Signer {
            key: SignKey::Pool("id-key"),
            alg: Algorithm::RS384,
        },
        EDDSA_WITH_ED_KEY,
        HS256_WITH_SECRET,
        Signer {
            key: SignKey::PublicKeyAsSecret,
            alg: Algorithm::HS256,
        },
    ])?;
    let mut signed = SIGNED
        .get_or_init(Mutex::default)
        .lock()
        .expect("not poisoned");
    let token = signed
        .entry((header.to_string(), claims.to_string(), signer))
        .or_insert_with(|| sign(signer, &header, &claims))
        .clone();
    Ok((header, claims, signer, token))
}

/// Steps 1 to 3, 5 and 6 as documented: size, shape, `alg`, key,
/// signature (step 4, the issuer, is the model's `verify`: only whether a
/// token is refused is compared, not by which step).
fn header_model(
    case: &Case,
    token: &str,
    header: &Map<String, Value>,
    signer: Signer,
    flipped: bool,
) -> core::result::Result<(), String> {
    if token.len() > keys::MAX_TOKEN_BYTES {
        return Err("too large".to_owned());
    }
    if header.contains_key("crit") {
        return Err("crit".to_owned());
    }
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.as_str()),
        Some(_) => return Err("kid not a string".to_owned()),
    };
    let allowed = if case.uses_secret() {
        SECRET_ALGS
    } else {
        KEY_SET_ALGS
    };
    let Some(alg) = header
        .get("alg")
        .and_then(Value::as_str)
        .filter(|alg| allowed.contains(alg))
    else {
        return Err("alg".to_owned());
    };
    let expected_key = if case.uses_secret() {
        SignKey::Secret
    } else {
        // Three keys: the header must name one, whose JWK `alg` is the header's.
        let Some(key) = pool_keys().into_iter().find(|key| Some(key.kid) == kid) else {
            return Err("kid".to_owned());
        };
        if alg_name(key.alg) != alg {
            return Err("the key's alg".to_owned());
        }
        SignKey::Pool(key.kid)
    };
    if flipped || signer.key != expected_key || alg_name(signer.alg) != alg {
        return Err("signature".to_owned());
    }
    Ok(())
}

/// A signature character replaced by another of the base64url alphabet.
fn flip(token: &mut String, u: &mut Unstructured<'_>) -> Result<()> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let start = token.rfind('.').map_or(0, |dot| dot + 1);
    if start >= token.len() {
        return Ok(());
    }
    let i = start + u.choose_index(token.len() - start)?;
    let old = token.as_bytes()[i];
    let new = ALPHABET[(ALPHABET.iter().position(|b| *b == old).unwrap_or(0)
        + 1
        + u.choose_index(ALPHABET.len() - 1)?)
        % ALPHABET.len()];
    token.replace_range(i..=i, char::from(new).encode_utf8(&mut [0; 4]));
    Ok(())
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let cases = cases();
    let case = &cases[u.choose_index(cases.len())?];
    let (header, claims, signer, mut token) = if case.rsa {
        rsa_token(u)?
    } else {
        let mut header = case.header.as_object().cloned().unwrap_or_default();
        let mut claims = case.claims.as_object().cloned().unwrap_or_default();
        for _ in 0..u.int_in_range(0..=6)? {
            if u.ratio(1, 4)? {
                mutate(u, &mut header, HEADER_NAMES)?;
            } else {
                mutate(u, &mut claims, CLAIM_NAMES)?;
            }
        }
        let own = if case.uses_secret() {
            HS256_WITH_SECRET
        } else {
            EDDSA_WITH_ED_KEY
        };
        let signer = match u.int_in_range(0..=15)? {
            13 => Signer {
                key: SignKey::OtherSecret,
                alg: Algorithm::HS256,
            },
            14 => Signer {
                key: SignKey::PublicKeyAsSecret,
                alg: Algorithm::HS256,
            },
            // The other kind of verifier's signer.
            15 if case.uses_secret() => EDDSA_WITH_ED_KEY,
            15 => HS256_WITH_SECRET,
            _ => own,
        };
        let (header, claims) = (Value::Object(header), Value::Object(claims));
        let token = sign(signer, &header, &claims);
        (header, claims, signer, token)
    };
    let flipped = u.ratio(1, 32)?;
    if flipped {
        flip(&mut token, u)?;
    }

    let result = case.verifier.verify_at(&token, keys::now());
    let header_map = header.as_object().expect("an object");
    let claims_map = claims.as_object().expect("an object");
    let expected = header_model(case, &token, header_map, signer, flipped)
        .and_then(|()| model::verify(&case.rules, claims_map, NOW as f64));
    let context = || {
        format!(
            "case {}, {signer:?}\nheader {header}\nclaims {claims}",
            case.name
        )
    };
    match (&result, &expected) {
        (Ok(principal), Ok(expected)) => expected.assert_is(principal),
        (Err(error), Err(_)) => text::assert_one_line(&error.to_string()),
        (Ok(principal), Err(why)) => {
            panic!(
                "accepted, though the model refuses it ({why}): {principal:?}\n{}",
                context()
            )
        }
        (Err(error), Ok(_)) => panic!(
            "refused ({error}), though the model accepts it\n{}",
            context()
        ),
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

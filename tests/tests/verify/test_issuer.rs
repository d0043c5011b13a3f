//! The test issuer (`groupguard::test_issuer`, feature `test-issuer`): its
//! tokens verify with a verifier built from its key set, each bad token is
//! refused with the right `VerifyError`, and its `JwksServer` answers as its
//! hooks say.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use groupguard::test_issuer::{JwksServer, TestIssuer};
use groupguard::{KeySet, TokenUse, Verifier, VerifyError};
use serde_json::{Value, json};

use crate::support::{Group, assert_rejects};

fn access(issuer: &TestIssuer) -> Verifier<Group> {
    issuer
        .verifier(TokenUse::Access)
        .build()
        .expect("configured")
}

fn id(issuer: &TestIssuer) -> Verifier<Group> {
    issuer.verifier(TokenUse::Id).build().expect("configured")
}

/// The claims of a token, decoded without checking it.
fn claims_of(token: &str) -> Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("three parts");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

// ---------------------------------------------------------------- good tokens

#[test]
fn access_token_verifies_with_the_issuers_key_set() {
    let issuer = TestIssuer::new();
    let token = issuer
        .access_token()
        .groups([Group::ADMINS, Group::EDITORS])
        .sub("u-1")
        .username("bob")
        .sign();
    let principal = access(&issuer).verify(&token).expect("verifies");
    assert_eq!(principal.sub(), Some("u-1"));
    assert_eq!(principal.username(), Some("bob"));
    assert!(principal.is_in(Group::ADMINS) && principal.is_in(Group::EDITORS));
}

#[test]
fn id_token_verifies_with_the_issuers_key_set() {
    let issuer = TestIssuer::new();
    let token = issuer
        .id_token()
        .groups(["EDITORS"])
        .username("alice")
        .claim("email", "alice@example.com")
        .sign();
    let (principal, claims) = id(&issuer).verify_with_claims(&token).expect("verifies");
    assert_eq!(principal.username(), Some("alice"));
    assert!(principal.is_in(Group::EDITORS) && !principal.is_in(Group::ADMINS));
    assert_eq!(claims["email"], "alice@example.com");
}

#[test]
fn tokens_are_cognito_shaped() {
    let issuer = TestIssuer::new();
    let access = claims_of(&issuer.access_token().groups(["ADMINS"]).sign());
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["client_id"], issuer.client_id());
    assert_eq!(access["iss"], issuer.issuer());
    assert_eq!(access["username"], "test-user");
    assert_eq!(access["cognito:groups"], json!(["ADMINS"]));
    assert!(
        access.get("aud").is_none(),
        "Cognito access tokens have no `aud`"
    );
    let exp = access["exp"].as_i64().unwrap();
    let iat = access["iat"].as_i64().unwrap();
    assert_eq!(exp - iat, 3600);

    let id = claims_of(&issuer.id_token().sign());
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], issuer.client_id());
    assert_eq!(id["cognito:username"], "test-user");
    assert!(id.get("cognito:groups").is_none(), "no groups, no claim");
}

#[test]
fn key_set_and_jwks_json_agree_and_verify_through_the_builder() {
    let issuer = TestIssuer::new();
    let from_json = Verifier::<Group>::cognito(issuer.pool_id())
        .unwrap()
        .client_id(issuer.client_id())
        .token_use(TokenUse::Access)
        .jwks_json(&issuer.jwks_json())
        .unwrap()
        .build()
        .unwrap();
    let token = issuer.access_token().sign();
    from_json
        .verify(&token)
        .expect("default issuer is the pool's Cognito URL");
    let keys = issuer.key_set();
    assert_eq!(keys.kids().collect::<Vec<_>>(), [issuer.kid()]);
    let jwks: Value = serde_json::from_str(&issuer.jwks_json()).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(
        (&key["kty"], &key["alg"], &key["use"]),
        (&json!("RSA"), &json!("RS256"), &json!("sig"))
    );
    assert!(
        key.get("d").is_none(),
        "the private exponent is never published"
    );
}

#[test]
fn chosen_expiry_issue_time_and_kid() {
    let issuer = TestIssuer::new();
    let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let token = issuer
        .access_token()
        .issued_at(at)
        .expires_in(Duration::from_secs(300))
        .sign();
    let claims = claims_of(&token);
    assert_eq!(claims["iat"], 1_700_000_000);
    assert_eq!(claims["exp"], 1_700_000_300);
    let verifier = access(&issuer);
    verifier
        .verify_at(&token, at + Duration::from_secs(299))
        .expect("valid before exp");
    assert_rejects!(
        verifier.verify_at(&token, at + Duration::from_secs(300)),
        VerifyError::Expired {
            exp: 1_700_000_300,
            ..
        }
    );
}

#[test]
fn any_issuer_url_and_client() {
    let issuer = TestIssuer::new()
        .with_issuer("http://localhost:9229/us-east-1_TestOnly")
        .with_client_id("web");
    let verifier = access(&issuer);
    assert_eq!(
        verifier.issuer(),
        "http://localhost:9229/us-east-1_TestOnly"
    );
    verifier
        .verify(&issuer.access_token().sign())
        .expect("verifies");
    // An OIDC verifier over the same URL accepts its ID tokens (`aud`).
    let oidc = Verifier::<Group>::oidc(issuer.issuer())
        .unwrap()
        .audience("web")
        .key_set(issuer.key_set())
        .build()
        .unwrap();
    oidc.verify(&issuer.id_token().sign())
        .expect("OIDC ID token");
}

#[test]
fn another_pool() {
    let issuer = TestIssuer::new().with_pool_id("eu-west-1_Other");
    assert_eq!(
        issuer.issuer(),
        "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"
    );
    access(&issuer)
        .verify(&issuer.access_token().sign())
        .expect("verifies");
}

#[test]
fn rotation_publishes_a_new_kid_and_keeps_the_old() {
    let issuer = TestIssuer::new();
    let before = access(&issuer);
    let old_token = issuer.access_token().sign();
    let new_kid = issuer.rotate();
    assert_eq!(new_kid, "test-key-2");
    assert_eq!(issuer.kid(), "test-key-2");
    let new_token = issuer.access_token().sign();
    assert_rejects!(before.verify(&new_token), VerifyError::UnknownKey { kid } if kid == "test-key-2");
    let after = before.with_keys(issuer.key_set()).unwrap();
    after.verify(&new_token).expect("the new key verifies");
    after
        .verify(&old_token)
        .expect("the old key is still published");
    // Clones share the keys.
    let clone = issuer.clone();
    clone.rotate();
    assert_eq!(issuer.kids(), ["test-key-3", "test-key-2", "test-key-1"]);
}

#[test]
fn key_generation_is_fast_enough_in_this_build() {
    // Keys are made once per process: after the first, rotating costs
    // nothing more than the key it needs.
    let start = Instant::now();
    let issuer = TestIssuer::new();
    let _ = issuer.access_token().sign();
    issuer.rotate();
    let _ = issuer.access_token().sign();
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "two keys took {:?}",
        start.elapsed()
    );
}

// ---------------------------------------------------------------- bad tokens

#[test]
fn expired_token_is_refused() {
    let issuer = TestIssuer::new();
    let token = issuer.access_token().expired().sign();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert_rejects!(
        access(&issuer).verify(&token),
        VerifyError::Expired { exp, .. } if exp.unsigned_abs() < now
    );
}

#[test]
fn token_for_another_client_is_refused() {
    let issuer = TestIssuer::new();
    assert_rejects!(
        access(&issuer).verify(&issuer.access_token().other_client().sign()),
        VerifyError::Audience {
            claim: "client_id",
            ..
        }
    );
    assert_rejects!(
        id(&issuer).verify(&issuer.id_token().client_id("someone-else").sign()),
        VerifyError::Audience { claim: "aud", .. }
    );
}

#[test]
fn token_from_another_issuer_is_refused() {
    let issuer = TestIssuer::new();
    assert_rejects!(
        access(&issuer).verify(&issuer.access_token().other_issuer().sign()),
        VerifyError::Issuer { found, .. } if found.ends_with("us-east-1_OtherPool")
    );
}

#[test]
fn token_with_a_bad_signature_is_refused() {
    let issuer = TestIssuer::new();
    assert_rejects!(
        access(&issuer).verify(&issuer.access_token().bad_signature().sign()),
        VerifyError::Signature { .. }
    );
}

#[test]
fn token_naming_an_unknown_key_is_refused() {
    let issuer = TestIssuer::new();
    assert_rejects!(
        access(&issuer).verify(&issuer.access_token().kid("nope").sign()),
        VerifyError::UnknownKey { kid } if kid == "nope"
    );
}

#[test]
fn token_without_kid_verifies_against_a_one_key_set_only() {
    let issuer = TestIssuer::new();
    let token = issuer.access_token().without_kid().sign();
    access(&issuer)
        .verify(&token)
        .expect("one key: no `kid` needed");
    issuer.rotate();
    assert_rejects!(
        access(&issuer).verify(&issuer.access_token().without_kid().sign()),
        VerifyError::MissingKid { keys: 2 }
    );
}

#[test]
fn id_token_to_an_access_verifier_is_refused() {
    let issuer = TestIssuer::new();
    assert_rejects!(
        access(&issuer).verify(&issuer.id_token().sign()),
        VerifyError::TokenUse {
            expected: "access",
            ..
        }
    );
}

#[test]
fn removed_and_mistyped_claims() {
    let issuer = TestIssuer::new();
    let verifier = access(&issuer);
    assert_rejects!(
        verifier.verify(&issuer.access_token().without_claim("sub").sign()),
        VerifyError::MissingClaim { claim: "sub" }
    );
    assert_rejects!(
        verifier.verify(&issuer.access_token().without_claim("exp").sign()),
        VerifyError::MissingClaim { claim: "exp" }
    );
    assert_rejects!(
        verifier.verify(&issuer.access_token().claim("exp", "soon").sign()),
        VerifyError::ClaimType { claim: "exp", .. }
    );
    // A claim removed and set again is kept.
    let token = issuer
        .access_token()
        .without_claim("username")
        .claim("username", "carol")
        .sign();
    assert_eq!(verifier.verify(&token).unwrap().username(), Some("carol"));
}

#[test]
fn key_set_of_the_issuer_is_a_key_set() {
    let keys = KeySet::from_jwks_json(&TestIssuer::new().jwks_json()).expect("valid set");
    assert_eq!(keys.len(), 1);
}

// ---------------------------------------------------------------- JwksServer

/// One HTTP/1.1 GET; returns the status, the head and the body.
fn get(server: &JwksServer, path: &str, headers: &str) -> (u16, String, String) {
    let mut tcp = TcpStream::connect(server.addr()).expect("server listens");
    write!(
        tcp,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n"
    )
    .unwrap();
    let mut response = String::new();
    tcp.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("a head");
    let status = head[9..12].parse().expect("a status");
    (status, head.to_owned(), body.to_owned())
}

fn jwks_path(server: &JwksServer) -> String {
    let url = server.jwks_url();
    url[url.find("/us-east-1").unwrap()..].to_owned()
}

fn etag_of(head: &str) -> String {
    head.lines()
        .find_map(|l| l.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_owned()
}

#[test]
fn server_serves_the_issuers_set_at_the_well_known_path() {
    let server = JwksServer::start().unwrap();
    let issuer = server.issuer();
    assert!(issuer.issuer().starts_with("http://127.0.0.1:"));
    assert_eq!(
        server.jwks_url(),
        format!("{}/.well-known/jwks.json", issuer.issuer())
    );
    let (status, _, body) = get(&server, &jwks_path(&server), "");
    assert_eq!(status, 200);
    assert_eq!(body, issuer.jwks_json());
    let (status, _, _) = get(&server, "/elsewhere", "");
    assert_eq!(status, 404);
    assert_eq!(server.requests(), 2);
    // Its tokens name the served URL as issuer, and verify against its set.
    let verifier = Verifier::<Group>::cognito(issuer.pool_id())
        .unwrap()
        .issuer(issuer.issuer())
        .client_id(issuer.client_id())
        .token_use(TokenUse::Access)
        .jwks_json(&body)
        .unwrap()
        .build()
        .unwrap();
    verifier
        .verify(&issuer.access_token().sign())
        .expect("verifies");
}

#[test]
fn server_serves_the_rotated_set() {
    let server = JwksServer::start().unwrap();
    server.issuer().rotate();
    let (_, _, body) = get(&server, &jwks_path(&server), "");
    let keys = KeySet::from_jwks_json(&body).unwrap();
    assert_eq!(
        keys.kids().collect::<Vec<_>>(),
        ["test-key-2", "test-key-1"]
    );
}

#[test]
fn server_etag_and_304() {
    let server = JwksServer::start().unwrap();
    let path = jwks_path(&server);
    let (_, head, _) = get(&server, &path, "");
    let etag = etag_of(&head);
    let (status, head, body) = get(&server, &path, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!((status, body.as_str()), (304, ""));
    assert_eq!(etag_of(&head), etag);
    // A new set has a new ETag.
    server.issuer().rotate();
    let (status, head, _) = get(&server, &path, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(status, 200);
    assert_ne!(etag_of(&head), etag);
    // Off: no ETag, never 304.
    server.etags(false);
    let (status, head, _) = get(&server, &path, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(status, 200);
    assert!(!head.contains("ETag"), "{head}");
}

#[test]
fn server_hooks_status_body_cache_control_and_reset() {
    let server = JwksServer::start().unwrap();
    let path = jwks_path(&server);
    server.fail_with(500);
    assert_eq!(get(&server, &path, "").0, 500);
    server.reset();
    server.serve_body(r#"{"keys": []}"#);
    server.cache_control(Some("max-age=60"));
    let (status, head, body) = get(&server, &path, "");
    assert_eq!((status, body.as_str()), (200, r#"{"keys": []}"#));
    assert!(head.contains("Cache-Control: max-age=60"), "{head}");
    server.reset();
    let (_, head, body) = get(&server, &path, "");
    assert_eq!(body, server.issuer().jwks_json());
    assert!(!head.contains("Cache-Control"));
    assert_eq!(server.requests(), 3);
}

#[test]
fn server_delay() {
    let server = JwksServer::start().unwrap();
    server.delay(Duration::from_millis(200));
    let start = Instant::now();
    assert_eq!(get(&server, &jwks_path(&server), "").0, 200);
    assert!(start.elapsed() >= Duration::from_millis(200));
}

#[test]
fn server_pause_refuses_connections_and_resume_serves_again() {
    let server = JwksServer::start().unwrap();
    server.pause();
    assert!(TcpStream::connect(server.addr()).is_err());
    server.resume().unwrap();
    assert_eq!(get(&server, &jwks_path(&server), "").0, 200);
}

#[test]
fn server_stops_on_drop() {
    let server = JwksServer::start().unwrap();
    let addr = server.addr();
    drop(server);
    assert!(TcpStream::connect(addr).is_err());
}

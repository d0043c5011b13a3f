//! Building a live verifier: where the set comes from (`.fetch_jwks()` on
//! Cognito, `.jwks_url(..)`), `http://` only to loopback addresses, options
//! only with a live set, and a fixed set given later replaces the live one.

use std::time::Duration;

use groupguard::{ConfigError, TokenUse, Verifier, VerifierBuilder};

use crate::support::{Group, Served};

fn oidc() -> VerifierBuilder<Group> {
    Verifier::<Group>::oidc("https://id.example.com")
        .unwrap()
        .audience("api")
}

#[test]
fn http_to_a_non_loopback_host_is_refused() {
    for url in [
        "http://id.example.com/jwks.json",
        "http://10.0.0.1/jwks.json",
        "http://192.168.1.10:8080/jwks.json",
        "http://127.0.0.1.example.com/jwks.json",
        "http://localhost.example.com/jwks.json",
        "http://[::2]/jwks.json",
    ] {
        let err = oidc().jwks_url(url).build().unwrap_err();
        assert!(
            matches!(&err, ConfigError::JwksUrl { reason, .. } if reason.contains("loopback")),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("use `https://`"), "{err}");
    }
}

#[test]
fn http_to_loopback_and_https_anywhere_are_accepted() {
    for url in [
        "http://127.0.0.1:8080/jwks.json",
        "http://127.9.8.7/jwks.json",
        "http://[::1]:9000/jwks.json",
        "http://localhost/jwks.json",
        "http://LOCALHOST:1/jwks.json",
        "https://id.example.com/protocol/openid-connect/certs",
        "https://10.0.0.1/jwks.json",
    ] {
        let verifier = oidc()
            .jwks_url(url)
            .build()
            .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert!(verifier.jwks_url().is_some());
    }
}

#[test]
fn other_malformed_urls_are_refused() {
    for (url, says) in [
        ("id.example.com/jwks.json", "not a URL"),
        ("ftp://id.example.com/jwks.json", "`https://`"),
        ("https://user:pw@id.example.com/jwks.json", "user info"),
        (
            "http://localhost:80@evil.example.com/jwks.json",
            "user info",
        ),
        ("file:///etc/jwks.json", "no host"),
    ] {
        let err = oidc().jwks_url(url).build().unwrap_err();
        assert!(
            matches!(&err, ConfigError::JwksUrl { reason, .. } if reason.contains(says)),
            "{url}: {err:?}"
        );
    }
}

#[test]
fn fetch_jwks_derives_the_url_from_the_final_issuer() {
    let cognito = || {
        Verifier::<Group>::cognito("us-east-1_AbC123")
            .unwrap()
            .any_client()
            .any_token_use()
    };
    let verifier = cognito().fetch_jwks().build().unwrap();
    assert_eq!(
        verifier.jwks_url(),
        Some("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/.well-known/jwks.json")
    );
    // `.issuer(..)` after `.fetch_jwks()` still counts.
    let local = cognito()
        .fetch_jwks()
        .issuer("http://localhost:9229/us-east-1_AbC123")
        .build()
        .unwrap();
    assert_eq!(
        local.jwks_url(),
        Some("http://localhost:9229/us-east-1_AbC123/.well-known/jwks.json")
    );
    let err = cognito()
        .issuer("http://cognito.example.com/us-east-1_AbC123")
        .fetch_jwks()
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::JwksUrl { .. }), "{err:?}");
}

#[test]
fn fetch_jwks_is_for_cognito() {
    let err = oidc().fetch_jwks().build().unwrap_err();
    assert!(
        matches!(&err, ConfigError::InvalidValue { method: "fetch_jwks", reason } if reason.contains("jwks_url")),
        "{err:?}"
    );
    let err = Verifier::<Group>::hs256(b"secret")
        .issuer("dev")
        .any_client()
        .fetch_jwks()
        .build()
        .unwrap_err();
    assert_eq!(err, ConfigError::SecretWithKeySet);
    let err = Verifier::<Group>::hs256(b"secret")
        .issuer("dev")
        .any_client()
        .jwks_url("https://id.example.com/jwks")
        .build()
        .unwrap_err();
    assert_eq!(err, ConfigError::SecretWithKeySet);
}

#[test]
fn live_options_need_a_live_set() {
    let issuer = groupguard::test_issuer::TestIssuer::new();
    let err = issuer
        .verifier::<Group>(TokenUse::Access)
        .jwks_cooldown(Duration::from_secs(30))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        ConfigError::NotLive {
            method: "jwks_cooldown"
        }
    );
    assert!(err.to_string().contains("`.fetch_jwks()`"), "{err}");
    let err = oidc()
        .jwks_max_age(Duration::from_secs(60))
        .jwks_json(&issuer.jwks_json())
        .unwrap()
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        ConfigError::NotLive {
            method: "jwks_max_age"
        }
    );
    let err = oidc()
        .jwks_url("https://id.example.com/jwks")
        .jwks_timeouts(Duration::ZERO, Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        ConfigError::InvalidValue {
            method: "jwks_timeouts",
            ..
        }
    ));
}

#[test]
fn the_last_key_source_wins() {
    let served = Served::start();
    let issuer = served.server.issuer();
    let fixed = served
        .server
        .verifier::<Group>(TokenUse::Access)
        .key_set(issuer.key_set())
        .build()
        .unwrap();
    assert_eq!(fixed.jwks_url(), None);
    fixed.verify(&served.token()).expect("the fixed set");
    let live = issuer
        .verifier::<Group>(TokenUse::Access)
        .jwks_url(served.server.jwks_url())
        .build()
        .unwrap();
    assert_eq!(live.jwks_url(), Some(served.server.jwks_url().as_str()));
    assert_eq!(served.requests(), 0);
}

#[test]
fn verify_async_and_hydrate_are_send() {
    // Web frameworks (axum) need `Send` futures.
    fn send<T: Send>(_: &T) {}
    let served = Served::start();
    let verifier = served.verifier();
    send(&verifier.verify_async("token"));
    send(&verifier.hydrate());
}

//! When a verifier fetches: never at build, on first use, for a new `kid`
//! (key rotation, picked up within one request), at `hydrate`; `verify`
//! uses the cache only; verifiers of one URL share one cache.

use groupguard::{TokenUse, Verifier, VerifyError};

use crate::support::{Group, Served, assert_rejects, bounded};

#[tokio::test]
async fn building_never_fetches_and_verify_uses_the_cache_only() {
    let served = Served::start();
    let verifier = served.verifier();
    assert_eq!(served.requests(), 0);
    assert_rejects!(
        verifier.verify(&served.token()),
        VerifyError::NoUsableKeys { reason, .. } if reason.contains("has not been fetched yet")
    );
    assert_eq!(served.requests(), 0, "`verify` never fetches");
}

#[tokio::test]
async fn first_use_fetches_then_verify_is_served_from_the_cache() {
    let served = Served::start();
    let verifier = served.verifier();
    let token = served.token();
    let principal = bounded(verifier.verify_async(&token))
        .await
        .expect("fetched and verified");
    assert!(principal.is_in(Group::ADMINS));
    assert_eq!(served.requests(), 1);
    verifier.verify(&token).expect("cached");
    bounded(verifier.verify_async(&token))
        .await
        .expect("cached");
    assert_eq!(served.requests(), 1);
}

#[tokio::test]
async fn rotated_key_is_used_within_one_request() {
    let served = Served::start();
    let verifier = served.verifier();
    bounded(verifier.hydrate()).await.expect("fetched");
    let old_token = served.token();
    let new_kid = served.server.issuer().rotate();
    let new_token = served.token();
    assert_rejects!(
        verifier.verify(&new_token),
        VerifyError::UnknownKey { kid } if kid == new_kid
    );
    // The first request with the new `kid` fetches the set and is accepted.
    bounded(verifier.verify_async(&new_token))
        .await
        .expect("the new key, fetched");
    assert_eq!(served.requests(), 2);
    verifier.verify(&new_token).expect("cached now");
    verifier
        .verify(&old_token)
        .expect("the old key is still published");
}

#[tokio::test]
async fn hydrate_fetches_now() {
    let served = Served::start();
    let verifier = served.verifier();
    bounded(verifier.hydrate()).await.expect("fetched");
    assert_eq!(served.requests(), 1);
    verifier
        .verify(&served.token())
        .expect("no wait after hydrate");
    // Each call fetches again (a readiness probe sees the issuer's state).
    bounded(verifier.hydrate()).await.expect("fetched");
    assert_eq!(served.requests(), 2);
}

#[tokio::test]
async fn verifiers_of_one_url_share_one_cache() {
    let served = Served::start();
    let access = served.verifier();
    let id = served
        .server
        .verifier::<Group>(TokenUse::Id)
        .jwks_clock(served.clock.clone())
        .build()
        .unwrap();
    let clone = access.clone();
    bounded(access.hydrate()).await.unwrap();
    id.verify(&served.server.issuer().id_token().sign())
        .expect("the ID verifier sees the access verifier's fetch");
    clone.verify(&served.token()).expect("clones share it too");
    assert_eq!(served.requests(), 1);
}

#[tokio::test]
async fn verifiers_on_the_system_clock_share_one_cache() {
    let served = Served::start();
    let first = served
        .server
        .verifier::<Group>(TokenUse::Access)
        .build()
        .unwrap();
    let second = served
        .server
        .verifier::<Group>(TokenUse::Access)
        .build()
        .unwrap();
    bounded(first.verify_async(&served.token())).await.unwrap();
    second.verify(&served.token()).expect("one cache per URL");
    assert_eq!(served.requests(), 1);
}

#[tokio::test]
async fn with_keys_on_a_live_verifier_gives_a_fixed_one() {
    let served = Served::start();
    let live = served.verifier();
    let fixed = live.with_keys(served.server.issuer().key_set()).unwrap();
    assert_eq!(fixed.jwks_url(), None);
    fixed.verify(&served.token()).expect("fixed keys");
    assert_eq!(served.requests(), 0);
}

#[tokio::test]
async fn a_fixed_key_set_never_fetches_in_verify_async() {
    let served = Served::start();
    let issuer = served.server.issuer();
    let fixed: Verifier<Group> = issuer.verifier(TokenUse::Access).build().unwrap();
    bounded(fixed.verify_async(&served.token()))
        .await
        .expect("fixed keys");
    bounded(fixed.hydrate()).await.expect("nothing to do");
    assert_eq!(served.requests(), 0);
}

/// A test helper may build the verifier from a `JwksServer` and drop the
/// server: the verifier keeps it serving (a 503 on the first request
/// otherwise), and it stops once both are gone.
#[tokio::test]
async fn a_verifier_keeps_its_test_server_serving_after_the_handle_is_dropped() {
    use groupguard::test_issuer::JwksServer;

    fn helper() -> (Verifier<Group>, String, std::net::SocketAddr) {
        let server = JwksServer::start().expect("a port");
        let verifier = server
            .verifier(TokenUse::Access)
            .build()
            .expect("configured");
        let token = server.issuer().access_token().groups(["ADMINS"]).sign();
        (verifier, token, server.addr())
    }

    let (verifier, token, addr) = helper();
    let principal = bounded(verifier.verify_async(&token))
        .await
        .expect("the key set was fetched from the server the verifier kept");
    assert!(principal.is_in(Group::ADMINS));
    // A clone keeps it too; the last one gone, the server stops.
    let clone = verifier.clone();
    drop(verifier);
    assert!(std::net::TcpStream::connect(addr).is_ok());
    drop(clone);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

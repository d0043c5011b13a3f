//! `Verifier::verify` on arbitrary bytes (as `&str` when they are UTF-8,
//! lossily converted otherwise), with a Cognito RS256 verifier over the
//! pool's two `TEST_ONLY` keys and an `hs256` one.
//!
//! Never panics; every refusal's message is one line without the token (a
//! token of three parts of 16 bytes or more); and
//! the only tokens accepted are the valid ones the seeds hold (signed with
//! the fixtures' keys): any other accepted token would be a forgery or a
//! malleable encoding.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use groupguard::{KeySet, Verifier};
use groupguard_fuzz::keys::{self, valid_tokens};
use groupguard_fuzz::{Group, text};
use libfuzzer_sys::fuzz_target;

struct Setup {
    verifiers: [Verifier<Group>; 2],
    valid: HashSet<String>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let pool = KeySet::from_jwks_json(&keys::pool_jwks()).expect("the pool's key set");
        Setup {
            verifiers: [keys::cognito(None, &pool, 0), keys::hs256()],
            valid: valid_tokens().into_iter().map(|(_, token)| token).collect(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let token = String::from_utf8_lossy(data);
    for verifier in &setup.verifiers {
        match verifier.verify(&token) {
            Ok(principal) => {
                assert!(
                    setup.valid.contains(&*token),
                    "accepted a token that was never signed: {token:?}"
                );
                assert!(principal.sub().is_some_and(|sub| !sub.is_empty()));
            }
            Err(error) => {
                let message = error.to_string();
                text::assert_one_line(&message);
                // Only a token of three substantial parts: the fuzzer
                // learns the messages' own text from this very comparison
                // (it found "malformed token: 1 part(s)"), and text copied
                // from a message is no token the message leaks.
                let substantial = token.split('.').filter(|part| part.len() >= 16).count() == 3;
                assert!(
                    !substantial || !message.contains(&*token),
                    "the message quotes the token: {message}"
                );
            }
        }
    }
});

//! `Principal::from_claims` (and `from_claims_with` a `groups` claim) on
//! arbitrary JSON; input that is not JSON is skipped.
//!
//! Never panics, and agrees in both directions with
//! `groupguard_fuzz::model::from_claims` (the documented claim rules,
//! written independently): the same claims accepted, with the same
//! principal; every refusal's message is one line.
#![no_main]

use groupguard::Principal;
use groupguard_fuzz::{Group, model, text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(claims) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let default = Principal::<Group>::from_claims(&claims);
    assert_eq!(
        default,
        Principal::<Group>::from_claims_with(&claims, "cognito:groups"),
        "`from_claims` is `from_claims_with` the Cognito group claim"
    );
    for (groups_claim, result) in [
        ("cognito:groups", default),
        ("groups", Principal::from_claims_with(&claims, "groups")),
    ] {
        match (&result, model::from_claims(&claims, groups_claim)) {
            (Ok(principal), Ok(expected)) => expected.assert_is(principal),
            (Err(error), Err(_)) => text::assert_one_line(&error.to_string()),
            (Ok(principal), Err(why)) => {
                panic!("accepted, though the model refuses it ({why}): {principal:?}\n{claims}")
            }
            (Err(error), Ok(_)) => {
                panic!("refused ({error}), though the model accepts it\n{claims}")
            }
        }
    }
});

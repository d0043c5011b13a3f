//! `from_name`, `FromStr` and serde's `Deserialize` (serde_json) of a
//! `#[groups]` enum with a renamed group (`content-reviewers`) and a
//! raw-identifier variant (`r#type`, claim value `type`), on arbitrary input
//! (lossily UTF-8).
//!
//! Never panics; the three agree (on the input as a name, and on the input
//! as JSON); a known name round-trips through `name`, `Display` and
//! `Serialize`; and no error message holds a control character (a raw
//! newline) or a backtick from the input that is not escaped: each message
//! has exactly the backticks of its template.
#![no_main]

use groupguard_fuzz::{Group, model, text};
use libfuzzer_sys::fuzz_target;

/// The unescaped backticks of the message of an unknown name: its quotes,
/// and those of the declared groups it lists.
const DESERIALIZE_BACKTICKS: usize = 2 + 2 * 4;

/// Checks the error of deserializing the unknown name `name`.
fn check_deserialize_error(error: &serde_json::Error, name: &str) {
    let message = error.to_string();
    text::assert_one_line(&message);
    assert!(
        message.starts_with("unknown group `"),
        "the message of {name:?}: {message}"
    );
    assert_eq!(
        text::unescaped_backticks(&message),
        DESERIALIZE_BACKTICKS,
        "an unescaped backtick in {message}"
    );
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let name: &str = &input;
    let by_name = Group::from_name(name);
    assert_eq!(by_name, model::group_named(name), "from_name of {name:?}");

    match name.parse::<Group>() {
        Ok(group) => assert_eq!(Some(group), by_name, "FromStr of {name:?}"),
        Err(error) => {
            assert_eq!(by_name, None, "FromStr refuses {name:?}");
            assert_eq!(error.name(), name);
            let message = error.to_string();
            text::assert_one_line(&message);
            assert_eq!(
                text::unescaped_backticks(&message),
                2,
                "an unescaped backtick in {message}"
            );
            // 64 characters shown, each escaped to at most 10.
            assert!(message.len() <= 20 + 64 * 10, "uncut: {message}");
        }
    }

    // The input as the string a claim holds.
    let json = serde_json::to_string(name).expect("a string serializes");
    match serde_json::from_str::<Group>(&json) {
        Ok(group) => assert_eq!(Some(group), by_name, "Deserialize of {json}"),
        Err(error) => {
            assert_eq!(by_name, None, "Deserialize refuses {json}");
            check_deserialize_error(&error, name);
        }
    }

    // The input as JSON text: a group exactly when it is a JSON string naming one.
    let as_string = serde_json::from_str::<String>(name);
    match (serde_json::from_str::<Group>(name), &as_string) {
        (Ok(group), Ok(string)) => assert_eq!(Some(group), Group::from_name(string)),
        (Ok(group), Err(_)) => panic!("{group:?} from {name:?}, which is no JSON string"),
        (Err(error), Ok(string)) => {
            assert_eq!(
                Group::from_name(string),
                None,
                "Deserialize refuses {name:?}"
            );
            check_deserialize_error(&error, string);
        }
        (Err(error), Err(_)) => text::assert_one_line(&error.to_string()),
    }

    if let Some(group) = by_name {
        assert_eq!(group.name(), name);
        assert_eq!(group.to_string(), name);
        assert_eq!(serde_json::to_string(&group).expect("serializes"), json);
        assert!(Group::ALL.contains(&group));
    }
});

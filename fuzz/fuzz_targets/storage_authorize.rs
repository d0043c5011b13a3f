//! `authorize` of a `storage!` (nested paths, `{entity_id}` paths, a literal
//! path beside an `{entity_id}` one) on arbitrary keys, principals and every
//! `Access`.
//!
//! Input: a flags byte (bits 0-1: guest, authenticated, authenticated with
//! an identity id, or with the key's second segment as identity id; bits
//! 2-5: the groups), then `sub`, a newline, the identity id and a newline
//! when bit 1 is set, and the key (the rest, any bytes, lossily UTF-8).
//!
//! Never panics. Oracles: a key with a `.` or `..` segment, a `//` or a
//! leading `/` is never allowed; `validate_key(key)` failing means denied
//! with that very `InvalidKey` reason; and every decision equals that of a
//! naive model of the documented rules (the longest declared path covering
//! the key decides, a literal segment beating `{entity_id}`; an
//! `{entity_id}` path with grants to others than the owner covers all of
//! `p/*`, as Amplify deploys it, an owner-only one the folders `p/<id>/`;
//! its grants are unioned, the owner's only in the owner's folder; `read`
//! needs `get` and `list`), evaluated on `Files::PATHS`.
#![no_main]

use groupguard::{
    Acceptor, Access, DenyReason, Outcome, Principal, Storage, StoragePath, storage, validate_key,
};
use groupguard_fuzz::Group;
use libfuzzer_sys::fuzz_target;

storage! {
    /// The README's example, a literal path beside an `{entity_id}` one, and
    /// the renamed and raw-identifier groups.
    pub Files {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "drafts/archive/*" => groups(ADMINS): [read],
        "public/*" => guest: [read],
        "public/*" => authenticated: [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
        "profiles/{entity_id}/*" => groups("ADMINS"): [read],
        "shared/{entity_id}/*" => entity(identity): [read, write],
        "shared/common/*" => authenticated: [read],
        "reviews/*" => groups(Reviewers, r#type): [list],
        "media/{entity_id}/*" => guest: [read],
        "media/{entity_id}/*" => entity(identity): [write],
        "media/x/{entity_id}/*" => groups(EDITORS): [read],
        "media/common/*" => authenticated: [read],
    }
}

/// The principal and key the input describes.
fn request(data: &[u8]) -> Option<(Principal<Group>, String)> {
    let (&flags, rest) = data.split_first()?;
    let text = String::from_utf8_lossy(rest);
    let (sub, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let groups = [
        Group::ADMINS,
        Group::EDITORS,
        Group::Reviewers,
        Group::r#type,
    ]
    .into_iter()
    .enumerate()
    .filter(|(bit, _)| flags & (4 << bit) != 0)
    .map(|(_, group)| group);
    let authenticated = Principal::authenticated(sub).with_groups(groups);
    Some(match flags & 3 {
        0 => (Principal::guest(), rest.to_owned()),
        1 => (authenticated, rest.to_owned()),
        2 => {
            let (identity, key) = rest.split_once('\n').unwrap_or((rest, ""));
            (authenticated.with_identity_id(identity), key.to_owned())
        }
        _ => {
            let segment = rest.split('/').nth(1).unwrap_or_default();
            (authenticated.with_identity_id(segment), rest.to_owned())
        }
    })
}

/// The declared path covering `key` in the naive model, and the key's
/// segment in place of `{entity_id}` when the key is in an owner's folder:
/// every path is tried, the one with the most segments wins, a literal one
/// over an `{entity_id}` one of the same length.
fn covering(key: &str) -> Option<(&'static StoragePath<Group>, Option<&str>)> {
    let segments: Vec<&str> = key.split('/').collect();
    let mut best: Option<(usize, bool, &StoragePath<Group>, Option<&str>)> = None;
    for path in Files::PATHS {
        let pattern: Vec<&str> = path.path().trim_end_matches("/*").split('/').collect();
        let (literal, entity) = match pattern.split_last() {
            Some((&"{entity_id}", before)) => (before, true),
            _ => (&pattern[..], false),
        };
        let for_others = path
            .grants()
            .iter()
            .any(|grant| !matches!(grant.acceptor(), Acceptor::Entity));
        // `p/*` covers `p/` and everything below: one more segment, maybe
        // empty. So does `p/{entity_id}/*` when it grants to others than
        // the owner; an owner-only one needs `p/<id>/`.
        let needed = literal.len() + usize::from(entity && !for_others);
        if segments.len() <= needed || !literal.iter().zip(&segments).all(|(p, s)| p == s) {
            continue;
        }
        let folder = (entity && segments.len() > literal.len() + 1)
            .then(|| segments[literal.len()]);
        let rank = (pattern.len(), !entity);
        if best.is_none_or(|(len, lit, ..)| rank > (len, lit)) {
            best = Some((rank.0, rank.1, path, folder));
        }
    }
    best.map(|(_, _, path, folder)| (path, folder))
}

/// The naive model's decision.
fn model_allows(principal: &Principal<Group>, key: &str, access: Access) -> bool {
    if validate_key(key).is_err() {
        return false;
    }
    let Some((path, entity)) = covering(key) else {
        return false;
    };
    let owner = match (principal.is_authenticated(), entity) {
        (true, Some(segment)) => {
            let id = principal
                .identity_id()
                .or(principal.sub())
                .unwrap_or_default();
            !id.is_empty() && !id.contains('/') && id == segment
        }
        _ => false,
    };
    access.parts().iter().all(|part| {
        path.grants().iter().any(|grant| {
            grant.actions().contains(*part)
                && match grant.acceptor() {
                    Acceptor::Guest => !principal.is_authenticated(),
                    Acceptor::Authenticated => principal.is_authenticated(),
                    Acceptor::Groups(groups) => groups.iter().any(|g| principal.is_in(*g)),
                    Acceptor::Entity => owner,
                    _ => false,
                }
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((principal, key)) = request(data) else {
        return;
    };
    let traversal = key.starts_with('/')
        || key.contains("//")
        || key
            .split('/')
            .any(|segment| segment == "." || segment == "..");
    let invalid = validate_key(&key).err();
    assert!(
        !traversal || invalid.is_some(),
        "validate_key accepts {key:?}"
    );
    for access in Access::ALL {
        let decision = Files::authorize(&principal, &key, access);
        let _ = decision.to_string();
        if traversal {
            assert!(decision.is_denied(), "{access} allowed on {key:?}");
        }
        if let Some(error) = invalid {
            assert_eq!(
                decision.outcome(),
                Outcome::Denied(DenyReason::InvalidKey(error)),
                "{access} on {key:?}"
            );
        }
        assert_eq!(
            decision.is_allowed(),
            model_allows(&principal, &key, access),
            "{access} on {key:?} by {principal:?}: {decision}"
        );
    }
});

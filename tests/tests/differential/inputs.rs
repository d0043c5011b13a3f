//! The inputs the corpus is tested on, drawn afresh from a seed at each
//! run: principals (guests, users with declared, renamed and unknown group
//! claims, identity ids) and storage keys around every declared path
//! (boundaries, other users' ids, ids that are prefixes of each other,
//! malformed keys).

use crate::PrincipalData;
use crate::reference::Policy;

#[path = "../../build/rng.rs"]
mod rng;
pub use rng::Rng;

/// Principals drawn per policy.
pub const PRINCIPALS_PER_POLICY: usize = 60;
/// Keys drawn per principal.
const KEYS_PER_PRINCIPAL: usize = 30;

/// Subs and identity ids: some are prefixes of others, one is a literal
/// path segment of the corpus, one is empty and one holds a `/`.
const IDS: [&str; 10] = [
    "alice",
    "al",
    "alice2",
    "bob",
    "eve",
    "us-east-1:3f2a",
    "common",
    "archive",
    "",
    "a/b",
];

pub fn principal(rng: &mut Rng, policy: &Policy) -> PrincipalData {
    let authenticated = rng.chance(80);
    let sub = (*rng.pick(&IDS[..8])).to_owned();
    let identity_id = rng.chance(40).then(|| (*rng.pick(&IDS)).to_owned());
    let mut claims = Vec::new();
    for (variant, claim) in policy.groups {
        // Most principals are in few groups; large enums would otherwise
        // put everyone everywhere.
        if rng.chance(if policy.groups.len() > 8 { 4 } else { 30 }) {
            claims.push((*claim).to_owned());
        }
        // The variant name of a renamed group, and a case slip, match nothing.
        if variant != claim && rng.chance(10) {
            claims.push((*variant).to_owned());
        }
        if rng.chance(3) {
            claims.push(claim.to_lowercase());
        }
    }
    if rng.chance(10) {
        claims.push("nobody".to_owned());
    }
    PrincipalData {
        authenticated,
        sub,
        identity_id,
        claims,
    }
}

/// Keys around the declared paths, and malformed ones.
pub fn keys(rng: &mut Rng, policy: &Policy, who: &PrincipalData) -> Vec<String> {
    let own = who.entity_id().unwrap_or("alice").to_owned();
    let mut candidates: Vec<String> = Vec::new();
    let mut paths: Vec<&str> = policy.storage.iter().map(|e| e.path).collect();
    paths.dedup();
    for path in paths {
        let template = path.trim_end_matches("/*");
        let ids = [
            own.clone(),
            (*rng.pick(&IDS)).to_owned(),
            own.chars().take(2).collect(),
            format!("{own}x"),
        ];
        for id in ids {
            let base = template.replace("{entity_id}", &id);
            let parent = base.rsplit_once('/').map_or("", |(p, _)| p).to_owned();
            candidates.extend([
                base.clone(),
                format!("{base}/"),
                format!("{base}/f.txt"),
                format!("{base}/deep/er/f"),
                format!("{}/x", &base[..base.len() - 1]),
                format!("{base}x/f"),
                format!("{parent}/other/f"),
                format!("{base}/../f"),
                format!("{base}/./f"),
                format!("{base}//f"),
                format!("/{base}/f"),
                format!("{base}/\\f"),
                format!("{base}/\u{0}"),
                format!("{base}/\u{85}f"),
                format!("{base}/caf\u{e9}"),
            ]);
        }
    }
    candidates.extend([
        String::new(),
        "x".repeat(1025),
        format!("a/{}", "x".repeat(1022)),
    ]);
    (0..KEYS_PER_PRINCIPAL)
        .map(|_| rng.pick(&candidates).clone())
        .collect()
}

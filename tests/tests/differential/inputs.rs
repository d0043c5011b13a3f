//! The inputs the corpus is tested on, drawn afresh from a seed at each
//! run: principals (guests, users with declared, renamed and unknown group
//! claims, identity ids, usernames), storage keys around every declared
//! path (boundaries, other users' ids, ids that are prefixes of each other,
//! malformed keys), and records whose owner and group fields hold the
//! principal's identities and group names, its bare user name (at times
//! another principal's `sub` or `sub::username`), other principals', near
//! misses, `""` and `None`; and the records those may be updated into.

use crate::reference::Policy;
use crate::{PrincipalData, RecordData};

#[path = "../../build/rng.rs"]
mod rng;
pub use rng::Rng;

/// Principals drawn per policy.
pub const PRINCIPALS_PER_POLICY: usize = 60;
/// Keys drawn per principal.
const KEYS_PER_PRINCIPAL: usize = 30;
/// Records drawn per principal and model.
pub const RECORDS_PER_MODEL: usize = 4;
/// Updates drawn per record (at most [`RECORDS_PER_MODEL`]).
const PROPOSALS_PER_RECORD: usize = 3;

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

/// Usernames: some are other principals' subs (a bare `sub` is what an
/// owner field of theirs may hold), one is what `al` needs to spell `alice`
/// with `::` between, one holds `::` itself, and one is another principal's
/// `sub::username` (Amplify's stored form): a user name chosen to look like
/// someone's stored owner value (issue 22).
const USERNAMES: [&str; 9] = [
    "alice", "bob", "al", "ann", "ice", "x::y", "bob::ann", "Alice", "",
];

pub fn principal(rng: &mut Rng, policy: &Policy) -> PrincipalData {
    let authenticated = rng.chance(80);
    // An empty `sub` (trusted callers may build one) now and then.
    let sub = if rng.chance(3) {
        String::new()
    } else {
        (*rng.pick(&IDS[..8])).to_owned()
    };
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
    if rng.chance(5) {
        claims.push(String::new());
    }
    // Guests may carry a username too: it must own nothing.
    let username = (!rng.chance(30)).then(|| (*rng.pick(&USERNAMES)).to_owned());
    PrincipalData {
        authenticated,
        sub,
        identity_id,
        username,
        claims,
    }
}

/// Records for `who`: owners drawn from its `sub`, its bare user name and
/// its `sub::username` (also when it is a guest; the user name is at times
/// another principal's stored value), others', their `sub::username`
/// combinations and near misses;
/// groups from its claims, the policy's claim values, the variant names of
/// renamed groups, `nobody` and `""`.
pub fn records(rng: &mut Rng, policy: &Policy, who: &PrincipalData) -> Vec<RecordData> {
    let sub = who.sub.as_str();
    let username = who.username.as_deref().unwrap_or("");
    let mut own: Vec<String> = vec![sub.to_owned(), username.to_owned()];
    own.push(format!("{sub}::{username}"));
    let other_sub = *rng.pick(&IDS);
    let other_name = *rng.pick(&USERNAMES);
    let others: Vec<String> = vec![
        other_sub.to_owned(),
        other_name.to_owned(),
        format!("{other_sub}::{other_name}"),
        format!("{sub}::{other_name}"),
        format!("{other_sub}::{username}"),
        format!("{sub}::"),
        format!("::{username}"),
        format!("{sub}:{username}"),
        sub.chars().take(2).collect(),
        format!("{sub}x"),
        String::new(),
    ];
    let identity = |rng: &mut Rng| -> String {
        if rng.chance(45) {
            rng.pick(&own).clone()
        } else {
            rng.pick(&others).clone()
        }
    };
    let mut groups: Vec<String> = Vec::new();
    for (variant, claim) in policy.groups {
        groups.push((*claim).to_owned());
        if variant != claim {
            groups.push((*variant).to_owned());
        }
    }
    groups.extend(["nobody".to_owned(), String::new()]);
    let group = |rng: &mut Rng| -> String {
        if !who.claims.is_empty() && rng.chance(40) {
            rng.pick(&who.claims).clone()
        } else if rng.chance(15) {
            rng.pick(&["nobody", ""]).to_string()
        } else {
            rng.pick(&groups).clone()
        }
    };
    (0..RECORDS_PER_MODEL)
        .map(|_| RecordData {
            owner: identity(rng),
            author: (!rng.chance(20)).then(|| identity(rng)),
            editors: (0..rng.below(4)).map(|_| identity(rng)).collect(),
            team: group(rng),
            teams: (0..rng.below(4)).map(|_| group(rng)).collect(),
            a: rng.chance(50),
            b: rng.chance(50),
            secret: rng.chance(80).then(|| "s3cr3t".to_owned()),
            note: "a note".to_owned(),
        })
        .collect()
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
                // Beside the folders of `p/{entity_id}/*`: what `p/*` covers.
                format!("{parent}/"),
                format!("{parent}/f.txt"),
                format!("{base}/../f"),
                format!("{base}/./f"),
                format!("{base}//f"),
                format!("/{base}/f"),
                format!("{base}/\\f"),
                format!("{base}/\u{0}"),
                format!("{base}/\u{85}f"),
                format!("{base}/\u{202e}f"),
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

/// Records `stored` may be updated into: each takes some fields of another
/// record drawn for `who` (owners given away or taken, groups, `when`
/// conditions turned), clears `author` or `secret` now and then, and
/// changes `secret` or `note`; now and then nothing changes.
pub fn proposals(
    rng: &mut Rng,
    policy: &Policy,
    who: &PrincipalData,
    stored: &RecordData,
) -> Vec<RecordData> {
    records(rng, policy, who)
        .into_iter()
        .take(PROPOSALS_PER_RECORD)
        .map(|other| {
            let mut proposed = stored.clone();
            let take = |rng: &mut Rng| rng.chance(25);
            if take(rng) {
                proposed.owner = other.owner;
            }
            if take(rng) {
                proposed.author = other.author;
            }
            if take(rng) {
                proposed.editors = other.editors;
            }
            if take(rng) {
                proposed.team = other.team;
            }
            if take(rng) {
                proposed.teams = other.teams;
            }
            if take(rng) {
                proposed.a = other.a;
            }
            if take(rng) {
                proposed.b = other.b;
            }
            if rng.chance(35) {
                proposed.author = None;
            }
            if rng.chance(35) {
                proposed.secret = None;
            } else if rng.chance(20) {
                proposed.secret = Some("another secret".to_owned());
            }
            if rng.chance(25) {
                proposed.note = String::from("another note");
            }
            proposed
        })
        .collect()
}

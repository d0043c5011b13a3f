//! The tour's policy (`examples/tour_policy.rs`, the one `ACCESS.md`
//! shows): every kind of principal (guest, signed in, each group, both,
//! look-alike claims) and random ones, every operation and action, records
//! and keys around every declared path.

#[path = "../../examples/tour_policy.rs"]
mod policy;

use groupguard::cedar::CedarExport;
use groupguard::{Access, Op, Storage, validate_key};

use crate::engine::{self, Engine, Resource};
use crate::reference::{Acceptor, Entry, Policy};
use crate::{PrincipalData, Tally, inputs, principal};

use policy::{Article, Articles, Group, Post};

/// Random principals, besides the enumerated kinds.
const RANDOM_PRINCIPALS: usize = 200;

fn who(
    authenticated: bool,
    sub: &str,
    identity_id: Option<&str>,
    claims: &[&str],
) -> PrincipalData {
    PrincipalData {
        authenticated,
        sub: sub.to_owned(),
        identity_id: identity_id.map(str::to_owned),
        username: Some("ann".to_owned()),
        claims: claims.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// The tour's groups and paths as the input generators read them (they
/// read only the claim values and the paths).
fn input_policy() -> &'static Policy {
    let groups: Vec<(&'static str, &'static str)> = [Group::ADMINS, Group::EDITORS]
        .into_iter()
        .map(|g| (groupguard::Groups::name(g), groupguard::Groups::name(g)))
        .collect();
    let storage: Vec<Entry> = Articles::PATHS
        .iter()
        .map(|p| Entry {
            path: p.path(),
            acceptor: Acceptor::Authenticated,
            actions: &[],
            declaration: "",
        })
        .collect();
    Box::leak(Box::new(Policy {
        groups: groups.leak(),
        models: &[],
        storage: storage.leak(),
    }))
}

/// Compares the tour's decisions. With `prefix`, the export names users
/// and groups as Verified Permissions does (`<prefix>|<name>`), and the
/// principal's entity is the one groupguard's `principal_entity` builds
/// (checked equal to the oracle's own without a prefix).
pub fn compare(rng: &mut inputs::Rng, tally: &mut Tally, prefix: Option<&str>) {
    let cedar = CedarExport::<Group>::new("Tour")
        .map(|e| match prefix {
            Some(prefix) => e.entity_prefix(prefix),
            None => e,
        })
        .and_then(|e| {
            e.model::<Article>()
                .model::<Post>()
                .storage::<Articles>()
                .build()
        })
        .unwrap_or_else(|e| panic!("the tour's policy does not export: {e}"));
    let engine = Engine::new(&cedar, "Tour").unwrap_or_else(|e| {
        panic!(
            "{e}\n--- schema\n{}\n--- policies\n{}",
            cedar.schema(),
            cedar.policies()
        )
    });
    tally.policies += cedar.policy_count();
    tally.warnings += engine.warnings;
    if let Err(error) = engine.bare_principal_conforms() {
        tally.disagreements.push(format!("tour: {error}"));
    }
    let policy = input_policy();
    let paths: Vec<&str> = Articles::PATHS.iter().map(|p| p.path()).collect();

    let mut principals = vec![
        who(false, "", None, &[]),
        who(false, "alice", None, &["ADMINS"]), // a guest's claims count for nothing
        who(true, "alice", None, &[]),
        who(true, "alice", None, &["ADMINS"]),
        who(true, "alice", None, &["EDITORS"]),
        who(true, "alice", None, &["ADMINS", "EDITORS"]),
        who(true, "alice", Some("us-east-1:3f2a"), &["EDITORS"]),
        who(true, "alice", None, &["admins", "EDITORS "]),
        who(true, "", None, &[""]),
    ];
    principals.extend((0..RANDOM_PRINCIPALS).map(|_| inputs::principal(rng, policy)));

    for data in &principals {
        let p = principal::<Group>(data);
        let theirs = cedar.principal_entity(&p);
        let entities = if prefix.is_some() {
            engine::PrincipalEntities::of(&theirs)
        } else {
            let ours = engine.principal(data, &[("Articles", &paths)]);
            // groupguard's entity helper builds the same data.
            if let Err(difference) = engine::same_entities(&ours.json, theirs.json(), false) {
                tally
                    .disagreements
                    .push(format!("tour: the entity of {data:?}: {difference}"));
            }
            ours
        };
        for op in Op::ALL {
            for (name, decision) in [
                ("Article", Article::authorize(&p, op)),
                ("Post", Post::authorize(&p, op)),
            ] {
                let answer = engine.decide_model(&entities, name, None, None, op);
                tally.compare(
                    || format!("tour {name}::authorize({data:?}, {op})"),
                    &decision,
                    &answer,
                );
            }
            let article = Article { title: "t".into() };
            let post = Post { body: "b".into() };
            for (name, decision) in [
                ("Article", article.authorize_record(&p, op)),
                ("Post", post.authorize_record(&p, op)),
            ] {
                let resource = Resource::record(name, &crate::RecordData::default(), &[]);
                let answer = engine.decide_model(&entities, name, Some(&resource), None, op);
                tally.compare(
                    || format!("tour {name}.authorize_record({data:?}, {op})"),
                    &decision,
                    &answer,
                );
            }
        }
        for key in inputs::keys(rng, policy, data) {
            for access in Access::ALL {
                let decision = Articles::authorize(&p, &key, access);
                if validate_key(&key).is_err() {
                    tally.malformed_keys += 1;
                    if decision.is_allowed() {
                        tally.disagreements.push(format!(
                            "tour: the malformed key {key:?} was allowed ({access})"
                        ));
                    }
                    continue;
                }
                let answer = engine.decide_storage(&entities, "Articles", &key, access);
                match cedar.object_entity::<Articles>(&key) {
                    Ok(object) => {
                        if let Err(difference) =
                            engine::same_entities(&engine.last_object.borrow(), object.json(), true)
                        {
                            tally
                                .disagreements
                                .push(format!("tour: the entity of {key:?}: {difference}"));
                        }
                    }
                    Err(error) => tally.disagreements.push(format!(
                        "tour: object_entity refused the valid key {key:?}: {error}"
                    )),
                }
                tally.compare(
                    || format!("tour Articles::authorize({data:?}, {key:?}, {access})"),
                    &decision,
                    &answer,
                );
            }
        }
    }
}

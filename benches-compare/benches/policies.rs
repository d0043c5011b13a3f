//! The bulletin's policy (`examples/bulletin/auth.rs`, included as is) in
//! groupguard, in cedar-policy and in casbin-rs, decided over a shared
//! request table; the setup asserts that every engine gives the same answer
//! to every request before anything is timed.
//!
//! - `post/*`: the `Post` rules (guests and users read published posts,
//!   owners create, read and update their drafts, editors read and update
//!   drafts, admins everything) on 4 principals x 4 operations x 3 posts:
//!   groupguard's `authorize_record` against cedar's `is_authorized` (policy
//!   set and entities built once).
//! - `files/*`: the `Files` storage on 4 principals x 6 keys x 4 actions:
//!   groupguard's `Files::authorize` against casbin's `enforce` (RBAC with
//!   `keyMatch2` paths and `keyGet2` for the entity folder).
//!
//! Each iteration decides the whole table; the README divides by its size.
//!
//! ```text
//! cd benches-compare && cargo bench --bench policies
//! ```

use std::hint::black_box;
use std::str::FromStr;

use casbin::{CoreApi, DefaultModel, Enforcer, MemoryAdapter, MgmtApi, RbacApi};
use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use criterion::{Criterion, criterion_group, criterion_main};
use groupguard::{Access, Op, Principal};

#[path = "../../examples/bulletin/auth.rs"]
#[allow(dead_code, reason = "the bulletin's helpers this bench does not call")]
mod auth;
use auth::{Files, Group, Post, Status};

const USERS: [(&str, Option<Group>); 3] = [
    ("uma", None),
    ("eddie", Some(Group::EDITORS)),
    ("ada", Some(Group::ADMINS)),
];

fn principals() -> Vec<(&'static str, Principal<Group>)> {
    let mut all = vec![("guest", Principal::guest())];
    for (name, group) in USERS {
        all.push((
            name,
            Principal::authenticated(name).with_groups(group.into_iter()),
        ));
    }
    all
}

// ------------------------------------------------------------------ posts

const CEDAR_POLICIES: &str = r#"
permit(principal is Guest, action == Action::"get", resource is Post)
    when { resource.status == "published" };
permit(principal is User, action == Action::"get", resource is Post)
    when { resource.status == "published" };
permit(principal is User, action in [Action::"create", Action::"get", Action::"update"], resource is Post)
    when { resource.owner == principal && resource.status == "draft" };
permit(principal in Group::"EDITORS", action in [Action::"get", Action::"update"], resource is Post)
    when { resource.status == "draft" };
permit(principal in Group::"ADMINS", action, resource);
"#;

/// Posts: uma's draft, ada's draft, ada's published post.
fn posts() -> Vec<(&'static str, Post)> {
    let post = |owner: &str, status| Post {
        id: 0,
        owner: owner.to_owned(),
        title: String::new(),
        body: String::new(),
        status,
    };
    vec![
        ("uma-draft", post("uma", Status::Draft)),
        ("ada-draft", post("ada", Status::Draft)),
        ("ada-published", post("ada", Status::Published)),
    ]
}

fn cedar_entities() -> Entities {
    let mut entities = vec![
        serde_json::json!({"uid": {"type": "Guest", "id": "guest"}, "attrs": {}, "parents": []}),
        serde_json::json!({"uid": {"type": "Group", "id": "EDITORS"}, "attrs": {}, "parents": []}),
        serde_json::json!({"uid": {"type": "Group", "id": "ADMINS"}, "attrs": {}, "parents": []}),
    ];
    for (name, group) in USERS {
        let parents: Vec<_> = group
            .iter()
            .map(|g| serde_json::json!({"type": "Group", "id": g.name()}))
            .collect();
        entities.push(serde_json::json!({"uid": {"type": "User", "id": name}, "attrs": {}, "parents": parents}));
    }
    for (id, post) in posts() {
        let status = match post.status {
            Status::Draft => "draft",
            Status::Published => "published",
        };
        entities.push(serde_json::json!({
            "uid": {"type": "Post", "id": id},
            "attrs": {"status": status, "owner": {"__entity": {"type": "User", "id": post.owner}}},
            "parents": [],
        }));
    }
    Entities::from_json_value(serde_json::Value::Array(entities), None).expect("entities")
}

fn cedar_principal(name: &str) -> EntityUid {
    let text = if name == "guest" {
        r#"Guest::"guest""#.to_owned()
    } else {
        format!(r#"User::"{name}""#)
    };
    EntityUid::from_str(&text).expect("a principal")
}

const OPS: [Op; 4] = [Op::Create, Op::Get, Op::Update, Op::Delete];

// ------------------------------------------------------------------ files

const CASBIN_MODEL: &str = r#"
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = (g(r.sub, p.sub) || r.sub == p.sub || (p.sub == "authenticated" && r.sub != "guest") || (p.sub == "entity" && r.sub != "guest" && keyGet2(r.obj, p.obj, "id") == r.sub)) && keyMatch2(r.obj, p.obj) && r.act == p.act
"#;

/// The `Files` grants, as casbin policies (`read` is `get` and `list`).
const CASBIN_POLICIES: [(&str, &str, &[&str]); 6] = [
    ("guest", "public/*", &["get", "list"]),
    ("authenticated", "public/*", &["get", "list"]),
    ("ADMINS", "public/*", &["get", "list", "write", "delete"]),
    ("EDITORS", "drafts/*", &["get", "list", "write"]),
    ("ADMINS", "drafts/*", &["get", "list", "write", "delete"]),
    ("entity", "profiles/:id/*", &["get", "list", "write", "delete"]),
];

const KEYS: [&str; 6] = [
    "public/welcome.txt",
    "drafts/plan.md",
    "profiles/uma/avatar.png",
    "profiles/eddie/avatar.png",
    "other/x.txt",
    "drafts/2024/deep/post.md",
];

const ACCESSES: [Access; 4] = [Access::Get, Access::List, Access::Write, Access::Delete];

fn casbin_enforcer() -> Enforcer {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let model = DefaultModel::from_str(CASBIN_MODEL).await.expect("model");
        let mut enforcer = Enforcer::new(model, MemoryAdapter::default())
            .await
            .expect("enforcer");
        for (sub, obj, acts) in CASBIN_POLICIES {
            for act in acts {
                enforcer
                    .add_policy(vec![sub.into(), obj.into(), (*act).into()])
                    .await
                    .expect("policy");
            }
        }
        for (name, group) in USERS {
            if let Some(group) = group {
                enforcer
                    .add_role_for_user(name, group.name(), None)
                    .await
                    .expect("role");
            }
        }
        enforcer
    })
}

fn bench(c: &mut Criterion) {
    let principals = principals();

    // Posts: groupguard and cedar must agree on every request.
    let posts = posts();
    let policies = PolicySet::from_str(CEDAR_POLICIES).expect("policies");
    let entities = cedar_entities();
    let authorizer = Authorizer::new();
    let mut post_requests = Vec::new();
    for (name, principal) in &principals {
        for op in OPS {
            for (id, post) in &posts {
                let request = Request::new(
                    cedar_principal(name),
                    EntityUid::from_str(&format!(r#"Action::"{op}""#)).expect("an action"),
                    EntityUid::from_str(&format!(r#"Post::"{id}""#)).expect("a post"),
                    Context::empty(),
                    None,
                )
                .expect("a request");
                let ours = post.authorize_record(principal, op).is_allowed();
                let cedar = authorizer.is_authorized(&request, &policies, &entities).decision()
                    == Decision::Allow;
                assert_eq!(ours, cedar, "{name} {op} {id}");
                post_requests.push((principal, op, post, request));
            }
        }
    }
    let allowed = post_requests
        .iter()
        .filter(|(p, op, post, _)| post.authorize_record(p, *op).is_allowed())
        .count();
    println!("posts: {} requests, {allowed} allowed", post_requests.len());

    // Files: groupguard and casbin must agree on every request.
    let enforcer = casbin_enforcer();
    let mut file_requests = Vec::new();
    for (name, principal) in &principals {
        for key in KEYS {
            for access in ACCESSES {
                let ours = Files::authorize(principal, key, access).is_allowed();
                let casbin = enforcer
                    .enforce((*name, key, access.to_string().as_str()))
                    .expect("casbin decides");
                assert_eq!(ours, casbin, "{name} {access} {key}");
                file_requests.push((*name, principal, key, access));
            }
        }
    }
    let allowed = file_requests
        .iter()
        .filter(|(_, p, key, access)| Files::authorize(p, key, *access).is_allowed())
        .count();
    println!("files: {} requests, {allowed} allowed", file_requests.len());

    let mut group = c.benchmark_group("post");
    group.bench_function("groupguard", |b| {
        b.iter(|| {
            post_requests
                .iter()
                .filter(|(p, op, post, _)| post.authorize_record(black_box(p), *op).is_allowed())
                .count()
        });
    });
    group.bench_function("cedar", |b| {
        b.iter(|| {
            post_requests
                .iter()
                .filter(|(_, _, _, request)| {
                    authorizer
                        .is_authorized(black_box(request), &policies, &entities)
                        .decision()
                        == Decision::Allow
                })
                .count()
        });
    });
    group.finish();

    let mut group = c.benchmark_group("files");
    group.bench_function("groupguard", |b| {
        b.iter(|| {
            file_requests
                .iter()
                .filter(|(_, p, key, access)| {
                    Files::authorize(black_box(p), black_box(key), *access).is_allowed()
                })
                .count()
        });
    });
    let acts: Vec<String> = file_requests.iter().map(|r| r.3.to_string()).collect();
    group.bench_function("casbin", |b| {
        b.iter(|| {
            file_requests
                .iter()
                .zip(&acts)
                .filter(|((name, _, key, _), act)| {
                    enforcer
                        .enforce((black_box(*name), black_box(*key), act.as_str()))
                        .unwrap_or(false)
                })
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! One model decision, as a user calls it, with groupguard's default
//! features: the bulletin's `Article` rules
//! (`allow(groups = ["EDITORS"], to = [read, update]), allow(groups = [ADMINS])`)
//! decided for an EDITORS principal on `update`, `delete`, `get` (a part of
//! `read`) and `create` in turn: two allowed, two denied.
//!
//! Against the same four decisions by a hand-written check over a
//! `HashSet<String>` of group names, by cedar-policy 4 (policy set and
//! entities built once) and by casbin-rs 2 (RBAC). Each iteration decides
//! the four; the README divides by four. The setup asserts every engine's
//! answers before anything is timed.
//!
//! ```text
//! cd benches-compare && cargo bench --bench model
//! ```

use std::collections::HashSet;
use std::hint::black_box;
use std::str::FromStr;

use casbin::{CoreApi, DefaultModel, Enforcer, MemoryAdapter, MgmtApi, RbacApi};
use cedar_policy::{Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request};
use criterion::{Criterion, criterion_group, criterion_main};
use groupguard::{Op, Principal, groups, model};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(groups = ["EDITORS"], to = [read, update]), allow(groups = [ADMINS]))]
pub struct Article {
    pub title: String,
}

/// The four operations, and whether an editor may perform each.
const OPS: [(Op, bool); 4] = [
    (Op::Update, true),
    (Op::Delete, false),
    (Op::Get, true),
    (Op::Create, false),
];

/// The hand-written check: the rules as group-name strings, `read` spelt
/// out as its parts.
fn naive(groups: &HashSet<String>, op: &str) -> bool {
    const EDITORS: [&str; 6] = ["update", "get", "list", "sync", "listen", "search"];
    (groups.contains("EDITORS") && EDITORS.contains(&op)) || groups.contains("ADMINS")
}

const CEDAR_POLICIES: &str = r#"
permit(principal in Group::"EDITORS", action in [Action::"update", Action::"get", Action::"list", Action::"sync", Action::"listen", Action::"search"], resource is Article);
permit(principal in Group::"ADMINS", action, resource is Article);
"#;

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
m = g(r.sub, p.sub) && r.obj == p.obj && (r.act == p.act || p.act == "*")
"#;

fn casbin_enforcer() -> Enforcer {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let model = DefaultModel::from_str(CASBIN_MODEL).await.expect("model");
        let mut enforcer = Enforcer::new(model, MemoryAdapter::default())
            .await
            .expect("enforcer");
        for act in ["update", "get", "list", "sync", "listen", "search"] {
            enforcer
                .add_policy(vec!["EDITORS".into(), "Article".into(), act.into()])
                .await
                .expect("policy");
        }
        enforcer
            .add_policy(vec!["ADMINS".into(), "Article".into(), "*".into()])
            .await
            .expect("policy");
        enforcer
            .add_role_for_user("eddie", "EDITORS", None)
            .await
            .expect("role");
        enforcer
    })
}

fn bench(c: &mut Criterion) {
    let eddie = Principal::authenticated("eddie").with_groups([Group::EDITORS]);
    let groups: HashSet<String> = HashSet::from(["EDITORS".to_owned()]);
    let policies = PolicySet::from_str(CEDAR_POLICIES).expect("policies");
    let entities = Entities::from_json_value(
        serde_json::json!([
            {"uid": {"type": "Group", "id": "EDITORS"}, "attrs": {}, "parents": []},
            {"uid": {"type": "Group", "id": "ADMINS"}, "attrs": {}, "parents": []},
            {"uid": {"type": "User", "id": "eddie"}, "attrs": {},
             "parents": [{"type": "Group", "id": "EDITORS"}]},
            {"uid": {"type": "Article", "id": "a"}, "attrs": {}, "parents": []},
        ]),
        None,
    )
    .expect("entities");
    let authorizer = Authorizer::new();
    let requests: Vec<Request> = OPS
        .iter()
        .map(|(op, _)| {
            Request::new(
                EntityUid::from_str(r#"User::"eddie""#).expect("a principal"),
                EntityUid::from_str(&format!(r#"Action::"{op}""#)).expect("an action"),
                EntityUid::from_str(r#"Article::"a""#).expect("a resource"),
                Context::empty(),
                None,
            )
            .expect("a request")
        })
        .collect();
    let enforcer = casbin_enforcer();

    // Every engine gives the expected answers before anything is timed.
    for ((op, expected), request) in OPS.iter().zip(&requests) {
        assert_eq!(Article::authorize(&eddie, *op).is_allowed(), *expected, "{op}");
        assert_eq!(naive(&groups, op.name()), *expected, "naive {op}");
        let cedar = authorizer.is_authorized(request, &policies, &entities).decision();
        assert_eq!(cedar == Decision::Allow, *expected, "cedar {op}");
        let casbin = enforcer
            .enforce(("eddie", "Article", op.name()))
            .expect("casbin decides");
        assert_eq!(casbin, *expected, "casbin {op}");
    }

    let mut group = c.benchmark_group("model4");
    group.bench_function("groupguard", |b| {
        b.iter(|| {
            OPS.iter()
                .filter(|(op, _)| Article::authorize(black_box(&eddie), black_box(*op)).is_allowed())
                .count()
        });
    });
    group.bench_function("hashset", |b| {
        b.iter(|| {
            OPS.iter()
                .filter(|(op, _)| naive(black_box(&groups), black_box(op.name())))
                .count()
        });
    });
    group.bench_function("cedar", |b| {
        b.iter(|| {
            requests
                .iter()
                .filter(|request| {
                    authorizer
                        .is_authorized(black_box(request), &policies, &entities)
                        .decision()
                        == Decision::Allow
                })
                .count()
        });
    });
    group.bench_function("casbin", |b| {
        b.iter(|| {
            OPS.iter()
                .filter(|(op, _)| {
                    enforcer
                        .enforce((black_box("eddie"), "Article", op.name()))
                        .unwrap_or(false)
                })
                .count()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

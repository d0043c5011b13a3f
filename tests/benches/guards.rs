//! Speed of the decision paths: `cargo bench -p groupguard-tests --bench guards`,
//! with groupguard's default features (audit events on, no subscriber), as
//! users get them.
//!
//! - `from_name/*`: claim lookup on a 10,000-group enum (Cognito's limit),
//!   against a `HashMap` and a linear scan as baselines.
//! - `model/*`: a model decision, against the naive string-comparison form
//!   a hand-written Amplify-style check would take.
//! - `storage/*`: a storage decision on 7 paths, and on 10, 1,000 and 10,000
//!   paths (the cost must not grow with the number of paths), and a key
//!   rejected early.

use std::collections::{HashMap, HashSet};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use groupguard::{Access, Op, Principal, model, storage};

mod big {
    include!(concat!(env!("OUT_DIR"), "/groups10k.rs"));
}
use big::Big;

#[groupguard::groups]
pub enum Group {
    ADMINS,
    EDITORS,
    VIEWERS,
}

#[model(
    allow(groups = [EDITORS], to = [read, update]),
    allow(groups = [ADMINS]),
    allow(guest, to = [list]),
)]
pub struct Article;

/// The bulletin's article rules, as `benches-compare/benches/model.rs`
/// compares them with other engines.
#[model(allow(groups = ["EDITORS"], to = [read, update]), allow(groups = [ADMINS]))]
pub struct Bulletin;

#[model(groups = Big, allow(groups = [G09999, G05000], to = [read]), allow(groups = [G00001]))]
pub struct Archive;

storage! {
    pub Articles {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "drafts/archive/*" => groups(ADMINS): [read],
        "public/*" => guest: [read],
        "public/*" => authenticated: [read, write],
        "profiles/{entity_id}/*" => entity(identity): [read, write, delete],
        "profiles/{entity_id}/*" => groups("ADMINS"): [read],
    }
}

include!(concat!(env!("OUT_DIR"), "/storage10.rs"));
include!(concat!(env!("OUT_DIR"), "/storage1000.rs"));
include!(concat!(env!("OUT_DIR"), "/storage10000.rs"));

fn from_name(c: &mut Criterion) {
    let names: Vec<String> = Big::ALL.iter().map(|g| g.name().to_owned()).collect();
    let probes = ["G00000", "G04999", "G09999", "G10000", "nope"];
    let map: HashMap<&str, Big> = Big::ALL.iter().map(|g| (g.name(), *g)).collect();
    let mut group = c.benchmark_group("from_name");
    group.bench_function("groupguard_10k", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter_map(|p| Big::from_name(black_box(p)))
                .count()
        });
    });
    group.bench_function("hashmap_10k", |b| {
        b.iter(|| probes.iter().filter_map(|p| map.get(black_box(*p))).count());
    });
    group.bench_function("linear_10k", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter_map(|p| names.iter().position(|n| n == black_box(*p)))
                .count()
        });
    });
    group.finish();
}

/// The string-based check a hand-written guard would do: Amplify's semantics
/// with group names as strings.
fn naive_allows(groups: &[String], authenticated: bool, op: &str) -> bool {
    const READ: [&str; 5] = ["get", "list", "sync", "listen", "search"];
    let rules: [(&[&str], &[&str]); 3] = [
        (&["EDITORS"], &["read", "update"]),
        (&["ADMINS"], &["create", "update", "delete", "read"]),
        (&["guest"], &["list"]),
    ];
    rules.iter().any(|(who, ops)| {
        let admits = who.iter().any(|w| {
            if *w == "guest" {
                !authenticated
            } else {
                groups.iter().any(|g| g == w)
            }
        });
        admits
            && ops
                .iter()
                .any(|o| *o == op || (*o == "read" && READ.contains(&op)))
    })
}

fn model(c: &mut Criterion) {
    let editor = Principal::authenticated("bob").with_groups([Group::EDITORS]);
    let viewer = Principal::authenticated("vic").with_groups([Group::VIEWERS]);
    let editor_groups = vec!["EDITORS".to_owned()];
    let archivist = Principal::authenticated("a").with_groups([Big::G05000]);
    let mut group = c.benchmark_group("model");
    group.bench_function("groupguard_allow", |b| {
        b.iter(|| Article::authorize(black_box(&editor), black_box(Op::Update)).is_allowed());
    });
    group.bench_function("groupguard_deny", |b| {
        b.iter(|| Article::authorize(black_box(&viewer), black_box(Op::Delete)).is_allowed());
    });
    group.bench_function("groupguard_read_composite", |b| {
        b.iter(|| Article::authorize(black_box(&editor), black_box(Op::Read)).is_allowed());
    });
    // An editor on `update`, `delete`, `get` (a part of `read`) and
    // `create`: two allowed, two denied; divide by four.
    let four = [
        (Op::Update, true),
        (Op::Delete, false),
        (Op::Get, true),
        (Op::Create, false),
    ];
    for (op, allowed) in four {
        assert_eq!(
            Bulletin::authorize(&editor, op).is_allowed(),
            allowed,
            "{op}"
        );
    }
    group.bench_function("groupguard_four_ops", |b| {
        b.iter(|| {
            four.iter()
                .filter(|(op, _)| {
                    Bulletin::authorize(black_box(&editor), black_box(*op)).is_allowed()
                })
                .count()
        });
    });
    group.bench_function("groupguard_10k_groups", |b| {
        b.iter(|| Archive::authorize(black_box(&archivist), black_box(Op::Get)).is_allowed());
    });
    // A hand-written check with the principal's groups in a
    // `HashSet<String>`: the rules of `Article` for `update`.
    let editor_set: HashSet<String> = editor_groups.iter().cloned().collect();
    let update_rules: [&[&str]; 2] = [&["EDITORS"], &["ADMINS"]];
    group.bench_function("hashset_strings_allow", |b| {
        b.iter(|| {
            black_box(&update_rules)
                .iter()
                .any(|groups| groups.iter().any(|g| black_box(&editor_set).contains(*g)))
        });
    });
    group.bench_function("naive_strings_allow", |b| {
        b.iter(|| naive_allows(black_box(&editor_groups), true, black_box("update")));
    });
    group.finish();
}

fn storage(c: &mut Criterion) {
    let editor = Principal::authenticated("bob").with_groups([Group::EDITORS]);
    let mut group = c.benchmark_group("storage");
    group.bench_function("7_paths_allow", |b| {
        b.iter(|| {
            Articles::authorize(
                black_box(&editor),
                black_box("drafts/2024/post-1.md"),
                Access::Write,
            )
            .is_allowed()
        });
    });
    for (paths, authorize) in [
        (
            10,
            Ten::authorize as fn(&Principal<Group>, &str, Access) -> groupguard::Decision,
        ),
        (1_000, Many::authorize),
        (10_000, Huge::authorize),
    ] {
        group.bench_function(format!("{paths}_paths_allow"), |b| {
            b.iter(|| {
                authorize(
                    black_box(&editor),
                    black_box("area0004/2024/post-1.md"),
                    Access::Write,
                )
                .is_allowed()
            });
        });
    }
    group.bench_function("7_paths_entity_deny", |b| {
        b.iter(|| {
            Articles::authorize(
                black_box(&editor),
                black_box("profiles/eve/a.png"),
                Access::Get,
            )
            .is_allowed()
        });
    });
    group.bench_function("traversal_rejected", |b| {
        b.iter(|| {
            Articles::authorize(
                black_box(&editor),
                black_box("drafts/../profiles/eve/a"),
                Access::Get,
            )
            .is_allowed()
        });
    });
    group.finish();
}

criterion_group!(benches, from_name, model, storage);
criterion_main!(benches);

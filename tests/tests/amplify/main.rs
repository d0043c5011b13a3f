//! Amplify (feature `amplify`). Here: `amplify_outputs.json` read
//! leniently, the export of groups and storages as Amplify writes them
//! (round trip), and drift. Fixtures: `fixtures/amplify/articles_outputs.json`
//! (assembled from the 1.5 schema and Amplify's generators) and
//! `integration_test_outputs.json` (the `paths` Amplify's own integration
//! test expects for its `data-storage-auth-with-triggers` project, with an
//! `{entity_id}` path). `iam.rs`: the IAM policies per role; `backend.rs`:
//! the Amplify Gen 2 definitions; both checked in for the tour's policy and
//! for a declaration with awkward names (`awkward.rs`) under
//! `fixtures/amplify/{tour,awkward}/`, rewritten with `GROUPGUARD_BLESS=1
//! cargo test -p groupguard-tests --test amplify` (then review the diff).

#[path = "../support/iam.rs"]
mod evaluator;
#[path = "../../../examples/tour_policy.rs"]
mod tour;

mod awkward;
mod backend;
mod iam;

use groupguard::amplify::{self, AmplifyOutputs, GrantDrift, OutputsError, PrecedenceDrift};
use groupguard::{TokenUse, groups, storage};

const ARTICLES: &str = include_str!("../fixtures/amplify/articles_outputs.json");
const INTEGRATION: &str = include_str!("../fixtures/amplify/integration_test_outputs.json");

/// Compares `current` with the checked-in `fixtures/amplify/{file}`, or
/// rewrites the file with `GROUPGUARD_BLESS=1`.
fn check_in(file: &str, current: &str) {
    let path = format!(
        "{}/tests/fixtures/amplify/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    if std::env::var_os("GROUPGUARD_BLESS").is_some_and(|v| v == "1") {
        if let Some(dir) = std::path::Path::new(&path).parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(&path, current).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        return;
    }
    let saved = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {path} ({e}): run with GROUPGUARD_BLESS=1"));
    assert!(
        saved == current,
        "the export changed; review and rerun with GROUPGUARD_BLESS=1.\n--- {path}\n{saved}\n--- now\n{current}"
    );
}

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    pub Articles {
        "drafts/*" => groups(EDITORS): [read, write],
        "drafts/*" => groups(ADMINS): [read, write, delete],
        "public/*" => guest: [read],
        "public/*" => authenticated: [read],
        "private/{entity_id}/*" => entity(identity): [read, write, delete],
    }
}

mod integration {
    #[groupguard::groups]
    pub enum Group {
        #[group(precedence = 1)]
        Admins,
        #[group(precedence = 2)]
        Editors,
    }

    // Amplify's `storage/resource.ts` of the integration test, in Rust.
    groupguard::storage! {
        pub TestName {
            "public/*" => guest: [read],
            "public/*" => authenticated: [read, write],
            "public/*" => groups(Admins): [read, write, delete],
            "protected/{entity_id}/*" => authenticated: [read],
            "protected/{entity_id}/*" => entity(identity): [read, write, delete],
            "protected/{entity_id}/*" => groups(Admins): [read, write, delete],
        }
    }
}

#[test]
fn the_outputs_are_read_leniently() {
    let outputs = AmplifyOutputs::from_json(ARTICLES).expect("reads");
    assert_eq!(outputs.version.as_deref(), Some("1.5"));
    let auth = outputs.auth.as_ref().expect("auth");
    assert_eq!(auth.user_pool_id, "us-east-1_AbCdEf123");
    assert_eq!(auth.groups.len(), 2);
    assert_eq!(auth.groups[1].name, "EDITORS");
    assert_eq!(auth.groups[1].precedence, Some(1));
    let bucket = outputs.bucket("articles").expect("bucket");
    assert_eq!(bucket.bucket_name, "amplify-app-articles-bucket-abc123");
    assert_eq!(bucket.paths.len(), 3);
    assert!(outputs.bucket("nope").is_none());
    // `read` is expanded, actions are put in Amplify's order.
    let read = AmplifyOutputs::from_json(
        r#"{"storage": {"buckets": [{"name": "n", "bucket_name": "b", "aws_region": "r",
            "paths": {"p/*": {"guest": ["delete", "read"]}}}]}}"#,
    )
    .expect("reads");
    assert_eq!(
        read.buckets[0].paths["p/*"]["guest"],
        ["get", "list", "delete"]
    );
    assert!(read.auth.is_none());
}

#[test]
fn malformed_outputs_are_errors_that_name_the_member() {
    let cases = [
        ("not json", "is not JSON"),
        ("[]", "`(top level)` is not an object"),
        (r#"{"version": 1}"#, "`version` is not a string"),
        (r#"{"auth": []}"#, "`auth` is not an object"),
        (
            r#"{"auth": {"aws_region": "r", "user_pool_id": "p"}}"#,
            "`auth.user_pool_client_id` is missing",
        ),
        (
            r#"{"auth": {"aws_region": "r", "user_pool_id": "p", "user_pool_client_id": "c", "groups": [{"A": {"precedence": "0"}}]}}"#,
            "`auth.groups[0].A.precedence` is not an integer",
        ),
        (
            r#"{"storage": {"buckets": {}}}"#,
            "`storage.buckets` is not an array",
        ),
        (
            r#"{"storage": {"buckets": [{"name": "n", "bucket_name": "b", "aws_region": "r", "paths": {"p/*": {"guest": ["fly"]}}}]}}"#,
            "`storage.buckets[0].paths.p/*.guest` holds an action other than",
        ),
        (
            r#"{"storage": {"buckets": [{"bucket_name": "b", "aws_region": "r"}]}}"#,
            "`storage.buckets[0].name` is missing",
        ),
    ];
    for (text, message) in cases {
        let error = AmplifyOutputs::from_json(text).expect_err(text);
        assert!(error.to_string().contains(message), "{text}: {error}");
    }
    let outputs = AmplifyOutputs::from_json("{}").unwrap();
    assert_eq!(outputs.group_drift::<Group>(), Err(OutputsError::NoAuth));
    assert!(matches!(
        outputs.storage_drift::<Articles>("articles"),
        Err(OutputsError::NoBucket { .. })
    ));
}

#[test]
fn export_round_trips_without_drift() {
    let outputs = AmplifyOutputs::from_json(ARTICLES).expect("reads");
    assert!(outputs.group_drift::<Group>().unwrap().is_empty());
    let drift = outputs.storage_drift::<Articles>("articles").unwrap();
    assert!(drift.is_empty(), "{drift}");
    assert_eq!(
        amplify::export_paths::<Articles>(),
        outputs.bucket("articles").unwrap().paths_json()
    );
    assert_eq!(
        amplify::export_groups::<Group>().to_string(),
        r#"[{"ADMINS":{"precedence":0}},{"EDITORS":{"precedence":1}}]"#
    );
    // Export, read back, compare.
    let written = serde_json::json!({
        "version": "1.5",
        "auth": {"aws_region": "us-east-1", "user_pool_id": "us-east-1_X", "user_pool_client_id": "c",
                 "groups": amplify::export_groups::<Group>()},
        "storage": {"aws_region": "us-east-1", "bucket_name": "b",
                    "buckets": [{"name": "articles", "bucket_name": "b", "aws_region": "us-east-1",
                                 "paths": amplify::export_paths::<Articles>()}]},
    });
    let read = AmplifyOutputs::from_json(&written.to_string()).unwrap();
    assert!(read.group_drift::<Group>().unwrap().is_empty());
    assert!(
        read.storage_drift::<Articles>("articles")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_entity_id_path_is_written_as_amplify_writes_it() {
    let outputs = AmplifyOutputs::from_json(INTEGRATION).expect("reads");
    assert_eq!(
        amplify::export_paths::<integration::TestName>(),
        outputs.bucket("testName").unwrap().paths_json()
    );
    assert!(
        outputs
            .storage_drift::<integration::TestName>("testName")
            .unwrap()
            .is_empty()
    );
    assert!(
        outputs
            .group_drift::<integration::Group>()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn drift_names_every_difference() {
    #[groups]
    pub enum Renamed {
        ADMINS,
        EDITOR,
        #[group(precedence = 5)]
        VIEWERS,
    }
    let outputs = AmplifyOutputs::from_json(&ARTICLES.replace(
        r#"{ "EDITORS": { "precedence": 1 } }"#,
        r#"{ "EDITORS": { "precedence": 1 } }, { "VIEWERS": { "precedence": 2 } }"#,
    ))
    .unwrap();
    let drift = outputs.group_drift::<Renamed>().unwrap();
    assert_eq!(drift.missing_in_pool, ["EDITOR"]);
    assert_eq!(drift.unknown_to_rust, ["EDITORS"]);
    assert_eq!(
        drift.precedence,
        [PrecedenceDrift {
            group: "VIEWERS",
            rust: 5,
            pool: 2
        }]
    );
    let text = drift.to_string();
    assert!(
        text.contains(
            "`EDITOR` is declared in Rust but not in the user pool: rules naming it match no one"
        ),
        "{text}"
    );
    assert!(
        text.contains("`EDITORS` is in the user pool but not declared in Rust"),
        "{text}"
    );
    assert!(
        text.contains("`VIEWERS` has precedence 5 in Rust and 2 in the user pool"),
        "{text}"
    );

    storage! {
        groups = crate::Group;
        pub Changed {
            "drafts/*" => groups(EDITORS): [read],
            "drafts/*" => groups(ADMINS): [read, write, delete],
            "public/*" => guest: [read],
            "archive/*" => authenticated: [get],
        }
    }
    let drift = outputs.storage_drift::<Changed>("articles").unwrap();
    assert_eq!(drift.only_in_rust, ["archive/*"]);
    assert_eq!(
        drift.only_in_bucket,
        ["private/${cognito-identity.amazonaws.com:sub}/*"]
    );
    assert_eq!(
        drift.grants,
        [
            GrantDrift {
                path: "drafts/*".into(),
                key: "groupsEDITORS".into(),
                rust: vec!["get".into(), "list".into()],
                bucket: vec!["get".into(), "list".into(), "write".into()],
            },
            GrantDrift {
                path: "public/*".into(),
                key: "authenticated".into(),
                rust: vec![],
                bucket: vec!["get".into(), "list".into()],
            },
        ]
    );
    let text = drift.to_string();
    assert!(
        text.contains(
            "`drafts/*` `groupsEDITORS`: Rust grants get, list, the bucket get, list, write"
        ),
        "{text}"
    );
    assert!(
        text.contains("`public/*` `authenticated`: Rust grants nothing, the bucket get, list"),
        "{text}"
    );
}

#[test]
fn a_verifier_is_built_from_the_outputs() {
    let outputs = AmplifyOutputs::from_json(ARTICLES).unwrap();
    let auth = outputs.auth.as_ref().unwrap();
    let verifier = auth
        .verifier::<Group>(TokenUse::Access)
        .expect("a builder")
        .jwks_json(&groupguard::test_issuer::TestIssuer::new().jwks_json())
        .expect("keys")
        .build()
        .expect("a verifier");
    assert_eq!(
        verifier.issuer(),
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123"
    );
    let mut wrong = auth.clone();
    wrong.aws_region = "eu-west-1".into();
    assert!(wrong.verifier::<Group>(TokenUse::Access).is_err());
}

/// `#[groups(amplify_outputs = ...)]` compiles when the enum matches the
/// pool (the drift messages are unit-tested in the macros crate; a missing
/// file is a trybuild case).
mod checked_at_compile_time {
    #[groupguard::groups(amplify_outputs = "tests/fixtures/amplify/articles_outputs.json")]
    pub enum Group {
        ADMINS,
        EDITORS,
    }
}

#[test]
fn an_enum_checked_against_the_outputs_at_compile_time_is_an_ordinary_enum() {
    assert_eq!(checked_at_compile_time::Group::ALL.len(), 2);
    assert_eq!(checked_at_compile_time::Group::EDITORS.precedence(), 1);
}

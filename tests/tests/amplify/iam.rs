//! The IAM policies per role (`amplify::iam_policies`): the tour's and the
//! awkward declaration's as checked-in JSON (rewritten with
//! `GROUPGUARD_BLESS=1`), Amplify's own unit tests transcribed, what the
//! statements decide (the IAM evaluator of `support/iam.rs`, against
//! `authorize`), where one role at a time differs (the warnings), the
//! errors, and the evaluator itself. Statement for statement equality with
//! Amplify's own orchestrator is checked by `scripts/amplify-oracle`.

use groupguard::amplify::{self, AUTHENTICATED_ROLE, ExportError, GUEST_ROLE, IamRole};
use groupguard::{Access, Groups, Principal, Storage, validate_key};
use serde_json::{Value, json};

use crate::evaluator::{self, Policy, s3_request};
use crate::{awkward, check_in, tour};

const IDS: [&str; 3] = ["us-east-1:aaaa", "us-east-1:bbbb", "us-east-1:aa"];
const SEGMENTS: [&str; 5] = ["f.txt", "x", "common", "a", "deep/er/f"];
const ACTIONS: [(&str, Access); 4] = [
    ("get", Access::Get),
    ("list", Access::List),
    ("write", Access::Write),
    ("delete", Access::Delete),
];

#[test]
fn the_tours_policies_are_checked_in() {
    let policies = amplify::iam_policies::<tour::Articles>("tour-articles").unwrap();
    check_in("tour/iam.json", &format!("{policies}\n"));
    // What a reader checks first: the editors' role may read and write the
    // drafts, not the archive below them.
    let editors = policies
        .role(IamRole::Group(tour::Group::EDITORS))
        .unwrap()
        .document();
    assert_eq!(
        editors["Statement"][1],
        json!({"Action": "s3:GetObject", "Effect": "Deny",
               "Resource": "arn:aws:s3:::tour-articles/drafts/archive/*"})
    );
    let json = policies.to_json();
    assert_eq!(
        json["roles"][2]["role_arn"],
        "arn:aws:iam::123456789012:role/Admins"
    );
    assert_eq!(json["roles"][3]["role_arn"], Value::Null);
}

#[test]
fn the_awkward_declarations_policies_are_checked_in() {
    let policies = amplify::iam_policies::<awkward::Awkward>("awkward-bucket").unwrap();
    check_in("awkward/iam.json", &format!("{policies}\n"));
    let json = policies.to_json();
    let names: Vec<&str> = json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            GUEST_ROLE,
            AUTHENTICATED_ROLE,
            "it's",
            r"back\slash",
            "café-ñandú",
            "编辑",
            "${x}`\"{y}",
            "a*b?",
            "🔒-locked"
        ]
    );
    // Names are data in JSON: escaped by serde_json, never reaching an ARN.
    let text = policies.to_string();
    assert!(text.contains(r#""role": "back\\slash""#), "{text}");
    assert!(text.contains(r#""Resource": "arn:aws:s3:::awkward-bucket/quote\"d/*""#));
}

/// `StorageAccessOrchestrator`'s unit test "denies parent actions on a
/// subpath by default" (amplify-backend,
/// `packages/backend-storage/src/storage_access_orchestrator.test.ts`), with
/// the two acceptors as the authenticated and guest roles. `read` has been
/// `get` and `list` since that test was written; the list statements are as
/// `storage_access_policy_factory.test.ts` ('handles allow and deny on
/// "list" action') expects them.
#[test]
fn amplifys_own_unit_test_a_sub_path_denies_its_parents_actions() {
    groupguard::storage! {
        groups = crate::Group;
        pub Foo {
            "foo/*" => authenticated: [read, write],
            "foo/bar/*" => guest: [read],
        }
    }
    let policies = amplify::iam_policies::<Foo>("b-1").unwrap();
    let statements = |role| policies.role(role).unwrap().document()["Statement"].clone();
    assert_eq!(
        statements(IamRole::Authenticated),
        json!([
            {"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1/foo/*"},
            {"Action": "s3:GetObject", "Effect": "Deny", "Resource": "arn:aws:s3:::b-1/foo/bar/*"},
            {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1",
             "Condition": {"StringLike": {"s3:prefix": ["foo/*", "foo/"]}}},
            {"Action": "s3:ListBucket", "Effect": "Deny", "Resource": "arn:aws:s3:::b-1",
             "Condition": {"StringLike": {"s3:prefix": ["foo/bar/*", "foo/bar/"]}}},
            {"Action": "s3:PutObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1/foo/*"},
            {"Action": "s3:PutObject", "Effect": "Deny", "Resource": "arn:aws:s3:::b-1/foo/bar/*"},
        ])
    );
    assert_eq!(
        statements(IamRole::Guest),
        json!([
            {"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1/foo/bar/*"},
            {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1",
             "Condition": {"StringLike": {"s3:prefix": ["foo/bar/*", "foo/bar/"]}}},
        ])
    );
}

/// The same file's "handles multiple permissions for the same resource
/// access acceptor": one statement per action, its resources in order.
#[test]
fn amplifys_own_unit_test_one_statement_per_action() {
    groupguard::storage! {
        groups = crate::Group;
        pub Prefixes {
            "test/prefix/*" => authenticated: [read, write, delete],
            "another/prefix/*" => authenticated: [read],
        }
    }
    let policies = amplify::iam_policies::<Prefixes>("b-1").unwrap();
    assert_eq!(
        policies.roles()[0].document(),
        json!({"Version": "2012-10-17", "Statement": [
            {"Action": "s3:GetObject", "Effect": "Allow",
             "Resource": ["arn:aws:s3:::b-1/test/prefix/*", "arn:aws:s3:::b-1/another/prefix/*"]},
            {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1",
             "Condition": {"StringLike": {"s3:prefix":
                 ["test/prefix/*", "test/prefix/", "another/prefix/*", "another/prefix/"]}}},
            {"Action": "s3:PutObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1/test/prefix/*"},
            {"Action": "s3:DeleteObject", "Effect": "Allow", "Resource": "arn:aws:s3:::b-1/test/prefix/*"},
        ]})
    );
}

/// The roles' policies of `S`'s export, by identifier.
fn roles<S: Storage>(bucket: &str) -> Vec<(String, Policy)> {
    let json = amplify::iam_policies::<S>(bucket).unwrap().to_json();
    json["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let policy = Policy::from_json(&r["policy"]).unwrap();
            (r["role"].as_str().unwrap().to_owned(), policy)
        })
        .collect()
}

/// Valid keys around every path of `S`, with the ids of `IDS` in place of
/// `{entity_id}`, beside the folders, and deeper.
fn keys<S: Storage>() -> Vec<String> {
    let mut keys = Vec::new();
    for path in S::PATHS {
        let template = path.path().trim_end_matches('*');
        let mut bases = vec![template.replace("{entity_id}/", "")];
        bases.extend(IDS.iter().map(|id| template.replace("{entity_id}", id)));
        for base in bases {
            keys.push(base.clone());
            keys.push(base.trim_end_matches('/').to_owned());
            for segment in SEGMENTS {
                keys.push(format!("{base}{segment}"));
                keys.push(format!("{base}{segment}/"));
            }
        }
    }
    keys.retain(|k| validate_key(k).is_ok());
    keys.sort();
    keys.dedup();
    keys
}

/// A guest, a user in no group, one per group, and one in every group,
/// with the roles IAM would give each under the union model.
fn principals<G: Groups>() -> Vec<(Principal<G>, Vec<&'static str>)> {
    let user = |id: &str| Principal::<G>::authenticated(format!("sub-{id}")).with_identity_id(id);
    let mut all = vec![
        (Principal::guest(), vec![GUEST_ROLE]),
        (user(IDS[0]), vec![AUTHENTICATED_ROLE]),
    ];
    for group in G::ALL {
        all.push((
            user(IDS[0]).with_groups([*group]),
            vec![AUTHENTICATED_ROLE, group.name()],
        ));
    }
    let mut every = vec![AUTHENTICATED_ROLE];
    every.extend(G::ALL.iter().map(|g| g.name()));
    all.push((user(IDS[1]).with_groups(G::ALL.iter().copied()), every));
    all
}

/// Decides every principal, key and action with `authorize` and with the
/// exported statements (the union of the principal's roles); returns the
/// number of decisions and of allowed ones.
fn agreement<S: Storage>() -> (usize, usize) {
    let roles = roles::<S>("b-1");
    let (mut decisions, mut allowed) = (0, 0);
    for (principal, names) in principals::<S::Group>() {
        let identity = principal.identity_id();
        for key in keys::<S>() {
            for (action, access) in ACTIONS {
                let ours = S::authorize(&principal, &key, access).is_allowed();
                let request = s3_request("b-1", action, &key, identity);
                let iam = roles
                    .iter()
                    .filter(|(name, _)| names.contains(&name.as_str()))
                    .any(|(_, policy)| policy.allows(&request));
                assert_eq!(
                    ours,
                    iam,
                    "{}: {action} {key:?} by {names:?}: authorize {ours}, IAM {iam}",
                    S::NAME
                );
                decisions += 1;
                allowed += usize::from(ours);
            }
        }
    }
    (decisions, allowed)
}

#[test]
fn the_tours_statements_decide_as_authorize() {
    let (decisions, allowed) = agreement::<tour::Articles>();
    assert!(
        decisions > 1000 && allowed > 100,
        "{decisions} decisions, {allowed} allowed"
    );
}

#[test]
fn the_awkward_statements_decide_as_authorize() {
    let (decisions, allowed) = agreement::<awkward::Awkward>();
    assert!(
        decisions > 4000 && allowed > 500,
        "{decisions} decisions, {allowed} allowed"
    );
}

groupguard::storage! {
    groups = crate::Group;
    /// Two groups declared, one granted.
    pub Plain { "drafts/*" => groups(EDITORS): [read] }
}

mod single {
    #[groupguard::groups]
    pub enum Group {
        EDITORS,
    }
    groupguard::storage! {
        pub Plain { "drafts/*" => groups(EDITORS): [read] }
    }
}

/// IAM gives a session one role: an editor holding the editors' role cannot
/// write `public/*`, which the authenticated role grants and `authorize`
/// allows. The warnings say so, naming the path and the groups.
#[test]
fn one_role_at_a_time_differs_where_the_warnings_say() {
    let policies = amplify::iam_policies::<tour::Articles>("tour-articles").unwrap();
    let bob = Principal::authenticated("bob")
        .with_identity_id(IDS[0])
        .with_groups([tour::Group::EDITORS]);
    assert!(tour::Articles::authorize(&bob, "public/post.md", Access::Write).is_allowed());
    let editors = Policy::from_json(
        &policies
            .role(IamRole::Group(tour::Group::EDITORS))
            .unwrap()
            .document(),
    )
    .unwrap();
    let request = s3_request("tour-articles", "write", "public/post.md", Some(IDS[0]));
    assert!(!editors.allows(&request));

    let warnings = policies.warnings();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(warnings[0].contains("`public/*`, `profiles/{entity_id}/*`"));
    assert!(warnings[0].contains("do not reach members of ADMINS, EDITORS"));
    assert!(warnings[1].contains("never their union"));
    assert!(warnings[1].contains("(ADMINS 0, EDITORS 1)"));
    assert!(warnings[2].contains("identity-pool identity id"));

    // Groups only, in one group: nothing to warn about.
    assert!(
        amplify::iam_policies::<single::Plain>("b-1")
            .unwrap()
            .warnings()
            .is_empty()
    );
    // Two groups, one of them with grants: a user in both may get the other's role.
    assert_eq!(
        amplify::iam_policies::<Plain>("b-1")
            .unwrap()
            .warnings()
            .len(),
        1
    );
}

#[test]
fn errors_name_what_to_fix() {
    mod reserved {
        #[groupguard::groups]
        pub enum Group {
            #[group(name = "authenticatedUserIamRole")]
            Everyone,
            #[group(name = "unauthenticatedUserIamRole")]
            Guests,
            EDITORS,
        }
        groupguard::storage! {
            pub Named { "a/*" => groups(EDITORS, Everyone): [read] }
        }
        groupguard::storage! {
            pub Guests { "a/*" => groups(Guests): [read] }
        }
        groupguard::storage! {
            pub Unnamed { "a/*" => groups(EDITORS): [read] }
        }
    }
    for bucket in ["ab", "Articles", "a/b", "a*", "b?b", "-ab", "a..b"] {
        let error = amplify::iam_policies::<tour::Articles>(bucket).unwrap_err();
        assert!(matches!(error, ExportError::BucketName { .. }), "{bucket}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("`{bucket}` is not an S3 bucket name"))
        );
    }

    let error = amplify::iam_policies::<reserved::Named>("b-1").unwrap_err();
    assert_eq!(
        error,
        ExportError::ReservedGroupName {
            group: "authenticatedUserIamRole",
            role: "authenticated",
            who: "signed-in user"
        }
    );
    assert_eq!(
        error.to_string(),
        "the group `authenticatedUserIamRole` has the name Amplify gives the authenticated role: \
         Amplify would attach its grants to that role, which every signed-in user gets; rename \
         the group (`#[group(name = \"...\")]`)"
    );
    assert_eq!(
        amplify::define_storage::<reserved::Named>("n").unwrap_err(),
        error
    );
    assert!(matches!(
        amplify::iam_policies::<reserved::Guests>("b-1"),
        Err(ExportError::ReservedGroupName { who: "guest", .. })
    ));
    // Declared but granted nothing: nothing to misread.
    assert!(amplify::iam_policies::<reserved::Unnamed>("b-1").is_ok());
}

mod evaluator_tests {
    use super::*;
    use evaluator::{IDENTITY_VARIABLE, like};

    fn policy(statements: Value) -> Policy {
        Policy::from_json(&json!({"Version": "2012-10-17", "Statement": statements})).unwrap()
    }

    #[test]
    fn wildcards() {
        assert!(like("a/*", "a/"));
        assert!(like("a/*", "a/b/c"));
        assert!(!like("a/*", "a"));
        assert!(like("a/*/*", "a/b/c"));
        assert!(!like("a/*/*", "a/b"));
        assert!(like("a?/*", "ab/f"));
        assert!(!like("a?/*", "a/f"));
        assert!(like("a/", "a/"));
        assert!(!like("a/", "a/x"));
        assert!(like("*", ""));
        assert!(like("caf\u{e9}/*", "caf\u{e9}/x"));
    }

    #[test]
    fn an_explicit_deny_wins_and_nothing_is_allowed_by_default() {
        let p = policy(json!([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/a/*"},
            {"Effect": "Deny", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/a/b/*"]},
        ]));
        assert!(p.allows(&s3_request("b", "get", "a/x", None)));
        assert!(!p.allows(&s3_request("b", "get", "a/b/x", None)));
        assert!(!p.allows(&s3_request("b", "write", "a/x", None)));
        assert!(!p.allows(&s3_request("c", "get", "a/x", None)));
        assert!(
            !p.without_denies()
                .allows(&s3_request("b", "get", "z", None))
        );
        assert!(
            p.without_denies()
                .allows(&s3_request("b", "get", "a/b/x", None))
        );
        // Actions compare without case, like IAM's.
        let q = policy(json!([{"Effect": "Allow", "Action": "S3:getobject", "Resource": "*"}]));
        assert!(q.allows(&s3_request("b", "get", "k", None)));
    }

    #[test]
    fn the_identity_variable_is_the_callers_identity_id() {
        let p = policy(json!([
            {"Effect": "Allow", "Action": "s3:GetObject",
             "Resource": format!("arn:aws:s3:::b/p/{IDENTITY_VARIABLE}/*")},
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
             "Condition": {"StringLike": {"s3:prefix": [format!("p/{IDENTITY_VARIABLE}/*")]}}},
        ]));
        assert!(p.allows(&s3_request("b", "get", "p/u1/x", Some("u1"))));
        assert!(!p.allows(&s3_request("b", "get", "p/u2/x", Some("u1"))));
        assert!(!p.allows(&s3_request("b", "get", "p/u1/x", None)));
        assert!(p.allows(&s3_request("b", "list", "p/u1/", Some("u1"))));
        assert!(!p.allows(&s3_request("b", "list", "p/u2/", Some("u1"))));
    }

    #[test]
    fn a_listing_is_decided_on_its_prefix() {
        let p = policy(json!([
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
             "Condition": {"StringLike": {"s3:prefix": ["a/*", "a/"]}}},
        ]));
        assert!(p.allows(&s3_request("b", "list", "a/", None)));
        assert!(p.allows(&s3_request("b", "list", "a/deep/", None)));
        assert!(!p.allows(&s3_request("b", "list", "a", None)));
        assert!(!p.allows(&s3_request("b", "list", "", None)));
        // Listing is not reading.
        assert!(!p.allows(&s3_request("b", "get", "a/x", None)));
        // A request without the key does not satisfy a condition on it.
        let mut request = s3_request("b", "list", "a/", None);
        request.prefix = None;
        assert!(!p.allows(&request));
    }

    #[test]
    fn what_it_does_not_understand_is_refused() {
        let read = |document: Value| Policy::from_json(&document).map(|_| ());
        let good = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
        assert!(read(json!({"Version": "2012-10-17", "Statement": [good]})).is_ok());
        assert!(read(json!({"Statement": [good]})).is_err()); // variables unread
        assert!(read(json!({"Version": "2008-10-17", "Statement": [good]})).is_err());
        for statement in [
            json!({"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "*"}),
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": "*"}),
            json!({"Effect": "Maybe", "Action": "s3:GetObject", "Resource": "*"}),
            json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}),
            json!({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
                   "Condition": {"StringNotLike": {"s3:prefix": "a/*"}}}),
            json!({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",
                   "Condition": {"StringLike": {"s3:delimiter": "/"}}}),
        ] {
            assert!(
                read(json!({"Version": "2012-10-17", "Statement": [statement]})).is_err(),
                "{statement}"
            );
        }
    }
}

//! The guarded object store (`groupguard::object_store::GuardedStore`, feature
//! `object-store`) over `InMemory` and `LocalFileSystem` in a temporary
//! directory, on the storage guide's `Articles` storage:
//!
//! - `literal_table`: hand-written cases, each with its expected answer;
//! - `every_call_on_both_backends`: every call x principal x key, with the
//!   answer and the store's contents afterwards derived from this file's own
//!   table of which accesses each call needs;
//! - `every_method_is_forwarded`: a recording inner store lists every
//!   `ObjectStore` method (required and defaulted; `#[deny(clippy::
//!   missing_trait_methods)]` makes a method `object_store` adds a CI failure
//!   until it is listed) and each is checked to reach the inner store's own
//!   method when allowed and nothing when denied;
//! - keys built through `Path`'s constructors, and deletions through a
//!   backend that deletes in batches;
//! - `traits.rs`: a store generic over its backend, its `MultipartStore` and
//!   `Signer` (presigned URLs) through the guard.

mod traits;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use groupguard::object_store::GuardedStore;
use groupguard::{Access, Denied, DenyReason, Principal, groups, storage};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta, ObjectStore,
    ObjectStoreExt, PutMultipartOptions, PutOptions, PutPayload, PutResult, RenameOptions,
};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

storage! {
    /// The storage guide's storage (`runtime/docs/storage.md`).
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

type Contents = BTreeMap<String, Vec<u8>>;

/// The objects every case starts with.
const SEEDED: [&str; 6] = [
    "drafts/post-1.md",
    "drafts/archive/old.md",
    "public/index.html",
    "profiles/alice-id/avatar.png",
    "profiles/bob-id/avatar.png",
    "other/notes.txt",
];

/// Keys of the single-key calls: the seeded ones and two new ones.
const KEYS: [&str; 8] = [
    "drafts/post-1.md",
    "drafts/archive/old.md",
    "public/index.html",
    "profiles/alice-id/avatar.png",
    "profiles/bob-id/avatar.png",
    "other/notes.txt",
    "public/new.txt",
    "drafts/new.md",
];

/// `(from, to)` of copies and renames.
const PAIRS: [(&str, &str); 7] = [
    ("drafts/post-1.md", "public/new.txt"),
    ("drafts/post-1.md", "drafts/new.md"),
    ("public/index.html", "drafts/new.md"),
    ("public/index.html", "public/new.txt"),
    ("drafts/archive/old.md", "drafts/new.md"),
    ("profiles/alice-id/avatar.png", "profiles/alice-id/copy.png"),
    ("drafts/post-1.md", "public/index.html"),
];

/// Listing prefixes (`None` is the whole store).
const PREFIXES: [Option<&str>; 8] = [
    None,
    Some("drafts"),
    Some("drafts/archive"),
    Some("public"),
    Some("profiles"),
    Some("profiles/alice-id"),
    Some("profiles/bob-id"),
    Some("other"),
];

fn seed_contents(key: &str) -> Vec<u8> {
    format!("contents of {key}").into_bytes()
}

fn new_contents(key: &str) -> Vec<u8> {
    format!("new contents for {key}").into_bytes()
}

fn principals() -> Vec<(&'static str, Principal<Group>)> {
    vec![
        ("guest", Principal::guest()),
        (
            "alice",
            Principal::authenticated("alice").with_identity_id("alice-id"),
        ),
        (
            "bob (EDITORS)",
            Principal::authenticated("bob")
                .with_identity_id("bob-id")
                .with_groups([Group::EDITORS]),
        ),
        (
            "ada (ADMINS)",
            Principal::authenticated("ada")
                .with_identity_id("ada-id")
                .with_groups([Group::ADMINS]),
        ),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Backend {
    Memory,
    Disk,
}

/// A seeded store of the backend, and the temporary directory that holds it.
async fn seeded(backend: Backend) -> (Arc<dyn ObjectStore>, Option<tempfile::TempDir>) {
    let (store, dir): (Arc<dyn ObjectStore>, _) = match backend {
        Backend::Memory => (Arc::new(InMemory::new()), None),
        Backend::Disk => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let store = LocalFileSystem::new_with_prefix(dir.path()).expect("a store in it");
            (Arc::new(store), Some(dir))
        }
    };
    for key in SEEDED {
        store
            .put(&Path::from(key), seed_contents(key).into())
            .await
            .expect("seeding");
    }
    (store, dir)
}

/// Everything in `store`, read around the guard.
async fn contents(store: &dyn ObjectStore) -> Contents {
    let metas: Vec<ObjectMeta> = store.list(None).try_collect().await.expect("listing");
    let mut all = Contents::new();
    for meta in metas {
        let bytes = store
            .get(&meta.location)
            .await
            .expect("get")
            .bytes()
            .await
            .expect("bytes");
        all.insert(meta.location.to_string(), bytes.to_vec());
    }
    all
}

fn initial_contents() -> Contents {
    SEEDED
        .iter()
        .map(|key| ((*key).to_owned(), seed_contents(key)))
        .collect()
}

/// One call of the `ObjectStore` API, through `ObjectStoreExt` where it has
/// a shorthand.
#[derive(Clone, Copy, Debug)]
enum Call {
    Get(&'static str),
    Head(&'static str),
    GetRange(&'static str),
    GetRanges(&'static str),
    Put(&'static str),
    PutMultipart(&'static str),
    Delete(&'static str),
    Copy(&'static str, &'static str),
    CopyIfNotExists(&'static str, &'static str),
    Rename(&'static str, &'static str),
    RenameIfNotExists(&'static str, &'static str),
    List(Option<&'static str>),
    ListWithOffset(Option<&'static str>),
    ListWithDelimiter(Option<&'static str>),
}

fn calls() -> Vec<Call> {
    let mut calls = Vec::new();
    for key in KEYS {
        calls.extend([
            Call::Get(key),
            Call::Head(key),
            Call::GetRange(key),
            Call::GetRanges(key),
            Call::Put(key),
            Call::PutMultipart(key),
            Call::Delete(key),
        ]);
    }
    for (from, to) in PAIRS {
        calls.extend([
            Call::Copy(from, to),
            Call::CopyIfNotExists(from, to),
            Call::Rename(from, to),
            Call::RenameIfNotExists(from, to),
        ]);
    }
    for prefix in PREFIXES {
        calls.extend([
            Call::List(prefix),
            Call::ListWithOffset(prefix),
            Call::ListWithDelimiter(prefix),
        ]);
    }
    calls
}

/// The key a listing of `prefix` is decided on: `p/`, or empty for the root.
fn listing_key(prefix: Option<&str>) -> String {
    prefix.map_or_else(String::new, |p| format!("{p}/"))
}

/// This test's own reading of what each call needs (the module docs' table).
fn needs(call: Call) -> Vec<(String, Access)> {
    let one = |key: &str, access| vec![(key.to_owned(), access)];
    match call {
        Call::Get(key) | Call::Head(key) | Call::GetRange(key) | Call::GetRanges(key) => {
            one(key, Access::Get)
        }
        Call::Put(key) | Call::PutMultipart(key) => one(key, Access::Write),
        Call::Delete(key) => one(key, Access::Delete),
        Call::Copy(from, to) | Call::CopyIfNotExists(from, to) => vec![
            (from.to_owned(), Access::Get),
            (to.to_owned(), Access::Write),
        ],
        Call::Rename(from, to) | Call::RenameIfNotExists(from, to) => vec![
            (from.to_owned(), Access::Get),
            (to.to_owned(), Access::Write),
            (from.to_owned(), Access::Delete),
        ],
        Call::List(prefix) | Call::ListWithOffset(prefix) | Call::ListWithDelimiter(prefix) => {
            vec![(listing_key(prefix), Access::List)]
        }
    }
}

/// What a call returned, in a form comparable across backends.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Answer {
    /// `Ok`, with what it read (bytes, a size, keys) or nothing.
    Ok(Vec<String>),
    /// Denied by the guard: 401 or 403, and the key it names.
    Unauthenticated(String),
    PermissionDenied(String),
    /// Any other error of the inner store (not found, already exists).
    StoreError(String),
}

fn answer_of_error(error: &object_store::Error) -> Answer {
    match error {
        object_store::Error::Unauthenticated { path, source } => {
            assert!(source.downcast_ref::<Denied>().is_some(), "{error}");
            Answer::Unauthenticated(path.clone())
        }
        object_store::Error::PermissionDenied { path, source } => {
            assert!(source.downcast_ref::<Denied>().is_some(), "{error}");
            Answer::PermissionDenied(path.clone())
        }
        object_store::Error::NotFound { .. } => Answer::StoreError("not found".into()),
        object_store::Error::AlreadyExists { .. } => Answer::StoreError("already exists".into()),
        other => Answer::StoreError(other.to_string()),
    }
}

fn answer<T>(result: object_store::Result<T>, ok: impl FnOnce(T) -> Vec<String>) -> Answer {
    match result {
        Ok(value) => Answer::Ok(ok(value)),
        Err(error) => answer_of_error(&error),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn sorted_locations(metas: Vec<ObjectMeta>) -> Vec<String> {
    let mut keys: Vec<String> = metas.into_iter().map(|m| m.location.to_string()).collect();
    keys.sort();
    keys
}

async fn perform(store: &dyn ObjectStore, call: Call) -> Answer {
    let path = |key: &str| Path::from(key);
    match call {
        Call::Get(key) => match store.get(&path(key)).await {
            Ok(result) => answer(result.bytes().await, |b| vec![text(&b)]),
            Err(error) => answer_of_error(&error),
        },
        Call::Head(key) => answer(store.head(&path(key)).await, |m| vec![m.size.to_string()]),
        Call::GetRange(key) => answer(store.get_range(&path(key), 0..8).await, |b| vec![text(&b)]),
        Call::GetRanges(key) => answer(store.get_ranges(&path(key), &[0..4, 9..12]).await, |v| {
            v.iter().map(|b| text(b)).collect()
        }),
        Call::Put(key) => answer(
            store.put(&path(key), new_contents(key).into()).await,
            |_| vec![],
        ),
        Call::PutMultipart(key) => match store.put_multipart(&path(key)).await {
            Ok(mut upload) => {
                let bytes = new_contents(key);
                let (first, second) = bytes.split_at(5);
                let parts = async {
                    upload.put_part(first.to_vec().into()).await?;
                    upload.put_part(second.to_vec().into()).await?;
                    upload.complete().await
                };
                answer(parts.await, |_| vec![])
            }
            Err(error) => answer_of_error(&error),
        },
        Call::Delete(key) => answer(store.delete(&path(key)).await, |()| vec![]),
        Call::Copy(from, to) => answer(store.copy(&path(from), &path(to)).await, |()| vec![]),
        Call::CopyIfNotExists(from, to) => answer(
            store.copy_if_not_exists(&path(from), &path(to)).await,
            |()| vec![],
        ),
        Call::Rename(from, to) => answer(store.rename(&path(from), &path(to)).await, |()| vec![]),
        Call::RenameIfNotExists(from, to) => answer(
            store.rename_if_not_exists(&path(from), &path(to)).await,
            |()| vec![],
        ),
        Call::List(prefix) => {
            let prefix = prefix.map(path);
            let items: Vec<_> = store.list(prefix.as_ref()).collect().await;
            listing_answer(items)
        }
        Call::ListWithOffset(prefix) => {
            let prefix_path = prefix.map(path);
            let offset = path(&format!("{}m", listing_key(prefix)));
            let items: Vec<_> = store
                .list_with_offset(prefix_path.as_ref(), &offset)
                .collect()
                .await;
            listing_answer(items)
        }
        Call::ListWithDelimiter(prefix) => {
            let prefix = prefix.map(path);
            answer(store.list_with_delimiter(prefix.as_ref()).await, |list| {
                let mut keys = sorted_locations(list.objects);
                let mut prefixes: Vec<String> = list
                    .common_prefixes
                    .iter()
                    .map(|p| format!("{p}/"))
                    .collect();
                prefixes.sort();
                keys.extend(prefixes);
                keys
            })
        }
    }
}

/// A denied listing is one error item; an allowed one, its keys.
fn listing_answer(items: Vec<object_store::Result<ObjectMeta>>) -> Answer {
    let mut metas = Vec::new();
    for item in items {
        match item {
            Ok(meta) => metas.push(meta),
            Err(error) => return answer_of_error(&error),
        }
    }
    Answer::Ok(sorted_locations(metas))
}

fn may(principal: &Principal<Group>, key: &str, access: Access) -> bool {
    Articles::authorize(principal, key, access).is_allowed()
}

/// Whether `key` is under `prefix` segment-wise (every key is under the root).
fn under(key: &str, prefix: Option<&str>) -> bool {
    prefix.is_none_or(|p| key.starts_with(&format!("{p}/")))
}

/// The answer and contents `call` must leave, from [`needs`] and the model
/// of the store's contents.
fn expected(
    backend: Backend,
    principal: &Principal<Group>,
    call: Call,
    before: &Contents,
) -> (Answer, Contents) {
    if let Some((key, _)) = needs(call)
        .into_iter()
        .find(|(key, access)| !may(principal, key, *access))
    {
        let answer = if principal.is_authenticated() {
            Answer::PermissionDenied(key)
        } else {
            Answer::Unauthenticated(key)
        };
        return (answer, before.clone());
    }
    let mut after = before.clone();
    let missing = || Answer::StoreError("not found".into());
    let answer = match call {
        Call::Get(key) => before
            .get(key)
            .map_or_else(missing, |b| Answer::Ok(vec![text(b)])),
        Call::Head(key) => before
            .get(key)
            .map_or_else(missing, |b| Answer::Ok(vec![b.len().to_string()])),
        Call::GetRange(key) => before
            .get(key)
            .map_or_else(missing, |b| Answer::Ok(vec![text(&b[0..8])])),
        Call::GetRanges(key) => before.get(key).map_or_else(missing, |b| {
            Answer::Ok(vec![text(&b[0..4]), text(&b[9..12])])
        }),
        Call::Put(key) | Call::PutMultipart(key) => {
            after.insert(key.to_owned(), new_contents(key));
            Answer::Ok(vec![])
        }
        Call::Delete(key) => {
            // Deleting a missing object succeeds in memory (as on S3), not
            // on disk.
            match (after.remove(key), backend) {
                (None, Backend::Disk) => missing(),
                _ => Answer::Ok(vec![]),
            }
        }
        Call::Copy(from, to) | Call::Rename(from, to) => match before.get(from) {
            None => missing(),
            Some(bytes) => {
                after.insert(to.to_owned(), bytes.clone());
                if matches!(call, Call::Rename(..)) {
                    after.remove(from);
                }
                Answer::Ok(vec![])
            }
        },
        Call::CopyIfNotExists(from, to) | Call::RenameIfNotExists(from, to) => {
            match (before.get(from), before.contains_key(to)) {
                (None, _) => missing(),
                (Some(_), true) => Answer::StoreError("already exists".into()),
                (Some(bytes), false) => {
                    after.insert(to.to_owned(), bytes.clone());
                    if matches!(call, Call::RenameIfNotExists(..)) {
                        after.remove(from);
                    }
                    Answer::Ok(vec![])
                }
            }
        }
        Call::List(prefix) | Call::ListWithOffset(prefix) => {
            let offset = format!("{}m", listing_key(prefix));
            let keys = before
                .keys()
                .filter(|key| under(key, prefix))
                .filter(|key| !matches!(call, Call::ListWithOffset(_)) || **key > offset)
                .filter(|key| may(principal, key, Access::List))
                .cloned()
                .collect();
            Answer::Ok(keys)
        }
        Call::ListWithDelimiter(prefix) => {
            let start = listing_key(prefix);
            let mut objects = BTreeSet::new();
            let mut prefixes = BTreeSet::new();
            for key in before.keys().filter(|key| under(key, prefix)) {
                match key[start.len()..].split_once('/') {
                    None => objects.insert(key.clone()),
                    Some((first, _)) => prefixes.insert(format!("{start}{first}/")),
                };
            }
            let mut keys: Vec<String> = objects
                .into_iter()
                .filter(|key| may(principal, key, Access::List))
                .collect();
            keys.extend(
                prefixes
                    .into_iter()
                    .filter(|p| may(principal, p, Access::List)),
            );
            Answer::Ok(keys)
        }
    };
    (answer, after)
}

#[tokio::test]
async fn every_call_on_both_backends() {
    let (mut allowed, mut denied) = (0, 0);
    for backend in [Backend::Memory, Backend::Disk] {
        for (name, principal) in principals() {
            let principal = Arc::new(principal);
            for call in calls() {
                let (inner, _dir) = seeded(backend).await;
                let guarded =
                    GuardedStore::<Articles>::new(Arc::clone(&inner), Arc::clone(&principal));
                let got = perform(&guarded, call).await;
                let after = contents(inner.as_ref()).await;
                let (want, want_after) = expected(backend, &principal, call, &initial_contents());
                assert_eq!(got, want, "{backend:?}, {name}, {call:?}");
                assert_eq!(after, want_after, "{backend:?}, {name}, {call:?}: contents");
                match want {
                    Answer::Unauthenticated(_) | Answer::PermissionDenied(_) => denied += 1,
                    _ => allowed += 1,
                }
            }
        }
    }
    // Both outcomes occur for a good share of the cases.
    assert!(
        allowed > 200 && denied > 200,
        "{allowed} allowed, {denied} denied"
    );
}

/// A row of `literal_table`: principal, call, answer, keys that must exist
/// afterwards, keys that must not.
type Case<'a> = (
    &'a Principal<Group>,
    Call,
    Answer,
    &'a [&'a str],
    &'a [&'a str],
);

/// Expected answers written out by hand, over an in-memory store.
#[tokio::test]
async fn literal_table() {
    use Answer::{Ok as Yes, PermissionDenied as Forbidden, Unauthenticated as NoLogin};
    let s = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let k = |key: &str| key.to_owned();
    let [guest, alice, bob, ada] = principals()
        .into_iter()
        .map(|(_, p)| p)
        .collect::<Vec<_>>()
        .try_into()
        .expect("four principals");
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        // (principal, call, answer, keys that must exist after, keys that must not)
        (&guest, Call::Get("public/index.html"), Yes(s(&["contents of public/index.html"])), &[], &[]),
        (&guest, Call::Put("public/new.txt"), NoLogin(k("public/new.txt")), &[], &["public/new.txt"]),
        (&guest, Call::Get("drafts/post-1.md"), NoLogin(k("drafts/post-1.md")), &[], &[]),
        (&alice, Call::Put("public/new.txt"), Yes(s(&[])), &["public/new.txt"], &[]),
        (&alice, Call::Get("drafts/post-1.md"), Forbidden(k("drafts/post-1.md")), &[], &[]),
        (&alice, Call::Delete("public/index.html"), Forbidden(k("public/index.html")), &["public/index.html"], &[]),
        (&alice, Call::Head("profiles/alice-id/avatar.png"), Yes(s(&["40"])), &[], &[]),
        (&alice, Call::Get("profiles/bob-id/avatar.png"), Forbidden(k("profiles/bob-id/avatar.png")), &[], &[]),
        (&alice, Call::Delete("profiles/alice-id/avatar.png"), Yes(s(&[])), &[], &["profiles/alice-id/avatar.png"]),
        (&bob, Call::PutMultipart("drafts/new.md"), Yes(s(&[])), &["drafts/new.md"], &[]),
        (&bob, Call::Delete("drafts/post-1.md"), Forbidden(k("drafts/post-1.md")), &["drafts/post-1.md"], &[]),
        // The sub-path decides alone: drafts/* editors cannot read the archive.
        (&bob, Call::GetRange("drafts/archive/old.md"), Forbidden(k("drafts/archive/old.md")), &[], &[]),
        (&bob, Call::Copy("drafts/post-1.md", "public/new.txt"), Yes(s(&[])), &["drafts/post-1.md", "public/new.txt"], &[]),
        (&alice, Call::Copy("public/index.html", "drafts/new.md"), Forbidden(k("drafts/new.md")), &[], &["drafts/new.md"]),
        // A rename also deletes the source, which editors may not.
        (&bob, Call::Rename("drafts/post-1.md", "drafts/new.md"), Forbidden(k("drafts/post-1.md")), &["drafts/post-1.md"], &["drafts/new.md"]),
        (&ada, Call::Rename("drafts/post-1.md", "drafts/new.md"), Yes(s(&[])), &["drafts/new.md"], &["drafts/post-1.md"]),
        (&ada, Call::Put("profiles/bob-id/avatar.png"), Forbidden(k("profiles/bob-id/avatar.png")), &[], &[]),
        (&ada, Call::GetRanges("profiles/bob-id/avatar.png"), Yes(s(&["cont", "of "])), &[], &[]),
        // Listings: decided on `prefix/`, then filtered to what may be listed.
        (&bob, Call::List(Some("drafts")), Yes(s(&["drafts/post-1.md"])), &[], &[]),
        (&ada, Call::List(Some("drafts")), Yes(s(&["drafts/archive/old.md", "drafts/post-1.md"])), &[], &[]),
        (&bob, Call::ListWithDelimiter(Some("drafts")), Yes(s(&["drafts/post-1.md"])), &[], &[]),
        (&ada, Call::ListWithDelimiter(Some("drafts")), Yes(s(&["drafts/post-1.md", "drafts/archive/"])), &[], &[]),
        (&alice, Call::List(Some("drafts")), Forbidden(k("drafts/")), &[], &[]),
        (&alice, Call::List(Some("profiles/alice-id")), Yes(s(&["profiles/alice-id/avatar.png"])), &[], &[]),
        (&alice, Call::List(Some("profiles")), Forbidden(k("profiles/")), &[], &[]),
        (&guest, Call::ListWithOffset(Some("public")), Yes(s(&[])), &[], &[]),
        (&ada, Call::List(None), Forbidden(k("")), &[], &[]),
        (&guest, Call::ListWithDelimiter(None), NoLogin(k("")), &[], &[]),
        (&ada, Call::Get("other/notes.txt"), Forbidden(k("other/notes.txt")), &[], &[]),
    ];
    for (principal, call, want, present, absent) in cases {
        let (inner, _) = seeded(Backend::Memory).await;
        let guarded = GuardedStore::<Articles>::new(Arc::clone(&inner), principal.clone());
        assert_eq!(
            perform(&guarded, call).await,
            want,
            "{principal:?}, {call:?}"
        );
        let after = contents(inner.as_ref()).await;
        for key in present {
            assert!(after.contains_key(*key), "{call:?}: {key} is missing");
        }
        for key in absent {
            assert!(!after.contains_key(*key), "{call:?}: {key} exists");
        }
        if matches!(want, NoLogin(_) | Forbidden(_)) {
            assert_eq!(
                after,
                initial_contents(),
                "{call:?} was denied but changed the store"
            );
        }
    }
}

#[tokio::test]
async fn denials_carry_the_guards_reason() {
    let (inner, _) = seeded(Backend::Memory).await;
    let guest = GuardedStore::<Articles>::new(Arc::clone(&inner), Principal::guest());
    let error = guest
        .get(&Path::from("drafts/post-1.md"))
        .await
        .unwrap_err();
    let object_store::Error::Unauthenticated { path, source } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(path, "drafts/post-1.md");
    assert_eq!(
        source.downcast_ref::<Denied>().map(Denied::reason),
        Some(DenyReason::Guest)
    );
    assert_eq!(
        error.to_string(),
        "The operation lacked valid authentication credentials for path drafts/post-1.md: \
         `get` on `Articles` denied: guests are not allowed; sign in"
    );
    // The whole store is covered by no path.
    let error = guest
        .list(None)
        .next()
        .await
        .expect("one item")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "The operation lacked valid authentication credentials for path : \
         `list` on `Articles` denied: no declared path covers this key"
    );

    let alice = GuardedStore::<Articles>::new(inner, Principal::authenticated("alice"));
    let error = alice
        .put(&Path::from("other/x"), PutPayload::new())
        .await
        .unwrap_err();
    let object_store::Error::PermissionDenied { source, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        source.downcast_ref::<Denied>().map(Denied::reason),
        Some(DenyReason::NoMatchingPath)
    );
    assert!(
        error.to_string().contains("`write` on `Articles` denied"),
        "{error}"
    );
    // A key from the request shows escaped in the error: a bidi control or a
    // line separator cannot reorder or break the line the error is logged on.
    let key = "drafts/\u{202e}gpj.exe\u{2028}INFO forged\\x";
    let error = alice
        .get(&Path::parse(key).expect("a valid object_store path"))
        .await
        .unwrap_err();
    let object_store::Error::PermissionDenied { path, source } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(path, r"drafts/\u{202e}gpj.exe\u{2028}INFO forged\\x");
    assert_eq!(
        source.downcast_ref::<Denied>().map(Denied::reason),
        Some(DenyReason::InvalidKey(groupguard::KeyError::DisplayControl))
    );
    let message = error.to_string();
    assert!(
        !message.contains(['\u{202e}', '\u{2028}']) && message.contains(r"\u{202e}"),
        "{message:?}"
    );
}

/// `Path`'s constructors normalise what they are given; the guard decides on
/// the normalised key, which is the key the store then writes.
#[tokio::test]
async fn keys_are_decided_as_the_store_stores_them() {
    let alice = Arc::new(Principal::authenticated("alice").with_identity_id("alice-id"));
    let raw = [
        "public/../drafts/evil.md",
        "/public/x.txt/",
        "public//x.txt",
        "public/./x.txt",
        "public/%2E%2E/drafts/evil.md",
        "drafts/../public/x.txt",
        "public/a\u{0}b",
        "public/100%.txt",
        "profiles/alice-id/../../drafts/evil.md",
    ];
    for backend in [Backend::Memory, Backend::Disk] {
        for raw in raw {
            let mut paths = vec![("from", Path::from(raw))];
            paths.push(("from_iter", raw.split('/').collect::<Path>()));
            if let Ok(parsed) = Path::parse(raw) {
                paths.push(("parse", parsed));
            }
            for (how, path) in paths {
                let (inner, dir) = seeded(backend).await;
                let guarded = GuardedStore::<Articles>::new(Arc::clone(&inner), Arc::clone(&alice));
                let allowed = may(&alice, path.as_ref(), Access::Write);
                let put = guarded.put(&path, PutPayload::from_static(b"x")).await;
                let context = format!("{backend:?}: Path::{how}({raw:?}) = {path:?}");
                assert_eq!(put.is_ok(), allowed, "{context}: {put:?}");
                let mut want = initial_contents();
                if allowed {
                    want.insert(path.to_string(), b"x".to_vec());
                }
                assert_eq!(contents(inner.as_ref()).await, want, "{context}");
                // Nothing landed in drafts/, whatever the key spelled.
                assert!(
                    !want.keys().any(|key| key.starts_with("drafts/evil")),
                    "{context}"
                );
                if let Some(dir) = dir {
                    assert!(!dir.path().join("drafts/evil.md").exists(), "{context}");
                    if allowed {
                        let file: PathBuf = dir.path().join(path.as_ref());
                        assert!(file.is_file(), "{context}: {file:?}");
                    }
                }
            }
        }
    }
}

/// The methods of `ObjectStore`, one per variant: required and defaulted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Method {
    PutOpts,
    PutMultipartOpts,
    GetOpts,
    GetRanges,
    DeleteStream,
    List,
    ListWithOffset,
    ListWithDelimiter,
    CopyOpts,
    RenameOpts,
}

impl Method {
    const ALL: [Method; 10] = [
        Method::PutOpts,
        Method::PutMultipartOpts,
        Method::GetOpts,
        Method::GetRanges,
        Method::DeleteStream,
        Method::List,
        Method::ListWithOffset,
        Method::ListWithDelimiter,
        Method::CopyOpts,
        Method::RenameOpts,
    ];
}

/// An inner store that records which of its methods were called and
/// forwards to an `InMemory`. It writes out every method of the trait, so
/// that one `object_store` adds fails this crate's build (a required method)
/// or `cargo clippy -D warnings` (a defaulted one) until it is listed here,
/// in `Method`, and in `call_method`.
#[derive(Debug)]
struct Recorder {
    inner: Arc<InMemory>,
    calls: Mutex<Vec<Method>>,
    /// Delete in batches of three, dropping a batch that holds an error
    /// item, as `MicrosoftAzure` does.
    batched_deletes: bool,
}

impl Recorder {
    fn new(batched_deletes: bool) -> Self {
        Self {
            inner: Arc::new(InMemory::new()),
            calls: Mutex::new(Vec::new()),
            batched_deletes,
        }
    }

    /// A recorder holding `keys`, and the same as a `dyn ObjectStore`.
    async fn seeded(keys: &[&str], batched_deletes: bool) -> (Arc<Self>, Arc<dyn ObjectStore>) {
        let recorder = Arc::new(Self::new(batched_deletes));
        for key in keys {
            recorder
                .inner
                .put(&Path::from(*key), PutPayload::from_static(b"x"))
                .await
                .expect("seeding");
        }
        let inner: Arc<dyn ObjectStore> = Arc::clone(&recorder) as _;
        (recorder, inner)
    }

    fn record(&self, method: Method) {
        self.calls.lock().expect("not poisoned").push(method);
    }

    fn take(&self) -> Vec<Method> {
        std::mem::take(&mut *self.calls.lock().expect("not poisoned"))
    }
}

impl std::fmt::Display for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recorder")
    }
}

#[async_trait::async_trait]
#[deny(clippy::missing_trait_methods)]
impl ObjectStore for Recorder {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.record(Method::PutOpts);
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        self.record(Method::PutMultipartOpts);
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(
        &self,
        location: &Path,
        options: GetOptions,
    ) -> object_store::Result<GetResult> {
        self.record(Method::GetOpts);
        self.inner.get_opts(location, options).await
    }

    async fn get_ranges(
        &self,
        location: &Path,
        ranges: &[Range<u64>],
    ) -> object_store::Result<Vec<Bytes>> {
        self.record(Method::GetRanges);
        self.inner.get_ranges(location, ranges).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        self.record(Method::DeleteStream);
        if !self.batched_deletes {
            return self.inner.delete_stream(locations);
        }
        let store = Arc::clone(&self.inner);
        locations
            .try_chunks(3)
            .then(move |chunk| {
                let store = Arc::clone(&store);
                async move {
                    let chunk = chunk.map_err(|error| error.1)?;
                    let deleted: Vec<_> = store
                        .delete_stream(stream::iter(chunk.into_iter().map(Ok)).boxed())
                        .collect()
                        .await;
                    Ok::<_, object_store::Error>(stream::iter(deleted))
                }
            })
            .try_flatten()
            .boxed()
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.record(Method::List);
        self.inner.list(prefix)
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        self.record(Method::ListWithOffset);
        self.inner.list_with_offset(prefix, offset)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> object_store::Result<ListResult> {
        self.record(Method::ListWithDelimiter);
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(
        &self,
        from: &Path,
        to: &Path,
        options: CopyOptions,
    ) -> object_store::Result<()> {
        self.record(Method::CopyOpts);
        self.inner.copy_opts(from, to, options).await
    }

    async fn rename_opts(
        &self,
        from: &Path,
        to: &Path,
        options: RenameOptions,
    ) -> object_store::Result<()> {
        self.record(Method::RenameOpts);
        self.inner.rename_opts(from, to, options).await
    }
}

/// Calls `method` on `store` with keys under `drafts/` (or `drafts` as the
/// prefix), and whether it succeeded.
async fn call_method(store: &dyn ObjectStore, method: Method) -> bool {
    let draft = Path::from("drafts/post-1.md");
    let other = Path::from("drafts/new.md");
    let prefix = Path::from("drafts");
    match method {
        Method::PutOpts => store
            .put_opts(&draft, PutPayload::from_static(b"x"), PutOptions::default())
            .await
            .is_ok(),
        Method::PutMultipartOpts => store
            .put_multipart_opts(&draft, PutMultipartOptions::default())
            .await
            .is_ok(),
        Method::GetOpts => store.get_opts(&draft, GetOptions::default()).await.is_ok(),
        Method::GetRanges => store.get_ranges(&draft, &[0..1, 0..1]).await.is_ok(),
        Method::DeleteStream => {
            let items: Vec<_> = store
                .delete_stream(stream::iter([Ok(draft)]).boxed())
                .collect()
                .await;
            items.iter().all(Result::is_ok)
        }
        Method::List => {
            let items: Vec<_> = store.list(Some(&prefix)).collect().await;
            items.iter().all(Result::is_ok)
        }
        Method::ListWithOffset => {
            let items: Vec<_> = store
                .list_with_offset(Some(&prefix), &draft)
                .collect()
                .await;
            items.iter().all(Result::is_ok)
        }
        Method::ListWithDelimiter => store.list_with_delimiter(Some(&prefix)).await.is_ok(),
        Method::CopyOpts => store
            .copy_opts(&draft, &other, CopyOptions::default())
            .await
            .is_ok(),
        Method::RenameOpts => store
            .rename_opts(&draft, &other, RenameOptions::default())
            .await
            .is_ok(),
    }
}

#[tokio::test]
async fn every_method_is_forwarded() {
    let admin = Arc::new(Principal::authenticated("ada").with_groups([Group::ADMINS]));
    let reader = Arc::new(Principal::authenticated("alice"));
    for method in Method::ALL {
        // Allowed: the inner store's own method runs, and only it (a
        // default method would show up as the calls it is built from).
        let (recorder, inner) = Recorder::seeded(&["drafts/post-1.md"], false).await;
        let guarded = GuardedStore::<Articles>::new(Arc::clone(&inner), Arc::clone(&admin));
        assert!(call_method(&guarded, method).await, "{method:?} allowed");
        assert_eq!(recorder.take(), [method], "{method:?} forwarded to itself");

        // Denied: the inner store is not called at all.
        let (recorder, inner) = Recorder::seeded(&["drafts/post-1.md"], false).await;
        let guarded = GuardedStore::<Articles>::new(inner, Arc::clone(&reader));
        assert!(!call_method(&guarded, method).await, "{method:?} denied");
        let calls = recorder.take();
        // `delete_stream` hands the inner store a stream that yields no key.
        let untouched: &[Method] = if method == Method::DeleteStream {
            &[Method::DeleteStream]
        } else {
            &[]
        };
        assert_eq!(
            calls, untouched,
            "{method:?} denied reached the inner store"
        );
        assert!(
            recorder
                .inner
                .head(&Path::from("drafts/post-1.md"))
                .await
                .is_ok(),
            "{method:?} denied removed the draft"
        );
        assert!(
            recorder
                .inner
                .head(&Path::from("drafts/new.md"))
                .await
                .is_err(),
            "{method:?} denied created a copy"
        );
    }
}

/// A denied key in `delete_stream` yields its own error; every allowed key
/// is deleted, also by a backend that deletes in batches and would drop a
/// batch holding an error item; an error item of the caller comes back as is.
#[tokio::test]
async fn deletions_go_on_past_a_denied_key() {
    for batched in [false, true] {
        let keys = [
            "drafts/a.md",
            "public/a.txt",
            "drafts/b.md",
            "drafts/archive/c.md",
            "other/d.txt",
            "drafts/e.md",
            "drafts/f.md",
        ];
        let (recorder, inner) = Recorder::seeded(&keys, batched).await;
        let admin = Principal::authenticated("ada").with_groups([Group::ADMINS]);
        let guarded = GuardedStore::<Articles>::new(inner, admin);
        let mut items: Vec<object_store::Result<Path>> =
            keys.iter().map(|key| Ok(Path::from(*key))).collect();
        items.insert(
            3,
            Err(object_store::Error::NotImplemented {
                operation: "the caller's own error".into(),
                implementer: "the test".into(),
            }),
        );
        let results: Vec<_> = guarded
            .delete_stream(stream::iter(items).boxed())
            .collect()
            .await;
        let mut deleted: Vec<String> = Vec::new();
        let mut refused: Vec<String> = Vec::new();
        let mut own = 0;
        for result in results {
            match result {
                Ok(path) => deleted.push(path.to_string()),
                Err(object_store::Error::PermissionDenied { path, .. }) => refused.push(path),
                Err(object_store::Error::NotImplemented { .. }) => own += 1,
                Err(other) => panic!("unexpected {other}"),
            }
        }
        deleted.sort();
        refused.sort();
        // ADMINS may delete drafts/* but not drafts/archive/* (read only),
        // public/* (authenticated: read, write) or other/ (no path).
        assert_eq!(
            deleted,
            ["drafts/a.md", "drafts/b.md", "drafts/e.md", "drafts/f.md"],
            "batched: {batched}"
        );
        assert_eq!(
            refused,
            ["drafts/archive/c.md", "other/d.txt", "public/a.txt"]
        );
        assert_eq!(own, 1);
        let left = contents(recorder.inner.as_ref()).await;
        assert_eq!(
            left.keys().collect::<Vec<_>>(),
            ["drafts/archive/c.md", "other/d.txt", "public/a.txt"],
            "batched: {batched}"
        );
    }
}

#[tokio::test]
async fn a_guarded_store_is_an_object_store() {
    // Code that takes `Arc<dyn ObjectStore>` is guarded without change.
    async fn publish(store: Arc<dyn ObjectStore>, key: &str) -> object_store::Result<PutResult> {
        store
            .put(&Path::from(key), PutPayload::from_static(b"hi"))
            .await
    }
    let (inner, _) = seeded(Backend::Memory).await;
    let guest: Arc<dyn ObjectStore> = Arc::new(GuardedStore::<Articles>::new(
        Arc::clone(&inner),
        Principal::guest(),
    ));
    assert!(matches!(
        publish(Arc::clone(&guest), "public/hi.txt").await,
        Err(object_store::Error::Unauthenticated { .. })
    ));
    let alice: Arc<dyn ObjectStore> = Arc::new(GuardedStore::<Articles>::new(
        Arc::clone(&inner),
        Principal::authenticated("alice"),
    ));
    publish(alice, "public/hi.txt").await.expect("allowed");
    assert_eq!(
        inner
            .get(&Path::from("public/hi.txt"))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
        "hi"
    );
    assert_eq!(guest.to_string(), "GuardedStore(Articles, InMemory)");
}

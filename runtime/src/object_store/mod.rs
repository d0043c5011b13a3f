//! `object_store` 0.14 integration (cargo feature `object-store`): a
//! [`GuardedStore`] enforces a [`storage!`](crate::storage) declaration on
//! any [`ObjectStore`] (local disk, in memory, S3, GCS, Azure), so code
//! written against the trait cannot forget a check.
//!
//! ```
//! use std::sync::Arc;
//! use groupguard::object_store::GuardedStore;
//! use groupguard::{groups, storage, Principal};
//! use object_store::{memory::InMemory, path::Path, ObjectStore, ObjectStoreExt, PutPayload};
//!
//! #[groups]
//! pub enum Group { ADMINS, EDITORS }
//!
//! storage! {
//!     pub Articles {
//!         "drafts/*" => groups(EDITORS): [read, write],
//!         "published/*" => guest: [get],
//!         "published/*" => authenticated: [read],
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let bucket: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
//! // One guarded store per request: the principal is fixed at construction.
//! let bob = Principal::authenticated("bob").with_groups([Group::EDITORS]);
//! let store = GuardedStore::<Articles>::new(Arc::clone(&bucket), bob);
//!
//! let draft = Path::from("drafts/post-1.md");
//! store.put(&draft, PutPayload::from_static(b"# Hello")).await?;
//! assert_eq!(store.get(&draft).await?.bytes().await?, "# Hello");
//!
//! // Editors may not delete drafts: the inner store is never touched.
//! let err = store.delete(&draft).await.unwrap_err();
//! assert!(matches!(err, object_store::Error::PermissionDenied { .. }));
//! assert!(bucket.head(&draft).await.is_ok());
//! # Ok::<_, object_store::Error>(())
//! # }).unwrap();
//! ```
//!
//! # What each method needs
//!
//! Every check happens before the inner store is called; a denied call
//! reads, writes and deletes nothing.
//!
//! | method | access |
//! |---|---|
//! | `get_opts`, `get_ranges` (so `get`, `get_range`, `head`) | `get` on the key |
//! | `put_opts`, `put_multipart_opts` (so `put`, `put_multipart`) | `write` on the key, when the upload starts |
//! | `delete_stream` (so `delete`) | `delete` on each key; a denied key yields its own error, the others are deleted |
//! | `list`, `list_with_offset`, `list_with_delimiter` | `list` on the prefix, then the results are filtered (below) |
//! | `copy_opts` (so `copy`, `copy_if_not_exists`) | `get` on the source and `write` on the target |
//! | `rename_opts` (so `rename`, `rename_if_not_exists`) | `get` and `delete` on the source, `write` on the target |
//!
//! The key checked is the [`Path`]'s own string (`location.as_ref()`), the
//! object key every backend stores (the S3 key, the file name under the
//! root): [`Path`] has already normalised what it was built from
//! (`Path::parse` strips a leading `/`, `Path::from` percent-encodes a `..`
//! part as the literal segment `%2E%2E`), so the guard decides on exactly
//! the key the store then touches, with the same validation and rules as
//! [`Storage::authorize`].
//!
//! # Listings
//!
//! A listing of the prefix `drafts` is decided as `list` on the key
//! `drafts/`, the `s3:prefix` Amplify's IAM policy sees; listing the whole
//! store (`list(None)`) is always denied, as no storage path can cover the
//! root. An allowed listing is then **filtered**: an object is returned only
//! when `list` on its own key is allowed, and a common prefix `p` only when
//! `list` on `p/` is. S3 under Amplify's IAM policies would also return the
//! names of objects under a sub-path the caller may not list (a listing of
//! `media/` allowed by `media/*` shows `media/private/plan.pdf`); the
//! guarded store does not. The filter is decided without an audit event per
//! object (the listing itself is audited).
//!
//! # Denials
//!
//! A denial is [`object_store::Error::Unauthenticated`] for a guest and
//! [`object_store::Error::PermissionDenied`] for an authenticated principal,
//! with the key as its `path` and the guard's [`Denied`] as its `source`
//! (downcast it for the reason). The key is escaped there (anything but
//! printable ASCII and space, and backslashes and backticks, show as
//! escapes: `drafts/\u{202e}x`), so the message is safe to log. It names the
//! reason or the rule, and the key: log it, but do not send it to an
//! untrusted client as is.
//!
//! ```
//! # use std::sync::Arc;
//! # use groupguard::object_store::GuardedStore;
//! # use groupguard::{groups, storage, Denied, DenyReason, Principal};
//! # use object_store::{memory::InMemory, path::Path, ObjectStoreExt};
//! # #[groups] pub enum Group { ADMINS, EDITORS }
//! # storage! { pub Articles { "drafts/*" => groups(EDITORS): [read, write] } }
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let store = GuardedStore::<Articles>::new(Arc::new(InMemory::new()), Principal::guest());
//! let err = store.get(&Path::from("drafts/post-1.md")).await.unwrap_err();
//! let object_store::Error::Unauthenticated { path, source } = err else { panic!() };
//! assert_eq!(path, "drafts/post-1.md");
//! let denied = source.downcast_ref::<Denied>().unwrap();
//! assert_eq!(denied.reason(), DenyReason::Guest);
//! # });
//! ```
//!
//! # The backend's other traits: multipart uploads, presigned URLs
//!
//! [`GuardedStore::wrap`] keeps the backend's type (`GuardedStore<S, T>`,
//! as `object_store`'s `PrefixStore<T>` does), and the guard then forwards its
//! other traits, checked: [`MultipartStore`](::object_store::multipart::MultipartStore) (S3's, GCS's and Azure's
//! low-level multipart API: `write` on the path at every call that names
//! one), and with the feature `object-store-signer` `object_store`'s `Signer`
//! (presigned URLs: `GET` and `HEAD` need `get`, `PUT` needs `write`,
//! `DELETE` needs `delete` on the path, checked before signing; other
//! methods are refused). A presigned URL acts as the principal until it
//! expires, whoever holds it: keep `expires_in` short.
//!
//! ```
//! # use groupguard::object_store::GuardedStore;
//! # use groupguard::{groups, storage, Principal};
//! # #[groups] pub enum Group { ADMINS, EDITORS }
//! # storage! { pub Articles { "drafts/*" => groups(EDITORS): [read, write] } }
//! use object_store::memory::InMemory;
//! use object_store::multipart::MultipartStore;
//!
//! fn guarded<T: MultipartStore>(store: T, editor: Principal<Group>) -> GuardedStore<Articles, T> {
//!     GuardedStore::wrap(store, editor)
//! }
//! ```
//!
//! # What it does not guard
//!
//! Only what goes through the wrapper is checked: keep the inner store
//! itself out of request handlers.

use core::fmt;
use core::marker::PhantomData;
use core::ops::Range;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use ::object_store::path::Path;
use ::object_store::{
    CopyOptions, Error, GetOptions, GetResult, ListResult, MultipartUpload, ObjectMeta,
    ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult, RenameOptions, Result,
};
use bytes::Bytes;
use futures_util::future::ready;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::decision::{Decision, Denied, DenyReason, Request};

mod deletions;
mod multipart;
#[cfg(feature = "object-store-signer")]
mod presign;

use crate::principal::Principal;
use crate::storage::{Access, Storage};
use deletions::{Deletions, push};

/// An [`ObjectStore`] that enforces the storage declaration `S` for one
/// principal on an inner store `T`.
///
/// Build one per request ([`new`](Self::new) clones two `Arc`s at most) and
/// hand it, as an `Arc<dyn ObjectStore>` if need be, to code written against
/// the trait. See the [module documentation](self) for what each method
/// needs, how listings are filtered and what a denial looks like.
///
/// `T` is `Arc<dyn ObjectStore>` by default ([`new`](Self::new)); with
/// [`wrap`](Self::wrap) it is the backend's own type, as `object_store`'s
/// `PrefixStore<T>` takes it, so that the backend's other traits are
/// forwarded, guarded: [`MultipartStore`](::object_store::multipart::MultipartStore) (`write` on the path at each
/// call), and with the feature `object-store-signer`, `Signer` (presigned
/// URLs: `get`, `write` or `delete` on the path, checked before signing).
pub struct GuardedStore<S: Storage, T = Arc<dyn ObjectStore>> {
    inner: T,
    guard: Guard<S>,
}

impl<S: Storage> GuardedStore<S> {
    /// Guards `inner` for `principal` (a [`Principal`] or an
    /// `Arc<Principal>`).
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use groupguard::object_store::GuardedStore;
    /// # use groupguard::{groups, storage, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// # storage! { pub Articles { "drafts/*" => groups(EDITORS): [read, write] } }
    /// use object_store::{memory::InMemory, ObjectStore};
    ///
    /// let bucket: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
    /// let principal = Arc::new(Principal::authenticated("bob"));
    /// let store: Arc<dyn ObjectStore> =
    ///     Arc::new(GuardedStore::<Articles>::new(bucket, Arc::clone(&principal)));
    /// assert_eq!(store.to_string(), "GuardedStore(Articles, InMemory)");
    /// ```
    pub fn new(
        inner: Arc<dyn ObjectStore>,
        principal: impl Into<Arc<Principal<S::Group>>>,
    ) -> Self {
        Self::wrap(inner, principal)
    }
}

impl<S: Storage, T> GuardedStore<S, T> {
    /// Guards the store `inner`, of any type, for `principal`: the type
    /// stays known, so the store's [`MultipartStore`](::object_store::multipart::MultipartStore) and `Signer` are
    /// reachable through the guard (and only through it).
    ///
    /// ```
    /// # use groupguard::object_store::GuardedStore;
    /// # use groupguard::{groups, storage, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// # storage! { pub Articles { "drafts/*" => groups(EDITORS): [read, write] } }
    /// use object_store::memory::InMemory;
    ///
    /// let store = GuardedStore::<Articles, InMemory>::wrap(InMemory::new(), Principal::guest());
    /// assert_eq!(store.to_string(), "GuardedStore(Articles, InMemory)");
    /// ```
    pub fn wrap(inner: T, principal: impl Into<Arc<Principal<S::Group>>>) -> Self {
        Self {
            inner,
            guard: Guard {
                principal: principal.into(),
                storage: PhantomData,
            },
        }
    }

    /// The principal every request is decided for.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use groupguard::object_store::GuardedStore;
    /// # use groupguard::{groups, storage, Principal};
    /// # #[groups] pub enum Group { ADMINS, EDITORS }
    /// # storage! { pub Articles { "drafts/*" => groups(EDITORS): [read, write] } }
    /// # use object_store::memory::InMemory;
    /// let store = GuardedStore::<Articles>::new(Arc::new(InMemory::new()), Principal::authenticated("bob"));
    /// assert_eq!(store.principal().sub(), Some("bob"));
    /// ```
    pub fn principal(&self) -> &Principal<S::Group> {
        &self.guard.principal
    }
}

impl<S: Storage, T: Clone> Clone for GuardedStore<S, T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            guard: self.guard.clone(),
        }
    }
}

impl<S: Storage, T: fmt::Debug> fmt::Debug for GuardedStore<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedStore")
            .field("storage", &S::NAME)
            .field("principal", &self.guard.principal)
            .field("inner", &self.inner)
            .finish()
    }
}

impl<S: Storage, T: fmt::Display> fmt::Display for GuardedStore<S, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GuardedStore({}, {})", S::NAME, self.inner)
    }
}

/// The decisions of one [`GuardedStore`], cheap to clone into the
/// `'static` streams of `list` and `delete_stream`.
struct Guard<S: Storage> {
    principal: Arc<Principal<S::Group>>,
    // `fn() -> S`: the storage is a type-level name, never a value, so the
    // guard is `Send` and `Sync` whatever `S` is.
    storage: PhantomData<fn() -> S>,
}

impl<S: Storage> Clone for Guard<S> {
    fn clone(&self) -> Self {
        Self {
            principal: Arc::clone(&self.principal),
            storage: PhantomData,
        }
    }
}

impl<S: Storage> Guard<S> {
    /// `access` on `location`, decided and audited as [`Storage::authorize`].
    fn check(&self, location: &Path, access: Access) -> Result<()> {
        self.check_key(location.as_ref(), access)
    }

    fn check_key(&self, key: &str, access: Access) -> Result<()> {
        S::authorize(&self.principal, key, access)
            .into_result()
            .map_err(|denied| refusal(key, denied))
    }

    /// `list` on the prefix of a listing: `p/` for the prefix `p`; the root
    /// is covered by no storage path.
    fn check_listing(&self, prefix: Option<&Path>) -> Result<()> {
        match prefix.map(AsRef::<str>::as_ref) {
            Some(prefix) if !prefix.is_empty() => {
                self.check_key(&format!("{prefix}/"), Access::List)
            }
            _ => deny_root_listing::<S>(&self.principal)
                .into_result()
                .map_err(|denied| refusal("", denied)),
        }
    }

    /// The listing `list` makes of `prefix`, when `list` on the prefix is
    /// allowed, filtered to what may be listed; else one error item (and
    /// the inner store is not asked).
    fn listing(
        &self,
        prefix: Option<&Path>,
        list: impl FnOnce() -> BoxStream<'static, Result<ObjectMeta>>,
    ) -> BoxStream<'static, Result<ObjectMeta>>
    where
        S: 'static,
    {
        if let Err(error) = self.check_listing(prefix) {
            return stream::once(ready(Err(error))).boxed();
        }
        let guard = self.clone();
        list()
            .try_filter(move |meta| ready(guard.may_list(&meta.location)))
            .boxed()
    }

    /// Whether a listing may show the object at `location` (not audited).
    fn may_list(&self, location: &Path) -> bool {
        decide_unaudited::<S>(&self.principal, location.as_ref(), Access::List).is_allowed()
    }

    /// Whether a listing may show the common prefix `prefix` (not audited).
    fn may_list_prefix(&self, prefix: &Path) -> bool {
        let key = format!("{}/", prefix.as_ref());
        decide_unaudited::<S>(&self.principal, &key, Access::List).is_allowed()
    }
}

/// [`Storage::authorize`] without its audit event: for the per-object filter
/// of a guarded listing, whose listing itself was audited.
fn decide_unaudited<S: Storage + ?Sized>(
    principal: &Principal<S::Group>,
    key: &str,
    access: Access,
) -> Decision {
    crate::storage::decide(S::NAME, S::PATHS, S::__TRIE, principal, key, access)
}

/// The (audited) denial of a listing of the whole store: no storage path
/// can cover the root, as every path is `prefix/*`.
fn deny_root_listing<S: Storage + ?Sized>(principal: &Principal<S::Group>) -> Decision {
    let request = Request::new(S::NAME, Access::List.name(), !principal.is_authenticated());
    let decision = request.denied(DenyReason::NoMatchingPath);
    crate::audit::storage(principal, "", decision);
    decision
}

/// The `object_store` error for a denial: `Unauthenticated` for a guest (HTTP
/// 401), `PermissionDenied` otherwise (403), with the denial as its source.
/// The key comes from the request and shows in the error's message: it is
/// escaped (control and bidi characters, line separators, backslashes).
fn refusal(key: &str, denied: Denied) -> Error {
    let path = crate::text::escaped(key);
    let source = Box::new(denied);
    if denied.is_guest() {
        Error::Unauthenticated { path, source }
    } else {
        Error::PermissionDenied { path, source }
    }
}

// Every method, defaulted or not, is written out: a default added by a later
// `object_store` would otherwise call the inner store's other methods unguarded
// (or, as `rename_opts`'s does, through this store's, with other checks).
#[async_trait::async_trait]
#[deny(clippy::missing_trait_methods)]
impl<S: Storage + 'static, T: ObjectStore> ObjectStore for GuardedStore<S, T> {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        self.guard.check(location, Access::Write)?;
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.guard.check(location, Access::Write)?;
        self.inner.put_multipart_opts(location, opts).await
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        self.guard.check(location, Access::Get)?;
        self.inner.get_opts(location, options).await
    }

    async fn get_ranges(&self, location: &Path, ranges: &[Range<u64>]) -> Result<Vec<Bytes>> {
        self.guard.check(location, Access::Get)?;
        self.inner.get_ranges(location, ranges).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        // Only allowed keys reach the inner store; refusals (and the caller's
        // own error items) go around it, so a backend that deletes in batches
        // and drops a batch at an error item (Azure does) loses nothing.
        let refused = Arc::new(Mutex::new(VecDeque::new()));
        let aside = Arc::clone(&refused);
        let guard = self.guard.clone();
        let allowed = locations
            .filter_map(move |item| {
                let error = match item {
                    Ok(path) => match guard.check(&path, Access::Delete) {
                        Ok(()) => return ready(Some(Ok(path))),
                        Err(error) => error,
                    },
                    Err(error) => error,
                };
                push(&aside, error);
                ready(None)
            })
            .boxed();
        Deletions {
            deleted: self.inner.delete_stream(allowed),
            refused,
            finished: false,
        }
        .boxed()
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.guard.listing(prefix, || self.inner.list(prefix))
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, Result<ObjectMeta>> {
        self.guard
            .listing(prefix, || self.inner.list_with_offset(prefix, offset))
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.guard.check_listing(prefix)?;
        let mut listing = self.inner.list_with_delimiter(prefix).await?;
        listing
            .common_prefixes
            .retain(|prefix| self.guard.may_list_prefix(prefix));
        listing
            .objects
            .retain(|meta| self.guard.may_list(&meta.location));
        Ok(listing)
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.guard.check(from, Access::Get)?;
        self.guard.check(to, Access::Write)?;
        self.inner.copy_opts(from, to, options).await
    }

    async fn rename_opts(&self, from: &Path, to: &Path, options: RenameOptions) -> Result<()> {
        self.guard.check(from, Access::Get)?;
        self.guard.check(to, Access::Write)?;
        self.guard.check(from, Access::Delete)?;
        self.inner.rename_opts(from, to, options).await
    }
}

//! The backend's other traits, through the guard: a guarded store generic
//! over its backend forwards `MultipartStore` (every call that names a path
//! needs `write` on it) and `Signer` (a presigned URL is signed only when the
//! guard allows what it lets its holder do), each checked before the backend
//! is called. Signing needs no network: `object_store`'s S3 signer, with
//! made-up credentials.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use groupguard::object_store::GuardedStore;
use groupguard::{Denied, DenyReason, Principal};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::memory::InMemory;
use object_store::multipart::{MultipartStore, PartId};
use object_store::path::Path;
use object_store::signer::{Method, SignedUrlOptions, Signer};
use object_store::{
    MultipartId, ObjectStore, ObjectStoreExt, PutMultipartOptions, PutPayload, PutResult, Result,
};

use crate::{Articles, Group};

fn editor() -> Principal<Group> {
    Principal::authenticated("eddie").with_groups([Group::EDITORS])
}

/// A `MultipartStore` that records which of its methods ran (its clones
/// share the record).
#[derive(Clone, Debug, Default)]
struct Parts(Arc<Mutex<Vec<&'static str>>>);

impl Parts {
    fn record(&self, method: &'static str) {
        self.0.lock().unwrap().push(method);
    }

    fn take(&self) -> Vec<&'static str> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

#[async_trait::async_trait]
#[deny(clippy::missing_trait_methods)]
impl MultipartStore for Parts {
    async fn create_multipart(&self, _: &Path) -> Result<MultipartId> {
        self.record("create_multipart");
        Ok("id".into())
    }

    async fn create_multipart_opts(&self, _: &Path, _: PutMultipartOptions) -> Result<MultipartId> {
        self.record("create_multipart_opts");
        Ok("id".into())
    }

    async fn put_part(&self, _: &Path, _: &MultipartId, _: usize, _: PutPayload) -> Result<PartId> {
        self.record("put_part");
        Ok(PartId {
            content_id: "part".into(),
        })
    }

    async fn complete_multipart(
        &self,
        _: &Path,
        _: &MultipartId,
        _: Vec<PartId>,
    ) -> Result<PutResult> {
        self.record("complete_multipart");
        Ok(PutResult {
            e_tag: None,
            version: None,
            extensions: object_store::Extensions::default(),
        })
    }

    async fn abort_multipart(&self, _: &Path, _: &MultipartId) -> Result<()> {
        self.record("abort_multipart");
        Ok(())
    }
}

/// Each method of `MultipartStore` on `path`; the methods that ran.
async fn every_multipart_call(store: &GuardedStore<Articles, Parts>, path: &str) -> usize {
    let path = Path::from(path);
    let id: MultipartId = "id".into();
    let part = || PartId {
        content_id: "part".into(),
    };
    [
        store.create_multipart(&path).await.is_ok(),
        store
            .create_multipart_opts(&path, PutMultipartOptions::default())
            .await
            .is_ok(),
        store
            .put_part(&path, &id, 0, PutPayload::from_static(b"x"))
            .await
            .is_ok(),
        store
            .complete_multipart(&path, &id, vec![part()])
            .await
            .is_ok(),
        store.abort_multipart(&path, &id).await.is_ok(),
    ]
    .into_iter()
    .filter(|ok| *ok)
    .count()
}

#[tokio::test]
async fn multipart_calls_need_write_on_their_path() {
    let parts = Parts::default();
    let store = GuardedStore::<Articles, _>::wrap(parts.clone(), editor());
    // Allowed: each call reaches the backend's own method.
    assert_eq!(every_multipart_call(&store, "drafts/big.bin").await, 5);
    assert_eq!(
        parts.take(),
        [
            "create_multipart",
            "create_multipart_opts",
            "put_part",
            "complete_multipart",
            "abort_multipart"
        ]
    );
    // Denied (a part or a completion naming a path the principal may not
    // write, whatever the upload's creation named): the backend is not called.
    assert_eq!(every_multipart_call(&store, "drafts/archive/x").await, 0);
    assert_eq!(every_multipart_call(&store, "other/x").await, 0);
    let guest = GuardedStore::<Articles, _>::wrap(parts.clone(), Principal::guest());
    assert_eq!(every_multipart_call(&guest, "drafts/big.bin").await, 0);
    assert_eq!(parts.take(), Vec::<&str>::new());
}

/// A signer with made-up credentials: signing is local.
fn s3() -> AmazonS3 {
    AmazonS3Builder::new()
        .with_bucket_name("test-only-bucket")
        .with_region("us-east-1")
        .with_access_key_id("AKIATESTONLY0000000")
        .with_secret_access_key("test-only-secret")
        .build()
        .expect("an S3 store for signing")
}

fn reason(error: &object_store::Error) -> Option<DenyReason> {
    match error {
        object_store::Error::PermissionDenied { source, .. }
        | object_store::Error::Unauthenticated { source, .. } => {
            source.downcast_ref::<Denied>().map(Denied::reason)
        }
        _ => None,
    }
}

#[tokio::test]
async fn presigned_urls_are_signed_only_when_the_guard_allows() {
    let hour = Duration::from_secs(3600);
    let store = GuardedStore::<Articles, AmazonS3>::wrap(s3(), editor());
    let draft = Path::from("drafts/post-1.md");
    // Editors read and write drafts: GET, HEAD and PUT URLs are signed.
    for method in [Method::GET, Method::HEAD, Method::PUT] {
        let url = store.signed_url(method.clone(), &draft, hour).await;
        let url = url.unwrap_or_else(|e| panic!("{method}: {e}"));
        assert!(url.as_str().contains("X-Amz-Signature="), "{url}");
        assert!(url.path().ends_with("/drafts/post-1.md"), "{url}");
    }
    let options = SignedUrlOptions::default();
    assert!(
        store
            .signed_url_opts(Method::GET, &draft, hour, &options)
            .await
            .is_ok()
    );
    // They may not delete drafts, nor write the archive: refused before
    // anything is signed, with the guard's reason.
    let error = store
        .signed_url(Method::DELETE, &draft, hour)
        .await
        .unwrap_err();
    assert_eq!(
        reason(&error),
        Some(DenyReason::NotInAllowedGroup),
        "{error}"
    );
    let archive = Path::from("drafts/archive/old.md");
    let error = store
        .signed_url(Method::PUT, &archive, hour)
        .await
        .unwrap_err();
    assert_eq!(reason(&error), Some(DenyReason::NoRule), "{error}");
    let error = store
        .signed_url_opts(Method::PUT, &archive, hour, &options)
        .await
        .unwrap_err();
    assert!(reason(&error).is_some(), "{error}");
    // A batch is signed only when every path is allowed.
    let error = store
        .signed_urls(Method::GET, &[draft.clone(), Path::from("other/x")], hour)
        .await
        .unwrap_err();
    assert_eq!(reason(&error), Some(DenyReason::NoMatchingPath), "{error}");
    let urls = store
        .signed_urls(
            Method::GET,
            &[draft.clone(), Path::from("drafts/b.md")],
            hour,
        )
        .await
        .expect("both allowed");
    assert_eq!(urls.len(), 2);
    // A method with no storage action is not signed.
    let error = store
        .signed_url(Method::POST, &draft, hour)
        .await
        .unwrap_err();
    assert!(
        matches!(error, object_store::Error::NotSupported { .. }),
        "{error}"
    );
    // A guest gets nothing signed, as `Unauthenticated`.
    let guest = GuardedStore::<Articles, AmazonS3>::wrap(s3(), Principal::guest());
    let error = guest
        .signed_url(Method::GET, &draft, hour)
        .await
        .unwrap_err();
    assert!(
        matches!(error, object_store::Error::Unauthenticated { .. }),
        "{error}"
    );
}

/// Generic over its backend, the guarded store is the backend's
/// `ObjectStore` too, and decides as the `Arc<dyn ObjectStore>` one does.
#[tokio::test]
async fn a_store_of_any_type_is_guarded_alike() {
    let store = GuardedStore::<Articles, InMemory>::wrap(InMemory::new(), editor());
    let draft = Path::from("drafts/post-1.md");
    store
        .put(&draft, PutPayload::from_static(b"#"))
        .await
        .unwrap();
    assert_eq!(store.get(&draft).await.unwrap().bytes().await.unwrap(), "#");
    assert!(store.delete(&draft).await.is_err());
    let dynamic: Arc<dyn ObjectStore> = Arc::new(store);
    assert!(dynamic.head(&draft).await.is_ok());
    assert!(dynamic.delete(&draft).await.is_err());
}

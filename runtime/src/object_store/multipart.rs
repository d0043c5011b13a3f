//! The low-level multipart API of S3, GCS and Azure, guarded: `write` on
//! the path at every call that names one (a part or a completion could
//! name another key than the upload's creation did).

use ::object_store::multipart::{MultipartStore, PartId};
use ::object_store::path::Path;
use ::object_store::{MultipartId, PutMultipartOptions, PutPayload, PutResult, Result};

use super::GuardedStore;
use crate::storage::{Access, Storage};

#[async_trait::async_trait]
#[deny(clippy::missing_trait_methods)]
impl<S: Storage + 'static, T: MultipartStore> MultipartStore for GuardedStore<S, T> {
    async fn create_multipart(&self, path: &Path) -> Result<MultipartId> {
        self.guard.check(path, Access::Write)?;
        self.inner.create_multipart(path).await
    }

    async fn create_multipart_opts(
        &self,
        path: &Path,
        opts: PutMultipartOptions,
    ) -> Result<MultipartId> {
        self.guard.check(path, Access::Write)?;
        self.inner.create_multipart_opts(path, opts).await
    }

    async fn put_part(
        &self,
        path: &Path,
        id: &MultipartId,
        part_idx: usize,
        data: PutPayload,
    ) -> Result<PartId> {
        self.guard.check(path, Access::Write)?;
        self.inner.put_part(path, id, part_idx, data).await
    }

    async fn complete_multipart(
        &self,
        path: &Path,
        id: &MultipartId,
        parts: Vec<PartId>,
    ) -> Result<PutResult> {
        self.guard.check(path, Access::Write)?;
        self.inner.complete_multipart(path, id, parts).await
    }

    async fn abort_multipart(&self, path: &Path, id: &MultipartId) -> Result<()> {
        self.guard.check(path, Access::Write)?;
        self.inner.abort_multipart(path, id).await
    }
}

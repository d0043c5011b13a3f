//! Presigned URLs (feature `object-store-signer`: `object_store`'s `Signer`,
//! which S3, GCS and Azure implement). A URL is signed only when the guard
//! allows what it lets its holder do: `GET` and `HEAD` need `get`, `PUT`
//! `write`, `DELETE` `delete` on the path; any other method is refused as
//! not supported. Whoever holds the URL acts as the principal did, until it
//! expires: keep `expires_in` short.

use core::time::Duration;

use ::object_store::path::Path;
use ::object_store::signer::{Method, SignedUrlOptions, Signer};
use ::object_store::{Error, Result};
use url::Url;

use super::GuardedStore;
use crate::storage::{Access, Storage};

/// The storage action a presigned request of `method` performs.
fn access(method: &Method) -> Result<Access> {
    match *method {
        Method::GET | Method::HEAD => Ok(Access::Get),
        Method::PUT => Ok(Access::Write),
        Method::DELETE => Ok(Access::Delete),
        _ => Err(Error::NotSupported {
            source: format!(
                "a presigned `{}` request has no storage action the guard could check",
                crate::text::shown(method.as_str())
            )
            .into(),
        }),
    }
}

#[async_trait::async_trait]
#[deny(clippy::missing_trait_methods)]
impl<S: Storage + 'static, T: Signer> Signer for GuardedStore<S, T> {
    async fn signed_url(&self, method: Method, path: &Path, expires_in: Duration) -> Result<Url> {
        self.guard.check(path, access(&method)?)?;
        self.inner.signed_url(method, path, expires_in).await
    }

    async fn signed_url_opts(
        &self,
        method: Method,
        path: &Path,
        expires_in: Duration,
        options: &SignedUrlOptions,
    ) -> Result<Url> {
        self.guard.check(path, access(&method)?)?;
        self.inner
            .signed_url_opts(method, path, expires_in, options)
            .await
    }

    async fn signed_urls(
        &self,
        method: Method,
        paths: &[Path],
        expires_in: Duration,
    ) -> Result<Vec<Url>> {
        // Every path before any is signed: all or nothing.
        let access = access(&method)?;
        for path in paths {
            self.guard.check(path, access)?;
        }
        self.inner.signed_urls(method, paths, expires_in).await
    }
}

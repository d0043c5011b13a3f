//! Issuers: the `iss` values a verifier accepts (a Cognito user pool's two
//! issuer formats, an OIDC provider's URL, a development string), the checks
//! of an issuer given to the builder, and why a token's `iss` is none of them.
//!
//! Cognito names a pool's issuer in one of two formats, chosen per pool
//! (`IssuerConfigurationType` in the Cognito API reference):
//!
//! - ORIGINAL: `https://cognito-idp.{region}.amazonaws.com/{pool_id}`;
//! - UPDATED ("recommended for all user pools"):
//!   `https://issuer-cognito-idp.{region}.amazonaws.com/{pool_id}`.
//!
//! A Cognito verifier accepts both, as aws-jwt-verify 5 does, and each has
//! its key set at `{issuer}/.well-known/jwks.json`. Both strings are made
//! here from the configured pool id, never from a token: a token's `iss`
//! only ever *selects* one of them, by exact comparison.

/// The hosts of Cognito's issuer formats, ORIGINAL first, before
/// `.{region}.amazonaws.com`.
pub(crate) const COGNITO_ISSUER_HOSTS: [&str; 2] = ["cognito-idp", "issuer-cognito-idp"];

/// The two issuers of the Cognito user pool `pool_id`: ORIGINAL, then
/// UPDATED.
pub(crate) fn cognito_issuers(pool_id: &str) -> Result<[String; 2], &'static str> {
    let region = check_pool_id(pool_id)?;
    Ok(COGNITO_ISSUER_HOSTS.map(|host| format!("https://{host}.{region}.amazonaws.com/{pool_id}")))
}

/// Why the token's `found` issuer is none of the `expected` ones, as far as
/// the strings tell: for [`VerifyError::Issuer`](super::VerifyError::Issuer).
pub(super) fn mismatch(expected: &[String], found: &str) -> &'static str {
    let slash = |a: &str, b: &str| a.strip_suffix('/') == Some(b);
    if expected
        .iter()
        .any(|issuer| slash(found, issuer) || slash(issuer, found))
    {
        return "only a trailing `/` differs, and issuers are compared byte for byte";
    }
    let Some(id) = last_segment(found) else {
        return "the token comes from another user pool or provider";
    };
    let same_id: Vec<&String> = expected
        .iter()
        .filter(|issuer| last_segment(issuer) == Some(id))
        .collect();
    if same_id.is_empty() {
        return "the token comes from another user pool or provider";
    }
    // `found` and an expected issuer name the same pool; both are Cognito
    // issuers of it: they differ in the format only.
    let cognito = cognito_issuers(id).ok();
    let is_cognito = |issuer: &str| {
        cognito
            .as_ref()
            .is_some_and(|both| both.iter().any(|c| c == issuer))
    };
    if is_cognito(found) && same_id.iter().any(|issuer| is_cognito(issuer)) {
        return "only Cognito's issuer format differs (ORIGINAL `cognito-idp`, UPDATED `issuer-cognito-idp`): this verifier was given one issuer with `.issuer(..)`; without it, `Verifier::cognito(pool_id)` accepts both formats of the pool";
    }
    "the token names the same user pool or path under another host or region: it was not issued by this verifier's issuer"
}

/// The last path segment of an issuer URL, when it has a non-empty one.
fn last_segment(issuer: &str) -> Option<&str> {
    let (_, path) = issuer.split_once("://")?.1.split_once('/')?;
    path.rsplit('/')
        .next()
        .filter(|segment| !segment.is_empty())
}

/// Checks a Cognito pool id (`us-east-1_AbC123`) and returns its region.
pub(super) fn check_pool_id(pool_id: &str) -> Result<&str, &'static str> {
    let Some((region, id)) = pool_id.split_once('_') else {
        return Err("no `_` between region and id");
    };
    // Regions: lowercase words and a final number, such as `us-gov-west-1`.
    let words: Vec<&str> = region.split('-').collect();
    let region_ok = match words.split_last() {
        Some((number, names)) => {
            names.len() >= 2
                && names
                    .iter()
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    };
    if !region_ok {
        return Err("the region part is not an AWS region such as `us-east-1`");
    }
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("the part after `_` must be letters and digits");
    }
    if pool_id.len() > 55 {
        return Err("longer than 55 characters");
    }
    Ok(region)
}

/// Checks an issuer that is compared as a string: not empty, no whitespace
/// or control characters.
pub(super) fn check_issuer_text(issuer: &str) -> Result<(), &'static str> {
    if issuer.is_empty() {
        return Err("it is empty");
    }
    if issuer.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("it contains whitespace or control characters");
    }
    Ok(())
}

/// Checks an OIDC issuer: an `https://` URL, or `http://` on the local host.
pub(super) fn check_issuer_url(issuer: &str) -> Result<(), &'static str> {
    check_issuer_text(issuer)?;
    // `user@host` would let `http://localhost:80@example.com` pass for a local URL.
    let authority = issuer
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split('/')
        .next()
        .unwrap_or_default();
    if authority.contains('@') {
        return Err("an issuer URL has no user info (`user@`)");
    }
    let host_and_path = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let local = ["localhost", "127.0.0.1", "[::1]"].iter().any(|host| {
            rest.strip_prefix(host)
                .is_some_and(|after| after.is_empty() || after.starts_with([':', '/']))
        });
        if !local {
            return Err("`http://` is only allowed for localhost; use `https://`");
        }
        rest
    } else {
        return Err("an OIDC issuer is an `https://` URL");
    };
    if host_and_path.is_empty() || host_and_path.starts_with('/') {
        return Err("the URL has no host");
    }
    if issuer.contains(['?', '#']) {
        return Err("an issuer URL has no query or fragment");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "us-east-1_AbC123";

    #[test]
    fn a_pool_has_both_formats_original_first() {
        assert_eq!(
            cognito_issuers(POOL).unwrap(),
            [
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
                "https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123",
            ]
        );
        assert!(cognito_issuers("AbC123").is_err());
    }

    #[test]
    fn a_mismatch_says_what_differs() {
        let both = cognito_issuers(POOL).unwrap().to_vec();
        let original_only = vec![both[0].clone()];
        let updated = both[1].as_str();
        assert!(mismatch(&original_only, updated).contains("issuer format differs"));
        for found in [
            "https://cognito-idp.us-east-1.amazonaws.com.evil.example/us-east-1_AbC123",
            "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_AbC123",
            "http://127.0.0.1:9/us-east-1_AbC123",
        ] {
            let reason = mismatch(&both, found);
            assert!(
                reason.contains("another host or region"),
                "{found}: {reason}"
            );
            assert!(!reason.contains("another user pool"), "{found}: {reason}");
        }
        let slash = format!("{}/", both[0]);
        assert!(mismatch(&both, &slash).contains("trailing `/`"));
        for found in [
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other",
            "",
            "no-scheme/us-east-1_AbC123",
            "https://host-only",
        ] {
            assert!(
                mismatch(&both, found).contains("another user pool or provider"),
                "{found}"
            );
        }
    }
}

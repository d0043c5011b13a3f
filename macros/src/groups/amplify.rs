//! `#[groups(amplify_outputs = "amplify_outputs.json")]`: the groups of the
//! enum checked against the user pool's groups in Amplify's outputs file,
//! at compile time. The runtime's `groupguard::amplify` does the same at
//! run time (and for storages); both name the differences the same way.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::LitStr;
use syn::parse::Parser;
use syn::punctuated::Punctuated;

use super::ast::Group;
use crate::internals::ctxt::Ctxt;

/// The arguments of `#[groups(...)]`: only `amplify_outputs = "path"`.
pub fn parse_args(cx: &mut Ctxt, args: TokenStream) -> Option<LitStr> {
    if args.is_empty() {
        return None;
    }
    let parser = Punctuated::<syn::MetaNameValue, syn::Token![,]>::parse_terminated;
    let Ok(metas) = parser.parse2(args.clone()) else {
        cx.error_spanned_by(
            &args,
            "`#[groups]` takes one argument, `amplify_outputs = \"path/to/amplify_outputs.json\"`; configure each group with `#[group(...)]`",
        );
        return None;
    };
    let mut path = None;
    for meta in metas {
        if !meta.path.is_ident("amplify_outputs") {
            let path = &meta.path;
            let name = quote!(#path).to_string().replace(' ', "");
            cx.error_spanned_by(
                &meta.path,
                format!(
                    "unknown `#[groups]` argument `{name}`; the one argument is `amplify_outputs = \"path/to/amplify_outputs.json\"` (configure each group with `#[group(...)]`)"
                ),
            );
            continue;
        }
        match &meta.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) if path.is_none() => path = Some(lit.clone()),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => cx.error_spanned_by(lit, "`amplify_outputs` is given twice"),
            other => cx.error_spanned_by(
                other,
                "`amplify_outputs` takes a string: the file's path, relative to the crate's Cargo.toml",
            ),
        }
    }
    path
}

/// Reads the file and checks the groups; on success, the tokens that make
/// cargo rebuild when the file changes.
pub fn check(cx: &mut Ctxt, lit: &LitStr, groups: &[Group]) -> Option<TokenStream> {
    let relative = lit.value();
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let path = dir.join(&relative);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            cx.error_spanned_by(
                lit,
                format!(
                    "cannot read `{relative}`: {error}; the path is relative to the crate's Cargo.toml"
                ),
            );
            return None;
        }
    };
    let declared: Vec<(&str, u32)> = groups
        .iter()
        .map(|g| (g.name.as_str(), g.precedence))
        .collect();
    if let Err(message) = drift(&text, &declared) {
        cx.error_spanned_by(lit, format!("`{relative}`: {message}"));
        return None;
    }
    let absolute = path.to_string_lossy().into_owned();
    // `include_bytes!` makes the file an input of the build: editing it
    // reruns this check.
    Some(quote! {
        const _: &[u8] = ::core::include_bytes!(#absolute);
    })
}

/// The pool's groups from the outputs' text: `(name, precedence)`.
fn pool_groups(text: &str) -> Result<Vec<(String, Option<i64>)>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let groups = doc
        .get("auth")
        .ok_or("no `auth` section (no user pool)")?
        .get("groups")
        .ok_or("no `auth.groups` (the pool has no groups, or the file predates schema 1.3)")?
        .as_array()
        .ok_or("`auth.groups` is not an array")?;
    let mut pool = Vec::new();
    for (i, entry) in groups.iter().enumerate() {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("`auth.groups[{i}]` is not an object"))?;
        for (name, config) in entry {
            let precedence = match config.get("precedence") {
                None => None,
                Some(p) => Some(p.as_i64().ok_or_else(|| {
                    format!("`auth.groups[{i}].{name}.precedence` is not an integer")
                })?),
            };
            pool.push((name.clone(), precedence));
        }
    }
    Ok(pool)
}

/// `Err` with every difference, one per line, when the declared groups and
/// the pool's differ.
fn drift(text: &str, declared: &[(&str, u32)]) -> Result<(), String> {
    let pool = pool_groups(text)?;
    let mut lines = Vec::new();
    for (name, precedence) in declared {
        match pool.iter().find(|(n, _)| n == name) {
            None => lines.push(format!(
                "`{name}` is declared in Rust but not in the user pool: rules naming it match no one"
            )),
            Some((_, Some(p))) if *p != i64::from(*precedence) => lines.push(format!(
                "`{name}` has precedence {precedence} in Rust and {p} in the user pool"
            )),
            Some(_) => {}
        }
    }
    for (name, _) in &pool {
        if !declared.iter().any(|(n, _)| n == name) {
            lines.push(format!(
                "`{name}` is in the user pool but not declared in Rust: its members get nothing from Rust rules"
            ));
        }
    }
    if lines.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the groups differ from the user pool's:\n- {}",
            lines.join("\n- ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::drift;

    const OUTPUTS: &str = r#"{"version": "1.5", "auth": {"groups": [
        {"ADMINS": {"precedence": 0}}, {"EDITORS": {"precedence": 1}}]}}"#;

    #[test]
    fn agreeing_groups_pass() {
        assert_eq!(drift(OUTPUTS, &[("ADMINS", 0), ("EDITORS", 1)]), Ok(()));
    }

    #[test]
    fn every_difference_is_named() {
        let message = drift(OUTPUTS, &[("ADMINS", 3), ("EDITOR", 1)]).unwrap_err();
        assert_eq!(
            message,
            "the groups differ from the user pool's:\n\
             - `ADMINS` has precedence 3 in Rust and 0 in the user pool\n\
             - `EDITOR` is declared in Rust but not in the user pool: rules naming it match no one\n\
             - `EDITORS` is in the user pool but not declared in Rust: its members get nothing from Rust rules"
        );
    }

    #[test]
    fn malformed_files_say_what_is_wrong() {
        assert!(drift("{", &[]).unwrap_err().starts_with("not JSON"));
        assert_eq!(
            drift("{}", &[]).unwrap_err(),
            "no `auth` section (no user pool)"
        );
        assert!(
            drift(r#"{"auth": {}}"#, &[])
                .unwrap_err()
                .starts_with("no `auth.groups`")
        );
        assert_eq!(
            drift(r#"{"auth": {"groups": {}}}"#, &[]).unwrap_err(),
            "`auth.groups` is not an array"
        );
        assert_eq!(
            drift(
                r#"{"auth": {"groups": [{"A": {"precedence": "x"}}]}}"#,
                &[("A", 0)]
            )
            .unwrap_err(),
            "`auth.groups[0].A.precedence` is not an integer"
        );
    }
}

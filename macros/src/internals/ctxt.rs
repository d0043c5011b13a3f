//! Error collection, so that every mistake in one macro input is reported at once.

use std::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// Collects errors while an input is checked (after `serde_derive`'s `Ctxt`).
///
/// It must be consumed with [`Ctxt::check`]: dropping it unchecked is a bug in
/// the macro and panics, so that no error is ever silently lost.
#[derive(Default)]
pub struct Ctxt {
    errors: Option<Vec<syn::Error>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: Some(Vec::new()),
        }
    }

    /// Records an error spanned on `tokens`.
    pub fn error_spanned_by(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records an error at `span`.
    pub fn error_at(&mut self, span: proc_macro2::Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Records a ready-made error (e.g. from syn's parser).
    pub fn push(&mut self, error: syn::Error) {
        self.errors
            .as_mut()
            .expect("Ctxt used after check")
            .push(error);
    }

    /// Whether any error was recorded so far.
    pub fn has_errors(&self) -> bool {
        self.errors
            .as_ref()
            .is_some_and(|errors| !errors.is_empty())
    }

    /// All recorded errors combined into one, or `Ok` when there were none.
    pub fn check(mut self) -> Result<(), syn::Error> {
        let mut errors = self.errors.take().expect("Ctxt checked twice");
        // Report in source order, whatever order the checks ran in.
        if proc_macro::is_available() {
            errors.sort_by_key(|error| {
                let span = error.span().unwrap();
                (span.line(), span.column())
            });
        }
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for error in errors {
            combined.combine(error);
        }
        Err(combined)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        assert!(
            self.errors.is_none() || std::thread::panicking(),
            "groupguard-macros: Ctxt dropped without check()"
        );
    }
}

/// The `compile_error!` invocations of `error`, followed by `fallback` (a stub
/// that keeps the user's other code free of follow-on errors).
pub fn with_fallback(error: syn::Error, fallback: TokenStream) -> TokenStream {
    let errors = error.to_compile_error();
    quote::quote! { #errors #fallback }
}

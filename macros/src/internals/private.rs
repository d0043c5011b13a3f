//! The runtime path of generated code, written in one place (as serde's
//! `private` and thiserror's equivalent).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};

/// `::groupguard::__private`, the hidden module that generated code reaches
/// the runtime through. Interpolate it as `#private::Name`.
///
/// The span lets errors in generated items point where the item's other
/// tokens point. A `crate = path` override (for a facade crate that
/// re-exports the macros) would be one more field here.
#[derive(Clone, Copy)]
pub struct Private {
    span: Span,
}

impl Private {
    /// The path, with call-site hygiene.
    pub fn new() -> Self {
        Private {
            span: Span::call_site(),
        }
    }

    /// The path, spanned at `span`.
    pub fn at(span: Span) -> Self {
        Private { span }
    }
}

impl ToTokens for Private {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(quote_spanned!(self.span=> ::groupguard::__private));
    }
}

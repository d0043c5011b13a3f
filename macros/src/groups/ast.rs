//! The typed model of a `#[groups]` enum: one entry per variant.

use proc_macro2::Span;
use syn::Ident;

/// One declared group.
pub struct Group {
    pub ident: Ident,
    /// The claim value, with the span of where it was written (or of the variant).
    pub name: String,
    pub name_span: Span,
    pub precedence: u32,
    pub role: Option<String>,
    pub description: Option<String>,
}

//! `storage! { ... }`: first stage (find the groups enum, forward to its
//! companion macro) and second stage (parse -> check -> expand).
//! Not implemented yet (issue 3).

use proc_macro2::TokenStream;

use crate::callback::Declared;

pub fn first_stage(input: TokenStream) -> TokenStream {
    let _ = input;
    syn::Error::new(
        proc_macro2::Span::call_site(),
        "`storage!` is not implemented yet",
    )
    .to_compile_error()
}

pub fn second_stage(declared: &Declared, enum_path: syn::Path, body: TokenStream) -> TokenStream {
    let _ = (declared, enum_path, body);
    TokenStream::new()
}

//! `__with_groups!`, the second stage of `#[model]`, `storage!` and
//! `group_set!`: called by
//! the companion macro of a groups enum with the declared groups, it hands
//! them to the macro that asked (see `internals::companion`).

use proc_macro2::TokenStream;

use crate::internals::companion::{self, Request};

pub fn expand(input: TokenStream) -> TokenStream {
    let output = match companion::parse(input) {
        Ok((
            declared,
            Request::Model {
                enum_path,
                args,
                item,
            },
        )) => crate::model::second_stage(&declared, &enum_path, args, item),
        Ok((declared, Request::Storage { enum_path, body })) => {
            crate::storage::second_stage(&declared, &enum_path, body)
        }
        Ok((declared, Request::GroupSet { enum_path, groups })) => {
            crate::group_set::second_stage(&declared, &enum_path, groups)
        }
        // Not a request of the first stage: no marker to answer.
        Err(error) => return error.to_compile_error(),
    };
    companion::found(output)
}

//! Who a `lambda_http` request says it is, read from its event before any
//! check: an authorizer's claims, a raw token, or nobody.

use lambda_http::RequestExt as _;
use lambda_http::aws_lambda_events::apigw::ApiGatewayRequestAuthorizer;
use lambda_http::http::{HeaderMap, Request};
use lambda_http::request::RequestContext;
use serde_json::{Map, Value};

use super::{ALB_ACCESS_TOKEN, LambdaError};
use crate::http::{Credentials, HeaderError, credentials, is_bare_token};

/// The payload format of an API Gateway event, which decides how an
/// authorizer may have flattened a list claim.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Payload {
    /// A REST API's event, or an HTTP API's payload 1.0 (the two cannot be
    /// told apart once parsed): `"a,b"` (a Cognito authorizer) or `"[a b]"`.
    V1,
    /// An HTTP API's payload 2.0: `"[a b]"` only.
    V2,
}

/// Who a request says it is, before any check.
pub(super) enum Identity<'r> {
    /// Claims an authorizer verified, from an event of that payload format.
    Claims(Map<String, Value>, Payload),
    /// A raw token, from the header named.
    Token(&'r str, &'static str),
    /// Nobody.
    Guest,
}

impl<'r> Identity<'r> {
    /// The identity of a request, by its event.
    pub(super) fn of<B>(request: &'r Request<B>) -> Result<Self, LambdaError> {
        let headers = request.headers();
        match request.request_context_ref() {
            Some(RequestContext::ApiGatewayV1(context)) => {
                match rest_claims(&context.authorizer)? {
                    Some(claims) => Ok(Identity::Claims(claims, Payload::V1)),
                    None => bearer(headers),
                }
            }
            Some(RequestContext::ApiGatewayV2(context)) => {
                match context.authorizer.as_ref().and_then(|a| a.jwt.as_ref()) {
                    Some(jwt) => Ok(Identity::Claims(
                        jwt.claims
                            .iter()
                            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
                            .collect(),
                        Payload::V2,
                    )),
                    None => bearer(headers),
                }
            }
            Some(RequestContext::Alb(_)) => match single(headers, ALB_ACCESS_TOKEN)? {
                Some(token) if is_bare_token(token) => Ok(Identity::Token(token, ALB_ACCESS_TOKEN)),
                Some(_) => Err(LambdaError::InvalidRequest {
                    header: ALB_ACCESS_TOKEN,
                }),
                None => bearer(headers),
            },
            // No context (a request built by hand), WebSocket, VPC Lattice:
            // only a verified token identifies.
            _ => bearer(headers),
        }
    }
}

/// The claims of a REST API (payload 1.0) authorizer: `claims` in its
/// fields (`lambda_http` keeps the whole `authorizer` object there). `None`
/// when absent or `null` (no Cognito or JWT authorizer).
fn rest_claims(
    authorizer: &ApiGatewayRequestAuthorizer,
) -> Result<Option<Map<String, Value>>, LambdaError> {
    match authorizer.fields.get("claims") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(claims)) => Ok(Some(claims.clone())),
        Some(_) => Err(LambdaError::MalformedClaims {
            reason: "`requestContext.authorizer.claims` is not a JSON object",
        }),
    }
}

/// The one value of the header `name` (the shared reader of
/// [`crate::http`]); refused when repeated or not text.
fn single<'h>(headers: &'h HeaderMap, name: &'static str) -> Result<Option<&'h str>, LambdaError> {
    crate::http::single(headers, name).map_err(|_| LambdaError::InvalidRequest { header: name })
}

/// The bearer token of `Authorization` (the shared parser,
/// [`credentials`](crate::http::credentials)): a guest without the header,
/// or with one signed for IAM (`SigV4`, checked by AWS before a function URL
/// with `AWS_IAM` auth invokes the function: an IAM caller, not a user-pool
/// user).
fn bearer(headers: &HeaderMap) -> Result<Identity<'_>, LambdaError> {
    match credentials(headers) {
        Ok(Credentials::None | Credentials::SigV4) => Ok(Identity::Guest),
        Ok(Credentials::Bearer(token)) => Ok(Identity::Token(token, "authorization")),
        Err(HeaderError::Repeated | HeaderError::NotText | HeaderError::Malformed) => {
            Err(LambdaError::InvalidRequest {
                header: "authorization",
            })
        }
    }
}

//! The Lambda integration on real event shapes (`fixtures/lambda/`): REST
//! API with a Cognito or JWT authorizer, HTTP API with a JWT authorizer
//! (payloads 2.0 and 1.0), a function URL and an ALB with raw tokens, and
//! hostile variants of each. Every case asserts the principal or the error.

#[path = "support/log_lines.rs"]
mod log_lines;

use groupguard::lambda::{LambdaAuth, LambdaError, ListClaimError, Refusal, denied_response};
use groupguard::test_issuer::{DEFAULT_CLIENT_ID, DEFAULT_POOL_ID, TestIssuer};
use groupguard::{Op, Principal, TokenUse, Verifier, VerifyError, groups, model};
use lambda_http::request::RequestContext;
use lambda_http::{Body, Request, RequestExt as _, Response};
use serde_json::{Value, json};

#[groups]
pub enum Group {
    ADMINS,
    EDITORS,
}

#[model(allow(authenticated, to = [read]), allow(groups = [ADMINS]))]
pub struct Post;

/// An event fixture as JSON.
fn event(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/lambda/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The request `lambda_http` makes of an event.
fn request(event: &Value) -> Request {
    lambda_http::request::from_str(&event.to_string()).expect("an event lambda_http reads")
}

/// `name`'s event with `edit` applied to its authorizer's claims.
fn with_claims(name: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Request {
    let mut event = event(name);
    let authorizer = &mut event["requestContext"]["authorizer"];
    let claims = if authorizer.get("jwt").is_some() {
        &mut authorizer["jwt"]["claims"]
    } else {
        &mut authorizer["claims"]
    };
    edit(claims.as_object_mut().expect("claims are an object"));
    request(&event)
}

/// `name`'s event with its group claim set to `groups`.
fn with_groups(name: &str, groups: Value) -> Request {
    with_claims(name, |claims| {
        claims.insert("cognito:groups".to_owned(), groups);
    })
}

/// `name`'s event with `{{TOKEN}}` replaced by `token`.
fn with_token(name: &str, token: &str) -> Request {
    let text = event(name).to_string().replace("{{TOKEN}}", token);
    lambda_http::request::from_str(&text).expect("an event lambda_http reads")
}

/// Checks of the test pool's claims, without keys: ID tokens.
fn id_claims() -> LambdaAuth<Group> {
    LambdaAuth::authorizers_only(
        Verifier::cognito(DEFAULT_POOL_ID)
            .unwrap()
            .client_id(DEFAULT_CLIENT_ID)
            .token_use(TokenUse::Id),
    )
    .unwrap()
}

/// Likewise, access tokens.
fn access_claims() -> LambdaAuth<Group> {
    LambdaAuth::authorizers_only(
        Verifier::cognito(DEFAULT_POOL_ID)
            .unwrap()
            .client_id(DEFAULT_CLIENT_ID)
            .token_use(TokenUse::Access),
    )
    .unwrap()
}

fn groups_of(principal: &Principal<Group>) -> Vec<Group> {
    principal.groups().iter().collect()
}

const SUB: &str = "0f2c6b2e-7a4e-4cde-9e2b-5a0d1c3e8f41";

#[test]
fn fixtures_are_read_as_the_events_they_are() {
    let kind = |request: &Request| match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV1(_)) => "v1",
        Some(RequestContext::ApiGatewayV2(_)) => "v2",
        Some(RequestContext::Alb(_)) => "alb",
        _ => "other",
    };
    for (name, expected) in [
        ("rest-cognito-authorizer", "v1"),
        ("rest-jwt-authorizer", "v1"),
        // Payload 1.0 of an HTTP API has the REST API's shape.
        ("http-api-jwt-v1", "v1"),
        ("http-api-jwt-v2", "v2"),
        ("function-url", "v2"),
        ("alb", "alb"),
    ] {
        assert_eq!(kind(&request(&event(name))), expected, "{name}");
    }
}

#[test]
fn rest_cognito_authorizer_several_groups_comma_joined_and_date_exp() {
    // The fixture as captured: `exp` and `iat` are date text, which the
    // strict claim parser refuses; API Gateway checked them.
    let event = event("rest-cognito-authorizer");
    assert_eq!(
        event["requestContext"]["authorizer"]["claims"]["exp"],
        "Thu Dec 06 17:08:23 UTC 2018"
    );
    assert!(
        Principal::<Group>::from_claims(&event["requestContext"]["authorizer"]["claims"]).is_err()
    );
    let principal = Principal::from_lambda(&request(&event), &id_claims()).unwrap();
    assert_eq!(principal.sub(), Some(SUB));
    assert_eq!(principal.username(), Some("ann"));
    assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
    assert!(principal.unknown_groups().is_empty());
}

#[test]
fn rest_cognito_authorizer_one_group() {
    let request = with_groups("rest-cognito-authorizer", json!("EDITORS"));
    let principal = Principal::from_lambda(&request, &id_claims()).unwrap();
    assert_eq!(groups_of(&principal), [Group::EDITORS]);
}

#[test]
fn undeclared_and_look_alike_names_grant_nothing() {
    let request = with_groups("rest-cognito-authorizer", json!("Admins,EDITORS,ΕDITORS"));
    let principal = Principal::from_lambda(&request, &id_claims()).unwrap();
    assert_eq!(groups_of(&principal), [Group::EDITORS]);
    assert_eq!(principal.unknown_groups(), ["Admins", "ΕDITORS"]);
}

#[test]
fn rest_jwt_authorizer_typed_claims() {
    let request = request(&event("rest-jwt-authorizer"));
    let principal = Principal::from_lambda(&request, &access_claims()).unwrap();
    assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
    assert_eq!(principal.username(), Some("ann"));
    // A typed array is taken as it is: a comma in an entry is part of it.
    let request = with_groups("rest-jwt-authorizer", json!(["ADMINS,EDITORS"]));
    let principal = Principal::from_lambda(&request, &access_claims()).unwrap();
    assert!(principal.groups().is_empty());
    assert_eq!(principal.unknown_groups(), ["ADMINS,EDITORS"]);
}

#[test]
fn http_api_payload_2_brackets() {
    let auth = access_claims();
    let principal = Principal::from_lambda(&request(&event("http-api-jwt-v2")), &auth).unwrap();
    assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
    assert_eq!(principal.username(), Some("ann"));

    let one = with_groups("http-api-jwt-v2", json!("[EDITORS]"));
    assert_eq!(
        groups_of(&Principal::from_lambda(&one, &auth).unwrap()),
        [Group::EDITORS]
    );

    // No group claim: signed in, in no group.
    let none = with_claims("http-api-jwt-v2", |claims| {
        claims.remove("cognito:groups");
    });
    let principal = Principal::from_lambda(&none, &auth).unwrap();
    assert!(principal.is_authenticated() && principal.groups().is_empty());
}

#[test]
fn http_api_payload_1_brackets_and_roles() {
    let auth = id_claims();
    let principal = Principal::from_lambda(&request(&event("http-api-jwt-v1")), &auth).unwrap();
    assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
    assert_eq!(
        principal.claimed_roles(),
        [
            "arn:aws:iam::622653865277:role/Admins",
            "arn:aws:iam::622653865277:role/Editors"
        ]
    );
    let one = with_groups("http-api-jwt-v1", json!("[ADMINS]"));
    assert_eq!(
        groups_of(&Principal::from_lambda(&one, &auth).unwrap()),
        [Group::ADMINS]
    );
    let none = with_claims("http-api-jwt-v1", |claims| {
        claims.remove("cognito:groups");
    });
    assert!(
        Principal::from_lambda(&none, &auth)
            .unwrap()
            .groups()
            .is_empty()
    );
}

fn list_claim_error(request: &Request, auth: &LambdaAuth<Group>) -> ListClaimError {
    match Principal::from_lambda(request, auth) {
        Err(LambdaError::ListClaim { claim, reason }) => {
            assert_eq!(claim, "cognito:groups");
            reason
        }
        other => panic!("expected a group-claim error, got {other:?}"),
    }
}

/// One claim, one reading: an HTTP API never joins a list with commas, so
/// a plain string there is one name, as the verifier reads a string claim
/// (a user of the group `viewers,ADMINS` of another issuer is not an admin).
#[test]
fn a_plain_string_in_an_http_api_event_is_one_name() {
    for (fixture, auth) in [
        ("http-api-jwt-v2", access_claims()),
        ("http-api-jwt-v2", oidc_claims()),
    ] {
        let request = with_groups(fixture, json!("viewers,ADMINS"));
        let principal = Principal::from_lambda(&request, &auth).unwrap();
        assert!(groups_of(&principal).is_empty(), "{fixture}");
        assert_eq!(principal.unknown_groups(), ["viewers,ADMINS"], "{fixture}");
    }
    // The same claim in a token, through the verifier: the same reading.
    let issuer = TestIssuer::new();
    let verifier: Verifier<Group> = issuer.verifier(TokenUse::Access).build().unwrap();
    let token = issuer
        .access_token()
        .claim("cognito:groups", json!("viewers,ADMINS"))
        .sign();
    let principal = verifier.verify(&token).unwrap();
    assert_eq!(principal.unknown_groups(), ["viewers,ADMINS"]);
    // The REST API's Cognito authorizer does join with commas.
    let request = with_groups("rest-cognito-authorizer", json!("ADMINS,EDITORS"));
    let principal = Principal::from_lambda(&request, &id_claims()).unwrap();
    assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
}

/// Checks of claims of an OIDC issuer, whose group names may hold spaces
/// (Okta, Keycloak, Entra ID).
fn oidc_claims() -> LambdaAuth<Group> {
    LambdaAuth::authorizers_only(
        Verifier::oidc("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestOnly")
            .unwrap()
            .any_client()
            .any_token_use(),
    )
    .unwrap()
}

/// The HTTP API's `[a b]` splits on whitespace: for an issuer whose group
/// names may hold spaces, `[Tenant ADMINS]` (the one group `Tenant ADMINS`)
/// would grant `ADMINS`. Refused, with the fix named.
#[test]
fn brackets_are_read_only_for_a_cognito_pool() {
    for (fixture, pool) in [
        ("http-api-jwt-v2", access_claims()),
        ("http-api-jwt-v1", id_claims()),
    ] {
        let request = with_groups(fixture, json!("[Tenant ADMINS]"));
        let error = Principal::from_lambda(&request, &oidc_claims()).unwrap_err();
        assert!(
            matches!(
                &error,
                LambdaError::ListClaim {
                    reason: ListClaimError::SpacedNames,
                    ..
                }
            ),
            "{fixture}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("JSON array") && message.contains("verify the raw token"),
            "{message}"
        );
        // A Cognito pool's names hold no whitespace: the same form is exact.
        let principal = Principal::from_lambda(&request, &pool).unwrap();
        assert_eq!(groups_of(&principal), [Group::ADMINS], "{fixture}");
    }
    // Typed claims of the same issuer are read as they are.
    let request = with_groups("rest-jwt-authorizer", json!(["Tenant ADMINS"]));
    let principal = Principal::from_lambda(&request, &oidc_claims()).unwrap();
    assert!(groups_of(&principal).is_empty());
    assert_eq!(principal.unknown_groups(), ["Tenant ADMINS"]);
}

#[test]
fn hostile_group_claims_are_refused() {
    let auth = id_claims();
    let cases = [
        // Brackets then a second name: neither API Gateway form.
        (
            json!("[ADMINS] EDITORS"),
            ListClaimError::Whitespace { position: 0 },
        ),
        (
            json!("ADMINS,,EDITORS"),
            ListClaimError::EmptyName { position: 1 },
        ),
        (json!("ADMINS,"), ListClaimError::EmptyName { position: 1 }),
        (json!(""), ListClaimError::EmptyName { position: 0 }),
        (
            json!("[ADMINS  EDITORS]"),
            ListClaimError::EmptyName { position: 1 },
        ),
        (
            json!("ADMINS, EDITORS"),
            ListClaimError::Whitespace { position: 1 },
        ),
    ];
    for (groups, expected) in cases {
        let request = with_groups("rest-cognito-authorizer", groups.clone());
        assert_eq!(list_claim_error(&request, &auth), expected, "{groups}");
    }
    // Typed claims of the wrong type.
    let auth = access_claims();
    let request = with_groups("rest-jwt-authorizer", json!({"ADMINS": true}));
    assert_eq!(
        list_claim_error(&request, &auth),
        ListClaimError::NotAList { found: "object" }
    );
    let request = with_groups("rest-jwt-authorizer", json!(["ADMINS", 1]));
    assert_eq!(
        list_claim_error(&request, &auth),
        ListClaimError::NotAString {
            position: 1,
            found: "number"
        }
    );
}

#[test]
fn a_token_of_another_app_client_of_the_pool_is_refused() {
    // ID token (REST): the client is `aud`.
    let request = with_claims("rest-cognito-authorizer", |claims| {
        claims.insert("aud".to_owned(), json!("another-client-of-the-pool"));
    });
    assert!(matches!(
        Principal::from_lambda(&request, &id_claims()),
        Err(LambdaError::Claims(VerifyError::Audience {
            claim: "aud",
            ..
        }))
    ));
    // Access token (HTTP API): the client is `client_id`; an `aud` naming
    // ours does not stand in for it.
    let request = with_claims("http-api-jwt-v2", |claims| {
        claims.insert("client_id".to_owned(), json!("another-client-of-the-pool"));
        claims.insert("aud".to_owned(), json!(DEFAULT_CLIENT_ID));
    });
    assert!(matches!(
        Principal::from_lambda(&request, &access_claims()),
        Err(LambdaError::Claims(VerifyError::Audience {
            claim: "client_id",
            ..
        }))
    ));
}

#[test]
fn an_id_token_where_access_is_required_is_refused() {
    // An ID token passes a Cognito authorizer; the configuration says access.
    let rest = request(&event("rest-cognito-authorizer"));
    assert!(matches!(
        Principal::from_lambda(&rest, &access_claims()),
        Err(LambdaError::Claims(VerifyError::TokenUse { .. }))
    ));
    // And the other way round.
    let http = request(&event("http-api-jwt-v2"));
    assert!(matches!(
        Principal::from_lambda(&http, &id_claims()),
        Err(LambdaError::Claims(VerifyError::TokenUse { .. }))
    ));
}

/// A claim written to forge log fields stays inside the field of the line
/// that logs the refusal (tracing-subscriber's text format, parsed).
#[test]
fn a_forged_claim_stays_inside_its_log_field() {
    let forged = "https://evil\" status=200 error=\"none\nINFO groupguard::lambda: allowed";
    let request = with_claims("rest-cognito-authorizer", |c| {
        c.insert("iss".to_owned(), json!(forged));
    });
    let lines = log_lines::lines("groupguard::lambda", || {
        let error = Principal::from_lambda(&request, &id_claims()).unwrap_err();
        assert_eq!(error.into_response().status(), 401);
    });
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert_eq!(log_lines::names(&lines[0]), ["error"], "{}", lines[0]);
    let error = log_lines::field(&lines[0], "error").unwrap_or_default();
    assert!(error.contains(r#"https://evil\" status=200"#), "{error}");
}

#[test]
fn claims_failing_the_other_checks_are_refused() {
    let auth = id_claims();
    let refused = |edit: fn(&mut serde_json::Map<String, Value>)| {
        Principal::from_lambda(&with_claims("rest-cognito-authorizer", edit), &auth).unwrap_err()
    };
    assert!(matches!(
        refused(|c| {
            c.insert(
                "iss".to_owned(),
                json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"),
            );
        }),
        LambdaError::Claims(VerifyError::Issuer { .. })
    ));
    assert!(matches!(
        refused(|c| {
            c.remove("iss");
        }),
        LambdaError::Claims(VerifyError::MissingClaim { claim: "iss" })
    ));
    assert!(matches!(
        refused(|c| {
            c.remove("sub");
        }),
        LambdaError::Claims(VerifyError::MissingClaim { claim: "sub" })
    ));
    assert!(matches!(
        refused(|c| {
            c.insert("sub".to_owned(), json!(""));
        }),
        LambdaError::Claims(VerifyError::ClaimType { claim: "sub", .. })
    ));
    assert!(matches!(
        refused(|c| {
            c.remove("token_use");
        }),
        LambdaError::Claims(VerifyError::MissingClaim { claim: "token_use" })
    ));
    // A typed claim of the wrong type (the REST API's JWT authorizer).
    let typed = with_claims("rest-jwt-authorizer", |c| {
        c.insert("sub".to_owned(), json!(42));
    });
    assert!(matches!(
        Principal::from_lambda(&typed, &access_claims()),
        Err(LambdaError::Claims(VerifyError::ClaimType {
            claim: "sub",
            ..
        }))
    ));
    // Claims that are not an object.
    let mut event = event("rest-cognito-authorizer");
    event["requestContext"]["authorizer"]["claims"] = json!("sub=ann");
    assert!(matches!(
        Principal::from_lambda(&request(&event), &auth),
        Err(LambdaError::MalformedClaims { .. })
    ));
}

#[test]
fn the_configured_group_claim_is_the_one_read() {
    let auth = LambdaAuth::<Group>::authorizers_only(
        Verifier::cognito(DEFAULT_POOL_ID)
            .unwrap()
            .client_id(DEFAULT_CLIENT_ID)
            .token_use(TokenUse::Access)
            .groups_claim("groups"),
    )
    .unwrap();
    let request = with_claims("http-api-jwt-v2", |claims| {
        claims.insert("groups".to_owned(), json!("[EDITORS]"));
    });
    let principal = Principal::from_lambda(&request, &auth).unwrap();
    assert_eq!(groups_of(&principal), [Group::EDITORS]);
}

#[test]
fn the_authorizers_claims_win_over_headers() {
    // The REST fixture's `Authorization` is a raw (not `Bearer`) token, as a
    // Cognito authorizer takes it: not read when the authorizer's claims are
    // there, so neither refused nor verified again.
    let principal =
        Principal::from_lambda(&request(&event("rest-cognito-authorizer")), &id_claims()).unwrap();
    assert!(principal.is_authenticated());
}

mod raw_tokens {
    use super::*;

    fn verifier(issuer: &TestIssuer) -> LambdaAuth<Group> {
        LambdaAuth::from_verifier(issuer.verifier(TokenUse::Access).build().unwrap())
    }

    #[test]
    fn function_url_bearer_token() {
        let issuer = TestIssuer::new();
        let token = issuer.access_token().groups(["ADMINS"]).sub("u-1").sign();
        let request = with_token("function-url", &token);
        let principal = Principal::from_lambda(&request, &verifier(&issuer)).unwrap();
        assert_eq!(principal.sub(), Some("u-1"));
        assert_eq!(groups_of(&principal), [Group::ADMINS]);

        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let principal = runtime
            .block_on(Principal::from_lambda_async(&request, &verifier(&issuer)))
            .unwrap();
        assert_eq!(groups_of(&principal), [Group::ADMINS]);
    }

    #[test]
    fn function_url_bad_tokens_are_refused() {
        let issuer = TestIssuer::new();
        let auth = verifier(&issuer);
        let refused = |token: String| {
            Principal::from_lambda(&with_token("function-url", &token), &auth).unwrap_err()
        };
        assert!(matches!(
            refused(issuer.access_token().bad_signature().sign()),
            LambdaError::Token(VerifyError::Signature { .. })
        ));
        assert!(matches!(
            refused(issuer.access_token().expired().sign()),
            LambdaError::Token(VerifyError::Expired { .. })
        ));
        assert!(matches!(
            refused(issuer.access_token().other_client().sign()),
            LambdaError::Token(VerifyError::Audience { .. })
        ));
        assert!(matches!(
            refused(issuer.id_token().sign()),
            LambdaError::Token(VerifyError::TokenUse { .. })
        ));
    }

    #[test]
    fn a_token_and_no_verifier_is_refused() {
        let issuer = TestIssuer::new();
        let token = issuer.access_token().groups(["ADMINS"]).sign();
        let request = with_token("function-url", &token);
        assert_eq!(
            Principal::from_lambda(&request, &access_claims()).unwrap_err(),
            LambdaError::NoVerifier {
                header: "authorization"
            }
        );
    }

    #[test]
    fn no_token_is_a_guest() {
        let mut event = event("function-url");
        event["headers"]
            .as_object_mut()
            .unwrap()
            .remove("authorization");
        let principal = Principal::from_lambda(&request(&event), &access_claims()).unwrap();
        assert!(!principal.is_authenticated());
        // IAM-signed (function URL with `AWS_IAM`): no user-pool user.
        event["headers"]["authorization"] = json!(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20251218/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        );
        let principal = Principal::from_lambda(&request(&event), &access_claims()).unwrap();
        assert!(!principal.is_authenticated());
    }

    #[test]
    fn malformed_authorization_headers_are_refused() {
        let auth = access_claims();
        for value in [
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
            "Bearer",
            "Bearer a b",
            "token",
        ] {
            let mut event = event("function-url");
            event["headers"]["authorization"] = json!(value);
            assert_eq!(
                Principal::from_lambda(&request(&event), &auth).unwrap_err(),
                LambdaError::InvalidRequest {
                    header: "authorization"
                },
                "{value}"
            );
        }
        // Two `Authorization` headers: which one would be meant?
        let request = lambda_http::http::Request::builder()
            .header("authorization", "Bearer a.b.c")
            .header("authorization", "Bearer d.e.f")
            .body(Body::Empty)
            .unwrap();
        assert!(matches!(
            Principal::from_lambda(&request, &auth),
            Err(LambdaError::InvalidRequest { .. })
        ));
    }

    #[test]
    fn alb_access_token_header() {
        let issuer = TestIssuer::new();
        let auth = verifier(&issuer);
        let token = issuer.access_token().groups(["EDITORS"]).sub("u-2").sign();
        let principal = Principal::from_lambda(&with_token("alb", &token), &auth).unwrap();
        assert_eq!(principal.sub(), Some("u-2"));
        assert_eq!(groups_of(&principal), [Group::EDITORS]);

        // The ID token where the access token was required.
        let id = issuer.id_token().groups(["ADMINS"]).sign();
        assert!(matches!(
            Principal::from_lambda(&with_token("alb", &id), &auth),
            Err(LambdaError::Token(VerifyError::TokenUse { .. }))
        ));
        // The header holds a bare token, not `Bearer <token>`.
        assert_eq!(
            Principal::from_lambda(&with_token("alb", &format!("Bearer {token}")), &auth)
                .unwrap_err(),
            LambdaError::InvalidRequest {
                header: "x-amzn-oidc-accesstoken"
            }
        );
        // Without a verifier, refused rather than trusted.
        assert_eq!(
            Principal::from_lambda(&with_token("alb", &token), &access_claims()).unwrap_err(),
            LambdaError::NoVerifier {
                header: "x-amzn-oidc-accesstoken"
            }
        );
    }

    #[test]
    fn a_verifiers_configuration_applies_to_authorizer_claims() {
        // The test issuer's verifier accepts access tokens of the test pool's
        // client: the HTTP API's claims pass, the REST API's ID token does not.
        let auth = verifier(&TestIssuer::new());
        let principal = Principal::from_lambda(&request(&event("http-api-jwt-v2")), &auth).unwrap();
        assert_eq!(groups_of(&principal), [Group::ADMINS, Group::EDITORS]);
        assert!(matches!(
            Principal::from_lambda(&request(&event("rest-cognito-authorizer")), &auth),
            Err(LambdaError::Claims(VerifyError::TokenUse { .. }))
        ));
    }
}

mod ambiguity {
    use super::*;

    #[groups]
    pub enum Odd {
        ADMINS,
        #[group(name = "sales,emea")]
        SalesEmea,
    }

    #[groups]
    pub enum Bracketed {
        ADMINS,
        #[group(name = "[beta]")]
        Beta,
    }

    fn auth<G: groupguard::Groups>() -> LambdaAuth<G> {
        LambdaAuth::authorizers_only(
            Verifier::cognito(DEFAULT_POOL_ID)
                .unwrap()
                .client_id(DEFAULT_CLIENT_ID)
                .token_use(TokenUse::Id),
        )
        .unwrap()
    }

    fn reason<G: groupguard::Groups>(request: &Request) -> ListClaimError {
        match Principal::<G>::from_lambda(request, &auth::<G>()) {
            Err(LambdaError::ListClaim { reason, .. }) => reason,
            other => panic!("expected a group-claim error, got {other:?}"),
        }
    }

    #[test]
    fn a_declared_comma_makes_the_comma_form_ambiguous() {
        let request = with_groups("rest-cognito-authorizer", json!("sales,emea"));
        let err = reason::<Odd>(&request);
        assert_eq!(
            err,
            ListClaimError::AmbiguousComma {
                declared: "sales,emea".to_owned()
            }
        );
        assert!(err.to_string().contains("contains a comma"), "{err}");
        // The safe forms: one name without a comma, a JSON array, brackets.
        let one = with_groups("rest-cognito-authorizer", json!("ADMINS"));
        let p = Principal::<Odd>::from_lambda(&one, &auth::<Odd>()).unwrap();
        assert!(p.is_in(Odd::ADMINS));
        let array = with_groups("rest-cognito-authorizer", json!(["sales,emea", "ADMINS"]));
        let p = Principal::<Odd>::from_lambda(&array, &auth::<Odd>()).unwrap();
        assert!(p.is_in(Odd::SalesEmea) && p.is_in(Odd::ADMINS));
        let brackets = with_groups("http-api-jwt-v1", json!("[sales,emea ADMINS]"));
        let p = Principal::<Odd>::from_lambda(&brackets, &auth::<Odd>()).unwrap();
        assert!(p.is_in(Odd::SalesEmea) && p.is_in(Odd::ADMINS));
        // Without the declared comma, the same claim is two names.
        let p = Principal::<Group>::from_lambda(&request, &auth::<Group>()).unwrap();
        assert_eq!(p.unknown_groups(), ["sales", "emea"]);
    }

    #[test]
    fn a_declared_bracket_makes_one_bracketed_name_ambiguous() {
        // `[beta]`: the HTTP API's one group `beta`, or the REST API's `[beta]`?
        let request = with_groups("http-api-jwt-v1", json!("[beta]"));
        assert_eq!(
            reason::<Bracketed>(&request),
            ListClaimError::AmbiguousBrackets {
                declared: "[beta]".to_owned()
            }
        );
        // Several names hold whitespace, which REST names cannot: the HTTP API's.
        let several = with_groups("http-api-jwt-v1", json!("[[beta] ADMINS]"));
        let p = Principal::<Bracketed>::from_lambda(&several, &auth::<Bracketed>()).unwrap();
        assert!(p.is_in(Bracketed::Beta) && p.is_in(Bracketed::ADMINS));
        let array = with_groups("rest-cognito-authorizer", json!(["[beta]"]));
        let p = Principal::<Bracketed>::from_lambda(&array, &auth::<Bracketed>()).unwrap();
        assert!(p.is_in(Bracketed::Beta));
    }
}

mod responses {
    use super::*;

    fn header(response: &Response<Body>, name: &str) -> Option<String> {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }

    fn body(response: &Response<Body>) -> Value {
        match response.body() {
            Body::Text(text) => serde_json::from_str(text).unwrap(),
            other => panic!("expected a text body, got {other:?}"),
        }
    }

    #[test]
    fn the_status_table() {
        let issuer = TestIssuer::new();
        let auth = LambdaAuth::from_verifier(issuer.verifier(TokenUse::Access).build().unwrap());
        let error =
            |request: &Request| Principal::<Group>::from_lambda(request, &auth).unwrap_err();

        let mut event = event("function-url");
        event["headers"]["authorization"] = json!("Basic YWxhZGRpbjpvcGVuc2VzYW1l");
        let response = error(&request(&event)).into_response();
        assert_eq!(response.status(), 400);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(r#"Bearer error="invalid_request""#)
        );
        assert_eq!(body(&response)["error"], "invalid_request");

        let expired = issuer.access_token().expired().sign();
        let response = error(&with_token("function-url", &expired)).into_response();
        assert_eq!(response.status(), 401);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(
                r#"Bearer realm="api", error="invalid_token", error_description="the token has expired""#
            )
        );
        assert_eq!(
            header(&response, "content-type").as_deref(),
            Some("application/json")
        );

        // A hostile group claim: 401, and nothing of the claim in the answer.
        let hostile = with_groups("http-api-jwt-v2", json!("[ADMINS  EDITORS]"));
        let response = error(&hostile).into_response();
        assert_eq!(response.status(), 401);
        let text = format!("{:?} {:?}", response.headers(), body(&response));
        assert!(
            !text.contains("ADMINS") && !text.contains("EDITORS"),
            "{text}"
        );
        assert_eq!(
            body(&response)["message"],
            "the token has a malformed claim"
        );

        let other_client = with_claims("http-api-jwt-v2", |c| {
            c.insert("client_id".to_owned(), json!("another-client"));
        });
        let response = error(&other_client).into_response();
        assert_eq!(response.status(), 401);
        assert_eq!(
            body(&response)["message"],
            "the token was issued for another client"
        );
        assert!(!format!("{:?}", body(&response)).contains("another-client"));

        let response = LambdaError::Token(VerifyError::NoUsableKeys {
            reason: "fetch failed".to_owned(),
            retry_after: std::time::Duration::from_secs(7),
        })
        .into_response();
        assert_eq!(response.status(), 503);
        assert_eq!(header(&response, "www-authenticate"), None);
        assert_eq!(header(&response, "retry-after").as_deref(), Some("7"));
        assert_eq!(body(&response)["error"], "temporarily_unavailable");
    }

    /// A raw token that cannot be verified for want of keys: 503, and
    /// `Retry-After` counts down the configured cool-down (on a manual
    /// clock, exactly).
    #[test]
    fn no_usable_keys_is_503_with_retry_after_from_the_cooldown() {
        use std::sync::Arc;
        use std::time::Duration;

        use groupguard::test_issuer::{JwksServer, ManualClock};

        let server = JwksServer::start().unwrap();
        server.fail_with(500);
        let clock = Arc::new(ManualClock::new());
        let auth = LambdaAuth::from_verifier(
            server
                .verifier::<Group>(TokenUse::Access)
                .jwks_cooldown(Duration::from_secs(30))
                .jwks_clock(clock.clone())
                .build()
                .unwrap(),
        );
        let token = server.issuer().access_token().groups(["ADMINS"]).sign();
        let request = with_token("function-url", &token);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let response = || {
            let error = runtime
                .block_on(Principal::from_lambda_async(&request, &auth))
                .unwrap_err();
            assert!(
                matches!(error, LambdaError::Token(VerifyError::NoUsableKeys { .. })),
                "{error:?}"
            );
            error.into_response()
        };
        let first = response();
        assert_eq!(first.status(), 503);
        assert_eq!(header(&first, "retry-after").as_deref(), Some("30"));
        assert_eq!(body(&first)["error"], "temporarily_unavailable");
        clock.advance(Duration::from_secs(21));
        assert_eq!(header(&response(), "retry-after").as_deref(), Some("9"));
        assert_eq!(server.requests(), 1, "refused at once, in the cool-down");
    }

    #[test]
    fn denials() {
        let guest = Post::authorize(&Principal::guest(), Op::Delete)
            .into_result()
            .unwrap_err();
        let response = denied_response(&guest);
        assert_eq!(response.status(), 401);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(r#"Bearer realm="api""#)
        );

        let editor = Principal::authenticated("e").with_groups([Group::EDITORS]);
        let denied = Post::authorize(&editor, Op::Delete)
            .into_result()
            .unwrap_err();
        let response = Refusal::from(denied).into_response();
        assert_eq!(response.status(), 403);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some(r#"Bearer error="insufficient_scope""#)
        );
        assert_eq!(body(&response)["error"], "insufficient_scope");
    }
}

/// Untrusted group claims, generated: reading one never panics, never
/// grants a group whose name the claim does not spell out, and reads the
/// lists API Gateway writes back exactly.
mod generated {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{Group, access_claims, id_claims, with_groups};
    use groupguard::Principal;

    /// Every name the principal was given, declared or not.
    fn names(principal: &Principal<Group>) -> Vec<String> {
        let mut names: Vec<String> = principal
            .groups()
            .iter()
            .map(|g| g.name().to_owned())
            .chain(principal.unknown_groups().iter().cloned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Every string a JSON value holds.
    fn strings(value: &Value) -> Vec<&str> {
        match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().flat_map(strings).collect(),
            Value::Object(map) => map.values().flat_map(strings).collect(),
            _ => Vec::new(),
        }
    }

    fn claim_text() -> impl Strategy<Value = String> {
        // The characters the forms turn on, group names and look-alikes.
        proptest::collection::vec(
            prop_oneof![
                Just("ADMINS".to_owned()),
                Just("EDITORS".to_owned()),
                "[A-Za-z0-9_-]{1,4}",
                Just(",".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just(" ".to_owned()),
                Just("\t".to_owned()),
                Just("\u{a0}".to_owned()),
                Just("Ε".to_owned()),
            ],
            0..12,
        )
        .prop_map(|pieces| pieces.concat())
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            claim_text().prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{1,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A name Cognito allows that neither form splits: no whitespace,
    /// comma or bracket.
    fn group_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("ADMINS".to_owned()),
            Just("EDITORS".to_owned()),
            "[A-Za-z0-9_.:@+=-]{1,10}",
            Just("Εditors".to_owned()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Whatever the text, an accepted claim grants exactly the names its
        /// form spells (not merely names found in the text): the bracketed
        /// form split on whitespace, the REST API's comma-joined form split on
        /// commas (payload 1.0 events only), any other string one name.
        #[test]
        fn any_text_claim_grants_only_what_it_spells(text in claim_text()) {
            for (fixture, auth, comma_joined) in [
                ("rest-cognito-authorizer", id_claims(), true),
                ("http-api-jwt-v2", access_claims(), false),
                ("http-api-jwt-v1", id_claims(), true),
            ] {
                let request = with_groups(fixture, Value::String(text.clone()));
                let Ok(principal) = Principal::from_lambda(&request, &auth) else {
                    continue;
                };
                let spelled: Vec<&str> = match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                    Some("") => Vec::new(),
                    Some(inner) => inner.split(char::is_whitespace).collect(),
                    None if comma_joined => text.split(',').collect(),
                    None => vec![text.as_str()],
                };
                let mut expected: Vec<String> = spelled.iter().map(|n| (*n).to_owned()).collect();
                expected.sort();
                expected.dedup();
                prop_assert_eq!(&names(&principal), &expected, "{} from {:?}", fixture, text);
                for name in &expected {
                    prop_assert!(!name.is_empty(), "{fixture}: an empty name from {text:?}");
                }
            }
        }

        #[test]
        fn any_typed_claim_grants_only_its_strings(value in json_value()) {
            let request = with_groups("rest-jwt-authorizer", value.clone());
            if let Ok(principal) = Principal::from_lambda(&request, &access_claims()) {
                for name in names(&principal) {
                    match &value {
                        // A string is a flattened list: its names are in it,
                        // and none is empty.
                        Value::String(text) => {
                            prop_assert!(text.contains(&name), "{name:?} from {value}");
                            prop_assert!(!name.is_empty(), "an empty name from {value}");
                        }
                        // An array's names are its strings, whole, as the
                        // verifier reads them (an empty one matches no group).
                        _ => prop_assert!(
                            strings(&value).contains(&name.as_str()),
                            "{name:?} from {value}"
                        ),
                    }
                }
            }
        }

        #[test]
        fn api_gateways_lists_read_back_exactly(list in proptest::collection::vec(group_name(), 1..8)) {
            let mut expected = list.clone();
            expected.sort();
            expected.dedup();
            let forms = [
                ("rest-cognito-authorizer", json!(list.join(",")), id_claims()),
                ("http-api-jwt-v2", json!(format!("[{}]", list.join(" "))), access_claims()),
                ("http-api-jwt-v1", json!(format!("[{}]", list.join(" "))), id_claims()),
                ("rest-jwt-authorizer", json!(list), access_claims()),
            ];
            for (fixture, claim, auth) in forms {
                let principal = Principal::from_lambda(&with_groups(fixture, claim.clone()), &auth)
                    .map_err(|e| TestCaseError::fail(format!("{fixture}: {claim}: {e}")))?;
                prop_assert_eq!(&names(&principal), &expected, "{}: {}", fixture, claim);
                for group in principal.groups() {
                    prop_assert!(list.iter().any(|n| n == group.name()));
                }
            }
        }
    }
}

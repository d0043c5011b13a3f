//! The default size limit of a token (step 1), derived from Cognito's
//! documented limits: the largest ID token Cognito can issue, in UTF-8 and
//! base64url, with headroom. The arithmetic is written out here as
//! constants, so that the number in the documentation
//! ([`max_token_bytes`](super::VerifierBuilder::max_token_bytes)) is the
//! one the code computes (a test checks both).

/// The default limit: 1 MiB.
pub(super) const DEFAULT_MAX_TOKEN_BYTES: usize = 1024 * 1024;

// The default admits the largest token Cognito can issue, with headroom.
const _: () = assert!(DEFAULT_MAX_TOKEN_BYTES > LARGEST_COGNITO_TOKEN + LARGEST_COGNITO_TOKEN / 8);

/// Groups a user may belong to (Cognito quotas, `AdminAddUserToGroup`).
const GROUPS_PER_USER: usize = crate::principal::MAX_GROUPS_PER_USER;
/// Characters of a group name (`CreateGroup`, `GroupName`).
const GROUP_NAME_CHARS: usize = 128;
/// Characters of a group's IAM role ARN (`CreateGroup`, `RoleArn`); ASCII
/// by its pattern. `cognito:roles` lists one per group of the user.
const ROLE_ARN_CHARS: usize = 2048;
/// Custom attributes of a pool (Cognito quotas).
const CUSTOM_ATTRIBUTES: usize = 50;
/// Standard attributes of a pool (OpenID Connect's, as Cognito lists them:
/// `address` to `website`, `updated_at`, `email_verified`,
/// `phone_number_verified`), each counted as a string.
const STANDARD_ATTRIBUTES: usize = 19;
/// Characters of an attribute's name, `custom:` included (`AttributeType`).
const ATTRIBUTE_NAME_CHARS: usize = 32;
/// Characters of an attribute's value (`AttributeType`).
const ATTRIBUTE_VALUE_CHARS: usize = 2048;
/// Characters of a user name and of an app client id.
const USERNAME_CHARS: usize = 128;
const CLIENT_ID_CHARS: usize = 128;
/// Characters of a pool id, and of the longest region name.
const POOL_ID_CHARS: usize = 55;
const REGION_CHARS: usize = 14;

/// Bytes of a character of a group name, user name or attribute value in
/// the JSON: 3, the most a character of the Basic Multilingual Plane takes
/// in UTF-8 (more than the 2 bytes of an escaped `"` or `\`). A character
/// beyond it takes 4 bytes, and counts as 2 if Cognito measures lengths in
/// UTF-16 units; if it counts it as 1, a value made only of such characters
/// would exceed this bound by a third (the headroom covers a part).
const BYTES_PER_CHAR: usize = 3;

/// A JSON member `"name":"value",` whose value is a string of `value` bytes.
const fn member(name: usize, value: usize) -> usize {
    name + value + 6
}

/// A JSON member `"name":12345,` whose value is a number of `digits` digits.
const fn number_member(name: usize, digits: usize) -> usize {
    name + digits + 4
}

/// A JSON member `"name":["v",..],` of `count` strings of `each` bytes.
const fn array_member(name: usize, count: usize, each: usize) -> usize {
    name + 5 + count * (each + 3)
}

/// The largest payload (claims) of a Cognito ID token, in bytes of JSON.
const LARGEST_COGNITO_PAYLOAD: usize = {
    let groups = array_member(
        "cognito:groups".len(),
        GROUPS_PER_USER,
        GROUP_NAME_CHARS * BYTES_PER_CHAR,
    );
    let roles = array_member("cognito:roles".len(), GROUPS_PER_USER, ROLE_ARN_CHARS);
    let preferred_role = member("cognito:preferred_role".len(), ROLE_ARN_CHARS);
    let attributes = (CUSTOM_ATTRIBUTES + STANDARD_ATTRIBUTES)
        * member(ATTRIBUTE_NAME_CHARS, ATTRIBUTE_VALUE_CHARS * BYTES_PER_CHAR);
    let issuer = "https://issuer-cognito-idp..amazonaws.com/".len() + REGION_CHARS + POOL_ID_CHARS;
    let uuid = 36;
    let fixed = member("iss".len(), issuer)
        + member("sub".len(), uuid)
        + member("aud".len(), CLIENT_ID_CHARS)
        + member("cognito:username".len(), USERNAME_CHARS * BYTES_PER_CHAR)
        + member("token_use".len(), "access".len())
        + number_member("auth_time".len(), 10)
        + number_member("iat".len(), 10)
        + number_member("exp".len(), 10)
        + member("jti".len(), uuid)
        + member("origin_jti".len(), uuid)
        + member("event_id".len(), uuid)
        + member("at_hash".len(), 22)
        + 2; // the braces
    groups + roles + preferred_role + attributes + fixed
};

/// Base64url without padding: 4 characters per 3 bytes, rounded up.
const fn base64url(bytes: usize) -> usize {
    (bytes * 4).div_ceil(3)
}

/// The largest Cognito ID token: header (a `kid` of 44 characters, `alg`,
/// `typ`: under 96 bytes), payload, and an RS256 signature of a key of up
/// to 4096 bits (512 bytes; Cognito's are 2048), with the two dots.
const LARGEST_COGNITO_TOKEN: usize =
    base64url(96) + 1 + base64url(LARGEST_COGNITO_PAYLOAD) + 1 + base64url(512);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_arithmetic() {
        // The numbers `max_token_bytes`'s documentation gives.
        assert_eq!(LARGEST_COGNITO_PAYLOAD, 673_441);
        assert_eq!(LARGEST_COGNITO_TOKEN, 898_735);
        assert_eq!(DEFAULT_MAX_TOKEN_BYTES, 1_048_576);
        // The headroom: 16 %, for claims this sum does not list.
        assert_eq!(DEFAULT_MAX_TOKEN_BYTES * 100 / LARGEST_COGNITO_TOKEN, 116);
    }
}

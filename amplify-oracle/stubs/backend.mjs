// `@aws-amplify/backend` for the generated resource files (see hooks.mjs):
// the definitions, as written, for orchestrate.mjs to read.
export const defineAuth = (props) => ({ definedAuth: props });
export const defineStorage = (props) => ({ definedStorage: props });

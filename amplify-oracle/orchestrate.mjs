// Runs Amplify's own storage access orchestrator (@aws-amplify/backend-storage,
// the code behind `defineStorage({ access })`) on declarations written by the
// Rust side, and prints the IAM policies it would attach to each role.
//
// stdin: a JSON array of declarations, each an array of entries in
//   declaration order: {"path": "a/*", "acceptor": "guest" | "authenticated" |
//   "groups" | "entity", "groups": ["ADMINS"], "actions": ["read", "write"]}.
// stdout: a JSON array, one item per declaration:
//   {"error": "<Amplify's validation message>"} or
//   {"roles": {"<role>": {"<get|list|write|delete>": {"allow": [...], "deny": [...]}}},
//    "outputs": {<the access map Amplify writes to amplify_outputs.json>}}
// Roles are "unauthenticatedUserIamRole", "authenticatedUserIamRole" and, for
// a group, the group's name.
//
// Only the orchestrator is loaded: the constructs it would attach policies to
// (CDK roles, the bucket) are replaced by recorders, so aws-cdk-lib is not
// needed. The module is imported by file path: the package's exports map
// publishes only `defineStorage`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const { StorageAccessOrchestrator } = await import(
  join(here, 'node_modules/@aws-amplify/backend-storage/lib/storage_access_orchestrator.js')
);

const declarations = JSON.parse(readFileSync(0, 'utf8'));
const results = declarations.map((entries) => {
  const roles = {};
  const acceptor = (role) => ({
    identifier: role,
    acceptResourceAccess: (policy) => {
      roles[role] = policy;
    },
  });
  const getInstanceProps = {
    constructContainer: {
      getConstructFactory: () => ({
        getInstance: () => ({ getResourceAccessAcceptor: acceptor }),
      }),
    },
  };
  // The policy factory's input: per action, the allowed and denied prefixes.
  const policyFactory = {
    createPolicy: (accessMap) =>
      Object.fromEntries(
        [...accessMap].map(([action, { allow, deny }]) => [
          action,
          { allow: [...allow], deny: [...deny] },
        ])
      ),
  };
  const access = (allow) => {
    const byPath = {};
    for (const entry of entries) {
      const rule =
        entry.acceptor === 'groups'
          ? allow.groups(entry.groups)
          : entry.acceptor === 'entity'
            ? allow.entity('identity')
            : allow[entry.acceptor];
      (byPath[entry.path] ??= []).push(rule.to(entry.actions));
    }
    return byPath;
  };
  try {
    const orchestrator = new StorageAccessOrchestrator(access, getInstanceProps, [], policyFactory);
    const outputs = orchestrator.orchestrateStorageAccess();
    return { roles, outputs };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
});
process.stdout.write(JSON.stringify(results));

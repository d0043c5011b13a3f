// Runs Amplify's own storage access orchestrator and policy factory
// (@aws-amplify/backend-storage, the code behind `defineStorage({ access })`)
// on declarations the Rust side hands over, and prints the IAM policies they
// would attach to each role.
//
// stdin: a JSON array of jobs, each with `bucket` (the bucket's name) and
// either
//   {"entries": [...]}: a declaration as data, entries in declaration order:
//     {"path": "a/*", "acceptor": "guest" | "authenticated" | "groups" |
//      "entity", "groups": ["ADMINS"], "actions": ["read", "write"]}; or
//   {"auth_ts": FILE, "storage_ts": FILE}: the `amplify/auth/resource.ts`
//     and `amplify/storage/resource.ts` groupguard wrote, loaded as they are
//     (stubs/hooks.mjs): their `access` callback is what the orchestrator
//     runs.
// stdout: a JSON array, one item per job:
//   {"error": "<Amplify's validation message>"} or
//   {"roles": {"<role>": {"prefixes": {"<get|list|write|delete>": {"allow": [...], "deny": [...]}},
//                         "statements": [<IAM statements, as the factory builds them>]}},
//    "outputs": {<the access map Amplify writes to amplify_outputs.json>},
//    "groups": [<defineAuth's groups>], "name": "<defineStorage's name>"}
//   (`groups` and `name` for the jobs read from files).
// Roles are "unauthenticatedUserIamRole", "authenticatedUserIamRole" and, for
// a group, the group's name.
//
// Only the orchestrator and the policy factory are loaded: the constructs
// they would attach policies to (CDK roles, the bucket) are replaced by
// recorders, and `aws-cdk-lib` by stubs/cdk.mjs, so aws-cdk-lib is not
// needed. Modules are imported by file path: the package's exports map
// publishes only `defineStorage`.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

register('./stubs/hooks.mjs', import.meta.url);

const here = dirname(fileURLToPath(import.meta.url));
const lib = join(here, 'node_modules/@aws-amplify/backend-storage/lib');
const { StorageAccessOrchestrator } = await import(join(lib, 'storage_access_orchestrator.js'));
const { StorageAccessPolicyFactory } = await import(join(lib, 'storage_access_policy_factory.js'));

/// A statement the factory built (a stubs/cdk.mjs recorder), as IAM JSON.
const render = ({ props }) => {
  const statement = { Effect: props.effect, Action: props.actions, Resource: props.resources };
  if (props.conditions !== undefined) {
    statement.Condition = props.conditions;
  }
  return statement;
};

/// The access callback of a declaration given as data.
const accessOf = (entries) => (allow) => {
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

const run = async (job) => {
  let access;
  let groups;
  let name;
  if (job.entries !== undefined) {
    access = accessOf(job.entries);
  } else {
    const { auth } = await import(pathToFileURL(job.auth_ts).href);
    const { storage } = await import(pathToFileURL(job.storage_ts).href);
    groups = auth.definedAuth.groups ?? [];
    name = storage.definedStorage.name;
    access = storage.definedStorage.access;
  }
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
  const factory = new StorageAccessPolicyFactory({ bucketArn: `arn:aws:s3:::${job.bucket}` });
  // Per role: the prefixes the orchestrator hands the factory, and the
  // statements Amplify's factory builds from them.
  const policyFactory = {
    createPolicy: (accessMap) => ({
      prefixes: Object.fromEntries(
        [...accessMap].map(([action, { allow, deny }]) => [
          action,
          { allow: [...allow], deny: [...deny] },
        ])
      ),
      statements: factory.createPolicy(accessMap).statements.map(render),
    }),
  };
  try {
    const orchestrator = new StorageAccessOrchestrator(access, getInstanceProps, [], policyFactory);
    const outputs = orchestrator.orchestrateStorageAccess();
    return { roles, outputs, groups, name };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
};

const jobs = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const job of jobs) {
  results.push(await run(job));
}
process.stdout.write(JSON.stringify(results));

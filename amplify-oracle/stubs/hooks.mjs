// Module hooks for orchestrate.mjs (registered with node:module's
// `register`, Node 18.19 / 20.6 and later):
// - `aws-cdk-lib` and `aws-cdk-lib/aws-iam` resolve to cdk.mjs, recorders of
//   the four names Amplify's policy factory uses, so that its own code runs
//   without the 140 MB CDK and its statements can be read back;
// - `@aws-amplify/backend` resolves to backend.mjs, whose `defineAuth` and
//   `defineStorage` hand back their props: the generated resource files are
//   loaded as written and their `access` callback given to Amplify's
//   orchestrator;
// - `.ts` files load as ES modules: the files groupguard writes hold no
//   type syntax (if one ever did, loading it would fail, loudly).
import { readFile } from 'node:fs/promises';

const stubs = {
  'aws-cdk-lib': new URL('./cdk.mjs', import.meta.url).href,
  'aws-cdk-lib/aws-iam': new URL('./cdk.mjs', import.meta.url).href,
  '@aws-amplify/backend': new URL('./backend.mjs', import.meta.url).href,
};

export async function resolve(specifier, context, next) {
  if (Object.hasOwn(stubs, specifier)) {
    return { url: stubs[specifier], shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const source = await readFile(new URL(url), 'utf8');
    return { format: 'module', source, shortCircuit: true };
  }
  return next(url, context);
}

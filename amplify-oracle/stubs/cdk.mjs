// Recorders of the CDK names `StorageAccessPolicyFactory` uses (see
// hooks.mjs): a statement keeps the props it was built with, a policy its
// statements. CDK itself would render them into the same JSON (one action,
// the resources, the `StringLike` condition), collapsing one-element arrays.
export const Effect = { ALLOW: 'Allow', DENY: 'Deny' };

export class PolicyStatement {
  constructor(props) {
    this.props = props;
  }
}

export class Policy {
  constructor(scope, id, props) {
    this.statements = props.statements;
  }
}

export const Stack = {
  of: () => ({ node: { path: 'Stack', children: [] } }),
};

// The identity platform the single sign-on tests run against: oidc-provider (OpenID Certified),
// pinned in package.json, on the loopback port tests/sso_provider.py gives it.
//
//   node tests/sso/provider.mjs <settings.json>
//
// settings.json: { port, client: { client_id, client_secret, redirect_uris,
// post_logout_redirect_uris }, accounts_file, ttl: { Session, AuthorizationCode, ... } }.
// The accounts file ({ "<login>": { claims } }) is read at every look-up, so a test can change a
// person's claims (a new 工号) between two sign-ins; the login is the account's `sub`.
// devInteractions' own login form signs anyone in whose login is in the accounts file.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${settings.port}`;

function accounts() {
  return JSON.parse(readFileSync(settings.accounts_file, 'utf8'));
}

async function findAccount(_ctx, id) {
  const account = accounts()[id];
  if (!account) return undefined;
  return { accountId: id, claims: async () => ({ ...account, sub: id }) };
}

// The company's first-party apps need no consent screen: every scope asked for is granted.
async function loadExistingGrant(ctx) {
  const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
  grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
  await grant.save();
  return grant;
}

const provider = new Provider(issuer, {
  clients: [{ grant_types: ['authorization_code'], response_types: ['code'], ...settings.client }],
  findAccount,
  loadExistingGrant,
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'unit'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['sso-test-provider-cookie-key'] },
  ttl: settings.ttl || {},
});
// A rejection is logged and answered as the protocol says; the process lives on.
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

provider.listen(settings.port, '127.0.0.1', () => console.log(`listening on ${issuer}`));

// Conformance of "julep serve" with the official @julep/sdk (pinned in
// package.json / package-lock.json). Usage:
//
//   node conformance.js BASE_URL KEY_FILE_A KEY_FILE_B
//
// KEY_FILE_A and KEY_FILE_B hold API keys of two developers. Prints one line
// per check and "conformance: N checks passed"; exits 1 at the first failure.
// No secret value is printed: values are compared, never shown.
'use strict';
const fs = require('fs');
const assert = require('assert/strict');
const { Julep } = require('@julep/sdk');

const [baseURL, keyFileA, keyFileB] = process.argv.slice(2);
const keyA = fs.readFileSync(keyFileA, 'utf8').trim();
const keyB = fs.readFileSync(keyFileB, 'utf8').trim();
const client = (apiKey) => new Julep({ apiKey, baseURL, maxRetries: 0, timeout: 10000 });
const a = client(keyA);
const b = client(keyB);

let passed = 0;
async function check(name, fn) {
  try {
    await fn();
  } catch (err) {
    // The SDK's error message is the server's (names, never values).
    console.error(`FAIL ${name}: ${err && err.message}`);
    process.exit(1);
  }
  passed++;
  console.log(`ok ${name}`);
}

// expectError runs fn and checks the SDK raised APIError with status and
// our JSON error code.
async function expectError(fn, status, code, cls) {
  let err;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, `want a ${status} error, got success`);
  assert.ok(err instanceof Julep.APIError, `want an APIError, got ${err && err.constructor.name}`);
  assert.equal(err.status, status);
  assert.ok(err instanceof cls, `want ${cls.name}, got ${err.constructor.name}`);
  assert.equal(err.error && err.error.error && err.error.error.code, code);
  assert.equal(typeof err.error.error.message, 'string');
}

const value = (n) => `conformance-value-${n}-${process.pid}`;

(async () => {
  let openai;
  await check('create returns the secret (201) with id, timestamps and value', async () => {
    openai = await a.secrets.create({
      name: 'openai_api_key', value: value(1), description: 'OpenAI key', metadata: { environment: 'production', owner: 'ml' },
    });
    assert.match(openai.id, /^[0-9a-f-]{36}$/);
    assert.equal(openai.name, 'openai_api_key');
    assert.equal(openai.description, 'OpenAI key');
    assert.deepEqual(openai.metadata, { environment: 'production', owner: 'ml' });
    assert.ok(openai.value === value(1), 'create answers the value to its owner');
    assert.ok(!Number.isNaN(Date.parse(openai.created_at)) && !Number.isNaN(Date.parse(openai.updated_at)));
  });

  await check('create more secrets (metadata optional)', async () => {
    await a.secrets.create({ name: 'stripe_api_key', value: value(2), metadata: { environment: 'production' } });
    await a.secrets.create({ name: 'db_password', value: value(3), metadata: { environment: 'staging' } });
    await a.secrets.create({ name: 'zz_plain', value: value(4) });
  });

  await check('list: an array ordered by name, values ENCRYPTED', async () => {
    const all = await a.secrets.list();
    assert.ok(Array.isArray(all), 'SecretListResponse is Array<Secret>');
    assert.deepEqual(all.map((s) => s.name), ['db_password', 'openai_api_key', 'stripe_api_key', 'zz_plain']);
    for (const s of all) assert.equal(s.value, 'ENCRYPTED');
  });

  await check('list with pagination (limit, offset)', async () => {
    const p1 = await a.secrets.list({ limit: 2, offset: 0 });
    const p2 = await a.secrets.list({ limit: 2, offset: 2 });
    const p3 = await a.secrets.list({ limit: 2, offset: 4 });
    assert.deepEqual(p1.map((s) => s.name), ['db_password', 'openai_api_key']);
    assert.deepEqual(p2.map((s) => s.name), ['stripe_api_key', 'zz_plain']);
    assert.deepEqual(p3, []);
  });

  await check('list with a metadata filter (sent by the SDK as metadata_filter.key=value)', async () => {
    // Not in SecretListParams' type; the SDK passes it through as a query.
    const prod = await a.secrets.list({ metadata_filter: { environment: 'production' } });
    assert.deepEqual(prod.map((s) => s.name), ['openai_api_key', 'stripe_api_key']);
    const both = await a.secrets.list({ metadata_filter: { environment: 'production', owner: 'ml' }, limit: 10 });
    assert.deepEqual(both.map((s) => s.name), ['openai_api_key']);
  });

  await check('get by id and by name returns the value (the SDK has no secrets.get: generic client.get)', async () => {
    const byId = await a.get(`/secrets/${openai.id}`);
    assert.equal(byId.name, 'openai_api_key');
    assert.ok(byId.value === value(1));
    const byName = await a.get('/secrets/openai_api_key');
    assert.equal(byName.id, openai.id);
    assert.ok(byName.value === value(1));
  });

  await check('update (PUT with name and value) changes value and description', async () => {
    const u = await a.secrets.update(openai.id, { name: 'openai_api_key', value: value(5), description: 'rotated' });
    assert.equal(u.id, openai.id);
    assert.equal(u.description, 'rotated');
    assert.ok(u.value === value(5));
    assert.deepEqual(u.metadata, { environment: 'production', owner: 'ml' }, 'metadata not given is kept');
    const g = await a.get(`/secrets/${openai.id}`);
    assert.ok(g.value === value(5));
  });

  await check('update can rename', async () => {
    const u = await a.secrets.update(openai.id, { name: 'OPENAI_API_KEY', value: value(5) });
    assert.equal(u.name, 'OPENAI_API_KEY');
    await expectError(() => a.get('/secrets/openai_api_key'), 404, 'not_found', Julep.NotFoundError);
  });

  await check('duplicate name -> 409 already_exists', async () => {
    await expectError(() => a.secrets.create({ name: 'stripe_api_key', value: value(6) }), 409, 'already_exists', Julep.ConflictError);
    await expectError(() => a.secrets.update(openai.id, { name: 'stripe_api_key', value: value(6) }), 409, 'already_exists', Julep.ConflictError);
  });

  await check('invalid name -> 422 validation_error', async () => {
    for (const name of ['has space', '1starts_with_digit', 'clé', 'a-b', '']) {
      await expectError(() => a.secrets.create({ name, value: value(7) }), 422, 'validation_error', Julep.UnprocessableEntityError);
    }
  });

  await check('wrong, malformed or missing key -> 401 unauthorized', async () => {
    const wrong = keyA.slice(0, -4) + (keyA.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const k of [wrong, 'not-a-key', 'jk_000000000000_x']) {
      await expectError(() => client(k).secrets.list(), 401, 'unauthorized', Julep.AuthenticationError);
    }
  });

  await check("another developer's secret -> 404 (get, update, delete); their list is their own", async () => {
    await expectError(() => b.get(`/secrets/${openai.id}`), 404, 'not_found', Julep.NotFoundError);
    await expectError(() => b.get('/secrets/OPENAI_API_KEY'), 404, 'not_found', Julep.NotFoundError);
    await expectError(() => b.secrets.update(openai.id, { name: 'x', value: value(8) }), 404, 'not_found', Julep.NotFoundError);
    await expectError(() => b.secrets.delete(openai.id), 404, 'not_found', Julep.NotFoundError);
    assert.deepEqual(await b.secrets.list(), []);
    // The same name is free for developer B.
    const mine = await b.secrets.create({ name: 'OPENAI_API_KEY', value: value(9) });
    assert.notEqual(mine.id, openai.id);
  });

  await check('delete returns {id, deleted_at}; the secret is gone', async () => {
    const d = await a.secrets.delete(openai.id);
    assert.equal(d.id, openai.id);
    assert.ok(!Number.isNaN(Date.parse(d.deleted_at)));
    await expectError(() => a.get(`/secrets/${openai.id}`), 404, 'not_found', Julep.NotFoundError);
    await expectError(() => a.secrets.delete(openai.id), 404, 'not_found', Julep.NotFoundError);
    const left = await a.secrets.list();
    assert.deepEqual(left.map((s) => s.name), ['db_password', 'stripe_api_key', 'zz_plain']);
    const bLeft = await b.secrets.list();
    assert.deepEqual(bLeft.map((s) => s.name), ['OPENAI_API_KEY'], "B's secret of the same name is untouched");
  });

  console.log(`conformance: ${passed} checks passed`);
})();

import type { FilePlan } from '../plan.ts';
import type { ServiceSpec } from '../spec.ts';
import { EditError, appendToLiteral, insertAfterLast, replaceOnce } from '../text-edit.ts';

interface PostmanEnvironment {
  values: { key: string; value: string; type: string; enabled: boolean }[];
}

interface PostmanCollection {
  item: { name: string }[];
}

/** The request of the Postman folder: the same checks as the Bruno one. */
function postmanFolder({ name, camel, title }: ServiceSpec): Record<string, unknown> {
  const test = (label: string, check: string) => [`pm.test('${label}', function () {`, `  ${check}`, '});'];
  return {
    name,
    description: `${title}: entries written with an Idempotency-Key.`,
    auth: { type: 'bearer', bearer: [{ key: 'token', value: `{{${camel}Token}}`, type: 'string' }] },
    item: [
      {
        name: `${title}: write an entry`,
        event: [
          { listen: 'prerequest', script: { type: 'text/javascript', exec: [`pm.collectionVariables.set('${camel}EntryKey', pm.variables.replaceIn('{{$randomUUID}}'));`] } },
          {
            listen: 'test',
            script: {
              type: 'text/javascript',
              exec: [
                ...test('status is 201', 'pm.response.to.have.status(201);'),
                ...test('header content-type contains application/json', "pm.expect(pm.response.headers.get('content-type')).to.include('application/json');"),
                ...test('body.note eq first entry', "pm.expect(pm.response.json().note).to.eql('first entry');"),
              ],
            },
          },
        ],
        request: {
          method: 'POST',
          header: [
            { key: 'X-Request-Id', value: '{{requestId}}' },
            { key: 'Content-Type', value: 'application/json' },
            { key: 'Idempotency-Key', value: `{{${camel}EntryKey}}` },
          ],
          url: { raw: `{{${camel}Url}}/api/v1/entries`, host: [`{{${camel}Url}}`], path: ['api', 'v1', 'entries'] },
          body: { mode: 'raw', raw: '{\n  "note": "first entry"\n}', options: { raw: { language: 'json' } } },
        },
        response: [],
      },
    ],
  };
}

async function editJson<T>(plan: FilePlan, path: string, change: (document: T) => void): Promise<void> {
  await plan.edit(path, (text) => {
    const document = JSON.parse(text) as T;
    change(document);
    return `${JSON.stringify(document, null, 2)}\n`;
  });
}

/**
 * The service's Bruno and Postman folders (one request: its write), its URL and token in every
 * environment, and what the collections' runner needs to reach it: the token it mints and the
 * URL of the service it starts (packages/testing starts every service in `serviceNames`).
 */
export async function planCollections(plan: FilePlan, spec: ServiceSpec): Promise<void> {
  const { name, camel, title, port } = spec;
  const folders = (await plan.read('collections/bruno/audit/folder.bru')) ?? '';
  const seq = Number(/seq: (\d+)/.exec(folders)?.[1] ?? 5) + 10;
  await plan.create(
    `collections/bruno/${name}/folder.bru`,
    `meta {\n  name: ${name}\n  seq: ${seq}\n}\n\nauth {\n  mode: bearer\n}\n\nauth:bearer {\n  token: {{${camel}Token}}\n}\n\ndocs {\n  ${title}: entries written with an Idempotency-Key.\n}\n`,
  );
  await plan.create(
    `collections/bruno/${name}/write-entry.bru`,
    `meta {
  name: ${title}: write an entry
  type: http
  seq: 1
}

post {
  url: {{${camel}Url}}/api/v1/entries
  body: json
  auth: inherit
}

headers {
  Idempotency-Key: {{${camel}EntryKey}}
}

body:json {
  {
    "note": "first entry"
  }
}

assert {
  res.status: eq 201
  res.headers['content-type']: contains application/json
  res.body.note: eq first entry
}

script:pre-request {
  bru.setVar('${camel}EntryKey', bru.interpolate('{{$randomUUID}}'));
}
`,
  );
  for (const [environment, url] of [
    ['local', `http://localhost:${port}`],
    ['compose', `https://${name}.localhost`],
  ] as const) {
    await plan.edit(`collections/bruno/environments/${environment}.bru`, (text) => {
      const withUrl = insertAfterLast(text, /^ {2}\w+Url: \S+$/, `  ${camel}Url: ${url}`, 'the URL variables');
      return appendToLiteral(withUrl, 'vars:secret', `${camel}Token`);
    });
    await editJson<PostmanEnvironment>(plan, `collections/postman/${environment}.postman_environment.json`, (document) => {
      const lastUrl = document.values.findLastIndex((value) => value.key.endsWith('Url'));
      if (lastUrl < 0) throw new EditError('no URL variable');
      document.values.splice(lastUrl + 1, 0, { key: `${camel}Url`, value: url, type: 'default', enabled: true });
      const lastToken = document.values.findLastIndex((value) => value.key.endsWith('Token'));
      document.values.splice(lastToken < 0 ? document.values.length : lastToken + 1, 0, { key: `${camel}Token`, value: '', type: 'secret', enabled: true });
    });
  }
  await editJson<PostmanCollection>(plan, 'collections/postman/warren.postman_collection.json', (document) => {
    document.item.push(postmanFolder(spec) as { name: string });
  });
  await plan.edit('collections/src/tokens.ts', (text) => {
    const declared = insertAfterLast(text, /^ {2}\w+Token: string;$/, `  /** \`${name}:read ${name}:write\` for \`warren-${name}\`. */\n  ${camel}Token: string;`, 'the token fields');
    return appendToLiteral(declared, '  return ', `${camel}Token: await sign('${name}:read ${name}:write', 'warren-${name}')`);
  });
  await plan.edit('collections/src/stack.ts', (text) => {
    const typed = replaceOnce(text, /(urls: \{[^}]*?: string)(;? \};)/, (_whole, head = '', tail = '') => `${head}; ${camel}Url: string${tail}`, 'type of urls');
    return appendToLiteral(typed, '      urls:', `${camel}Url: system.services['${name}'].baseUrl`);
  });
  await plan.edit('packages/testing/src/system.ts', (text) =>
    // Consumers start before the producers of what they consume: before catalog, the last one.
    replaceOnce(text, /^(export const serviceNames = \[[^\]]*?)(, '[a-z0-9-]+'\] as const;)$/m, (_whole, head = '', tail = '') => `${head}, '${name}'${tail}`, 'serviceNames'),
  );
}

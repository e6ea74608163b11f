/** Routes that serve the documentation itself rather than the API. */
const metaRoutes = [/^\/openapi\.json$/, /^\/asyncapi(\.json|\/.*)?$/, /^\/docs(\/.*)?$/];

interface Document {
  paths?: Record<string, Record<string, unknown>>;
}

/**
 * Compares the routes an app serves with the operations its OpenAPI document describes, as
 * `METHOD /path/{param}` strings: `undocumented` are served but not described, `unrouted` are
 * described but not served. Both empty means the document tells the whole truth.
 */
export function routeCoverage(routes: readonly { method: string; path: string }[], document: Document): { undocumented: string[]; unrouted: string[] } {
  const served = new Set(
    routes
      .filter((route) => route.method !== 'ALL' && !route.path.includes('*') && !metaRoutes.some((meta) => meta.test(route.path)))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
  );
  const described = new Set(
    Object.entries(document.paths ?? {}).flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((method) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  return {
    undocumented: [...served].filter((route) => !described.has(route)).sort(),
    unrouted: [...described].filter((route) => !served.has(route)).sort(),
  };
}

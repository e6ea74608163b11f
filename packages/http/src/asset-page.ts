/**
 * The HTML of a documentation page that is only a mount point and the service's own assets: no
 * inline script (the content security policy forbids them), nothing from another origin.
 */
export function assetPage({ title, stylesheet, mountId, scripts }: { title: string; stylesheet: string; mountId: string; scripts: readonly string[] }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
<div id="${mountId}"></div>
${scripts.map((script) => `<script src="${script}"></script>`).join('\n')}
</body>
</html>`;
}

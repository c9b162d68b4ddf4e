/**
 * The two HTML pages of the Outlook module: the host page (the local stand-in for Outlook's window:
 * an email list and the pane in a frame) and the pane page, which is the production
 * taskpane.html with one change: the Office.js stand-in instead of Microsoft's CDN script, and its
 * CSP as a header (the production policy, allowing the local backend) instead of the meta tag.
 */
export const OFFICE_CDN_SCRIPT = '<script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>';
export const STAND_IN_SCRIPT = '<script src="office-stand-in.js"></script>';
const META_CSP = /<!--[^>]*-->\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">\s*/;

/** The production page with the stand-in swapped in and its CSP meta tag removed (sent as a header: paneCsp); throws if the page no longer has the expected shape. */
export function localPanePage(productionHtml: string): string {
  if (!productionHtml.includes(OFFICE_CDN_SCRIPT)) throw new Error('taskpane.html no longer loads Office.js from the CDN as expected; update local-host/src/outlook/pages.ts');
  if (!META_CSP.test(productionHtml)) throw new Error('taskpane.html no longer has its CSP meta tag where expected; update local-host/src/outlook/pages.ts');
  return productionHtml.replace(META_CSP, '').replace(OFFICE_CDN_SCRIPT, STAND_IN_SCRIPT);
}

/** The element the Office.js stand-in reads the open email from (office-stand-in.ts). */
export const STAND_IN_ITEM_ID = 'office-stand-in-item';

/**
 * The pane page for one email: the email as a JSON data block before the stand-in's script, as
 * Outlook hands Office.js the open item without the pane fetching it. A data block never runs (and
 * the CSP allows no inline script but the page's own, by hash); "<" is escaped so no email text can
 * close the element.
 */
export function panePageWithItem(localPage: string, email: unknown): string {
  const json = JSON.stringify(email).replace(/</g, '\\u003c');
  // A function, not a string: "$'", "$&" and "$$" in the email must not act as replacement patterns.
  return localPage.replace(STAND_IN_SCRIPT, () => `<script type="application/json" id="${STAND_IN_ITEM_ID}">${json}</script>\n${STAND_IN_SCRIPT}`);
}

/**
 * What the local pane's CSP changes in the production policy (the page's meta tag, which carries the
 * hashes of the page's inline opening JS and CSS): Office.js comes from this host, API calls go to
 * the local backend, and only the host page may frame the pane (a header can say so, a meta tag cannot).
 */
const LOCAL_DIRECTIVES: Record<string, (sources: string[], backendOrigin: string) => string[]> = {
  'script-src': (sources) => sources.filter((s) => !s.startsWith('https://appsforoffice.microsoft.com')),
  'connect-src': (_sources, backendOrigin) => ["'self'", backendOrigin],
  'frame-ancestors': () => ["'self'"],
};

/** The pane's CSP locally, as a header: the production page's policy with the local changes above. */
export function paneCsp(productionHtml: string, backendOrigin: string): string {
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(productionHtml)?.[1];
  if (!policy) throw new Error('taskpane.html has no CSP meta tag to take the local policy from; update local-host/src/outlook/pages.ts');
  const parsed = policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]);
  // Browsers enforce the first of a repeated directive and match names in any case: refuse both rather than guess.
  const names = parsed.map(([name]) => name!);
  if (names.some((n, i) => n !== n.toLowerCase() || names.indexOf(n) !== i)) throw new Error(`taskpane.html's CSP has a repeated or upper-case directive (${names.join(', ')}); write each once, in lower case`);
  const directives = new Map(parsed.map(([name, ...sources]) => [name!, sources]));
  for (const [name, local] of Object.entries(LOCAL_DIRECTIVES)) directives.set(name, local(directives.get(name) ?? [], backendOrigin));
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

export const HOST_CSP = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "frame-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The host page. `paneSrc` and `selected` come from a checked id; `notice` is the local host's own words. All are escaped anyway. */
export function hostPage(paneSrc: string, selected: string, notice: string | undefined): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>PM agent: Outlook pane (local host)</title>
<link rel="stylesheet" href="host.css">
<script type="module" src="host.js"></script>
</head>
<body>
<header><h1>Outlook task pane, on the local host</h1>
<p>The real pane bundle with a <strong>local stand-in for Office.js</strong> (not Microsoft's). Pick an email on the left; the pane follows it like a pinned Outlook pane. Reply forms are recorded below, never sent.</p>
${notice ? `<p class="notice" role="alert">${esc(notice)}</p>` : ''}</header>
<div class="layout">
<nav id="emails" aria-label="Emails"><p>Loading the email list…</p></nav>
<iframe id="pane-frame" title="PM agent task pane" src="${esc(paneSrc)}" data-email="${esc(selected)}"></iframe>
<aside>
<section id="email-view" aria-label="The email being triaged" data-testid="email-view"></section>
<h2>Reply forms opened</h2>
<ul id="replies"></ul>
<h2>Open your own email</h2>
<form id="post-form"><label for="post-json">EmailInput JSON (the shape the pane reads)</label>
<textarea id="post-json" rows="8" spellcheck="false"></textarea>
<button type="submit">Open this email</button> <span id="post-status" role="status"></span></form>
</aside>
</div>
</body>
</html>`;
}

export const HOST_CSS = `body{font-family:system-ui,sans-serif;margin:0;font-size:14px}header{padding:8px 16px;border-bottom:1px solid #ccc}h1{font-size:18px;margin:4px 0}
.notice{background:#fde7e9;padding:4px 8px}.layout{display:grid;grid-template-columns:minmax(220px,1fr) 380px minmax(220px,1fr);gap:12px;padding:12px 16px}
nav ul{list-style:none;padding:0;margin:0 0 12px}nav li{margin:0 0 4px}nav button{display:block;width:100%;text-align:left;font:inherit;background:#fff;border:1px solid #ddd;padding:4px 6px;overflow-wrap:anywhere}
nav button[aria-current]{border-color:#1f4e79;background:#e8f0f8}nav small{color:#666;overflow-wrap:anywhere}
nav button,nav small,#email-view dd,#email-view pre{unicode-bidi:isolate}#email-view dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 8px;margin:0}#email-view dd{margin:0;overflow-wrap:anywhere}
iframe{width:380px;height:calc(100vh - 120px);border:1px solid #999}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:6px;font-size:12px}textarea{width:100%;box-sizing:border-box}`;

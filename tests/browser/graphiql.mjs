// Opens GraphiQL from a running Jixiao in Debian's headless Chromium, with every request that
// is not to the service refused, runs a query with the Run button and prints what the result
// pane shows. Exits non-zero (with the reason) if the page does not render, asks for anything
// beyond the service, or the query's answer does not appear.
//
//   node tests/browser/graphiql.mjs http://127.0.0.1:PORT
import { chromium } from 'playwright-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node graphiql.mjs <base url of a running jixiao>');
  process.exit(2);
}
const origin = new URL(base).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-quic'],
});
const outside = [];
const problems = [];
try {
  const page = await browser.newPage();
  // No network but the service: anything else is refused and remembered.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const query = '{ labels { enum values { value label } } }';
  await page.goto(`${base}/graphql?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => (document.querySelector('.result-window')?.textContent || '').includes('ProjectStatus'),
    null,
    { timeout: 20000 },
  );
  const result = await page.textContent('.result-window');
  console.log(result.replace(/\s+/g, ' ').slice(0, 400));

  // A newcomer's first visit (nothing remembered): the editor explains how to sign in and where
  // the token goes, the Headers tab holds the placeholder, and the schema's documentation opens.
  const fresh = await browser.newContext();
  const first = await fresh.newPage();
  await first.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  first.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await first.goto(`${base}/graphql`, { waitUntil: 'load' });
  await first.waitForSelector('.graphiql-container', { timeout: 20000 });
  const editor = (await first.textContent('.graphiql-query-editor')) || '';
  for (const expected of ['欢迎使用', 'demo-submitter', 'Headers', 'MyProjects']) {
    if (!editor.includes(expected)) problems.push(`the first editor lacks ${expected}: ${editor.slice(0, 300)}`);
  }
  const tools = (await first.textContent('.graphiql-editor-tool')) || '';
  if (!tools.includes('Authorization') || !tools.includes('Bearer <token>')) {
    problems.push(`the Headers tab lacks the Authorization placeholder: ${tools.slice(0, 300)}`);
  }
  await first.click('button[aria-label="Show Documentation Explorer"]');
  await first.waitForFunction(
    () => (document.querySelector('.graphiql-doc-explorer')?.textContent || '').includes('Query'),
    null,
    { timeout: 20000 },
  );
  console.log('first visit: the editor explains signing in; the documentation explorer shows the schema');
} catch (e) {
  problems.push(String(e));
} finally {
  await browser.close();
}
if (outside.length) problems.push(`asked beyond the service: ${outside.join(', ')}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

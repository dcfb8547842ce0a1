// A front end's screen, as a team would write it: Apollo Client with automatic persisted
// queries (or, against a service with trusted documents only, the ids of the generated manifest),
// the operations typed by the GraphQL Code Generator (a wrong field or type fails `tsc`), and
// live updates through the graphql-ws client library. Prints what it checked; exits non-zero on
// the first thing that is not as a front end relies on.
//
//   node dist/screen.js http://127.0.0.1:PORT USERNAME PASSWORD [trusted]
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, split } from '@apollo/client/core';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createHash } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  ProjectStatus,
  ScreenEventsDocument,
  ScreenLoginDocument,
  ScreenProjectsDocument,
  ScreenSubmitDocument,
} from './generated/gql/graphql';

const [base, username, password, mode] = process.argv.slice(2);
if (!base || !username || !password) {
  console.error('usage: node dist/screen.js <base url> <username> <password> [trusted]');
  process.exit(2);
}
const trusted = mode === 'trusted';

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`not as expected: ${what}`);
  console.log(`ok: ${what}`);
}

/** What went over the wire: each POST's body, and the codes of its answer's errors. */
const sent: { body: { query?: string; extensions?: Record<string, unknown> }; codes: string[] }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const copy = response.clone();
  const answer = (await copy.json().catch(() => ({}))) as { errors?: { extensions?: { code?: string } }[] };
  sent.push({ body: JSON.parse(String(init?.body ?? '{}')), codes: (answer.errors ?? []).map((e) => e.extensions?.code ?? '') });
  return response;
};

let token = '';
const auth = new ApolloLink((operation, forward) => {
  if (token) operation.setContext({ headers: { Authorization: `Bearer ${token}` } });
  return forward(operation);
});
const persisted = createPersistedQueryLink(
  trusted
    ? // The manifest's ids, as the client preset put them in each document.
      { generateHash: (document) => (document as unknown as { __meta__: { hash: string } }).__meta__.hash }
    : { sha256: (text: string) => createHash('sha256').update(text).digest('hex') },
);
const http = new HttpLink({ uri: `${base}/graphql`, fetch: recordingFetch });
const socket = createClient({
  url: `${base.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: () => ({ Authorization: `Bearer ${token}` }),
  lazy: true,
});
// Node 20 has no WebSocket of its own; Apollo's subscription link looks for the global one.
(globalThis as unknown as { WebSocket: unknown }).WebSocket = WebSocket;
// With trusted documents only, a subscription goes by its id as well (graphql-ws sends the
// operation's extensions; the text Apollo prints beside it is not what runs).
const subscriptionId = new ApolloLink((operation, forward) => {
  if (trusted) {
    const hash = (operation.query as unknown as { __meta__: { hash: string } }).__meta__.hash;
    operation.extensions.persistedQuery = { version: 1, sha256Hash: hash };
  }
  return forward(operation);
});
const link = split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  },
  subscriptionId.concat(new GraphQLWsLink(socket)),
  auth.concat(persisted).concat(http),
);
const client = new ApolloClient({ link, cache: new InMemoryCache() });

async function subscriptionsOpen(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('jixiao_subscriptions_open '));
  if (!line) throw new Error('no jixiao_subscriptions_open in /metrics');
  return Number(line.split(' ')[1]);
}

/** Resolves once the instance counts `n` subscriptions (it then delivers every event to them). */
async function untilSubscriptions(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await subscriptionsOpen()) < n) {
    if (Date.now() > deadline) throw new Error(`the subscription was never registered (${n} expected)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  try {
    // Signing in: with automatic persisted queries, the hash alone misses once, then the text goes.
    const login = await client.mutate({ mutation: ScreenLoginDocument, variables: { username, password } });
    token = login.data?.login.token ?? '';
    check(token.length > 20, `signed in as ${login.data?.login.user.displayName}`);
    if (trusted) {
      check(sent.length === 1 && sent[0].body.query === undefined, 'trusted: the id alone, no text, and it ran');
    } else {
      check(sent[0].body.query === undefined && sent[0].codes.includes('PERSISTED_QUERY_NOT_FOUND'), 'the first request sent the hash alone and missed');
      check(typeof sent[1].body.query === 'string' && sent[1].codes.length === 0, 'the retry sent the text once, and it ran');
    }

    // The department's list screen, typed: `nodes[i].funds.annualRequest` is a string of yuan.
    const before = sent.length;
    const list = await client.query({ query: ScreenProjectsDocument, variables: { year: 2023 }, fetchPolicy: 'network-only' });
    const projects = list.data.projects.nodes;
    check(list.data.declarationSummary.projectCount === 5 && projects.length === 5, 'the list screen shows the five projects of 2023');
    check(projects.every((p) => /^\d+\.\d{2}$/.test(p.funds.annualRequest ?? '')), 'money comes as a decimal string of yuan');
    const again = await client.query({ query: ScreenProjectsDocument, variables: { year: 2023 }, fetchPolicy: 'network-only' });
    check(JSON.stringify(again.data) === JSON.stringify(list.data), 'the same screen again answers the same, key for key');
    check(sent.slice(before + (trusted ? 0 : 2)).every((r) => r.body.query === undefined), 'once known, the screen is asked by its hash alone');

    // Live: the subscription through graphql-ws sees the submission made over HTTP.
    const draft = projects.find((p) => p.status === ProjectStatus.Draft);
    check(draft !== undefined, 'a draft to submit');
    const open = await subscriptionsOpen();
    const heard = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event within 10 s')), 10_000);
      const subscription = client.subscribe({ query: ScreenEventsDocument }).subscribe({
        next: ({ data }) => {
          if (data?.projectEvents.projectId === draft!.id && data.projectEvents.toStatus === ProjectStatus.Submitted) {
            clearTimeout(timer);
            subscription.unsubscribe();
            resolve(`${data.projectEvents.action} ${data.projectEvents.project?.name}`);
          }
        },
        error: reject,
      });
    });
    await untilSubscriptions(open + 1);
    const submitted = await client.mutate({ mutation: ScreenSubmitDocument, variables: { id: draft!.id } });
    check(submitted.data?.submitProject.userErrors.length === 0, 'the draft was submitted');
    check((await heard).includes(draft!.name), 'the subscriber heard it, with the project as it is now');
  } catch (e) {
    console.error(e instanceof Error ? e.stack ?? e.message : e);
    process.exitCode = 1;
  } finally {
    await socket.dispose();
    client.stop();
  }
}

void main();

import { waitFor } from '@hookline/infra';
import type { ReceivedRequest } from '@hookline/testing';
import type { Page } from 'playwright-core';
import { browserForSuite, PHONE, WatchedPage } from '../harness/browser';
import { stackForSuite } from '../harness/test-stack';

/*
 * The console in a real headless Chromium against a running stack, as a new
 * user meets it: sign in with the admin token, create an endpoint, send a test,
 * find it in the log, watch a delivery fail and replay it (or retry it now while
 * it is still failing), pause and resume the endpoint, build the Slack rule by clicking and trial-run it. Every page is
 * screenshotted (test-results/console), scanned by axe-core, and looked at on a
 * phone-width screen; a console error or a CSP violation anywhere fails the test.
 */
describe('the console, in Chromium', () => {
  const TENANT = 'console-shop';
  const { stack, receiver } = stackForSuite();
  const { browser } = browserForSuite();
  /** Paths the receiver answers 500 on, to make an endpoint fail on demand. */
  const failing = new Set<string>();
  let watched: WatchedPage;
  let page: Page;
  let endpointUrl: string;
  let endpointId: string;

  const consoleUrl = (path = '') => `${stack.url('admin-api')}/console${path}`;
  /** Waits until the event's delivery is in the log with `status`; fails naming both. */
  const deliveryLogged = (eventId: string, status: string) =>
    waitFor(
      async () => {
        const log = await stack.api<{ data: { status: string }[] }>('admin-api', 'GET', `/v1/deliveries?tenantId=${TENANT}&eventId=${eventId}`);
        return log.body.data[0]?.status === status ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, description: `the delivery of ${eventId} logged as ${status}` },
    );
  const received = (path: string) => receiver.requests.filter((r: ReceivedRequest) => r.path === path);

  beforeAll(async () => {
    receiver.respondWith((req, res) => void res.writeHead(failing.has(req.path) ? 500 : 200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    endpointUrl = `${receiver.url}/orders`;
    watched = await WatchedPage.open(browser());
    page = watched.page;
  });
  afterAll(async () => {
    await watched?.close();
  });

  /** Each test ends with nothing wrong on the page: no console error, no uncaught exception, no CSP violation. */
  afterEach(() => {
    const problems = watched.problems.splice(0);
    expect(problems).toEqual([]);
  });

  /** The page as it is now: saved for a person to look at, and free of serious accessibility violations. */
  const look = async (name: string) => {
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await watched.screenshot(name);
    expect({ page: name, violations: await watched.accessibilityProblems() }).toEqual({ page: name, violations: [] });
  };

  it('signs in with the admin token and a tenant, and shows the pages the key may use', async () => {
    await page.goto(consoleUrl());
    await look('sign-in');
    await page.getByLabel('API key').fill(stack.token);
    await page.getByLabel('Tenant').fill(TENANT);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation', { name: 'Console' });
    for (const name of ['Endpoints', 'Delivery log', 'Test mode', 'Event catalog', 'Rules', 'Action contracts', 'Inbound sources'])
      await expectVisible(nav.getByRole('link', { name }));
    await page.getByRole('heading', { name: 'Endpoints', level: 1 }).waitFor();
    // The key is in the tab's session storage only: never in local storage, never in the address.
    expect(await page.evaluate('JSON.stringify(window.localStorage)')).not.toContain(stack.token);
    expect(page.url()).not.toContain(stack.token);
  });

  it('hides what a narrower key may not do, the API refuses it anyway, and a revoked key signs the tab out', async () => {
    const key = await stack.api<{ id: string; key: string }>('admin-api', 'POST', '/v1/api-keys', {
      name: 'support desk',
      tenantId: TENANT,
      scopes: ['deliveries:read'],
    });
    const other = await WatchedPage.open(browser());
    try {
      await other.page.goto(consoleUrl());
      await other.page.getByLabel('API key').fill(key.body.key);
      await other.page.getByRole('button', { name: 'Sign in' }).click();
      // It lands on the one page it may read, with nothing else in the menu.
      await other.page.getByRole('heading', { name: 'Delivery log', level: 1 }).waitFor();
      const links = await other.page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
      expect(links).toEqual(['Delivery log']);
      expect(await other.page.getByRole('button', { name: 'Recover' }).count()).toBe(0);
      expect(other.problems).toEqual([]);

      const refused = await stack.api('admin-api', 'POST', `/v1/tenants/${TENANT}/endpoints`, { url: endpointUrl }, { token: key.body.key });
      expect(refused.status).toBe(403);

      // Revoked while the tab is open: the next call is refused, and the console signs out saying why.
      expect((await stack.api('admin-api', 'DELETE', `/v1/api-keys/${key.body.id}`)).status).toBe(204);
      await other.page.reload();
      await expectVisible(other.page.getByRole('alert').filter({ hasText: 'refused your API key' }));
      await expectVisible(other.page.getByLabel('API key'));
      expect(await other.page.evaluate('sessionStorage.length')).toBe(0);
      // Chromium logs the refused call (401) as a console error: the point of this step, and the only one.
      expect(other.problems.every((p) => p.includes('401'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('creates an endpoint, showing its secret once, and refuses a bad URL beside the field', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Endpoints' }).click();
    await look('endpoints-empty');
    await page.getByRole('button', { name: 'New endpoint' }).first().click();
    await page.getByLabel('URL', { exact: true }).fill('ftp://example.com/hooks');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    // The API's rule for the field, shown beside it.
    await expectVisible(page.locator('.field-error').filter({ hasText: /http/ }));
    watched.problems.splice(0); // Chromium logs the refused request (400) as a console error; it is the point of this step.

    await page.getByLabel('URL', { exact: true }).fill(endpointUrl);
    await page.getByLabel('Description').fill('Order system');
    await page.getByLabel('Event types').fill('invoice.*');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoint created' }).waitFor();
    const secret = await page.getByLabel('Signing secret').textContent();
    expect(secret?.trim()).toMatch(/^whsec_/);
    await look('endpoint-created');
    await page.getByRole('link', { name: 'Open the endpoint' }).click();
    await page.waitForURL(/\/console\/endpoints\/[^/]+$/);
    endpointId = page.url().split('/').pop()!;
    await expectVisible(page.getByRole('heading', { name: endpointUrl, level: 1 }));
    // Once left, the secret is on the page only after an explicit reveal.
    expect(await page.content()).not.toContain(secret!.trim());
    await look('endpoint');
    const stored = await stack.api<{ url: string; eventTypes: string[]; description: string }>(
      'admin-api',
      'GET',
      `/v1/tenants/${TENANT}/endpoints/${endpointId}`,
    );
    expect(stored.body).toMatchObject({ url: endpointUrl, eventTypes: ['invoice.*'], description: 'Order system' });
  });

  it('sends a test from test mode, shows the signed request and the answer, and finds it in the log', async () => {
    await page.getByRole('link', { name: 'Send a test' }).click();
    await page.getByRole('heading', { name: 'Test mode', level: 1 }).waitFor();
    expect(await page.getByLabel('Endpoint', { exact: true }).inputValue()).toBe(endpointId);
    await page.getByLabel('Event type', { exact: true }).selectOption('invoice.paid');
    await waitForText(page.getByLabel('Payload'), /"invoiceId"|"id"/);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('heading', { name: 'Preview' }).waitFor();
    await expectVisible(page.getByRole('table', { name: 'Preview request headers' }).getByText('webhook-signature'));
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('heading', { name: 'Test delivery' }).waitFor();
    await look('test-mode');
    const [test] = await receiver.waitFor((r) => r.path === '/orders', { what: 'the test send' });
    expect(test.headers['x-hookline-test']).toBeDefined();
    expect(JSON.parse(test.body).type).toBe('invoice.paid');

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Delivery log' }).click();
    await page.getByLabel('Mode').selectOption('test');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectVisible(page.getByRole('table', { name: 'Deliveries' }).getByText('invoice.paid'));
    await look('delivery-log-test-sends');
  });

  it('shows a delivery that failed for good with the endpoint’s answer, and replays it once the endpoint is fixed', async () => {
    // One attempt and no retry, so the failed delivery is dead at once (a delivery still retrying is not replayed).
    const oneAttempt = await stack.api('admin-api', 'PATCH', `/v1/tenants/${TENANT}/endpoints/${endpointId}`, {
      retryPolicy: { initial: '1s', factor: 1, maxDelay: '1s', attempts: 1 },
    });
    expect(oneAttempt.status).toBe(200);
    failing.add('/orders');
    const event = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', {
      tenantId: TENANT,
      type: 'invoice.paid',
      data: { invoiceId: 'inv_console_1', amount: 4200 },
    });
    expect(event.status).toBe(202);
    await receiver.waitFor((r) => r.path === '/orders' && r.headers['webhook-id'] === event.body.id, { what: 'the failing attempt' });
    await deliveryLogged(event.body.id, 'dead');

    await page.goto(consoleUrl(`/deliveries?endpointId=${endpointId}&eventId=${event.body.id}`));
    const rows = page.getByRole('table', { name: 'Deliveries' }).getByRole('row');
    await waitFor(async () => ((await rows.count()) > 1 ? true : (await page.reload(), undefined)), {
      timeoutMs: 20_000,
      intervalMs: 1_000,
      description: 'the failing delivery in the log',
    });
    await look('delivery-log');
    await rows.nth(1).getByRole('link').first().click();
    await page.getByRole('heading', { name: /Delivery of invoice\.paid/, level: 1 }).waitFor();
    await expectVisible(page.getByText('HTTP 500').first());
    await expectVisible(page.getByText('dead', { exact: true }).first());
    await look('delivery');

    failing.delete('/orders');
    const before = received('/orders').filter((r) => r.headers['webhook-id'] === event.body.id).length;
    expect(before).toBe(1);
    await page.getByRole('button', { name: 'Replay' }).click();
    await expectVisible(page.getByText(/Replay sent/));
    await receiver.waitFor((r) => r.path === '/orders' && r.headers['webhook-id'] === event.body.id, { count: before + 1, what: 'the replayed attempt' });
    await deliveryLogged(event.body.id, 'succeeded');
  });

  it('retries a failing delivery now instead of at its scheduled time, once the endpoint is fixed', async () => {
    // The next retry an hour away: without "Retry now" the fixed endpoint would wait for it.
    const patched = await stack.api('admin-api', 'PATCH', `/v1/tenants/${TENANT}/endpoints/${endpointId}`, { retryPolicy: { delays: ['1h'] } });
    expect(patched.status).toBe(200);
    failing.add('/orders');
    const event = await stack.api<{ id: string }>('ingest', 'POST', '/v1/events', {
      tenantId: TENANT,
      type: 'invoice.paid',
      data: { invoiceId: 'inv_console_2', amount: 990 },
    });
    const deliveryId = await waitFor(
      async () => {
        const list = await stack.api<{ data: { id: string; status: string }[] }>(
          'admin-api',
          'GET',
          `/v1/deliveries?tenantId=${TENANT}&eventId=${event.body.id}`,
        );
        const delivery = list.body.data[0];
        if (delivery?.status !== 'failing') return undefined;
        const one = await stack.api<{ nextAttempt: { attempt: number } | null }>('admin-api', 'GET', `/v1/deliveries/${delivery.id}?tenantId=${TENANT}`);
        return one.body.nextAttempt?.attempt === 2 ? delivery.id : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, description: 'the failing delivery with its retry scheduled' },
    );
    await page.goto(consoleUrl(`/deliveries/${deliveryId}`));
    await expectVisible(page.getByText(/Attempt 2 at/).first());
    failing.delete('/orders');
    await page.getByRole('button', { name: 'Retry now' }).click();
    await expectVisible(page.getByText('Attempt 2 is on its way', { exact: false }));
    await receiver.waitFor((r) => r.path === '/orders' && r.headers['webhook-id'] === event.body.id, { count: 2, what: 'the retried attempt' });
    await deliveryLogged(event.body.id, 'succeeded');
    expect(received('/orders').filter((r) => r.headers['webhook-id'] === event.body.id)).toHaveLength(2);
    await stack.api('admin-api', 'PATCH', `/v1/tenants/${TENANT}/endpoints/${endpointId}`, { retryPolicy: null });
  });

  it('pauses and resumes the endpoint', async () => {
    await page.goto(consoleUrl(`/endpoints/${endpointId}`));
    await page.getByRole('button', { name: 'Pause' }).click();
    await expectVisible(page.getByRole('button', { name: 'Resume' }));
    await expectVisible(page.getByText('Paused').first());
    expect((await stack.api<{ state: { state: string } }>('admin-api', 'GET', `/v1/tenants/${TENANT}/endpoints/${endpointId}`)).body.state.state).toBe(
      'paused',
    );
    await look('endpoint-paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expectVisible(page.getByRole('button', { name: 'Pause' }));
    expect((await stack.api<{ state: { state: string } }>('admin-api', 'GET', `/v1/tenants/${TENANT}/endpoints/${endpointId}`)).body.state.state).toBe(
      'enabled',
    );
  });

  it('builds the Slack rule by clicking only, trial-runs it, and the saved rule posts to Slack', async () => {
    // The receiver stands in for Slack: the path is the part of a Slack webhook URL that holds its token.
    const slackPath = '/services/T0CONSOLE/B0RULES/s3cr3tT0k3n';
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Endpoints' }).click();
    await page.getByRole('button', { name: 'New endpoint' }).first().click();
    await page.getByLabel('Kind').selectOption({ label: 'Slack' });
    await page.getByLabel('Incoming webhook URL').fill(`${receiver.url}${slackPath}`);
    await page.getByLabel('Description').fill('Sales Slack');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoint created' }).waitFor();
    // The URL holds Slack's token: the console shows it masked, like the API.
    expect(await page.content()).not.toContain('s3cr3tT0k3n');
    await page.getByRole('button', { name: 'Done' }).click();
    const endpoints = await stack.api<{ data: { id: string; description: string | null }[] }>('admin-api', 'GET', `/v1/tenants/${TENANT}/endpoints`);
    const slack = { body: endpoints.body.data.find((e) => e.description === 'Sales Slack')! };

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Rules' }).click();
    await look('rules-empty');
    await page.getByRole('link', { name: 'New rule' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('VIP tickets to Slack');
    await page.getByLabel('Event type').selectOption('ticket.created');
    await page.getByRole('button', { name: 'Add event type' }).click();

    await page.getByRole('button', { name: 'Add condition' }).click();
    const first = page.getByRole('group', { name: 'Condition 1' });
    await first.getByLabel('Field', { exact: true }).selectOption('data.priority');
    await first.getByLabel('Operator').selectOption('equals');
    await first.getByLabel('Value', { exact: true }).selectOption('high');
    await page.getByRole('button', { name: 'Add condition' }).click();
    const second = page.getByRole('group', { name: 'Condition 2' });
    await second.getByLabel('Field', { exact: true }).selectOption('data.customer.tier');
    await second.getByLabel('Operator').selectOption('in');
    await second.getByRole('checkbox', { name: 'gold' }).check();
    await second.getByRole('checkbox', { name: 'platinum' }).check();

    await page.getByRole('button', { name: 'Post to chat' }).click();
    const action = page.getByRole('group', { name: 'Action 1: Post to chat' });
    await action.getByRole('checkbox', { name: /Sales Slack/ }).check();
    await action.getByLabel('Title', { exact: true }).fill('VIP ticket: {{ data.subject }}');
    await action.getByLabel('Text', { exact: true }).fill('{{ data.customer.name }} ({{ data.customer.tier }})');
    await look('rule-builder');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/console\/rules\/[0-9a-f-]{36}$/);
    const ruleId = page.url().split('/').pop()!;

    // What the builder showed is what was saved.
    const rule = await stack.api<Record<string, unknown>>('admin-api', 'GET', `/v1/tenants/${TENANT}/rules/${ruleId}`);
    expect(rule.body).toMatchObject({
      name: 'VIP tickets to Slack',
      enabled: true,
      trigger: { eventTypes: ['ticket.created'] },
      conditions: {
        all: [
          { path: 'data.priority', op: 'equals', value: 'high' },
          { path: 'data.customer.tier', op: 'in', value: ['gold', 'platinum'] },
        ],
      },
      actions: [
        {
          type: 'chat',
          endpointIds: [slack.body.id],
          template: { title: 'VIP ticket: {{ data.subject }}', text: '{{ data.customer.name }} ({{ data.customer.tier }})' },
        },
      ],
    });

    // A dry trial on the type's example: both conditions explained, and the Slack request it would send.
    await page.getByRole('button', { name: 'Run trial' }).click();
    await page.getByRole('heading', { name: 'Outcome (dry run)' }).waitFor();
    await expectVisible(page.getByText('Matched', { exact: true }));
    await expectVisible(page.getByText(/data\.customer\.tier/).last());
    await look('rule-trial');
    expect(received(slackPath)).toEqual([]);

    await stack.api('ingest', 'POST', '/v1/events', {
      tenantId: TENANT,
      type: 'ticket.created',
      data: {
        id: 'tkt_console',
        number: 1,
        subject: 'Checkout broken',
        status: 'open',
        priority: 'high',
        channel: 'email',
        customer: { id: 'cus_1', name: 'Meridian Health', email: 'it@meridian.example', tier: 'gold' },
        assignee: null,
        group: null,
        tags: [],
        url: 'https://support.example.com/t/1',
        createdAt: '2026-11-29T10:00:00Z',
        updatedAt: '2026-11-29T10:00:00Z',
        requester: { name: 'Hannah', email: 'hannah@meridian.example' },
        description: 'It fails.',
      },
    });
    const [posted] = await receiver.waitFor((r) => r.path === slackPath, { what: 'the Slack message' });
    expect(JSON.parse(posted.body).blocks[0].text.text).toBe('VIP ticket: Checkout broken');
  });

  it('shows every other page, at desktop and phone width, without console errors or serious accessibility violations', async () => {
    const contract = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/action-contracts`, {
      name: 'tickets.escalate',
      url: `${receiver.url}/backend/escalate`,
      inputSchema: { type: 'object', properties: { ticketId: { type: 'string' } }, required: ['ticketId'] },
    });
    const source = await stack.api<{ id: string }>('admin-api', 'POST', `/v1/tenants/${TENANT}/inbound-sources`, {
      provider: 'github',
      name: 'GitHub app',
      secret: 'a-github-webhook-secret',
    });
    expect([contract.status, source.status]).toEqual([201, 201]);
    const pages: [string, string][] = [
      ['catalog', '/catalog'],
      ['event-type', '/catalog/ticket.created'],
      ['rules', '/rules'],
      ['contracts', '/contracts'],
      ['contract', `/contracts/${contract.body.id}`],
      ['inbound-sources', '/inbound'],
      ['inbound-source', `/inbound/${source.body.id}`],
      ['endpoints', '/endpoints'],
      ['delivery-log', '/deliveries'],
    ];
    for (const [name, path] of pages) {
      await page.goto(consoleUrl(path));
      await look(name);
    }

    await page.setViewportSize(PHONE);
    for (const [name, path] of pages) {
      await page.goto(consoleUrl(path));
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // Nothing wider than the screen: tables scroll inside their own box.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect({ page: name, overflow }).toEqual({ page: name, overflow: 0 });
      await watched.screenshot(`${name}-phone`);
    }
    // The menu folds behind a button there, and opens from the keyboard.
    await page.getByRole('button', { name: 'Menu' }).focus();
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Rules' }));
  });
});

async function expectVisible(locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function waitForText(locator: ReturnType<Page['getByText']>, pattern: RegExp): Promise<void> {
  await waitFor(async () => (pattern.test((await locator.textContent()) ?? '') ? true : undefined), {
    timeoutMs: 10_000,
    intervalMs: 100,
    description: `text matching ${pattern}`,
  });
}

import { z } from 'zod';
import { formFields, hmac, jsonObject, kindOf, safeEqual } from '../crypto';
import { refuse, type InboundProvider, type Verdict, type ProviderKind } from '../provider';

const Options = z.object({}).strict();

/** The delivery's payload: the JSON body, or for a webhook set to `application/x-www-form-urlencoded`, the JSON in its `payload` field. */
function payloadOf(rawBody: Buffer, contentType: string | undefined): Record<string, unknown> | null {
  if (!contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return jsonObject(rawBody);
  const payload = formFields(rawBody).payload;
  return payload === undefined ? null : jsonObject(Buffer.from(payload, 'utf8'));
}

/**
 * GitHub (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries):
 * a webhook with a secret sends `X-Hub-Signature-256: sha256=<hex>`, the
 * lowercase-hex HMAC-SHA256, under the webhook secret (as its UTF-8 string),
 * of the raw request body, whichever content type the webhook is set to
 * (https://docs.github.com/en/webhooks/using-webhooks/creating-webhooks: for
 * `application/x-www-form-urlencoded` the JSON is the form field `payload`,
 * and the signature still covers the whole form body). It is compared in
 * constant time. The legacy SHA-1 `X-Hub-Signature` is not accepted in its
 * place. GitHub signs no timestamp, so there is no tolerance: a replay is the
 * same delivery, deduplicated by its id.
 *
 * Only then is the payload parsed (https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers):
 * one event whose kind is `X-GitHub-Event` with the payload's `action` when it
 * has one (`pull_request.opened`, `issues.closed`, `push`), whose id is
 * `X-GitHub-Delivery` (a GUID per event, kept by redeliveries) and whose data
 * is the payload. The `ping` GitHub sends when a webhook is created is an
 * event like any other (kind `ping`), so it is answered 2xx. Those two headers
 * are not covered by GitHub's signature (only the body is), so they are trusted
 * only as far as the TLS connection that carried them.
 */
export const github: InboundProvider = {
  name: 'github',
  keys: 'secret',
  parseOptions: (options) => Options.parse(options ?? {}),
  async verify(request, keys): Promise<Verdict> {
    if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'GitHub webhook deliveries are POSTs');
    const given = request.headers['x-hub-signature-256'];
    if (!given)
      return refuse(
        401,
        'missing_signature',
        request.headers['x-hub-signature']
          ? 'only the legacy SHA-1 X-Hub-Signature, no X-Hub-Signature-256'
          : 'no X-Hub-Signature-256 header (is the webhook secret set?)',
      );
    // No secret must never mean "signed with the empty key", which anyone can compute.
    if (!keys.secret) return refuse(401, 'bad_signature', 'the source has no webhook secret to check X-Hub-Signature-256 with');
    const expected = `sha256=${hmac('sha256', keys.secret, request.rawBody, 'hex')}`;
    if (!safeEqual(given.trim().toLowerCase(), expected)) return refuse(401, 'bad_signature', 'X-Hub-Signature-256 does not match the body');

    const event = request.headers['x-github-event']?.trim();
    if (!event || !kindOf(event)) return refuse(400, 'malformed', 'no X-GitHub-Event header');
    const payload = payloadOf(request.rawBody, request.headers['content-type']);
    if (!payload) return refuse(400, 'malformed', 'the payload is not a JSON object');
    const action = typeof payload.action === 'string' ? payload.action : '';
    const delivery = request.headers['x-github-delivery']?.trim();
    return { kind: 'accepted', events: [{ kind: kindOf(event, action), ...(delivery ? { id: delivery } : {}), data: payload }] };
  },
};

const repository = {
  id: 718902345,
  node_id: 'R_kgDOKtmWyQ',
  name: 'hookline-demo',
  full_name: 'acme/hookline-demo',
  private: false,
  html_url: 'https://github.com/acme/hookline-demo',
  default_branch: 'main',
  owner: { login: 'acme', id: 98765432, type: 'Organization' },
};
const sender = { login: 'octocat', id: 583231, type: 'User', html_url: 'https://github.com/octocat' };

/** The GitHub events most webhooks subscribe to, each with an example of its data (the delivery's payload). */
export const githubKinds: ProviderKind[] = [
  {
    kind: 'ping',
    description: 'Sent once when a webhook is created (or pinged from its settings), to check the endpoint; carries no change.',
    example: {
      zen: 'Design for failure.',
      hook_id: 482736191,
      hook: {
        type: 'Repository',
        id: 482736191,
        name: 'web',
        active: true,
        events: ['push', 'pull_request'],
        config: { content_type: 'json', insecure_ssl: '0', url: 'https://hooks.example.com/in/src_github' },
      },
      repository,
      sender,
    },
  },
  {
    kind: 'push',
    description: 'Commits were pushed to a branch or tag (also sent when one is created or deleted).',
    example: {
      ref: 'refs/heads/main',
      before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      after: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      created: false,
      deleted: false,
      forced: false,
      compare: 'https://github.com/acme/hookline-demo/compare/6113728f27ae...0d1a26e67d8f',
      commits: [
        {
          id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
          message: 'Retry deliveries with jitter',
          timestamp: '2026-03-02T10:14:05+01:00',
          url: 'https://github.com/acme/hookline-demo/commit/0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
          author: { name: 'Mona Lisa', email: 'mona@example.com', username: 'octocat' },
          added: [],
          removed: [],
          modified: ['src/retry.ts'],
        },
      ],
      head_commit: { id: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c', message: 'Retry deliveries with jitter', timestamp: '2026-03-02T10:14:05+01:00' },
      pusher: { name: 'octocat', email: 'mona@example.com' },
      repository,
      sender,
    },
  },
  {
    kind: 'pull_request.opened',
    description: 'A pull request was opened.',
    example: {
      action: 'opened',
      number: 128,
      pull_request: {
        id: 1754318290,
        number: 128,
        state: 'open',
        title: 'Add Stripe inbound provider',
        html_url: 'https://github.com/acme/hookline-demo/pull/128',
        draft: false,
        user: { login: 'octocat', id: 583231 },
        head: { ref: 'inbound-stripe', sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c' },
        base: { ref: 'main', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
        created_at: '2026-03-02T09:20:11Z',
      },
      repository,
      sender,
    },
  },
  {
    kind: 'pull_request.synchronize',
    description: "A pull request's head branch was updated (new commits pushed).",
    example: {
      action: 'synchronize',
      number: 128,
      before: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
      after: '9c2b0e4d1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c',
      pull_request: { id: 1754318290, number: 128, state: 'open', head: { ref: 'inbound-stripe', sha: '9c2b0e4d1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c' } },
      repository,
      sender,
    },
  },
  {
    kind: 'pull_request.closed',
    description: 'A pull request was closed; `pull_request.merged` says whether it was merged.',
    example: {
      action: 'closed',
      number: 128,
      pull_request: {
        id: 1754318290,
        number: 128,
        state: 'closed',
        merged: true,
        merged_at: '2026-03-03T16:02:44Z',
        merge_commit_sha: 'e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2',
        base: { ref: 'main' },
      },
      repository,
      sender,
    },
  },
  {
    kind: 'issues.opened',
    description: 'An issue was opened.',
    example: {
      action: 'opened',
      issue: {
        id: 2214567890,
        number: 77,
        title: 'Deliveries to Slack time out',
        state: 'open',
        html_url: 'https://github.com/acme/hookline-demo/issues/77',
        labels: [{ name: 'bug' }],
        user: { login: 'hubot', id: 1234567 },
        created_at: '2026-03-02T08:45:00Z',
      },
      repository,
      sender: { login: 'hubot', id: 1234567, type: 'User' },
    },
  },
  {
    kind: 'issue_comment.created',
    description: 'A comment was added to an issue or pull request.',
    example: {
      action: 'created',
      issue: { id: 2214567890, number: 77, title: 'Deliveries to Slack time out', state: 'open' },
      comment: {
        id: 1987654321,
        body: 'Reproduced with a 25 s receiver; raising the timeout fixes it.',
        html_url: 'https://github.com/acme/hookline-demo/issues/77#issuecomment-1987654321',
        user: { login: 'octocat', id: 583231 },
        created_at: '2026-03-02T11:02:17Z',
      },
      repository,
      sender,
    },
  },
  {
    kind: 'release.published',
    description: 'A release was published.',
    example: {
      action: 'published',
      release: {
        id: 145678901,
        tag_name: 'v1.4.0',
        name: 'v1.4.0',
        draft: false,
        prerelease: false,
        html_url: 'https://github.com/acme/hookline-demo/releases/tag/v1.4.0',
        published_at: '2026-03-04T12:00:00Z',
        author: { login: 'octocat', id: 583231 },
      },
      repository,
      sender,
    },
  },
  {
    kind: 'workflow_run.completed',
    description: 'A GitHub Actions workflow run finished; `workflow_run.conclusion` says how.',
    example: {
      action: 'completed',
      workflow_run: {
        id: 8123456789,
        name: 'CI',
        head_branch: 'main',
        head_sha: '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c',
        event: 'push',
        status: 'completed',
        conclusion: 'failure',
        run_number: 512,
        html_url: 'https://github.com/acme/hookline-demo/actions/runs/8123456789',
      },
      workflow: { id: 61234567, name: 'CI', path: '.github/workflows/ci.yml' },
      repository,
      sender,
    },
  },
];

import { fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { RuleBuilder } from './RuleBuilder';
import { BILLING, ESCALATE, INVOICE_PAID_SCHEMA, ONCALL, RULES, SLACK, TEAMS, TICKET_CREATED_SCHEMA } from './rule-fixtures';
import { emptyBuilder, fromBuilder, issuesByNode, toBuilder, type BuilderState, type EndpointOption, type RuleDocument, type RuleInput } from './rule-model';
import { fieldsFromSchema, mergeFields } from './schema-fields';

const ENDPOINTS: EndpointOption[] = [
  { id: ONCALL, label: 'On-call system', chatTool: null },
  { id: BILLING, label: 'Billing system', chatTool: null },
  { id: SLACK, label: 'Sales Slack', chatTool: 'slack' },
  { id: TEAMS, label: 'Support Teams', chatTool: 'teams' },
];
const CONTRACTS = [{ id: ESCALATE, name: 'tickets.escalate' }];
const CATALOG = ['invoice.paid', 'invoice.created', 'ticket.created', 'ticket.updated'];
const FIELDS = mergeFields([fieldsFromSchema(INVOICE_PAID_SCHEMA), fieldsFromSchema(TICKET_CREATED_SCHEMA)]);

/** The builder as a page holds it: its state in a parent, every change read back from the last `onChange`. */
function mount(initial: BuilderState, issues?: Record<string, string[]>) {
  const seen = { state: initial, changes: 0 };
  function Harness() {
    const [state, setState] = useState(initial);
    return (
      <RuleBuilder
        value={state}
        onChange={(next) => {
          seen.state = next;
          seen.changes += 1;
          setState(next);
        }}
        schemaFields={FIELDS}
        endpoints={ENDPOINTS}
        contracts={CONTRACTS}
        eventTypes={CATALOG}
        issues={issues}
      />
    );
  }
  render(<Harness />);
  return { saved: () => fromBuilder(seen.state), seen };
}

// ---------------------------------------------------------------- reading the rule back from what is on screen

function readShown(): RuleInput {
  const name = (screen.getByLabelText('Name') as HTMLInputElement).value;
  const enabled = (screen.getByLabelText('Enabled') as HTMLInputElement).checked;
  const chips = screen.queryByRole('list', { name: 'Trigger event types' });
  const eventTypes = chips
    ? within(chips)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('code')!.textContent!)
    : [];
  const conditionsRegion = screen.getByRole('region', { name: 'If: conditions' });
  const root = readGroup(conditionsRegion.querySelector('.rules-group-body')!);
  const conditions = root.items.length === 0 && !root.not ? null : root.json;
  const actionsRegion = screen.getByRole('region', { name: 'Then: actions' });
  // Each list item holds its action's group (the element named "Action N: …").
  const actions = Array.from(actionsRegion.querySelectorAll('ol.rules-actions > li')).map((li) => readAction(li.firstElementChild as HTMLElement));
  return { name, enabled, trigger: { eventTypes }, conditions, actions };
}

function readGroup(body: Element): { json: Record<string, unknown>; items: unknown[]; not: boolean } {
  const settings = Array.from(body.children).find((c) => c.classList.contains('rules-group-settings'));
  const match = settings ? settings.querySelector('select')!.value : 'all';
  const not = settings ? (settings.querySelector('input[type=checkbox]') as HTMLInputElement).checked : false;
  const list = Array.from(body.children).find((c) => c.tagName === 'UL')!;
  const items = Array.from(list.children).map((li) => readNode(li.firstElementChild as HTMLElement));
  const group = { [match]: items };
  return { json: not ? { not: group } : group, items, not };
}

function readNode(node: HTMLElement): unknown {
  const kind = node.getAttribute('aria-label')!.split(' ')[0];
  if (kind === 'Group') return readGroup(node.querySelector('.rules-group-body')!).json;
  const q = within(node);
  if (kind === 'Expression') return { jsonLogic: JSON.parse((q.getByLabelText('JSON Logic expression') as HTMLTextAreaElement).value) };
  const fieldSelect = q.getByLabelText('Field') as HTMLSelectElement;
  const path = fieldSelect.value === '(other path)' ? (q.getByLabelText('Path') as HTMLInputElement).value : fieldSelect.value;
  const out: Record<string, unknown> = { path, op: (q.getByLabelText('Operator') as HTMLSelectElement).value };
  const single = q.queryByLabelText('Value');
  const list = q.queryByRole('group', { name: 'Values' });
  if (single) out.value = readScalar(single);
  else if (list) {
    const boxes = within(list).queryAllByRole('checkbox') as HTMLInputElement[];
    out.value =
      boxes.length > 0
        ? boxes.filter((b) => b.checked).map((b) => b.closest('label')!.textContent)
        : within(list)
            .queryAllByLabelText(/^Value \d+$/)
            .map(readScalar);
  }
  if ((q.queryByLabelText('Ignore case') as HTMLInputElement | null)?.checked) out.ignoreCase = true;
  return out;
}

function readScalar(el: HTMLElement): unknown {
  if (el instanceof HTMLSelectElement) {
    const values = Array.from(el.options).map((o) => o.value);
    if (el.value === '') return undefined;
    if (values.includes('true') && values.includes('false')) return el.value === 'true';
    return el.selectedOptions[0].textContent;
  }
  const input = el as HTMLInputElement;
  if (input.type === 'number') return input.value === '' ? undefined : Number(input.value);
  return input.value === '' && input.placeholder === 'null' ? null : input.value;
}

function readAction(node: HTMLElement): RuleInput['actions'][number] {
  const q = within(node);
  const title = node.getAttribute('aria-label')!;
  const keyValue = (q.getByLabelText('Key') as HTMLInputElement).value;
  const key = keyValue ? { key: keyValue } : {};
  const checked = (legend: string) =>
    (within(q.getByRole('group', { name: legend })).getAllByRole('checkbox') as HTMLInputElement[])
      .filter((b) => b.checked)
      .map((b) => ENDPOINTS.find((e) => b.closest('label')!.textContent!.startsWith(e.label))!.id);
  const text = (label: string) => (q.queryByLabelText(label) as HTMLInputElement | null)?.value;
  if (title.endsWith('Deliver to endpoints'))
    return { ...key, type: 'deliver', endpointIds: checked('Endpoints'), transform: text('Transform (JSONata)') ?? null };
  if (title.endsWith('Invoke action contract')) return { ...key, type: 'invoke', contractId: text('Contract')!, input: text('Input (JSONata)') ?? null };
  const details = q
    .queryAllByLabelText(/^Detail \d+ label$/)
    .map((label, i) => ({ label: (label as HTMLInputElement).value, value: text(`Detail ${i + 1} value`)! }));
  const title_ = text('Title');
  const url = text('Link URL');
  return {
    ...key,
    type: 'chat',
    endpointIds: checked('Chat endpoints'),
    template: { ...(title_ && { title: title_ }), text: text('Text')!, fields: details, ...(url && { url }) },
  };
}

/**
 * What the screen cannot tell apart, made equal on both sides: a checkbox list
 * shows which endpoints are chosen, not in which order, and an unchecked
 * "Ignore case" is the same as `ignoreCase: false`.
 */
function comparable(rule: RuleInput): unknown {
  return JSON.parse(JSON.stringify(rule), (key, value: unknown) => {
    if (key === 'endpointIds') return [...(value as string[])].sort();
    if (value && typeof value === 'object' && (value as { ignoreCase?: boolean }).ignoreCase === false) {
      const { ignoreCase: _, ...rest } = value as Record<string, unknown>;
      return rest;
    }
    return value;
  });
}

const clone = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const SHOWN: (keyof typeof RULES)[] = ['vipTickets', 'slackInvoice', 'nested', 'everyOperator'];

describe('RuleBuilder', () => {
  it.each(SHOWN)('shows the rule it was given, every field, operator and value: %s', (name) => {
    mount(toBuilder(RULES[name]));
    expect(comparable(readShown())).toEqual(comparable(RULES[name]));
  });

  it.each(SHOWN)('gives the same rule back after edits that undo each other: %s', (name) => {
    const rule: RuleDocument = RULES[name];
    const { saved, seen } = mount(toBuilder(rule));
    fireEvent.click(screen.getByLabelText('Enabled'));
    fireEvent.click(screen.getByLabelText('Enabled'));
    const nameInput = screen.getByLabelText('Name');
    fireEvent.change(nameInput, { target: { value: 'Renamed' } });
    fireEvent.change(nameInput, { target: { value: rule.name } });
    const notBox = within(screen.getByRole('region', { name: 'If: conditions' })).getAllByLabelText('Not')[0];
    fireEvent.click(notBox);
    fireEvent.click(notBox);
    const down = screen.getByRole('button', { name: 'Move down condition 1' }) as HTMLButtonElement;
    if (!down.disabled) {
      fireEvent.click(down);
      fireEvent.click(screen.getByRole('button', { name: 'Move up condition 2' }));
    }
    expect(seen.changes).toBe(down.disabled ? 6 : 8);
    expect(saved()).toEqual(rule);
    // What is shown after those edits is still the rule.
    expect(comparable(readShown())).toEqual(comparable(rule as RuleInput));
  });

  it('keeps a raw JSON Logic condition as it is, and sends an edit of it', () => {
    const { saved } = mount(toBuilder(RULES.rawExpression));
    const textarea = screen.getByLabelText('JSON Logic expression') as HTMLTextAreaElement;
    expect(JSON.parse(textarea.value)).toEqual(RULES.rawExpression.conditions.jsonLogic);
    expect(saved()).toEqual(RULES.rawExpression);
    fireEvent.change(textarea, { target: { value: '{ "==": [{ "var": "data.channel" }, "phone"] }' } });
    expect(saved()).toEqual({ ...RULES.rawExpression, conditions: { jsonLogic: { '==': [{ var: 'data.channel' }, 'phone'] } } });
    fireEvent.change(textarea, { target: { value: '{ "==": ' } });
    expect(screen.getByText(/^Not valid JSON/)).toBeTruthy();
  });

  it('changes just the number typed into a value, as a number', () => {
    const { saved } = mount(toBuilder(RULES.slackInvoice));
    const condition = within(screen.getByRole('group', { name: 'Condition 1' }));
    const value = condition.getByLabelText('Value') as HTMLInputElement;
    expect(value.type).toBe('number');
    expect(value.value).toBe('1000');
    fireEvent.change(value, { target: { value: '2500' } });
    expect(saved()).toEqual({ ...RULES.slackInvoice, conditions: { all: [{ path: 'data.total.amount', op: 'gt', value: 2500 }] } });
  });

  it('changes just one value of an enum list', () => {
    const { saved } = mount(toBuilder(RULES.vipTickets));
    const tier = within(screen.getByRole('group', { name: 'Condition 2' }));
    const values = within(tier.getByRole('group', { name: 'Values' }));
    expect(values.getAllByRole('checkbox').map((b) => b.closest('label')!.textContent)).toEqual(['free', 'starter', 'pro', 'gold', 'platinum', 'enterprise']);
    fireEvent.click(values.getByLabelText('platinum'));
    const expected = clone(RULES.vipTickets);
    expected.conditions.all[1].value = ['gold'];
    expect(saved()).toEqual(expected);
  });

  it('changes just the operator of a nested comparison, keeping its list', () => {
    const { saved } = mount(toBuilder(RULES.nested));
    const inner = within(screen.getByRole('group', { name: 'Condition 3.2' }));
    fireEvent.change(inner.getByLabelText('Operator'), { target: { value: 'not_in' } });
    const expected = clone(RULES.nested) as RuleInput;
    ((expected.conditions!.all as Record<string, unknown>[])[2].any as Record<string, unknown>[])[1].op = 'not_in';
    expect(saved()).toEqual(expected);
  });

  it('offers the operators and value inputs that fit each field', () => {
    mount(toBuilder(RULES.everyOperator));
    const ops = (n: string) =>
      Array.from((within(screen.getByRole('group', { name: `Condition ${n}` })).getByLabelText('Operator') as HTMLSelectElement).options).map((o) => o.value);
    expect(ops('1')).toEqual(expect.arrayContaining(['gt', 'gte', 'lt', 'lte']));
    expect(ops('1')).not.toContain('starts_with');
    // An enum: a select of its values for one value, checkboxes for a list.
    const tier = within(screen.getByRole('group', { name: 'Condition 7' }));
    expect(ops('7')).not.toContain('gt');
    fireEvent.change(tier.getByLabelText('Operator'), { target: { value: 'equals' } });
    const one = tier.getByLabelText('Value') as HTMLSelectElement;
    expect(Array.from(one.options).map((o) => o.textContent)).toEqual(['Choose…', 'free', 'starter', 'pro', 'gold', 'platinum', 'enterprise']);
    expect(one.selectedOptions[0].textContent).toBe('free');
    // A path the schema does not declare is shown as typed, not dropped.
    const urgent = within(screen.getByRole('group', { name: 'Condition 10' }));
    expect((urgent.getByLabelText('Path') as HTMLInputElement).value).toBe('data.urgent');
    expect((urgent.getByLabelText('Value') as HTMLSelectElement).value).toBe('true');
  });

  it('builds "when invoice.paid with data.total.amount > 1000, post to Slack" by clicking', () => {
    const { saved } = mount(emptyBuilder());
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Large invoices to Slack' } });
    fireEvent.change(screen.getByLabelText('Event type'), { target: { value: 'invoice.paid' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add event type' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add condition' }));
    const condition = within(screen.getByRole('group', { name: 'Condition 1' }));
    fireEvent.change(condition.getByLabelText('Field'), { target: { value: 'data.total.amount' } });
    fireEvent.change(condition.getByLabelText('Operator'), { target: { value: 'gt' } });
    fireEvent.change(condition.getByLabelText('Value'), { target: { value: '1000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Post to chat' }));
    const action = within(screen.getByRole('group', { name: 'Action 1: Post to chat' }));
    // Only chat endpoints are offered to a chat action.
    expect(within(action.getByRole('group', { name: 'Chat endpoints' })).getAllByRole('checkbox')).toHaveLength(2);
    fireEvent.click(action.getByLabelText(/Sales Slack/));
    fireEvent.change(action.getByLabelText('Title'), { target: { value: 'Invoice paid' } });
    fireEvent.change(action.getByLabelText('Placeholder to insert'), { target: { value: 'data.customer.name' } });
    fireEvent.click(action.getByRole('button', { name: 'Insert into text' }));
    expect(saved()).toEqual({
      name: 'Large invoices to Slack',
      enabled: true,
      trigger: { eventTypes: ['invoice.paid'] },
      conditions: { all: [{ path: 'data.total.amount', op: 'gt', value: 1000 }] },
      actions: [{ type: 'chat', endpointIds: [SLACK], template: { title: 'Invoice paid', text: '{{ data.customer.name }}' } }],
    });
  });

  it('moves actions and turns a deliver into a transformed one', () => {
    const { saved } = mount(toBuilder(RULES.nested));
    fireEvent.click(screen.getByRole('button', { name: 'Move down action 1' }));
    const deliver = within(screen.getByRole('group', { name: 'Action 2: Deliver to endpoints' }));
    fireEvent.click(deliver.getByLabelText('Transform the body with JSONata'));
    fireEvent.change(deliver.getByLabelText('Transform (JSONata)'), { target: { value: '{ "n": data.number }' } });
    const [a, b, c] = RULES.nested.actions;
    expect(saved().actions).toEqual([b, { ...a, transform: '{ "n": data.number }' }, c]);
  });

  it('shows the API issues beside the node and action they name', () => {
    const state = toBuilder(RULES.nested);
    const issues = issuesByNode(state, [
      { field: 'conditions.all.2.any.1.value', rule: 'must be a list for in' },
      { field: 'actions.1.endpointIds.0', rule: 'is not a chat endpoint' },
    ]);
    mount(state, issues);
    expect(within(screen.getByRole('group', { name: 'Condition 3.2' })).getByText('value: must be a list for in')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Action 2: Post to chat' })).getByText('endpointIds.0: is not a chat endpoint')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Condition 1' })).queryByText(/must be/)).toBeNull();
  });

  it('moves a condition into a group and out again with Move buttons and removal', () => {
    const { saved } = mount(toBuilder(RULES.nested));
    fireEvent.click(screen.getByRole('button', { name: 'Remove condition 1' }));
    const [, second, third] = RULES.nested.conditions.all;
    expect(saved().conditions).toEqual({ all: [second, third] });
    fireEvent.click(screen.getByRole('button', { name: 'Add condition to group 2' }));
    expect(within(screen.getByRole('group', { name: 'Group 2' })).getByRole('group', { name: 'Condition 2.3' })).toBeTruthy();
  });
});

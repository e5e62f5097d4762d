import { Link } from 'react-router';
import { useSession } from '../../session/session';
import { Badge, formatTime, PageHeader } from '../../ui/display';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback';
import { LoadMoreButton, rowsOf } from '../../ui/paging';
import { DataTable } from '../../ui/table';
import { ACTION_NAMES } from './ActionList';
import type { Rule } from './rule-model';
import { useRuleList } from './rules-api';

/** The tenant's rules: what triggers each, whether it runs, what it does. */
export function RulesPage() {
  const session = useSession();
  const rules = useRuleList(session.tenantId);
  const canWrite = session.can('rules:write');
  const newRule = canWrite && (
    <Link to="/rules/new" className="button primary">
      New rule
    </Link>
  );
  const list = rowsOf(rules);
  return (
    <>
      <PageHeader title="Rules" description="Automations: when an event happens and its conditions hold, deliver it, post to chat or invoke a contract.">
        {list.length > 0 && newRule}
      </PageHeader>
      <h2 className="rules-sr">All rules</h2>
      {rules.isPending && <Loading what="rules" />}
      {rules.isError && <ErrorNotice error={rules.error} retry={() => void rules.refetch()} title="The rules could not be loaded" />}
      {rules.isSuccess && list.length === 0 && (
        <EmptyState title="No rules yet" action={newRule || undefined}>
          A rule says “when X happens, do Y”: for example, when an invoice.paid event has an amount over 1,000, post it to a Slack channel; when a
          ticket.created comes from a platinum customer, deliver it to the on-call system.
          {!canWrite && ' This API key may not create rules (it lacks rules:write).'}
        </EmptyState>
      )}
      {list.length > 0 && (
        <DataTable columns={['Name', 'Trigger', 'State', 'Actions', 'Updated']}>
          {list.map((rule) => (
            <tr key={rule.id}>
              <td>
                <Link to={`/rules/${rule.id}`}>{rule.name}</Link>
              </td>
              <td>
                {rule.trigger.eventTypes.map((t) => (
                  <code key={t} className="rules-type">
                    {t}
                  </code>
                ))}
                {rule.conditions && <span className="muted"> with conditions</span>}
              </td>
              <td>{rule.enabled ? <Badge tone="good">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}</td>
              <td>{actionsSummary(rule)}</td>
              <td>{formatTime(rule.updatedAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMoreButton list={rules} label="Load more rules" />
    </>
  );
}

function actionsSummary(rule: Rule): string {
  return rule.actions
    .map((a) => {
      if (a.type === 'invoke') return ACTION_NAMES.invoke;
      const n = a.endpointIds.length;
      const to = `${n} endpoint${n === 1 ? '' : 's'}`;
      return a.type === 'deliver' ? `Deliver to ${to}${a.transform ? ', transformed' : ''}` : `Post to chat (${to})`;
    })
    .join('; ');
}

import { ENDPOINT_STATES } from '@hookline/contracts';
import { stateEventType, transition, type StateAction } from './state-transition';

describe(transition.name, () => {
  it('follows the endpoint state machine for every state and action', () => {
    const table = Object.fromEntries(
      ENDPOINT_STATES.map((from) => [
        from,
        Object.fromEntries((['pause', 'resume', 'disable', 'enable'] as StateAction[]).map((a) => [a, describeTransition(transition(from, a))])),
      ]),
    );
    expect(table).toEqual({
      enabled: { pause: 'paused', resume: 'unchanged', disable: 'disabled', enable: 'unchanged' },
      paused: { pause: 'unchanged', resume: 'enabled', disable: 'disabled', enable: 'refused' },
      disabled: { pause: 'refused', resume: 'refused', disable: 'unchanged', enable: 'enabled' },
    });
  });

  it('names the event of each change: a resume is announced as resumed, an enable as enabled', () => {
    expect(stateEventType('enabled', 'paused')).toBe('endpoint.paused');
    expect(stateEventType('paused', 'enabled')).toBe('endpoint.resumed');
    expect(stateEventType('paused', 'disabled')).toBe('endpoint.disabled');
    expect(stateEventType('disabled', 'enabled')).toBe('endpoint.enabled');
  });
});

function describeTransition(t: ReturnType<typeof transition>): string {
  return t.kind === 'change' ? t.to : t.kind;
}

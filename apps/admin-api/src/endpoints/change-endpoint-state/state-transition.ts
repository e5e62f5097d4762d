import type { EndpointState } from '@hookline/contracts';

/** What an operator (or the retry-scheduler, for `disable`) asks of an endpoint. */
export type StateAction = 'pause' | 'resume' | 'disable' | 'enable';

export type Transition = { kind: 'change'; to: EndpointState } | { kind: 'unchanged' } | { kind: 'refused'; message: string };

/**
 * The state machine of an endpoint (README, "Endpoint states"). Asking for
 * the state it is already in changes nothing (a retried request is harmless);
 * `resume` undoes only a pause and `enable` only a disable, so a disabled
 * endpoint is never brought back by a resume meant for a pause, nor a paused
 * one's held deliveries released by an enable meant for something else.
 */
export function transition(from: EndpointState, action: StateAction): Transition {
  switch (action) {
    case 'pause':
      if (from === 'enabled') return { kind: 'change', to: 'paused' };
      if (from === 'paused') return { kind: 'unchanged' };
      return { kind: 'refused', message: 'a disabled endpoint cannot be paused; enable it first' };
    case 'resume':
      if (from === 'paused') return { kind: 'change', to: 'enabled' };
      if (from === 'enabled') return { kind: 'unchanged' };
      return { kind: 'refused', message: 'a disabled endpoint cannot be resumed; enable it (POST …/enable)' };
    case 'disable':
      return from === 'disabled' ? { kind: 'unchanged' } : { kind: 'change', to: 'disabled' };
    case 'enable':
      if (from === 'disabled') return { kind: 'change', to: 'enabled' };
      if (from === 'enabled') return { kind: 'unchanged' };
      return { kind: 'refused', message: 'a paused endpoint is resumed, not enabled (POST …/resume)' };
  }
}

/** The `endpoint.*` event type announcing a change into `to` from `from`. */
export function stateEventType(from: EndpointState, to: EndpointState): 'endpoint.paused' | 'endpoint.resumed' | 'endpoint.disabled' | 'endpoint.enabled' {
  if (to === 'paused') return 'endpoint.paused';
  if (to === 'disabled') return 'endpoint.disabled';
  return from === 'paused' ? 'endpoint.resumed' : 'endpoint.enabled';
}

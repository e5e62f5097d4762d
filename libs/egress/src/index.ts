export { checkAddress, type AddressCheck, type EgressPolicy } from './address';
export { checkHost, type HostCheck } from './host';
export { checkTargetUrl, type TargetUrlCheck } from './target-url';
export { createSafeAgent, type Resolver, type ResolvedAddress, type SafeAgentOptions, type SafeConnectOptions } from './safe-agent';
export { EgressBlockedError, findEgressBlock, isEgressBlocked, type EgressBlockedInfo } from './egress-blocked.error';
export { RESPONSE_CAPTURE_BYTES, SendError, sendOnce, type HttpSender, type InboundResponse, type OutboundRequest, type SendResult } from './http-sender';
export { UndiciSender } from './undici-sender';

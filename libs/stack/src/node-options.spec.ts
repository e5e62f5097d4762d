import { SERVICE_NODE_OPTIONS, serviceNodeOptions } from './node-options';

describe(serviceNodeOptions.name, () => {
  it('gives each service a bounded old space and young generation by default', () => {
    expect(serviceNodeOptions({})).toBe(SERVICE_NODE_OPTIONS);
    expect(SERVICE_NODE_OPTIONS).toMatch(/--max-old-space-size=\d+ --max-semi-space-size=\d+/);
  });

  it('takes HOOKLINE_NODE_OPTIONS instead, empty for Node’s own defaults', () => {
    expect(serviceNodeOptions({ HOOKLINE_NODE_OPTIONS: '--max-old-space-size=512' })).toBe('--max-old-space-size=512');
    expect(serviceNodeOptions({ HOOKLINE_NODE_OPTIONS: '' })).toBe('');
  });

  it('puts NODE_OPTIONS last, so a flag given there wins', () => {
    expect(serviceNodeOptions({ NODE_OPTIONS: '--max-old-space-size=1024' })).toBe(`${SERVICE_NODE_OPTIONS} --max-old-space-size=1024`);
  });
});

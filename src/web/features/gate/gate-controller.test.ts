import { describe, expect, it } from 'vitest';
import { deviceTokenIn } from './gate-controller';

describe('deviceTokenIn', () => {
  it('takes an issued token, a demo token (the README binds dev_demo-SXLY-G1) or a link carrying one', () => {
    const issued = 'dev_Q3JmW9x1bZk2LpT8vNc4RyHd6sGe0aFu';
    expect(deviceTokenIn(issued)).toBe(issued);
    expect(deviceTokenIn(' dev_demo-SXLY-G1 ')).toBe('dev_demo-SXLY-G1');
    expect(deviceTokenIn('http://localhost:3000/gate?device=dev_demo-SXLY-G1')).toBe('dev_demo-SXLY-G1');
  });

  it('refuses what is not a device token', () => {
    for (const text of ['', 'dev_', 'dev_short', 'pass_Q3JmW9x1bZk2LpT8', 'dev_demo SXLY G1', 'http://localhost:3000/gate?device=abc', 'http://localhost:3000/gate']) expect(deviceTokenIn(text), text).toBeNull();
  });
});

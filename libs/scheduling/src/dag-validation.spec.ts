import { describe, expect, it } from '@jest/globals';
import { topologicalOrder, validateWorkflow } from './dag-validation.js';
import { node, workflow } from './testing/workflows.js';

describe('validateWorkflow', () => {
  it('accepts fan-out and fan-in and orders parents first, ties in submission order', () => {
    const spec = workflow(
      node('join', ['left', 'right']),
      node('right', ['root']),
      node('left', ['root']),
      node('root'),
    );
    expect(validateWorkflow(spec)).toEqual({ ok: true, order: ['root', 'right', 'left', 'join'] });
  });

  it('rejects a cycle and names it in run order', () => {
    const spec = workflow(node('a'), node('b', ['a', 'd']), node('c', ['b']), node('d', ['c']));
    const result = validateWorkflow(spec);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { code: 'cycle', message: 'cycle: b → c → d → b', cycle: ['b', 'c', 'd', 'b'] },
    ]);
  });

  it('rejects a job that depends on itself', () => {
    const result = validateWorkflow(workflow(node('a', ['a'])));
    expect(result.ok ? null : result.errors[0]?.message).toBe('cycle: a → a');
  });

  it('rejects unknown and duplicate dependencies, duplicate ids and empty workflows', () => {
    const result = validateWorkflow(workflow(node('a'), node('a'), node('b', ['ghost', 'a', 'a'])));
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'job id a appears more than once',
      'b depends on unknown job ghost',
      'b lists a twice',
    ]);
    expect(validateWorkflow(workflow()).ok).toBe(false);
  });

  it('topologicalOrder refuses a cyclic graph instead of returning part of it', () => {
    expect(() => topologicalOrder(workflow(node('a', ['b']), node('b', ['a'])))).toThrow('cycle');
  });
});

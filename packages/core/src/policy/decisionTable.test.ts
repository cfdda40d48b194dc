import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDecisionTable } from './decisionTable.js';

describe('README decision table', () => {
  it('is what the code says (paste renderDecisionTable() between the markers when roles change)', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const match = /<!-- decision-table:start -->\n\n([\s\S]*?)\n\n<!-- decision-table:end -->/.exec(readme);
    expect(match?.[1]).toBe(renderDecisionTable());
  });
});

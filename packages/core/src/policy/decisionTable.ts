import { describePrecision } from './locationPrecision.js';
import { capabilities, roleDefinition, roles } from './roles.js';
import { sensitivityClasses } from './sensitivity.js';

/**
 * The built-in roles as a markdown table: capabilities, which sensitivity classes each is shown,
 * and location precision. README.md embeds this output and a test keeps the two equal.
 */
export function renderDecisionTable(): string {
  const header = ['capability', ...roles];
  const rows: string[][] = capabilities.map((c) => [
    `\`${c}\``,
    ...roles.map((r) => (roleDefinition(r).capabilities.includes(c) ? 'yes' : '—')),
  ]);
  for (const cls of sensitivityClasses) {
    rows.push([`shows \`${cls}\``, ...roles.map((r) => (roleDefinition(r).view.show[cls] ? 'yes' : 'hidden'))]);
  }
  rows.push(['location precision', ...roles.map((r) => describePrecision(roleDefinition(r).view.location))]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

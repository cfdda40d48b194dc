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
  // Padded the way prettier formats markdown tables, so `npm run format` leaves README.md alone.
  const widths = header.map((_, i) => Math.max(3, ...[header, ...rows].map((cells) => [...(cells[i] ?? '')].length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - [...c].length)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

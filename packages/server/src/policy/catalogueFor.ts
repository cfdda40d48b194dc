import type { AreaRef, FormSummary, PolicyActor, PolicyCatalogue } from '@outpost/core';
import { attribute, elementChildren, parseXml, policyCatalogue } from '@outpost/core';
import type { XmlNode } from '@outpost/core';
import { catalogueSources } from '../storage/queries/policySources.js';
import { isTransaction } from '../storage/store.js';
import type { Store } from '../storage/store.js';
import { StampedCache, stampOf } from './stampedCache.js';

// Catalogues change only when a form version is published or the area list changes, both of
// which change the access stamp; a few projects per process, a handful of entries is enough.
const cache = new StampedCache<PolicyCatalogue>('catalogue', 32);

/**
 * The policy catalogue of a project: the field classes of every published version of every form
 * (the stricter class wins where versions disagree), their calculations (so a label computed
 * from names is identifying) and the project's areas for area-level precision. `asOf`: a policy
 * actor this request loaded outside a transaction; the catalogue is then the one of the same
 * access stamp, which is not read again.
 */
export async function catalogueFor(projectId: string, store: Store, asOf?: PolicyActor): Promise<PolicyCatalogue> {
  const stamp = asOf === undefined || isTransaction(store) ? undefined : stampOf(asOf);
  return cache.get(projectId, store, () => buildCatalogue(projectId, store), stamp);
}

async function buildCatalogue(projectId: string, store: Store): Promise<PolicyCatalogue> {
  const { versions: summaries, areas } = await catalogueSources(projectId, store);
  return policyCatalogue(
    summaries.map((s) => ({ ...(JSON.parse(s.summary) as FormSummary), calculations: calculationsOf(s.xform) })),
    areas.map((a): AreaRef => ({
      id: a.id,
      code: a.code,
      level: a.level,
      name: areaName(a.names),
      depth: a.path.split('/').filter((s) => s !== '').length,
    })),
  );
}

/** Each computed field's `calculate` expression, by instance path, from the XForm's binds. */
export function calculationsOf(xform: string): Record<string, string> {
  const calculations: Record<string, string> = {};
  const visit = (node: XmlNode): void => {
    if (node.localName === 'bind') {
      const nodeset = attribute(node, 'nodeset')?.trim();
      const calculate = attribute(node, 'calculate')?.trim();
      if (nodeset && calculate) calculations[nodeset] = calculate;
      return;
    }
    for (const child of elementChildren(node)) visit(child);
  };
  visit(parseXml(xform));
  return calculations;
}

function areaName(namesJson: string): string {
  try {
    const names = JSON.parse(namesJson) as Record<string, unknown>;
    const pick = names['en'] ?? names['mn'] ?? Object.values(names)[0];
    return typeof pick === 'string' ? pick : '';
  } catch {
    return '';
  }
}

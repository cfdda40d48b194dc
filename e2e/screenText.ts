// What a user reads on the screen, and a check that all of it is in the chosen language: no catalog
// key left untranslated, no raw code (`under_investigation`, `case.list`, `sync.field-not-allowed`),
// no English word in Mongolian mode. Any journey can call `expectScreenInMongolian(page, 'where')`.
import type { Page } from 'playwright-core';

/** Names that read the same in every language: the product, brands, the demo's own Latin data. */
export const sameInEveryLanguage: readonly string[] = [
  'Outpost',
  'Chrome',
  'Chromium',
  'Linux',
  'Android',
  'ODK Collect',
  'QR',
];

/**
 * Every piece of text a sighted user can see: text nodes of rendered elements (including text kept
 * for screen readers), placeholders, and the chosen option of each select. Empty ones left out.
 */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const shown = (element: Element): boolean =>
      element.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (text === '' || parent === null || parent.closest('script, style, noscript, option, template') !== null)
        continue;
      if (shown(parent)) texts.push(text);
    }
    for (const element of Array.from(document.querySelectorAll('input[placeholder], textarea[placeholder]'))) {
      const placeholder = element.getAttribute('placeholder')?.trim() ?? '';
      if (placeholder !== '' && shown(element)) texts.push(placeholder);
    }
    for (const select of Array.from(document.querySelectorAll('select'))) {
      const chosen = select.selectedOptions[0]?.textContent?.trim() ?? '';
      if (chosen !== '' && shown(select)) texts.push(chosen);
    }
    return texts;
  });
}

/**
 * What a screen reader or a pointer's tooltip says of the shown elements: `aria-label` and `title`
 * (the map's buttons have no text, only these).
 */
export async function visibleLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('body [aria-label], body [title]'))
      .filter((element) => element.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      .flatMap((element) => [element.getAttribute('aria-label'), element.getAttribute('title')])
      .map((text) => text?.trim() ?? '')
      .filter((text) => text !== ''),
  );
}

/**
 * The texts that are not Mongolian: a code-like token (`snake_case`, `dotted.code`, `kebab.case-code`)
 * or any word in Latin letters that is not an allowed proper name. Numbers, dates, punctuation and
 * Cyrillic pass.
 */
export function notMongolian(texts: readonly string[], allow: readonly string[] = []): string[] {
  // Longest first, so a username ("admin") does not break up a longer name ("Demo administrator").
  const allowed = [...new Set([...sameInEveryLanguage, ...allow])]
    .filter((n) => n !== '')
    .sort((a, b) => b.length - a.length);
  return texts.filter((text) => {
    let rest = text;
    for (const name of allowed) rest = rest.split(name).join(' ');
    if (/[A-Za-z]+[._][A-Za-z_]+/.test(rest)) return true;
    return /[A-Za-z]{2,}/.test(rest);
  });
}

/**
 * Fails, naming each offending text, when the screen shows anything but Mongolian; with `labels`,
 * the accessible names and tooltips too (`visibleLabels`).
 */
export async function expectScreenInMongolian(
  page: Page,
  where: string,
  allow: readonly string[] = [],
  options: { readonly labels?: boolean } = {},
): Promise<void> {
  const texts = [...(await visibleTexts(page)), ...(options.labels === true ? await visibleLabels(page) : [])];
  const offending = notMongolian(texts, allow);
  if (offending.length > 0) {
    throw new Error(
      `${where}: not in Mongolian on screen:\n${[...new Set(offending)].map((t) => `  «${t}»`).join('\n')}`,
    );
  }
}

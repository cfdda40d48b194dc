import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/createI18n.js';
import { projectRoleText, roleLabel } from './roleLabel.js';

describe('role names', () => {
  it('names the role in the chosen language, and says so when an administrator has none', () => {
    const i18n = createI18n({ navigatorLanguage: 'mn' });
    expect(projectRoleText(i18n, 'fieldworker')).toBe('Таны үүрэг: Нийгмийн ажилтан');
    expect(projectRoleText(i18n, null)).toBe('Та энэ төсөлд үүрэггүй: админ болж удирдана.');
    expect(projectRoleText(i18n, null)).not.toContain('null');
  });

  it('never shows the code of a role this version does not know', () => {
    const i18n = createI18n({ navigatorLanguage: 'en' });
    expect(roleLabel(i18n, 'auditor')).toBe('Other role');
  });
});

import type { FastifyInstance } from 'fastify';
import { installEngineGlobals } from '../forms/formEngine.js';

/** The parts of an engine node these tests touch. */
export interface EngineNode {
  nodeType: string;
  valueType?: string;
  definition: { nodeset?: string };
  currentState: {
    children: readonly EngineNode[] | null;
    value: unknown;
    relevant: boolean;
    required: boolean;
    valueOptions: unknown;
  };
  selectValue?: (value: string | null) => void;
  setValue?: (value: string) => void;
}

export interface FilledForm {
  /** The question whose reference ends with `/<name>`. */
  find(name: string): EngineNode;
  /** Answers every required question still blank with a plain valid value. */
  answerRequired(): void;
  /** The instance as the device would send it. */
  xml(): Promise<string>;
}

const sample: Record<string, string> = {
  date: '2026-03-05',
  dateTime: '2026-03-05T10:00:00.000+10:00',
  int: '1',
  decimal: '1',
  geopoint: '-9.4 147.2 0 5',
};

/**
 * Opens a published form version in the ODK engine the way the web app does: its XForm and its
 * entity list CSVs come from the server's API as `headers` may read them.
 */
export async function openPublishedForm(
  app: FastifyInstance,
  headers: Record<string, string>,
  at: { projectId: string; formId: string; version: string },
): Promise<FilledForm> {
  await installEngineGlobals();
  const engine = await import('@getodk/xforms-engine');
  const base = `/api/v1/projects/${at.projectId}/forms/${at.formId}/versions/${at.version}`;
  const get = (url: string) => app.inject({ method: 'GET', url, headers });
  const xform = (await get(`${base}/form.xml`)).body;
  const form = await engine.loadForm(xform, {
    fetchFormAttachment: async (url: URL) => {
      const res = await get(`${base}/attachments/${url.pathname.split('/').pop() ?? ''}`);
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': 'text/csv' } });
    },
  });
  if (form.status === 'failure') throw form.error;
  const root = form.createInstance().root as unknown as EngineNode & {
    prepareInstancePayload(): Promise<{ data: [FormData] }>;
  };
  const all = (): EngineNode[] => {
    const out: EngineNode[] = [];
    const walk = (n: EngineNode): void => {
      out.push(n);
      for (const c of n.currentState.children ?? []) walk(c);
    };
    walk(root);
    return out;
  };
  return {
    find(name) {
      const hit = all().find((n) => n.definition.nodeset?.endsWith(`/${name}`));
      if (hit === undefined) throw new Error(`no question ${name}`);
      return hit;
    },
    answerRequired() {
      for (const node of all()) {
        const { relevant, required, value, valueOptions } = node.currentState;
        const blank = value === '' || value === null || (Array.isArray(value) && value.length === 0);
        if (!relevant || !required || !blank) continue;
        if (node.selectValue && Array.isArray(valueOptions) && valueOptions.length > 0) {
          node.selectValue((valueOptions[0] as { value: string }).value);
        } else if (node.setValue) {
          node.setValue(sample[node.valueType ?? ''] ?? 'x');
        }
      }
    },
    async xml() {
      const file = (await root.prepareInstancePayload()).data[0].get('xml_submission_file');
      return file instanceof Blob ? file.text() : '';
    },
  };
}

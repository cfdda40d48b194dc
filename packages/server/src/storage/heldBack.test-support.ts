import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent, listAuditEvents, verifyAuditChain } from './queries/audit.js';
import { entitySeqHighWater } from './queries/sync.js';
import { nextSeq, withSavepoint } from './store.js';
import type { Store } from './store.js';

// A transaction takes each commit counter once and counts on in memory, and writes its audit
// events with one insert before it commits (issue 14, point 2). What a user relies on stays: a
// rolled-back item leaves no gap in any sequence (sync cursors, the audit chain's verifier), the
// counters read back after the commit are the highest values used, readers inside the
// transaction see its writes, and concurrent transactions get distinct, commit-ordered values.

export interface OpenedStore {
  store: Store;
  close: () => Promise<void>;
}

const event = (action: string, subject: string | null = null) => ({ actorId: null, action, subject, details: {} });

export function describeHeldBack(name: string, open: () => Promise<OpenedStore>): void {
  describe(`counters and audit events held back until the commit: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeAll(async () => {
      opened = await open();
      store = opened.store;
    });
    afterAll(async () => {
      await opened.close();
    });

    const counterValue = async (counter: string) =>
      Number(
        (await store.db.selectFrom('counters').select('value').where('name', '=', counter).executeTakeFirst())?.value ??
          0,
      );

    it('leaves no gap when the middle item of a batch fails, or is refused, after taking its numbers', async () => {
      const counter = `batch-${randomUUID()}`;
      const subject = randomUUID();
      const taken = await store.transaction(async (tx) => {
        const seqs: number[] = [];
        const item = async (fails: 'throws' | 'refused' | null) => {
          const kept = await withSavepoint(
            tx,
            async () => {
              const seq = await nextSeq(counter, tx);
              await appendAuditEvent(event('item', subject), tx);
              if (fails === 'throws') throw new Error('item fails after taking its numbers');
              return { seq, kept: fails === null };
            },
            (result) => result.kept,
          ).catch(() => undefined);
          if (kept?.kept === true) seqs.push(kept.seq);
        };
        await item(null);
        await item('throws');
        await item(null);
        await item('refused');
        await item(null);
        return seqs;
      });
      expect(taken).toEqual([1, 2, 3]);
      expect(await counterValue(counter)).toBe(3);
      const events = (await listAuditEvents(0, 500, store)).filter((e) => e.subject === subject);
      expect(events).toHaveLength(3);
      const seqs = events.map((e) => Number(e.seq));
      expect(seqs).toEqual([seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2]);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
      expect(await counterValue('audit_events')).toBe(Math.max(...seqs));
    });

    it('shows the transaction its own counters and audit events, also after a savepoint that read them is undone', async () => {
      const subject = randomUUID();
      await store.transaction(async (tx) => {
        const before = await entitySeqHighWater(tx);
        await nextSeq('entities', tx);
        const second = await nextSeq('entities', tx);
        expect(second).toBe(before + 2);
        expect(await entitySeqHighWater(tx)).toBe(second);
        await appendAuditEvent(event('first', subject), tx);
        await withSavepoint(tx, async () => {
          await appendAuditEvent(event('undone', subject), tx);
          // The read writes what was held back, inside the savepoint that is then rolled back.
          const seen = (await listAuditEvents(0, 500, tx)).filter((e) => e.subject === subject);
          expect(seen.map((e) => e.action)).toEqual(['first', 'undone']);
          throw new Error('undo');
        }).catch(() => undefined);
        await nextSeq('entities', tx);
        await appendAuditEvent(event('last', subject), tx);
      });
      const events = (await listAuditEvents(0, 500, store)).filter((e) => e.subject === subject);
      expect(events.map((e) => e.action)).toEqual(['first', 'last']);
      expect(Number(events[1]?.seq)).toBe(Number(events[0]?.seq) + 1);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
      expect(await entitySeqHighWater(store)).toBe(await counterValue('entities'));
    });

    it('gives two concurrent batches distinct numbers, each batch after the one that committed before it', async () => {
      const counter = `concurrent-${randomUUID()}`;
      let started: () => void = () => {};
      const secondStarted = new Promise<void>((resolve) => (started = resolve));
      const committed: string[] = [];
      const batch = (label: string, waitForOther: boolean) =>
        store.transaction(async (tx) => {
          if (!waitForOther) started();
          const seqs = [await nextSeq(counter, tx)];
          await appendAuditEvent(event(label, counter), tx);
          // On PostgreSQL the other batch is now waiting for the counter; on SQLite it waits for
          // this transaction to end, so the wait is bounded.
          if (waitForOther) await Promise.race([secondStarted, new Promise((r) => setTimeout(r, 200))]);
          seqs.push(await nextSeq(counter, tx), await nextSeq(counter, tx));
          await appendAuditEvent(event(label, counter), tx);
          tx.afterCommit(() => committed.push(label));
          return seqs;
        });
      const [a, b] = await Promise.all([batch('a', true), batch('b', false)]);
      const byLabel = { a, b };
      const [earlier, later] = committed as Array<'a' | 'b'>;
      expect(byLabel[earlier ?? 'a']).toEqual([1, 2, 3]);
      expect(byLabel[later ?? 'b']).toEqual([4, 5, 6]);
      expect(await counterValue(counter)).toBe(6);
      const events = (await listAuditEvents(0, 500, store)).filter((e) => e.subject === counter);
      expect(events.map((e) => e.action)).toEqual([earlier, earlier, later, later]);
      expect(await verifyAuditChain(store)).toMatchObject({ ok: true });
    });
  });
}

import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { FileImageOptions, FileImagePlan, FileTreeEntry, Result } from '../../contract/api.ts';
import { roughPlan } from '../test/fake-api.ts';
import { FileProjectController, type PlanApi } from './file-project.ts';

type Root = Extract<FileTreeEntry, { kind: 'dir' }>;

/** A worker whose planFileImage answers only when the test says, in any order. */
class SlowPlans implements PlanApi {
  readonly pending: {
    root: Root;
    options: FileImageOptions;
    answer: (plan: FileImagePlan) => void;
  }[] = [];
  planFileImage(root: Root, options: FileImageOptions = {}) {
    return new Promise<Result<FileImagePlan>>((resolve) =>
      this.pending.push({ root, options, answer: (value) => resolve({ ok: true, value }) }),
    );
  }
}

const api = new SlowPlans();

class ProjectHost extends LitElement {
  readonly project = new FileProjectController(this, () => api);
}
customElements.define('wd-test-project-host', ProjectHost);

const file = (name: string, bytes: number): FileTreeEntry => ({
  kind: 'file',
  name,
  blob: new Blob([new Uint8Array(bytes)]),
});

describe('FileProjectController', () => {
  beforeEach(() => (api.pending.length = 0));

  it('keeps the answer to the newest project, not a late one to an older', async () => {
    const host = await fixture<ProjectHost>(html`<wd-test-project-host></wd-test-project-host>`);
    const p = host.project;
    p.debounceMs = 0;
    p.add([file('a.bin', 2048)]);
    expect(p.planning).to.equal(true);
    await waitUntil(() => api.pending.length === 1);
    p.setVolumeLabel('Neu');
    await waitUntil(() => api.pending.length === 2);
    const [older, newer] = api.pending;
    newer!.answer({ ...roughPlan(newer!.root), sectors: 99 });
    await waitUntil(() => !p.planning);
    older!.answer({ ...roughPlan(older!.root), sectors: 11 });
    await new Promise((r) => setTimeout(r));
    expect(p.plan?.sectors).to.equal(99);
    expect(newer!.options.volumeLabel).to.equal('Neu');
  });

  it('measures the plan against the free sectors; an empty project has no plan', async () => {
    const host = await fixture<ProjectHost>(html`<wd-test-project-host></wd-test-project-host>`);
    const p = host.project;
    p.debounceMs = 0;
    p.add([file('a.bin', 10)]);
    await waitUntil(() => api.pending.length === 1);
    api.pending[0]!.answer({ ...roughPlan(api.pending[0]!.root), sectors: 100 });
    await waitUntil(() => p.plan !== null);
    expect(p.fit(100)).to.deep.equal({ sectors: 100, free: 100, fits: true, excessBytes: 0 });
    expect(p.fit(60)).to.deep.equal({ sectors: 100, free: 60, fits: false, excessBytes: 81920 });
    p.remove(['a.bin']);
    expect(p.plan).to.equal(null);
    expect(p.planning).to.equal(false);
    expect(p.fit(60)).to.equal(null);
  });

  it('says which names an add changed, and refuses a bad rename in words', async () => {
    const host = await fixture<ProjectHost>(html`<wd-test-project-host></wd-test-project-host>`);
    const p = host.project;
    p.add([file('a.txt', 1), file('b.txt', 1)]);
    p.add([file('a.txt', 2)]);
    expect(p.notice).to.equal('Already in the project, so added as: a.txt → a (2).txt.');
    expect(p.rename(['a (2).txt'], 'b.txt')).to.equal('There is already “b.txt” in this folder.');
    expect(p.rename(['a (2).txt'], 'c.txt')).to.equal(null);
    expect(p.entries.map((e) => e.name)).to.deep.equal(['a.txt', 'b.txt', 'c.txt']);
  });
});

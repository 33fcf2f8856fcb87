/**
 * "Add files…" (issue 18): the parts of the files dialog about the disc's own
 * files. The list of what the disc holds, each entry marked "on disc" with
 * Remove (or "removed" with Keep), or "replaced" when the project has a file
 * of that name; and the new session's size against the disc's free space.
 */
import { html, nothing } from 'lit';
import type { DiscFileEntry } from '../../../contract/api.ts';
import type { DiscSessionController } from '../../controllers/disc-session.ts';
import type { FileProjectController } from '../../controllers/file-project.ts';
import { entryAt, type EntryPath } from '../../lib/file-project.ts';
import { formatBytes } from '../../lib/format.ts';
import '../wd-error-view/wd-error-view.ts';

export interface DiscViewHost {
  readonly session: DiscSessionController;
  readonly project: FileProjectController;
  readonly disabled: boolean;
}

/** The project's entry at a disc path ("/docs/a.txt"), if the project has one there. */
function projectEntry(host: DiscViewHost, path: string) {
  return entryAt(host.project.entries, path.split('/').filter(Boolean));
}

/** The disc entry a project entry at `path` replaces (a file over a file, or a folder over a file or the reverse). */
export function replacedOnDisc(host: DiscViewHost, path: EntryPath): DiscFileEntry | undefined {
  const onDisc = host.session.entryAt(`/${path.join('/')}`);
  const mine = entryAt(host.project.entries, path);
  if (!onDisc || !mine || host.session.isRemoved(onDisc.path)) return undefined;
  return onDisc.kind === 'dir' && mine.kind === 'dir' ? undefined : onDisc;
}

function discRow(host: DiscViewHost, e: DiscFileEntry) {
  const s = host.session;
  const depth = e.path.split('/').length - 2;
  const removed = s.isRemoved(e.path);
  const own = s.removed.has(e.path);
  const mine = projectEntry(host, e.path);
  const replaced = !removed && mine && !(mine.kind === 'dir' && e.kind === 'dir');
  const state = removed ? 'removed' : replaced ? 'replaced' : 'on disc';
  return html`<li data-path=${e.path} data-state=${state} data-depth=${Math.min(depth, 8)}>
    <div class="entry">
      <span class="name" data-testid="disc-entry-name"
        >${removed ? html`<s>${e.name}</s>` : e.name}${e.kind === 'dir' ? '/' : ''}</span
      >
      <span class="size" data-testid="disc-entry-size"
        >${e.kind === 'file' ? formatBytes(e.size) : ''}</span
      >
      <span class="size" data-testid="disc-entry-state">${state}</span>
      ${
        removed && !own
          ? nothing
          : html`<button
              type="button"
              ?disabled=${host.disabled}
              aria-label="${own ? 'Keep' : 'Remove'} ${e.name} on the disc"
              @click=${() => s.toggle(e.path)}
            >
              ${own ? 'Keep' : 'Remove'}
            </button>`
      }
    </div>
  </li>`;
}

/** What the disc holds now, with Remove and Keep. */
export function discList(host: DiscViewHost) {
  const s = host.session;
  if (s.loadError)
    return html`<wd-error-view
      .error=${s.loadError}
      label="The files on the disc cannot be read"
    ></wd-error-view>`;
  if (!s.entries)
    return html`<p class="help" role="status" data-testid="disc-loading">
      Reading the files on the disc…
    </p>`;
  return html`<h3 id="disc-files-title">On the disc</h3>
    ${
      s.entries.length
        ? html`<ul class="project" aria-labelledby="disc-files-title" data-testid="disc-files">
            ${s.entries.map((e) => discRow(host, e))}
          </ul>`
        : html`<p class="empty" data-testid="disc-empty">The disc's file system is empty.</p>`
    }
    <h3>Adding</h3>`;
}

/** The new session's size against the free space, and what it changes. */
export function sessionFacts(host: DiscViewHost) {
  const s = host.session;
  if (!s.entries) return nothing;
  if (!host.project.entries.length && !s.removed.size) return nothing;
  if (s.planError)
    return html`<wd-error-view
      .error=${s.planError}
      label="The new session cannot be built"
    ></wd-error-view>`;
  const plan = s.plan;
  const fit = s.fit();
  if (!plan || !fit)
    return html`<p class="help" role="status" data-testid="files-size">Working out the size…</p>`;
  const count = (kind: string) => plan.edits.filter((e) => e.kind === kind).length;
  const sectors = (n: number) => n.toLocaleString('en-US');
  return html`<p class="help" data-testid="files-size">
      New session: ${formatBytes(plan.bytes)}
      <span class="muted"
        >(${sectors(plan.sectors)} sectors from LBA
        ${sectors(plan.startSector)}${s.planning ? '; updating…' : ''})</span
      >; ${count('added')} added, ${count('replaced')} replaced, ${count('removed')} removed.
    </p>
    <p class=${fit.fits ? 'fit ok' : 'fit bad'} role="status" data-testid="files-fit">
      ${
        fit.fits
          ? `Fits: ${sectors(fit.sectors)} of ${sectors(fit.free)} free sectors.`
          : `Too big by ${formatBytes(fit.excessBytes)}: it needs ${sectors(fit.sectors)} sectors; the disc has ${sectors(fit.free)} free.`
      }
    </p>`;
}

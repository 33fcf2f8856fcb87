/**
 * The parts of the "Burn files…" dialog that only show things: the project
 * list (folders open and close, each entry with Rename and Remove, one entry
 * renamed in place at a time), and the name report (every name a file system
 * shows differently, folders moved for ISO 9660's depth limit, entries a
 * namespace cannot hold, with the reason).
 */
import { html, nothing } from 'lit';
import type { FileImagePlan, FileTreeEntry } from '../../../contract/api.ts';
import type { EntryPath } from '../../lib/file-project.ts';
import { formatBytes } from '../../lib/format.ts';

/** What the list needs from the dialog: its state, and what its buttons do. */
export interface ProjectViewHost {
  readonly entries: readonly FileTreeEntry[];
  /** Folder paths ("a/b") shown open. */
  readonly expanded: ReadonlySet<string>;
  /** The entry being renamed, its draft name and the problem with it. */
  readonly renaming: {
    readonly path: EntryPath;
    readonly draft: string;
    readonly problem: string | null;
  } | null;
  readonly disabled: boolean;
  toggle(path: EntryPath): void;
  startRename(path: EntryPath): void;
  setDraft(name: string): void;
  commitRename(): void;
  cancelRename(): void;
  removeEntry(path: EntryPath): void;
  /** "Add files…": whether the entry replaces one on the disc (same name). */
  replaces?(path: EntryPath): boolean;
}

const key = (path: EntryPath) => path.join('/');

function sizeOf(e: FileTreeEntry): string {
  if (e.kind === 'file') return formatBytes(e.blob.size);
  if (e.kind === 'dir') return e.children.length === 1 ? '1 item' : `${e.children.length} items`;
  return 'link';
}

function renameRow(host: ProjectViewHost, e: FileTreeEntry) {
  const r = host.renaming;
  if (!r) return nothing;
  return html`<div class="entry" data-testid="renaming">
    <label class="visually-hidden" for="rename-input">New name for ${e.name}</label>
    <input
      id="rename-input"
      type="text"
      autocomplete="off"
      spellcheck="false"
      .value=${r.draft}
      aria-invalid=${r.problem ? 'true' : 'false'}
      aria-describedby=${r.problem ? 'rename-error' : nothing}
      @input=${(ev: Event) => host.setDraft((ev.target as HTMLInputElement).value)}
      @keydown=${(ev: KeyboardEvent) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          host.commitRename();
        } else if (ev.key === 'Escape') {
          // Escape ends the renaming, not the dialog.
          ev.preventDefault();
          ev.stopPropagation();
          host.cancelRename();
        }
      }}
    />
    <button type="button" @click=${() => host.commitRename()}>Save name</button>
    <button type="button" @click=${() => host.cancelRename()}>Keep name</button>
    ${
      r.problem
        ? html`<p id="rename-error" class="field-error" role="alert" data-testid="rename-error">
            ${r.problem}
          </p>`
        : nothing
    }
  </div>`;
}

function entryRow(host: ProjectViewHost, e: FileTreeEntry, path: EntryPath): unknown {
  const k = key(path);
  const renaming = host.renaming && key(host.renaming.path) === k;
  const open = e.kind === 'dir' && host.expanded.has(k);
  return html`<li data-path=${k}>
    ${
      renaming
        ? renameRow(host, e)
        : html`<div class="entry">
            ${
              e.kind === 'dir'
                ? html`<button
                    type="button"
                    aria-expanded=${open ? 'true' : 'false'}
                    aria-label="${open ? 'Close' : 'Open'} folder ${e.name}"
                    @click=${() => host.toggle(path)}
                  >
                    ${open ? '▾' : '▸'}
                  </button>`
                : nothing
            }
            <span class="name" data-testid="entry-name"
              >${e.name}${e.kind === 'dir' ? '/' : ''}</span
            >
            <span class="size">${sizeOf(e)}</span>
            ${
              host.replaces?.(path)
                ? html`<span class="size" data-testid="entry-replaces">replaces</span>`
                : nothing
            }
            <button
              type="button"
              ?disabled=${host.disabled}
              aria-label="Rename ${e.name}"
              @click=${() => host.startRename(path)}
            >
              Rename
            </button>
            <button
              type="button"
              ?disabled=${host.disabled}
              aria-label="Remove ${e.name}"
              @click=${() => host.removeEntry(path)}
            >
              Remove
            </button>
          </div>`
    }
    ${
      open && e.kind === 'dir'
        ? e.children.length
          ? html`<ul>
              ${e.children.map((c) => entryRow(host, c, [...path, c.name]))}
            </ul>`
          : html`<p class="empty">Empty folder.</p>`
        : nothing
    }
  </li>`;
}

export function projectList(host: ProjectViewHost) {
  if (host.entries.length === 0)
    return html`<p class="empty" data-testid="project-empty">
      No files yet. Add files or a folder, or drop them here.
    </p>`;
  return html`<ul class="project" aria-label="Files and folders on the disc" data-testid="project">
    ${host.entries.map((e) => entryRow(host, e, [e.name]))}
  </ul>`;
}

const NAMESPACE_WORDS = {
  iso9660: 'ISO 9660',
  joliet: 'Joliet (Windows)',
  rockRidge: 'Rock Ridge (Linux, macOS)',
  udf: 'UDF',
} as const;

/** How many names the report lists. */
export function reportCount(plan: FileImagePlan): number {
  return plan.renamed.length + plan.relocated.length + plan.omitted.length;
}

/**
 * The name report, in a collapsible section: nothing is changed or left out
 * silently. Renamed names per file system, relocated folders, omitted entries
 * with the reason.
 */
export function nameReport(plan: FileImagePlan) {
  const n = reportCount(plan);
  if (n === 0)
    return html`<p class="help" data-testid="name-report-none">
      Every name is kept as given in every file system on the disc.
    </p>`;
  return html`<details class="report" data-testid="name-report">
    <summary>Names that change on the disc (${n})</summary>
    ${
      plan.renamed.length
        ? html`<h3>Renamed</h3>
            <ul data-testid="report-renamed">
              ${plan.renamed.map(
                (r) =>
                  html`<li>
                    <code>${r.path}</code>:
                    ${(Object.keys(NAMESPACE_WORDS) as (keyof typeof NAMESPACE_WORDS)[])
                      .filter((ns) => r[ns] !== undefined)
                      .map(
                        (ns, i) =>
                          html`${i ? '; ' : ''}${NAMESPACE_WORDS[ns]} <code>${r[ns]}</code>`,
                      )}
                  </li>`,
              )}
            </ul>`
        : nothing
    }
    ${
      plan.relocated.length
        ? html`<h3>Moved for ISO 9660 (deeper than eight levels)</h3>
            <ul data-testid="report-relocated">
              ${plan.relocated.map(
                (r) => html`<li><code>${r.path}</code> shows as <code>${r.isoPath}</code></li>`,
              )}
            </ul>`
        : nothing
    }
    ${
      plan.omitted.length
        ? html`<h3>Left out</h3>
            <ul data-testid="report-omitted">
              ${plan.omitted.map(
                (o) =>
                  html`<li>
                    <code>${o.path}</code> is not in
                    ${NAMESPACE_WORDS[o.namespace as keyof typeof NAMESPACE_WORDS] ?? o.namespace}:
                    ${o.reason}
                  </li>`,
              )}
            </ul>`
        : nothing
    }
  </details>`;
}

/**
 * A fake of the worker API (the UiApi subset) for component tests: one
 * virtual recorder with media, an IMAPI2-style lock that another session can
 * hold, and an event stream the test drives with `emit`.
 */
import type {
  ErrorValue,
  LockState,
  MediaState,
  RecorderEvent,
  RecorderInfo,
  RecorderSummary,
  Result,
  SelfTestResult,
  VirtualDriveState,
} from '../../worker/api.ts';
import type { UiApi, UiApiMethod } from '../lib/api.ts';
import { CLIENT_NAME_PATTERN } from '../lib/client-name.ts';
import { blankDvd, dataCd, lockedError, noDisc, sampleInfo, virtualSummary } from './samples.ts';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = <T>(error: ErrorValue): Promise<Result<T>> => Promise.resolve({ ok: false, error });

export const MEDIA: Record<string, MediaState> = {
  none: noDisc,
  'DVD+R blank': blankDvd,
  'CD-ROM data': dataCd,
};

export class FakeApi implements UiApi {
  readonly calls: { method: string; args: unknown[] }[] = [];
  listener: ((event: RecorderEvent) => void) | undefined;
  recorders: RecorderSummary[] = [virtualSummary];
  info: Record<string, RecorderInfo> = { virtual: sampleInfo() };
  media: MediaState = blankDvd;
  mediaName = 'DVD+R blank';
  count = 0;
  owner = '';
  /** The owner's name when another session holds the lock. */
  otherOwner: string | null = null;
  /** Methods that reject (as Comlink does when the worker throws) or resolve to an error. */
  readonly failures: Partial<Record<UiApiMethod, ErrorValue | Error>> = {};

  #record(method: UiApiMethod, ...args: unknown[]): Promise<Result<never>> | undefined {
    this.calls.push({ method, args });
    const failure = this.failures[method];
    if (failure instanceof Error) return Promise.reject(failure);
    if (failure) return fail(failure);
    return undefined;
  }

  called(method: UiApiMethod): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  emit(event: RecorderEvent): void {
    this.listener?.(event);
  }

  lockState(): LockState {
    const other = this.otherOwner;
    return {
      count: other ? 0 : this.count,
      owner: other ?? this.owner,
      ownedByMe: !other && this.count > 0,
      busy: !!other,
      trayLocked: !!other || this.count > 0,
      stale: false,
      openedV1: false,
    };
  }

  /** Another tab takes the lock: this session gets a 'lock' event. */
  lockElsewhere(name: string): void {
    this.otherOwner = name;
    this.emit({ type: 'lock', recorderId: 'virtual', lock: this.lockState() });
  }

  releaseElsewhere(): void {
    this.otherOwner = null;
    this.emit({ type: 'lock', recorderId: 'virtual', lock: this.lockState() });
  }

  virtual(): VirtualDriveState {
    return {
      media: this.mediaName,
      mediaNames: Object.keys(MEDIA),
      trayOpen: this.media.trayOpen ?? false,
      prevent: this.count > 0,
      persistentPrevent: false,
      mountedByOs: false,
      preventHistory: [],
    };
  }

  selfTest(tag: number): Promise<SelfTestResult> {
    this.calls.push({ method: 'selfTest', args: [tag] });
    return Promise.resolve({ cbwHex: '55534243', decodedTag: tag, roundTrip: true });
  }

  subscribe(listener: (event: RecorderEvent) => void): Promise<void> {
    const failed = this.#record('subscribe', listener);
    if (failed) return failed.then(() => undefined);
    this.listener = listener;
    return Promise.resolve();
  }

  listRecorders() {
    return this.#record('listRecorders') ?? ok<readonly RecorderSummary[]>(this.recorders);
  }

  refreshUsbDevices() {
    return this.#record('refreshUsbDevices') ?? ok<readonly RecorderSummary[]>(this.recorders);
  }

  getInfo(id: string) {
    const info = this.info[id];
    return (
      this.#record('getInfo', id) ??
      (info
        ? ok(info)
        : fail<RecorderInfo>({
            hresult: 0x80070037 | 0,
            name: 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST',
            message: 'No such recorder.',
            sense: null,
          }))
    );
  }

  getMedia(id: string) {
    return this.#record('getMedia', id) ?? ok(this.media);
  }

  getLockState(id: string) {
    return this.#record('getLockState', id) ?? ok(this.lockState());
  }

  acquireExclusiveAccess(id: string, force: boolean, clientName: string) {
    const failed = this.#record('acquireExclusiveAccess', id, force, clientName);
    if (failed) return failed;
    if (!CLIENT_NAME_PATTERN.test(clientName))
      return fail<LockState>({
        hresult: 0x80070057 | 0,
        name: 'E_INVALIDARG',
        message: 'The client name is not valid.',
        sense: null,
      });
    if (this.otherOwner)
      return fail<LockState>({
        hresult: 0x80070005 | 0,
        name: 'E_ACCESS_DENIED',
        message: `“${this.otherOwner}” holds exclusive access.`,
        sense: null,
      });
    if (this.count === 0) this.owner = clientName;
    this.count++;
    return ok(this.lockState());
  }

  releaseExclusiveAccess(id: string) {
    const failed = this.#record('releaseExclusiveAccess', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<LockState>(lockedError(this.otherOwner));
    if (this.count === 0)
      return fail<LockState>({
        hresult: 0xc0aa0210 | 0,
        name: 'E_IMAPI_RECORDER_LOCKED',
        message: 'This session does not hold exclusive access.',
        sense: null,
      });
    this.count--;
    if (this.count === 0) this.owner = '';
    return ok(this.lockState());
  }

  ejectMedia(id: string) {
    const failed = this.#record('ejectMedia', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<void>(lockedError(this.otherOwner));
    this.media = { ...this.media, trayOpen: true };
    return ok<void>(undefined);
  }

  closeTray(id: string) {
    const failed = this.#record('closeTray', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<void>(lockedError(this.otherOwner));
    this.media = { ...this.media, trayOpen: false };
    return ok<void>(undefined);
  }

  unlockTray(id: string) {
    return this.#record('unlockTray', id) ?? ok<void>(undefined);
  }

  virtualInsertMedia(name: string) {
    const failed = this.#record('virtualInsertMedia', name);
    if (failed) return failed;
    this.mediaName = name;
    this.media = MEDIA[name] ?? noDisc;
    return ok(this.virtual());
  }

  virtualPressEjectButton() {
    const failed = this.#record('virtualPressEjectButton');
    if (failed) return failed;
    if (this.count > 0 || this.otherOwner) {
      this.emit({ type: 'eject-request', recorderId: 'virtual' });
    } else {
      this.media = { ...this.media, trayOpen: true };
    }
    return ok(this.virtual());
  }

  cancelOperation(id: string) {
    const failed = this.#record('cancelOperation', id);
    if (failed) return failed;
    this.emit({
      type: 'progress',
      recorderId: id,
      progress: { action: 'cancelled', fraction: 1, elapsedMs: 0, remainingMs: 0 },
    });
    return ok<void>(undefined);
  }

  virtualState() {
    return this.#record('virtualState') ?? ok(this.virtual());
  }
}

/**
 * What this session knows of the drive and its medium: the drive's info
 * (cached, so readable while another session owns it), the medium's state,
 * and MCN, the GESN media-class polling that notices a medium change.
 */
import {
  EventClassMask,
  MediaEventCode,
  getEventStatusNotification,
  parseEventStatus,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import type { MediaState, RecorderInfo } from '../../contract/api.ts';
import { readRecorderInfo } from '../identity.ts';
import type { Connection } from './connection.ts';
import { err, type RecorderContext } from './context.ts';
import { readMedia } from './read-media.ts';

export class MediaTracker {
  readonly #ctx: RecorderContext;
  readonly #conn: Connection;
  #info: RecorderInfo | undefined;
  #infoStale = false;
  #media: MediaState | undefined;
  #mcnEnabled = true;
  #mcnTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(ctx: RecorderContext, conn: Connection) {
    this.#ctx = ctx;
    this.#conn = conn;
  }

  /**
   * The medium changed: what we knew of it, and the profile and feature
   * "current" flags in the drive's info, are stale. (The identity itself
   * stays cached so it remains readable while another session owns the drive.)
   */
  changed(): void {
    this.#media = undefined;
    if (this.#info) this.#infoStale = true;
  }

  /** An erase or burn ended: the medium's state is to be read again. */
  forget(): void {
    this.#media = undefined;
  }

  /** Identity, profiles, features, mode pages; cached, so readable while another session owns the drive. */
  async info(): Promise<RecorderInfo> {
    if (this.#info && this.#infoStale) {
      // While another session owns the drive, the cached copy is what there is.
      if (!(await this.#ctx.otherHolder())) {
        this.#info = undefined;
        this.#infoStale = false;
      }
    }
    if (this.#info) return this.#info;
    return this.#ctx.serial(async () => {
      if (this.#info) return this.#info;
      const { drive } = await this.#conn.connect();
      this.#info = await readRecorderInfo(this.#ctx.options.summary, drive);
      return this.#info;
    });
  }

  /** Disc present, type and status, capacity and free space, sessions and tracks. */
  media(): Promise<MediaState> {
    return this.#ctx.serial(async () => {
      const holder = await this.#ctx.otherHolder();
      if (holder) {
        if (this.#media) return this.#media;
        throw err(
          'E_IMAPI_RECORDER_LOCKED',
          `The recorder is busy: owned by "${holder.clientName}".`,
        );
      }
      this.#media = await this.#read();
      return this.#media;
    });
  }

  /** A read of the medium now, outside the queue (erase and burn hold it already). */
  async fresh(): Promise<MediaState> {
    this.#media = undefined;
    this.#media = await this.#read();
    return this.#media;
  }

  async #read(): Promise<MediaState> {
    const { drive } = await this.#conn.connect();
    const media = await readMedia(drive);
    // The info was read with another medium in (its current profile, the
    // features' current flags, page 2Ah's write speeds): a change this
    // session was not told of (another tab's insert, a unit attention
    // consumed elsewhere) still shows here, so read it again on next ask.
    const profile = this.#info?.currentProfile?.code ?? null;
    if (this.#info && media.present && (media.profile?.code ?? null) !== profile) {
      this.#infoStale = true;
    }
    return media;
  }

  /** Another session saw the medium change: read it again, unless that session owns the drive. */
  async onOtherSession(): Promise<void> {
    this.changed();
    if (!(await this.#ctx.otherHolder())) await this.#publish();
  }

  /** Reads the medium and tells the page, when the drive can say. */
  async #publish(): Promise<void> {
    const media = await this.media().catch(() => undefined);
    if (media) this.#ctx.emit({ type: 'media', recorderId: this.#ctx.id, media });
  }

  // ------------------------------------------------------------------- MCN

  enableMcn(): void {
    this.#mcnEnabled = true;
    this.scheduleMcn();
  }

  disableMcn(): void {
    this.#mcnEnabled = false;
    this.stopMcn();
  }

  stopMcn(): void {
    if (this.#mcnTimer !== undefined) clearTimeout(this.#mcnTimer);
    this.#mcnTimer = undefined;
  }

  scheduleMcn(): void {
    const period = this.#ctx.options.mcnIntervalMs ?? 1000;
    if (!this.#mcnEnabled || period <= 0 || this.#ctx.gone || this.#mcnTimer !== undefined) return;
    this.#mcnTimer = setTimeout(() => {
      this.#mcnTimer = undefined;
      void this.pollEvents()
        .catch(() => undefined)
        .finally(() => this.scheduleMcn());
    }, period);
  }

  /**
   * One GESN poll (media class). New media, removal and change refresh the
   * media state and tell the other sessions; an eject request (the button
   * pressed while PREVENT is held) is passed on to show the user.
   */
  async pollEvents(): Promise<void> {
    if (this.#ctx.gone) return;
    // While another session owns the drive its media notifications are held back.
    if (await this.#ctx.otherHolder()) return;
    const r = await this.#ctx.serial(() =>
      this.#conn.run(getEventStatusNotification({ classMask: EventClassMask.Media }), {
        allowCheckCondition: true,
      }),
    );
    if (r.status !== 'good') return;
    const status = parseEventStatus(r.data);
    const event = status.event;
    if (!event || event.kind !== 'media') return;
    switch (event.eventCode) {
      case MediaEventCode.EjectRequest:
        this.#ctx.emit({ type: 'eject-request', recorderId: this.#ctx.id });
        break;
      case MediaEventCode.NewMedia:
      case MediaEventCode.MediaRemoval:
      case MediaEventCode.MediaChanged:
        this.changed();
        this.#ctx.emit({ type: 'tray', recorderId: this.#ctx.id, open: event.doorOpen });
        this.#ctx.announceMedia();
        await this.#publish();
        break;
    }
  }
}

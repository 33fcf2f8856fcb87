/** The virtual recorder as every realm names it: its id in the recorder list and its display name. */
export const VIRTUAL_ID = 'virtual';
export const VIRTUAL_RECORDER_NAME = 'Virtual recorder';

/**
 * The virtual recorder's media names (`dvd+r-dl`, typed on the CLI) as a
 * person reads them, with the medium's own capitals; a name not listed is
 * shown as it is.
 */
const VIRTUAL_MEDIA_LABELS: Readonly<Record<string, string>> = {
  'cd-rom': 'CD-ROM',
  'cd-r': 'CD-R',
  'cd-rw': 'CD-RW',
  'dvd-rom': 'DVD-ROM',
  'dvd-r': 'DVD-R',
  'dvd-rw': 'DVD-RW (sequential)',
  'dvd-rw-ro': 'DVD-RW (restricted overwrite)',
  'dvd+r': 'DVD+R',
  'dvd+rw': 'DVD+RW',
  'dvd+r-dl': 'DVD+R DL',
  'bd-r': 'BD-R',
  'bd-re': 'BD-RE',
  none: 'No disc',
};

export function virtualMediaLabel(name: string): string {
  return VIRTUAL_MEDIA_LABELS[name] ?? name;
}

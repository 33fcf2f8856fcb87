import type { OpenedFile } from '../components/wd-app/wd-app.ts';

/** The File Handling API's launch queue (Chromium; not in TypeScript's DOM lib). */
interface LaunchParams {
  readonly files: readonly FileSystemHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void): void;
}

/**
 * Files the installed app was opened with (manifest file_handlers for .iso):
 * calls `onFiles` with each file's name, size and the File itself (the app
 * opens the burn dialog with it).
 */
export function consumeLaunchQueue(onFiles: (files: OpenedFile[]) => void): void {
  const queue = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  if (!queue) return;
  queue.setConsumer((params) => {
    void Promise.all(
      params.files
        .filter((h): h is FileSystemFileHandle => h.kind === 'file')
        .map(async (h) => {
          const file = await h.getFile();
          return { name: file.name, size: file.size, file };
        }),
    ).then((files) => {
      if (files.length) onFiles(files);
    });
  });
}

export const VIRTUAL_RECORDER_NAME = 'Virtual recorder';

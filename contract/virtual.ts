/** The virtual recorder as every realm names it: its id in the recorder list and its display name. */
export const VIRTUAL_ID = 'virtual';
export const VIRTUAL_RECORDER_NAME = 'Virtual recorder';

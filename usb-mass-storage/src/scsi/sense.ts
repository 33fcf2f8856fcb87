/** Placeholder: replaced by the sense decoder (issue 3). */
export interface Sense {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
}

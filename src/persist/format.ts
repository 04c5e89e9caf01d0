/** The snapshot format's name, shared by every version. */
export const SNAPSHOT_FORMAT = 'attune.snapshot';

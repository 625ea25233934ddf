/**
 * Sizes of the previews made from every photo (process-photo.ts, in the workers), here in a
 * module of their own so the main thread can reason about them without loading the worker code.
 */

/** long side of the gallery thumbnail (also the thumbnail that syncs to other users) */
export const thumbLongSide = 320;
/** long side of the viewer's display copy; an original no bigger than this is shown as it is */
export const displayLongSide = 1600;

/** A cheap text test that rules a file out before parsing (kept apart so light code can use it). */
export const INPUT_POINT_TEXT = /elicitInput|createMessage|listRoots|requestSampling|elicitation\/create|sampling\/createMessage|roots\/list/;

/** The same words as plain strings, searched in a file's bytes before it is decoded. */
export const INPUT_POINT_NEEDLES: readonly string[] = INPUT_POINT_TEXT.source.split('|').map((alternative) => alternative.replaceAll('\\/', '/'));
